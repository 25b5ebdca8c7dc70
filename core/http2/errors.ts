/**
 * HTTP/2 error codes (RFC 9113 §7) and the two kinds of protocol error (§5.4):
 * a {@link ConnectionError} ends the connection with GOAWAY (§5.4.1), a {@link StreamError} ends
 * one stream with RST_STREAM (§5.4.2). Parsers and handlers throw them; the connection maps them
 * to frames in one place (`Http2Connection.fail`).
 *
 * Each takes the name of the failed rule from the table in `core/http/wire-errors.ts`, which
 * gives the error code and the default reason; a site adds a detail naming the frame or value.
 * The older form with a bare error code still works (its `rule` is the code's name).
 *
 * @example
 * ```ts
 * import { ConnectionError, StreamError } from "./errors.ts";
 * throw new ConnectionError("INVALID_FRAME_LENGTH", "PING frame of 7 octets, not 8 (RFC 9113 §6.7)");
 * throw new StreamError(3, "SELF_DEPENDENCY"); // PROTOCOL_ERROR "A stream cannot depend on itself"
 * ```
 * @module
 */
import { type H2ErrorCodeName, type H2ErrorName, WIRE_ERRORS } from "../http/wire-errors.ts";

/** Error codes (RFC 9113 §7). */
export const ErrorCode: { readonly [name in H2ErrorCodeName]: number } = {
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
};

/** One of the {@link ErrorCode} values (or an unknown code received from a peer). */
export type ErrorCodeValue = number;

const NAMES: readonly string[] = Object.keys(ErrorCode);

/** The name of an error code, e.g. `PROTOCOL_ERROR`; unknown codes carry no special meaning (§7). */
export function errorCodeName(code: number): string {
  return NAMES[code] ?? `UNKNOWN(0x${code.toString(16)})`;
}

/** An error that ends the whole connection: GOAWAY with `code`, then close (RFC 9113 §5.4.1). */
export class ConnectionError extends Error {
  /** The error code for GOAWAY (§7). */
  readonly code: ErrorCodeValue;
  /** The stable name of the failed rule, e.g. `"PADDING_TOO_LONG"`. */
  readonly rule: string;

  /** The error named `rule` in the table; or, older form, a bare error code and a message. */
  constructor(rule: H2ErrorName | ErrorCodeValue, detail?: string) {
    const named = typeof rule === "string";
    super(named ? (detail ?? WIRE_ERRORS[rule].reason) : detail);
    this.name = "ConnectionError";
    this.code = named ? ErrorCode[WIRE_ERRORS[rule].h2] : rule;
    this.rule = named ? rule : errorCodeName(rule);
  }
}

/** An error that ends one stream: RST_STREAM with `code` (RFC 9113 §5.4.2). */
export class StreamError extends Error {
  readonly streamId: number;
  /** The error code for RST_STREAM (§7). */
  readonly code: ErrorCodeValue;
  /** The stable name of the failed rule, e.g. `"SELF_DEPENDENCY"`. */
  readonly rule: string;

  /** The error named `rule` in the table; or, older form, a bare error code and a message. */
  constructor(streamId: number, rule: H2ErrorName | ErrorCodeValue, detail?: string) {
    const named = typeof rule === "string";
    super(named ? (detail ?? WIRE_ERRORS[rule].reason) : detail);
    this.name = "StreamError";
    this.streamId = streamId;
    this.code = named ? ErrorCode[WIRE_ERRORS[rule].h2] : rule;
    this.rule = named ? rule : errorCodeName(rule);
  }
}
