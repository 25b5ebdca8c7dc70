import { HttpError } from "../http/http-error.ts";
import { statusText } from "../http/status-text.ts";
import type { Context } from "./context.ts";

/** A web Response returned inside a middleware chain (or by `onError`) becomes the context's response. */
export function adoptResponse(c: Context, response: Response): void {
  c.resStatus = response.status;
  response.headers.forEach((value, name) => {
    if (name !== "set-cookie") c.header(name, value);
  });
  for (const cookie of response.headers.getSetCookie()) c.header("set-cookie", cookie);
  c.resBody = response.body;
  c.resUpgrade = null;
  c.finalized = true;
}

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
 * Forget the response a failed handler was building, before the error answer is made: status,
 * body, upgrade and the body's own fields go; the other fields (CORS, request id, cookies set by
 * middleware) stay, as they belong to the exchange rather than to the failed body.
 */
export function resetResponse(c: Context): void {
  c.resStatus = 200;
  c.resBody = null;
  c.resUpgrade = null;
  c.finalized = false;
  const list = c.resHeaders;
  let kept = 0;
  for (let i = 0; i < list.length; i += 2) {
    const name = list[i]!;
    if (name === "content-type" || name === "content-length" || name === "content-encoding") continue;
    list[kept++] = name;
    list[kept++] = list[i + 1]!;
  }
  list.length = kept;
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
