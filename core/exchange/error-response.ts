import { HttpError } from "../http/http-error.ts";
import type { Exchange } from "./exchange.ts";
import { statusText } from "../http/status-text.ts";
import { TEXT_PLAIN } from "../http/wire-errors.ts";

/**
 * The one place where an error becomes a response: an HttpError gives its status (and message,
 * when it may be shown), anything else is logged and gives 500. If a response was already
 * started, the connection is aborted instead — the client then sees a truncated response.
 */
export function sendErrorResponse(exchange: Exchange, error: unknown, onError: (error: unknown) => void): void {
  const isHttp = error instanceof HttpError;
  if (!isHttp || error.status >= 500) onError(error);
  if (exchange.responded) {
    exchange.abort(error);
    return;
  }
  const status = isHttp ? error.status : 500;
  const message = isHttp && error.expose ? error.message : statusText(status) || "Error";
  try {
    exchange.respond(status, ["content-type", TEXT_PLAIN], message);
  } catch (second) {
    onError(second);
    exchange.abort(second);
  }
}
