/**
 * An error that knows its HTTP answer. Throw it from a handler to send `status`; the parser
 * raises it for malformed requests, with `code` naming the rule that failed.
 *
 * @example
 * ```ts
 * throw new HttpError(404, "No such user");
 * ```
 */
export class HttpError extends Error {
  /** The HTTP status code to answer with. */
  readonly status: number;
  /** A stable machine-readable name of the failed rule, e.g. `"INVALID_HEADER_NAME"`. */
  readonly code: string;
  /** Whether the message may be shown to the client as the response body. */
  readonly expose: boolean;

  constructor(status: number, message: string, code: string = "HTTP_ERROR", expose: boolean = status < 500) {
    super(message);
    this.name = "HttpError";
    this.status = status;
    this.code = code;
    this.expose = expose;
  }
}
