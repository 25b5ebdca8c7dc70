/**
 * The one table of protocol errors: every rule a peer (or a handler) can break, by a stable
 * name, with its answer on the wire — an HTTP status, a WebSocket close code (RFC 6455 §7.4.1),
 * an HTTP/2 error code (RFC 9113 §7), or more than one of them when the same rule exists in
 * several protocols — and a short default reason.
 *
 * The error classes take a name from here and read their answer from it: {@link HttpError}
 * (`status`), `WsError` (`close`), HTTP/2's `ConnectionError`/`StreamError` and `HpackError`
 * (`h2`, by its RFC 9113 §7 name). A site may add a detail message in place of the default
 * reason (which position, which value); the code and the answer stay the table's. Whether an
 * HTTP/2 error ends a stream or the connection is the site's choice of class (RFC 9113 §5.4).
 *
 * Statuses are a server's answers. A client-mode parser (`core/http1/response-parser.ts`)
 * answers every error with {@link UPSTREAM_STATUS} instead, whatever the table says: a broken
 * response is what a gateway answers with 502 (RFC 9110 §15.6.3).
 *
 * Every HTTP answer here carries its reason as a body of type {@link TEXT_PLAIN}.
 *
 * @example
 * ```ts
 * import { WIRE_ERRORS } from "./wire-errors.ts";
 * WIRE_ERRORS.BARE_CR.status;        // 400
 * WIRE_ERRORS.UNMASKED_FRAME.close;  // 1002
 * WIRE_ERRORS.PADDING_TOO_LONG.h2;   // "PROTOCOL_ERROR"
 * ```
 * @module
 */

/** The content type of every plain-text body core writes: error answers and `c.text()`. */
export const TEXT_PLAIN = "text/plain; charset=utf-8";

/** What a client-mode parser answers every error with: 502 Bad Gateway (RFC 9110 §15.6.3). */
export const UPSTREAM_STATUS = 502;

/** The names of the HTTP/2 error codes (RFC 9113 §7); `core/http2/errors.ts` holds their values. */
export type H2ErrorCodeName =
  | "NO_ERROR"
  | "PROTOCOL_ERROR"
  | "INTERNAL_ERROR"
  | "FLOW_CONTROL_ERROR"
  | "SETTINGS_TIMEOUT"
  | "STREAM_CLOSED"
  | "FRAME_SIZE_ERROR"
  | "REFUSED_STREAM"
  | "CANCEL"
  | "COMPRESSION_ERROR"
  | "CONNECT_ERROR"
  | "ENHANCE_YOUR_CALM"
  | "INADEQUATE_SECURITY"
  | "HTTP_1_1_REQUIRED";

/** The answer to one error. At least one of `status`, `close` and `h2` is present. */
export interface WireAnswer {
  /** The HTTP status a server answers with (RFC 9110 §15). */
  readonly status?: number;
  /** The WebSocket close code to fail the connection with (RFC 6455 §7.4.1). */
  readonly close?: number;
  /** The HTTP/2 error code for RST_STREAM or GOAWAY (RFC 9113 §7). */
  readonly h2?: H2ErrorCodeName;
  /** A short sentence-case reason, used when the site gives no detail. */
  readonly reason: string;
}

