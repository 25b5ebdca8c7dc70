import { HttpError } from "../http/http-error.ts";
import { statusText } from "../http/status-text.ts";
import type { Context } from "./context.ts";

/** The error for a handler that returned without a response, naming its route. */
export function noResponse(c: Context): HttpError {
  return new HttpError(
    500,
    `The handler of ${c.route} returned no response: return c.text(), c.json(), c.body(), c.redirect() or a ` +
      "Response (and in middleware, `await next()`)",
    "NO_RESPONSE",
    false,
  );
}

/**
 * The default answer for an error: an HttpError gives its status (and its message, when it may
 * be shown); anything else is reported to `log` and gives 500 with the status text only.
 */
export function errorResponse(c: Context, error: unknown, log: (error: unknown) => void): void {
  const isHttp = error instanceof HttpError;
  if (!isHttp || error.status >= 500) log(error);
  const status = isHttp && Number.isInteger(error.status) && error.status >= 200 && error.status <= 599
    ? error.status
    : 500;
  const message = isHttp && error.expose ? error.message : statusText(status) || "Error";
  c.text(message, status);
}
