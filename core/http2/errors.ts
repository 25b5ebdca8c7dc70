/**
 * HTTP/2 error codes (RFC 9113 §7) and the two kinds of protocol error (§5.4):
 * a {@link ConnectionError} ends the connection with GOAWAY (§5.4.1), a {@link StreamError} ends
 * one stream with RST_STREAM (§5.4.2). Parsers and handlers throw them; the connection maps them
 * to frames in one place (`Http2Connection.fail`).
 *
 * @example
 * ```ts
 * import { ConnectionError, ErrorCode } from "./errors.ts";
 * throw new ConnectionError(ErrorCode.FRAME_SIZE_ERROR, "PING payload must be 8 octets (RFC 9113 §6.7)");
 * ```
 * @module
 */

/** Error codes (RFC 9113 §7). */
export const ErrorCode = {
  NO_ERROR: 0x0,
  PROTOCOL_ERROR: 0x1,
  INTERNAL_ERROR: 0x2,
  FLOW_CONTROL_ERROR: 0x3,
  SETTINGS_TIMEOUT: 0x4,
  STREAM_CLOSED: 0x5,
  FRAME_SIZE_ERROR: 0x6,
  REFUSED_STREAM: 0x7,
  CANCEL: 0x8,
  COMPRESSION_ERROR: 0x9,
  CONNECT_ERROR: 0xa,
  ENHANCE_YOUR_CALM: 0xb,
  INADEQUATE_SECURITY: 0xc,
  HTTP_1_1_REQUIRED: 0xd,
} as const;

/** One of the {@link ErrorCode} values (or an unknown code received from a peer). */
export type ErrorCodeValue = number;

const NAMES: readonly string[] = Object.keys(ErrorCode);

/** The name of an error code, e.g. `PROTOCOL_ERROR`; unknown codes carry no special meaning (§7). */
export function errorCodeName(code: number): string {
  return NAMES[code] ?? `UNKNOWN(0x${code.toString(16)})`;
}

/** An error that ends the whole connection: GOAWAY with `code`, then close (RFC 9113 §5.4.1). */
export class ConnectionError extends Error {
  readonly code: ErrorCodeValue;

  constructor(code: ErrorCodeValue, message: string) {
    super(message);
    this.name = "ConnectionError";
    this.code = code;
  }
}

/** An error that ends one stream: RST_STREAM with `code` (RFC 9113 §5.4.2). */
export class StreamError extends Error {
  readonly streamId: number;
  readonly code: ErrorCodeValue;

  constructor(streamId: number, code: ErrorCodeValue, message: string) {
    super(message);
    this.name = "StreamError";
    this.streamId = streamId;
    this.code = code;
  }
}