/** Every protocol error by name; see the module documentation. */
export const WIRE_ERRORS = {
  // ── HTTP/1.1 message syntax (RFC 9112) — request parser; a response parser answers 502 ──
  BARE_CR: { status: 400, reason: "Bare CR without LF" }, // §2.2
  BARE_LF: { status: 400, reason: "Bare LF without CR" }, // §2.2: we accept CRLF only
  INVALID_REQUEST_LINE: { status: 400, reason: "Malformed request line" }, // §3
  INVALID_METHOD: { status: 400, h2: "PROTOCOL_ERROR", reason: "Invalid method" }, // §3.1; RFC 9113 §8.3.1
  INVALID_TARGET: { status: 400, h2: "PROTOCOL_ERROR", reason: "Invalid request target" }, // §3.2; RFC 9113 §8.3.1
  INVALID_VERSION: { status: 400, reason: "Malformed HTTP version" }, // §2.3
  HTTP_VERSION_NOT_SUPPORTED: { status: 505, reason: "HTTP version not supported" }, // RFC 9110 §15.6.6
  REQUEST_LINE_TOO_LONG: { status: 414, reason: "Request line is longer than the limit" }, // §3
  INVALID_STATUS_LINE: { status: 502, reason: "Malformed status line" }, // §4
  STATUS_LINE_TOO_LONG: { status: 502, reason: "Status line is longer than the limit" }, // §4
  INVALID_STATUS: { status: 500, reason: "Invalid response status" }, // RFC 9110 §15: 100–599 (999 sent)
  INVALID_REASON: { status: 502, reason: "Invalid character in reason phrase" }, // §4
  UNSUPPORTED_VERSION: { status: 426, reason: "Unsupported protocol version" }, // status line §2.3; WebSocket §4.4
  MALFORMED_HEAD: { status: 400, reason: "Malformed header section" }, // §2.1
  OBS_FOLD: { status: 400, reason: "Obsolete line folding in a field line" }, // §5.2
  SPACE_BEFORE_COLON: { status: 400, reason: "Whitespace between field name and colon" }, // §5.1
  INVALID_HEADER: { status: 400, reason: "Field line has no colon" }, // §5
  // RFC 9110 §5.1
  INVALID_HEADER_NAME: { status: 400, h2: "PROTOCOL_ERROR", reason: "Invalid character in field name" },
  // RFC 9110 §5.5
  INVALID_HEADER_VALUE: { status: 400, h2: "PROTOCOL_ERROR", reason: "Invalid character in field value" },
  HEADERS_TOO_LARGE: { status: 431, reason: "Header section is larger than the limit" }, // RFC 6585 §5
  TOO_MANY_HEADERS: { status: 431, reason: "Too many header fields" }, // RFC 6585 §5
  // RFC 6585 §5; RFC 9113 §6.5.2
  TRAILERS_TOO_LARGE: { status: 431, h2: "PROTOCOL_ERROR", reason: "Trailer section is larger than the limit" },
  TOO_MANY_TRAILERS: { status: 431, reason: "Too many trailer fields" }, // RFC 6585 §5
  INVALID_HOST: { status: 400, h2: "PROTOCOL_ERROR", reason: "Invalid character in Host" }, // §3.2; RFC 9110 §7.2
  DUPLICATE_HOST: { status: 400, reason: "More than one Host field" }, // §3.2
  MISSING_HOST: { status: 400, reason: "Missing Host field" }, // §3.2
  // §6.3; RFC 9113 §8.1.1
  INVALID_CONTENT_LENGTH: { status: 400, h2: "PROTOCOL_ERROR", reason: "Malformed Content-Length" },
  CONFLICTING_CONTENT_LENGTH: { status: 400, reason: "Differing Content-Length values" }, // §6.3
  INVALID_TRANSFER_ENCODING: { status: 400, reason: "Malformed Transfer-Encoding" }, // §6.1
  CONTENT_LENGTH_AND_TRANSFER_ENCODING: { status: 400, reason: "Both Content-Length and Transfer-Encoding" }, // §6.1
  TRANSFER_ENCODING_IN_HTTP10: { status: 400, reason: "Transfer-Encoding in an HTTP/1.0 message" }, // §6.1
  UNSUPPORTED_TRANSFER_ENCODING: { status: 501, reason: "Unsupported transfer coding" }, // §6.1
  INVALID_CHUNK_SIZE: { status: 400, reason: "Malformed chunk size" }, // §7.1
  INVALID_CHUNK_EXTENSION: { status: 400, reason: "Invalid character in chunk extension" }, // §7.1.1
  CHUNK_EXTENSIONS_TOO_LONG: { status: 400, reason: "Chunk extensions are too long" }, // §7.1.1
  INVALID_CHUNK_DATA_END: { status: 400, reason: "Expected CRLF after chunk data" }, // §7.1
  INVALID_UPGRADE: { status: 502, reason: "101 response without an Upgrade field" }, // RFC 9110 §7.8
  DATA_AFTER_CLOSE: { status: 502, reason: "Data after the end of the stream" }, // §6.3 rule 8
  INCOMPLETE_RESPONSE: { status: 502, reason: "Connection closed inside a response" }, // §8

  // ── Requests and responses, any version (RFC 9110) ──
  BODY_TOO_LARGE: { status: 413, reason: "Request body is larger than the limit" }, // §15.5.14
  INCOMPLETE_BODY: { status: 400, reason: "Connection closed before the request body was complete" }, // RFC 9112 §8
  REQUEST_TIMEOUT: { status: 408, reason: "Request body not received in time" }, // §15.5.9
  BODY_TOO_SLOW: { status: 408, reason: "Request body arrives too slowly" }, // §15.5.9, minBodyRate
  BAD_REQUEST: { status: 400, reason: "Bad request" }, // §15.5.1
  UNSUPPORTED_EXPECTATION: { status: 417, reason: "Unsupported expectation" }, // §10.1.1
  INVALID_UTF8: { status: 400, close: 1007, reason: "Invalid UTF-8" }, // request body; RFC 6455 §8.1
  INVALID_JSON: { status: 400, reason: "Request body is not valid JSON" },
  BODY_LENGTH_MISMATCH: { status: 500, reason: "Response body does not match its content-length" }, // §8.6
  INVALID_RESPONSE_HEADER_NAME: { status: 500, reason: "Invalid response header name" }, // §5.1
  INVALID_RESPONSE_HEADER_VALUE: { status: 500, reason: "Invalid character in response header" }, // §5.5
  NO_RESPONSE: { status: 500, reason: "Handler returned no response" },
  UPGRADE_UNSUPPORTED: { status: 501, reason: "WebSocket upgrades need HTTP/1.1 here" },
  UNSUPPORTED_MEDIA_TYPE: { status: 415, reason: "Unsupported media type" }, // §15.5.16

  // ── multipart/form-data bodies (RFC 7578; RFC 2046 §5.1.1) ──
  MULTIPART_INVALID_BOUNDARY: { status: 400, reason: "Missing or invalid multipart boundary" }, // RFC 2046 §5.1.1
  MULTIPART_MALFORMED: { status: 400, reason: "Malformed multipart body" }, // RFC 2046 §5.1.1
  MULTIPART_INVALID_PART_HEADER: { status: 400, reason: "Malformed part header" }, // RFC 7578 §4.2, §4.8
  MULTIPART_TOO_MANY_PARTS: { status: 413, reason: "Multipart body has more parts than the limit" }, // RFC 7578 §7
  MULTIPART_PART_TOO_LARGE: { status: 413, reason: "Multipart part is larger than the limit" }, // RFC 7578 §7
  MULTIPART_HEADERS_TOO_LARGE: { status: 413, reason: "Part header section is larger than the limit" }, // RFC 7578 §7

  // ── WebSocket opening handshake (RFC 6455 §4.2.1) ──
  METHOD_NOT_GET: { status: 405, reason: "A WebSocket handshake must use GET" }, // item 1
  HTTP_VERSION: { status: 400, reason: "A WebSocket handshake needs HTTP/1.1 or higher" }, // item 1
  UPGRADE_NOT_WEBSOCKET: { status: 426, reason: "The Upgrade header must contain websocket" }, // item 3
  CONNECTION_NOT_UPGRADE: { status: 400, reason: "The Connection header must contain upgrade" }, // item 4
  INVALID_KEY: { status: 400, reason: "Sec-WebSocket-Key must be 16 bytes in base64" }, // item 5
  INVALID_PROTOCOL: { status: 400, reason: "Sec-WebSocket-Protocol must be a list of tokens" }, // item 8
  INVALID_EXTENSIONS: { status: 400, reason: "Sec-WebSocket-Extensions does not match RFC 6455 §9.1" }, // item 9

  // ── WebSocket frames (RFC 6455 §5) and messages ──
  RSV_SET: { close: 1002, reason: "Reserved bits must be clear" }, // §5.2; RFC 7692 §6.1
  // §5.4; RFC 9113 §6.10
  UNEXPECTED_CONTINUATION: { close: 1002, h2: "PROTOCOL_ERROR", reason: "Continuation without anything to continue" },
  EXPECTED_CONTINUATION: { close: 1002, reason: "New data frame while a fragmented message is in progress" }, // §5.4
  FRAGMENTED_CONTROL: { close: 1002, reason: "Control frames must not be fragmented" }, // §5.5
  CONTROL_TOO_LONG: { close: 1002, reason: "Control frame payload is longer than 125 bytes" }, // §5.5
  RESERVED_OPCODE: { close: 1002, reason: "Reserved opcode" }, // §5.2
  UNMASKED_FRAME: { close: 1002, reason: "Client frames must be masked" }, // §5.1
  NON_MINIMAL_LENGTH: { close: 1002, reason: "Length not encoded in the fewest bytes" }, // §5.2
  LENGTH_MSB_SET: { close: 1002, reason: "The most significant bit of a 64-bit length must be 0" }, // §5.2
  MESSAGE_TOO_BIG: { close: 1009, reason: "Message is larger than the limit" }, // §7.4.1
  INVALID_CLOSE_LENGTH: { close: 1002, reason: "Close frame body of 1 byte" }, // §5.5.1
  INVALID_CLOSE_CODE: { close: 1002, reason: "Invalid close code" }, // §7.4
  INFLATE_FAILED: { close: 1007, reason: "Invalid compressed data" }, // RFC 7692 §6.2
  INFLATE_INTERNAL_ERROR: { close: 1011, reason: "Decompression failed" }, // §7.4.1

  // ── WebSocket closes the server starts itself (RFC 6455 §7.4.1) ──
  HANDLER_FAILED: { close: 1011, reason: "Internal error" }, // §7.4.1: an unexpected condition
  BACKPRESSURE_EXCEEDED: { close: 1008, reason: "Backpressure limit exceeded" }, // §7.4.1: policy
  IDLE_TIMEOUT: { close: 1001, reason: "Idle timeout" }, // §7.4.1: going away
  SHUTTING_DOWN: { close: 1001, reason: "Server shutting down" }, // §7.4.1: going away

  // ── HTTP/2 frames (RFC 9113 §6); the class says stream or connection error (§5.4) ──
  STREAM_ID_ZERO: { h2: "PROTOCOL_ERROR", reason: "Frame needs a stream" }, // §6.1–§6.4, §6.10
  // §6.5, §6.7, §6.8
  STREAM_ID_NOT_ZERO: { h2: "PROTOCOL_ERROR", reason: "Frame belongs to the connection, not a stream" },
  FRAME_TOO_SHORT: { h2: "FRAME_SIZE_ERROR", reason: "Frame is too short for its fields" }, // §4.2
  INVALID_FRAME_LENGTH: { h2: "FRAME_SIZE_ERROR", reason: "Frame payload has the wrong length" }, // §4.2
  FRAME_TOO_LARGE: { h2: "FRAME_SIZE_ERROR", reason: "Frame is larger than SETTINGS_MAX_FRAME_SIZE" }, // §4.2
  PADDING_TOO_LONG: { h2: "PROTOCOL_ERROR", reason: "Padding fills the whole payload" }, // §6.1, §6.2
  SELF_DEPENDENCY: { h2: "PROTOCOL_ERROR", reason: "A stream cannot depend on itself" }, // §5.3.1
  PUSH_PROMISE_FROM_CLIENT: { h2: "PROTOCOL_ERROR", reason: "A client cannot push" }, // §8.4
  ZERO_WINDOW_INCREMENT: { h2: "PROTOCOL_ERROR", reason: "WINDOW_UPDATE with an increment of 0" }, // §6.9
  INVALID_ENABLE_PUSH: { h2: "PROTOCOL_ERROR", reason: "SETTINGS_ENABLE_PUSH other than 0 or 1" }, // §6.5.2
  INITIAL_WINDOW_TOO_LARGE: { h2: "FLOW_CONTROL_ERROR", reason: "SETTINGS_INITIAL_WINDOW_SIZE above 2^31-1" }, // §6.5.2
  INVALID_MAX_FRAME_SIZE: { h2: "PROTOCOL_ERROR", reason: "SETTINGS_MAX_FRAME_SIZE out of range" }, // §6.5.2

  // ── HTTP/2 request fields (RFC 9113 §8): a malformed request is a stream error (§8.1.1) ──
  UNKNOWN_PSEUDO_HEADER: { h2: "PROTOCOL_ERROR", reason: "Unknown or response pseudo-header field" }, // §8.3
  DUPLICATE_PSEUDO_HEADER: { h2: "PROTOCOL_ERROR", reason: "Duplicate pseudo-header field" }, // §8.3
  MISPLACED_PSEUDO_HEADER: { h2: "PROTOCOL_ERROR", reason: "Pseudo-header field after a regular field" }, // §8.3, §8.1
  MISSING_PSEUDO_HEADER: { h2: "PROTOCOL_ERROR", reason: "Required pseudo-header field missing" }, // §8.3.1
  CONNECTION_SPECIFIC_FIELD: { h2: "PROTOCOL_ERROR", reason: "Connection-specific field" }, // §8.2.2
  INVALID_TE: { h2: "PROTOCOL_ERROR", reason: 'TE field with a value other than "trailers"' }, // §8.2.2
  INVALID_SCHEME: { h2: "PROTOCOL_ERROR", reason: "Invalid :scheme" }, // §8.3.1
  INVALID_AUTHORITY: { h2: "PROTOCOL_ERROR", reason: "Invalid :authority" }, // §8.3.1
  INVALID_CONNECT: { h2: "PROTOCOL_ERROR", reason: "CONNECT needs :authority and no :scheme or :path" }, // §8.5
  HOST_AUTHORITY_MISMATCH: { h2: "PROTOCOL_ERROR", reason: "Host differs from :authority" }, // §8.3.1

  // ── HTTP/2 connection state (RFC 9113 §3–§6), answered by core/session/http2 ──
  INVALID_PREFACE: { h2: "PROTOCOL_ERROR", reason: "Invalid connection preface" }, // §3.4
  // §3.4
  SETTINGS_EXPECTED: { h2: "PROTOCOL_ERROR", reason: "The client preface must be followed by a SETTINGS frame" },
  SETTINGS_TIMEOUT: { h2: "SETTINGS_TIMEOUT", reason: "SETTINGS not acknowledged in time" }, // §6.5.3
  EVEN_STREAM_ID: { h2: "PROTOCOL_ERROR", reason: "Client stream ids are odd" }, // §5.1.1
  STREAM_ID_NOT_INCREASING: { h2: "PROTOCOL_ERROR", reason: "Stream id below one already used" }, // §5.1.1
  IDLE_STREAM_FRAME: { h2: "PROTOCOL_ERROR", reason: "Frame on an idle stream" }, // §5.1
  CLOSED_STREAM_FRAME: { h2: "STREAM_CLOSED", reason: "Frame on a closed stream" }, // §5.1
  FIELD_BLOCK_INTERRUPTED: { h2: "PROTOCOL_ERROR", reason: "Frame inside a field block" }, // §4.3, §6.10
  DATA_AFTER_END_STREAM: { h2: "STREAM_CLOSED", reason: "DATA after END_STREAM" }, // §5.1
  HEADERS_AFTER_END_STREAM: { h2: "STREAM_CLOSED", reason: "HEADERS after END_STREAM" }, // §5.1
  TRAILERS_WITHOUT_END_STREAM: { h2: "PROTOCOL_ERROR", reason: "Second HEADERS frame without END_STREAM" }, // §8.1
  CONTENT_LENGTH_MISMATCH: { h2: "PROTOCOL_ERROR", reason: "DATA does not match content-length" }, // §8.1.1
  WINDOW_EXCEEDED: { h2: "FLOW_CONTROL_ERROR", reason: "DATA exceeds the flow-control window" }, // §6.9.1
  WINDOW_OVERFLOW: { h2: "FLOW_CONTROL_ERROR", reason: "Flow-control window past 2^31-1" }, // §6.9.1, §6.9.2
  TOO_MANY_STREAMS: { h2: "REFUSED_STREAM", reason: "More concurrent streams than allowed" }, // §5.1.2
  FIELD_BLOCK_TIMEOUT: { h2: "ENHANCE_YOUR_CALM", reason: "Field block not completed in time" },
  CONTINUATION_FLOOD: { h2: "ENHANCE_YOUR_CALM", reason: "Too many CONTINUATION frames in one field block" },
  FIELD_BLOCK_TOO_LARGE: { h2: "ENHANCE_YOUR_CALM", reason: "Field block is larger than the limit" },
  RESET_FLOOD: { h2: "ENHANCE_YOUR_CALM", reason: "Too many streams reset" }, // CVE-2023-44487, CVE-2025-8671
  CONTROL_FLOOD: { h2: "ENHANCE_YOUR_CALM", reason: "Too many control frames" }, // CVE-2019-9512, 9515, 9518
  STALL_FLOOD: { h2: "ENHANCE_YOUR_CALM", reason: "Too many streams stalled on a closed window" }, // CVE-2019-9517
  HEADER_FLOOD: { h2: "ENHANCE_YOUR_CALM", reason: "Too many oversized header lists" }, // HPACK bomb, field floods
  // §4.3: any decoding error, HPACK's own (below) or not, ends the connection
  FIELD_BLOCK_UNDECODABLE: { h2: "COMPRESSION_ERROR", reason: "Field block cannot be decoded" },
  EXCHANGE_ABORTED: { h2: "INTERNAL_ERROR", reason: "Exchange aborted" }, // §5.4.2, §7: the server gave up on it

  // ── HPACK (RFC 7541): a block that cannot be decoded loses the context (RFC 9113 §4.3) ──
  TRUNCATED: { h2: "COMPRESSION_ERROR", reason: "Header block is truncated" }, // §5.1, §5.2
  INTEGER_OVERFLOW: { h2: "COMPRESSION_ERROR", reason: "Integer exceeds the implementation limit" }, // §5.1
  INVALID_INDEX: { h2: "COMPRESSION_ERROR", reason: "Invalid table index" }, // §2.3.3, §6.1
  HUFFMAN_PADDING: { h2: "COMPRESSION_ERROR", reason: "Invalid Huffman padding" }, // §5.2
  HUFFMAN_EOS: { h2: "COMPRESSION_ERROR", reason: "Huffman string contains EOS" }, // §5.2
  SIZE_UPDATE_NOT_AT_START: { h2: "COMPRESSION_ERROR", reason: "Dynamic table size update after a field" }, // §4.2
  SIZE_UPDATE_TOO_LARGE: { h2: "COMPRESSION_ERROR", reason: "Dynamic table size update above the limit" }, // §6.3
  // §4.2
  SIZE_UPDATE_MISSING: { h2: "COMPRESSION_ERROR", reason: "Header block must begin with a dynamic table size update" },
  STRING_TOO_LONG: { h2: "COMPRESSION_ERROR", reason: "String literal is longer than the limit" }, // §7.4
  // Decoded in full with the table in step, so only the request is refused (RFC 9113 §10.5.1).
  HEADER_LIST_TOO_LARGE: { status: 431, reason: "Request header fields too large" }, // RFC 9113 §6.5.2
} as const;

// Checked here rather than with `satisfies`, so the table's declared type stays its literal one.
const _shape: Readonly<Record<string, WireAnswer>> = WIRE_ERRORS;
void _shape;

/** The name of a protocol error: a key of {@link WIRE_ERRORS}. */
export type WireErrorCode = keyof typeof WIRE_ERRORS;

/** Names of errors with an HTTP status: what `new HttpError(code)` accepts. */
export type HttpErrorCode = {
  [K in WireErrorCode]: (typeof WIRE_ERRORS)[K] extends { readonly status: number } ? K : never;
}[WireErrorCode];

/** Names of errors with a WebSocket close code: what `new WsError(code)` accepts. */
export type WsErrorCode = {
  [K in WireErrorCode]: (typeof WIRE_ERRORS)[K] extends { readonly close: number } ? K : never;
}[WireErrorCode];

/** Names of errors with an HTTP/2 error code: what `ConnectionError` and `StreamError` accept. */
export type H2ErrorName = {
  [K in WireErrorCode]: (typeof WIRE_ERRORS)[K] extends { readonly h2: H2ErrorCodeName } ? K : never;
}[WireErrorCode];
