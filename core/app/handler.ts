import type { Context, Reply } from "./context.ts";
import type { Params, Validated } from "./params.ts";

/** What a handler may return: a reply made by `c.text()`/`c.json()`/`c.body()`, or a web `Response`. */
export type HandlerResult = Reply | Response | void;
/**
 * A route handler of the native API. `P` is the route's params (typed from its path by `app.get()`
 * and friends), `V` what its validators checked (`c.req.valid()`).
 */
export type Handler<P extends Params = Record<string, string>, V extends Validated = Validated> = (
  c: Context<P, V>,
) => HandlerResult | Promise<HandlerResult>;
/**
 * Middleware: runs around the handlers after it, in onion order (`await next()`). `V` is what it
 * validates for the handlers after it (see `validator()`); route middleware sees the route's `P`.
 */
export type Middleware<P extends Params = Record<string, string>, V extends Validated = Validated> = (
  c: Context<P, V>,
  next: () => Promise<void>,
) => HandlerResult | Promise<HandlerResult>;
/** Turns an error thrown by a handler or middleware into a response (`app.onError`). */
export type ErrorHandler = (error: unknown, c: Context) => HandlerResult | Promise<HandlerResult>;
