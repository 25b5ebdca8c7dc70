/**
 * `accessLog()`: one JSON line per request, written once the response has been handed to the
 * transport in full (or the exchange was cut short: `"aborted": true`).
 * @module
 */
import type { Middleware } from "../../app/handler.ts";

/** One access log record, as written (one JSON object per line, keys in this order). */
export interface AccessLogEntry {
  /** When the request reached the middleware (ISO 8601, UTC). */
  time: string;
  method: string;
  /** The path, without the query (which may carry secrets). */
  path: string;
  /** The status sent; 0 when the exchange ended before any response (`aborted`). */
  status: number;
  /** Request body octets received. */
  bytesIn: number;
  /** Response body octets handed to the transport (head and framing excluded). */
  bytesOut: number;
  /** From the middleware's start to the end of the response, in microseconds. */
  durationUs: number;
  /** The peer's address (the proxy's, behind one). */
  remoteAddress: string;
  /** `http/1.1`, `http/1.0`, `h2` (TLS), `h2c`; `""` under `app.fetch`. */
  protocol: string;
  /** `c.requestId` (`""` without the `requestId()` middleware). */
  requestId: string;
  /** The client went away (or the stream was reset) before the response was complete. */
  aborted: boolean;
}

/** Options of {@link accessLog}. */
export interface AccessLogOptions {
  /** Where each line goes (no trailing newline). Default `console.log`. */
  write?: ((line: string) => void) | undefined;
  /** The share of requests logged, 0..1 (drawn per request). Default 1. */
  sample?: number | undefined;
}

/**
 * Log every request (or a sample) as one JSON line: time, method, path, status, bytes in and
 * out, duration in µs, remote address, protocol, request id. Requests a connection rejects
 * before the app sees them (a malformed head) are not logged.
 *
 * @example
 * ```ts
 * const app = new App();
 * app.use(requestId());
 * app.use(accessLog({ write: (line) => console.log(line), sample: 1 }));
 * ```
 */
export function accessLog(options: AccessLogOptions = {}): Middleware {
  const write = options.write ?? ((line: string) => console.log(line));
  const sample = options.sample ?? 1;
  if (typeof sample !== "number" || !(sample >= 0 && sample <= 1)) {
    throw new RangeError(`accessLog: sample must be a number from 0 to 1, not ${String(sample)}`);
  }
  return (c, next) => {
    if (sample < 1 && Math.random() >= sample) return next();
    const time = Date.now();
    const started = performance.now();
    const exchange = c.exchange;
    exchange.onSettled((aborted) => {
      const entry: AccessLogEntry = {
        time: new Date(time).toISOString(),
        method: exchange.head.method,
        path: exchange.head.path,
        status: exchange.status,
        bytesIn: exchange.body?.received ?? 0,
        bytesOut: exchange.bytesOut,
        durationUs: Math.round((performance.now() - started) * 1000),
        remoteAddress: exchange.info.remoteAddress,
        protocol: exchange.protocol,
        requestId: c.requestId,
        aborted,
      };
      write(JSON.stringify(entry));
    });
    return next();
  };
}
