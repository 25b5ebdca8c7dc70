/**
 * Frame types, flags and fixed sizes of HTTP/2 (RFC 9113 §4.1, §6, §11.2).
 * @module
 */

/** Octets in every frame header (RFC 9113 §4.1). */
export const FRAME_HEADER_LENGTH = 9;

// Frame types (RFC 9113 §6; registry §11.2).
export const FRAME_DATA = 0x0;
export const FRAME_HEADERS = 0x1;
export const FRAME_PRIORITY = 0x2;
export const FRAME_RST_STREAM = 0x3;
export const FRAME_SETTINGS = 0x4;
export const FRAME_PUSH_PROMISE = 0x5;
export const FRAME_PING = 0x6;
export const FRAME_GOAWAY = 0x7;
export const FRAME_WINDOW_UPDATE = 0x8;
export const FRAME_CONTINUATION = 0x9;

// Flags (RFC 9113 §6). Flags a type does not define are ignored on receipt (§4.1).
/** DATA, HEADERS: the last frame the sender sends on the stream (§6.1, §6.2). */
export const FLAG_END_STREAM = 0x1;
/** SETTINGS, PING: an acknowledgement (§6.5, §6.7). */
export const FLAG_ACK = 0x1;
/** HEADERS, PUSH_PROMISE, CONTINUATION: the field block ends here (§6.2, §6.10). */
export const FLAG_END_HEADERS = 0x4;
/** DATA, HEADERS, PUSH_PROMISE: a Pad Length field and padding are present (§6.1, §6.2). */
export const FLAG_PADDED = 0x8;
/** HEADERS: the Exclusive, Stream Dependency and Weight fields are present (§6.2). */
export const FLAG_PRIORITY = 0x20;

/** The client connection preface (RFC 9113 §3.4): `PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n`. */
export const CLIENT_PREFACE: Uint8Array = new TextEncoder().encode("PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n");

/** The largest value of a flow-control window (RFC 9113 §6.9.1). */
export const MAX_WINDOW = 0x7fffffff;
/** The initial flow-control window of streams and of the connection (RFC 9113 §6.9.2). */
export const DEFAULT_WINDOW = 65535;
/** SETTINGS_MAX_FRAME_SIZE bounds (RFC 9113 §6.5.2). */
export const MIN_MAX_FRAME_SIZE = 16384;
export const MAX_MAX_FRAME_SIZE = 16777215;

const NAMES = [
  "DATA",
  "HEADERS",
  "PRIORITY",
  "RST_STREAM",
  "SETTINGS",
  "PUSH_PROMISE",
  "PING",
  "GOAWAY",
  "WINDOW_UPDATE",
  "CONTINUATION",
];

/** The registered name of a frame type, for messages. */
export function frameTypeName(type: number): string {
  return NAMES[type] ?? `UNKNOWN(0x${type.toString(16)})`;
}
