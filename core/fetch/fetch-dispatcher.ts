import { HttpError } from "../http/http-error.ts";
import type { Dispatcher, Exchange } from "../exchange/exchange.ts";
import { sendErrorResponse } from "../exchange/error-response.ts";
import { sendWebResponse } from "./send-response.ts";
import { toWebRequest } from "./to-request.ts";

/** A web-standard handler `(Request) => Response`, the shape Deno's and Bun's servers and Hono use. */
export type FetchHandler = (request: Request) => Response | Promise<Response>;

/** Serves exchanges with a `fetch(Request) => Response` handler. */
export class FetchDispatcher implements Dispatcher {
  readonly #handler: FetchHandler;
  readonly #onError: (error: unknown) => void;

  constructor(handler: FetchHandler, onError: (error: unknown) => void) {
    this.#handler = handler;
    this.#onError = onError;
  }

  dispatch(exchange: Exchange): void {
    this.#run(exchange).catch((error) => sendErrorResponse(exchange, error, this.#onError));
  }

  async #run(exchange: Exchange): Promise<void> {
    const response = await this.#handler(toWebRequest(exchange));
    if (!(response instanceof Response)) {
      throw new HttpError("NO_RESPONSE", "fetch handler did not return a Response");
    }
    await sendWebResponse(exchange, response);
  }
}
