import type { Context } from "./context.ts";
import type { Handler, Middleware } from "./handler.ts";
import { noResponse } from "./response-state.ts";

/** Turns an error into the context's response (the app's `onError`, or the default answer). */
export type Recover = (c: Context, error: unknown) => Promise<Response | undefined>;

/**
 * Wrap a handler in middleware, outermost first (onion order). An error thrown at any level —
 * the handler, or a middleware before or after its `await next()` — is turned into the
 * context's response right there (`recover`), so every middleware outside it still runs the code
 * after its `await next()` and sees the error response (and `c.error`); the headers they set
 * stay on it. A handler that returns without a response is such an error too, naming its route.
 */
export function compose(chain: Middleware[], handler: Handler, recover: Recover): Handler {
  if (chain.length === 0) return handler;
  return (c) => {
    let index = -1;
    const step = async (i: number): Promise<void> => {
      if (i <= index) throw new Error("next() called more than once");
      index = i;
      try {
        if (i < chain.length) {
          const result = await chain[i]!(c, () => step(i + 1));
          if (result instanceof Response && !c.finalized) c.adopt(result);
        } else {
          const result = await handler(c);
          if (result instanceof Response) {
            if (!c.finalized) c.adopt(result);
          } else if (!c.finalized) throw noResponse(c);
        }
      } catch (error) {
        const response = await recover(c, error);
        if (response !== undefined) c.adopt(response);
      }
    };
    return step(0);
  };
}
