import type { ParserLimits } from "../http/request-head.ts";
import type { Http2Limits } from "./http2/limits.ts";

/** The limits and timeouts the connection sessions enforce, every default filled in. */
export interface SessionOptions extends ParserLimits {
  /** Default cap for the buffered body helpers (`text()`, `json()`, `bytes()`). */
  bodyLimit: number;
  /** Idle keep-alive connections are closed after this many ms. */
  keepAliveTimeout: number;
  /** A request head must arrive within this many ms of its first byte (408 otherwise). */
  headersTimeout: number;
  /** A whole request (head and body) must arrive within this many ms. */
  requestTimeout: number;
  /** A connection whose peer reads nothing of what we write for this many ms is closed. */
  writeTimeout: number;
  /** Bytes per second a request body must average over each window of {@link BODY_RATE_WINDOW_MS} while the app reads it. */
  minBodyRate: number;
  /** Called with errors thrown by handlers and with bugs a connection survived. */
  onError: (error: unknown) => void;
  /** HTTP/2 limits. */
  http2: Http2Limits;
}
