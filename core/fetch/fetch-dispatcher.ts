import { HttpError } from "../http/http-error.ts";
import type { Dispatcher, Exchange } from "../exchange/exchange.ts";
import { sendErrorResponse } from "../exchange/error-response.ts";
import { acceptWebSocket } from "../session/ws/accept.ts";
import type { UpgradableExchange } from "../session/upgrade.ts";
import { FetchInfo } from "./fetch-info.ts";
import { sendWebResponse } from "./send-response.ts";
import { toWebRequest } from "./to-request.ts";

/**
 * A web-standard handler `(Request, info) => Response`, the shape Deno's and Bun's servers and
 * Hono use. `info` ({@link FetchInfo}) is what Bun's `server`, Deno's `ServeHandlerInfo` and
 * `@hono/node-server`'s env give such handlers. After `info.upgrade()` the return value is
 * ignored (it may be undefined), as Bun does.
 */
export type FetchHandler = (
  request: Request,
  info: FetchInfo,
) => Response | undefined | Promise<Response | undefined>;

/** Serves exchanges with a `fetch(Request, info) => Response` handler. */
export class FetchDispatcher implements Dispatcher {
  readonly #handler: FetchHandler;
  readonly #onError: (error: unknown) => void;

  constructor(handler: FetchHandler, onError: (error: unknown) => void) {
    this.#handler = handler;
    this.#onError = onError;
  }

  dispatch(exchange: Exchange): void {
    void this.#serve(exchange, new FetchInfo(exchange));
  }

  async #serve(exchange: Exchange, info: FetchInfo): Promise<void> {
    try {
      await this.#run(exchange, info);
    } catch (error) {
      info.finish(error);
      sendErrorResponse(exchange, error, this.#onError);
      return;
    }
    const signal = exchange.signal;
    info.finish(signal.aborted ? signal.reason : undefined);
  }

  async #run(exchange: Exchange, info: FetchInfo): Promise<void> {
    const response = await this.#handler(toWebRequest(exchange), info);
    const upgrade = info.takeUpgrade();
    if (upgrade !== null) {
      // Bun's server.upgrade(): the socket is a WebSocket now, whatever the handler returned.
      if (response instanceof Response && response.body !== null) void response.body.cancel().catch(() => {});
      acceptWebSocket(exchange as UpgradableExchange, upgrade);
      return;
    }
    if (!(response instanceof Response)) {
      throw new HttpError("NO_RESPONSE", "fetch handler did not return a Response");
    }
    await sendWebResponse(exchange, response);
  }
}
