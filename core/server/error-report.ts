/**
 * How handler errors are reported: `ServeOptions.onError(error, info)`. `info` names the request
 * an error belongs to, so one log line carries its request id (set by the `requestId()`
 * middleware) and can be matched with the access log and the client's `x-request-id`.
 * @module
 */

/** The request an error belongs to (absent for errors outside any request). */
export interface ErrorInfo {
  /** The request id (`c.requestId`), or `""` when no `requestId()` middleware ran. */
  readonly requestId: string;
  readonly method: string;
  readonly path: string;
}

/** Where handler errors go: `ServeOptions.onError`. */
export type ErrorReporter = (error: unknown, info?: ErrorInfo) => void;

/** The default reporter: one `console.error` line per error, naming its request id when there is one. */
export function defaultOnError(error: unknown, info?: ErrorInfo): void {
  if (info === undefined || info.requestId === "") console.error("wirecore: handler error:", error);
  else console.error(`wirecore: handler error (request ${info.requestId}, ${info.method} ${info.path}):`, error);
}
