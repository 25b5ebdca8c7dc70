import { type HttpErrorCode, WIRE_ERRORS } from "./wire-errors.ts";

/**
 * An error that knows its HTTP answer. Throw it from a handler to send `status`; the parser
 * raises it for malformed requests, with `code` naming the rule that failed — a name from
 * {@link WIRE_ERRORS}, which gives the status and the default reason.
 *
 * @example
 * ```ts
 * throw new HttpError(404, "No such user");
 * throw new HttpError("BODY_TOO_LARGE"); // 413 "Request body is larger than the limit"
 * ```
 */
export class HttpError extends Error {
  /** The HTTP status code to answer with. */
  readonly status: number;
  /** A stable machine-readable name of the failed rule, e.g. `"INVALID_HEADER_NAME"`. */
  readonly code: string;
  /** Whether the message may be shown to the client as the response body. */
  readonly expose: boolean;

  /** The error named `code` in the table: its status, and `detail` or the table's reason. */
  constructor(code: HttpErrorCode, detail?: string);
  /** An error with any status; `code` defaults to `"HTTP_ERROR"`, `expose` to `status < 500`. */
  constructor(status: number, message: string, code?: string, expose?: boolean);
  constructor(statusOrCode: number | HttpErrorCode, message?: string, code?: string, expose?: boolean) {
    const named = typeof statusOrCode === "string";
    super(named ? (message ?? WIRE_ERRORS[statusOrCode].reason) : message);
    this.name = "HttpError";
    this.status = named ? WIRE_ERRORS[statusOrCode].status : statusOrCode;
    this.code = named ? statusOrCode : (code ?? "HTTP_ERROR");
    this.expose = expose ?? this.status < 500;
  }
}
