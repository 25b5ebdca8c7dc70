/**
 * One parse function per frame type (RFC 9113 §6), dispatched by table like Go's `frameParsers`.
 * Each validates what the frame alone can tell — stream id zero or not, payload length, padding,
 * a stream depending on itself — and fills the shared {@link Frame} record with views (offsets)
 * into the received bytes. Every check quotes its rule and throws the exact error the RFC names.
 * Checks that need the connection's state (idle or closed streams, windows) are the connection's.
 *
 * @example
 * ```ts
 * import { newFrame, readFrameHeader } from "./frame-header.ts";
 * import { parseFrame } from "./frame-parsers.ts";
 * const bytes = Uint8Array.of(0, 0, 8, 6, 0, 0, 0, 0, 0, 1, 2, 3, 4, 5, 6, 7, 8);
 * const frame = newFrame();
 * readFrameHeader(bytes, 0, frame);
 * parseFrame(frame, bytes, 9); // a PING; frame.start..frame.end is its opaque data
 * ```
 * @module
 */
import { ConnectionError, StreamError } from "./errors.ts";
import type { Frame } from "./frame-header.ts";
import { readUint32 } from "./frame-header.ts";
import {
  FLAG_ACK,
  FLAG_PADDED,
  FLAG_PRIORITY,
  FRAME_CONTINUATION,
  FRAME_DATA,
  FRAME_GOAWAY,
  FRAME_HEADERS,
  FRAME_PING,
  FRAME_PRIORITY,
  FRAME_PUSH_PROMISE,
  FRAME_RST_STREAM,
  FRAME_SETTINGS,
  FRAME_WINDOW_UPDATE,
} from "./frame-types.ts";

/** Parses the payload of `f` at `b[p..p+f.length)`; throws ConnectionError or StreamError. */
export type FrameParser = (f: Frame, b: Uint8Array, p: number) => void;

/** §6.1 DATA. */
export function parseData(f: Frame, b: Uint8Array, p: number): void {
  // §6.1: "If a DATA frame is received whose Stream Identifier field is 0x0, the recipient MUST
  // respond with a connection error of type PROTOCOL_ERROR."
  if (f.streamId === 0) throw new ConnectionError("STREAM_ID_ZERO", "DATA frame on stream 0 (RFC 9113 §6.1)");
  let start = p;
  let end = p + f.length;
  f.padding = 0;
  if ((f.flags & FLAG_PADDED) !== 0) {
    // §4.2: a frame too small to hold its mandatory fields is a FRAME_SIZE_ERROR.
    if (f.length < 1) {
      throw new ConnectionError("FRAME_TOO_SHORT", "Padded DATA frame has no Pad Length field (RFC 9113 §6.1)");
    }
    const pad = b[p]!;
    // §6.1: "If the length of the padding is the length of the frame payload or greater, the
    // recipient MUST treat this as a connection error of type PROTOCOL_ERROR."
    if (pad >= f.length) {
      throw new ConnectionError(
        "PADDING_TOO_LONG",
        `DATA padding of ${pad} octets fills the whole payload (RFC 9113 §6.1)`,
      );
    }
    start = p + 1;
    end -= pad;
    f.padding = pad + 1;
  }
  f.start = start;
  f.end = end;
}

/** §6.2 HEADERS. */
export function parseHeaders(f: Frame, b: Uint8Array, p: number): void {
  // §6.2: "If a HEADERS frame is received whose Stream Identifier field is 0x0, the recipient MUST
  // respond with a connection error of type PROTOCOL_ERROR."
  if (f.streamId === 0) throw new ConnectionError("STREAM_ID_ZERO", "HEADERS frame on stream 0 (RFC 9113 §6.2)");
  const padded = (f.flags & FLAG_PADDED) !== 0;
  const priority = (f.flags & FLAG_PRIORITY) !== 0;
  const overhead = (padded ? 1 : 0) + (priority ? 5 : 0);
  if (f.length < overhead) {
    throw new ConnectionError(
      "FRAME_TOO_SHORT",
      "HEADERS frame is too short for its Pad Length and priority fields (RFC 9113 §4.2)",
    );
  }
  let start = p;
  let pad = 0;
  if (padded) pad = b[start++]!;
  f.deferred = null;
  if (priority) {
    const dep = readUint32(b, start);
    f.exclusive = dep >= 0x80000000;
    f.dependency = dep & 0x7fffffff;
    f.weight = b[start + 4]! + 1;
    start += 5;
    // §5.3.1: "A stream cannot depend on itself. An endpoint MUST treat this as a stream error
    // of type PROTOCOL_ERROR." Raised after the block is decoded, to keep HPACK in step.
    if (f.dependency === f.streamId) {
      f.deferred = new StreamError(
        f.streamId,
        "SELF_DEPENDENCY",
        "HEADERS makes the stream depend on itself (RFC 9113 §5.3.1)",
      );
    }
  }
  // §6.2: "Padding that exceeds the size remaining for the header block fragment MUST be treated
  // as a PROTOCOL_ERROR."
  if (pad > f.length - overhead) {
    throw new ConnectionError(
      "PADDING_TOO_LONG",
      `HEADERS padding of ${pad} octets exceeds the payload (RFC 9113 §6.2)`,
    );
  }
  f.start = start;
  f.end = p + f.length - pad;
}

/** §6.3 PRIORITY: validated, then ignored (the priority scheme is deprecated, §5.3.2). */
export function parsePriority(f: Frame, b: Uint8Array, p: number): void {
  // §6.3: "If a PRIORITY frame is received with a stream identifier of 0x0, the recipient MUST
  // respond with a connection error of type PROTOCOL_ERROR."
  if (f.streamId === 0) throw new ConnectionError("STREAM_ID_ZERO", "PRIORITY frame on stream 0 (RFC 9113 §6.3)");
  // §6.3: "A PRIORITY frame with a length other than 5 octets MUST be treated as a stream error
  // of type FRAME_SIZE_ERROR."
  if (f.length !== 5) {
    throw new StreamError(
      f.streamId,
      "INVALID_FRAME_LENGTH",
      `PRIORITY frame of ${f.length} octets, not 5 (RFC 9113 §6.3)`,
    );
  }
  const dep = readUint32(b, p);
  f.exclusive = dep >= 0x80000000;
  f.dependency = dep & 0x7fffffff;
  f.weight = b[p + 4]! + 1;
  // §5.3.1: "A stream cannot depend on itself. An endpoint MUST treat this as a stream error of
  // type PROTOCOL_ERROR."
  if (f.dependency === f.streamId) {
    throw new StreamError(
      f.streamId,
      "SELF_DEPENDENCY",
      "PRIORITY makes the stream depend on itself (RFC 9113 §5.3.1)",
    );
  }
  f.start = p;
  f.end = p + 5;
}

/** §6.4 RST_STREAM. */
export function parseRstStream(f: Frame, b: Uint8Array, p: number): void {
  // §6.4: "If a RST_STREAM frame is received with a stream identifier of 0x0, the recipient MUST
  // treat this as a connection error of type PROTOCOL_ERROR."
  if (f.streamId === 0) throw new ConnectionError("STREAM_ID_ZERO", "RST_STREAM frame on stream 0 (RFC 9113 §6.4)");
  // §6.4: "A RST_STREAM frame with a length other than 4 octets MUST be treated as a connection
  // error of type FRAME_SIZE_ERROR."
  if (f.length !== 4) {
    throw new ConnectionError("INVALID_FRAME_LENGTH", `RST_STREAM frame of ${f.length} octets, not 4 (RFC 9113 §6.4)`);
  }
  f.errorCode = readUint32(b, p);
  f.start = p;
  f.end = p + 4;
}

/** §6.5 SETTINGS; the parameters themselves are checked by `settings.ts`. */
export function parseSettings(f: Frame, _b: Uint8Array, p: number): void {
  // §6.5: "If an endpoint receives a SETTINGS frame whose Stream Identifier field is anything
  // other than 0x0, the endpoint MUST respond with a connection error of type PROTOCOL_ERROR."
  if (f.streamId !== 0) {
    throw new ConnectionError("STREAM_ID_NOT_ZERO", `SETTINGS frame on stream ${f.streamId} (RFC 9113 §6.5)`);
  }
  // §6.5: "Receipt of a SETTINGS frame with the ACK flag set and a length field value other than
  // 0 MUST be treated as a connection error of type FRAME_SIZE_ERROR."
  if ((f.flags & FLAG_ACK) !== 0 && f.length !== 0) {
    throw new ConnectionError("INVALID_FRAME_LENGTH", "SETTINGS acknowledgement with a payload (RFC 9113 §6.5)");
  }
  // §6.5: "A SETTINGS frame with a length other than a multiple of 6 octets MUST be treated as a
  // connection error of type FRAME_SIZE_ERROR."
  if (f.length % 6 !== 0) {
    throw new ConnectionError(
      "INVALID_FRAME_LENGTH",
      `SETTINGS frame of ${f.length} octets, not a multiple of 6 (RFC 9113 §6.5)`,
    );
  }
  f.start = p;
  f.end = p + f.length;
}

/** §6.6 PUSH_PROMISE: only servers push, so a server never accepts one. */
export function parsePushPromise(f: Frame, _b: Uint8Array, _p: number): void {
  // §8.4: "A client cannot push. Thus, servers MUST treat the receipt of a PUSH_PROMISE frame as
  // a connection error of type PROTOCOL_ERROR."
  throw new ConnectionError(
    "PUSH_PROMISE_FROM_CLIENT",
    `PUSH_PROMISE from a client on stream ${f.streamId} (RFC 9113 §8.4)`,
  );
}

/** §6.7 PING. */
export function parsePing(f: Frame, _b: Uint8Array, p: number): void {
  // §6.7: "If a PING frame is received with a Stream Identifier field value other than 0x0, the
  // recipient MUST respond with a connection error of type PROTOCOL_ERROR."
  if (f.streamId !== 0) {
    throw new ConnectionError("STREAM_ID_NOT_ZERO", `PING frame on stream ${f.streamId} (RFC 9113 §6.7)`);
  }
  // §6.7: "Receipt of a PING frame with a length field value other than 8 MUST be treated as a
  // connection error of type FRAME_SIZE_ERROR."
  if (f.length !== 8) {
    throw new ConnectionError("INVALID_FRAME_LENGTH", `PING frame of ${f.length} octets, not 8 (RFC 9113 §6.7)`);
  }
  f.start = p;
  f.end = p + 8;
}

/** §6.8 GOAWAY. */
export function parseGoaway(f: Frame, b: Uint8Array, p: number): void {
  // §6.8: "An endpoint MUST treat a GOAWAY frame with a stream identifier other than 0x0 as a
  // connection error of type PROTOCOL_ERROR."
  if (f.streamId !== 0) {
    throw new ConnectionError("STREAM_ID_NOT_ZERO", `GOAWAY frame on stream ${f.streamId} (RFC 9113 §6.8)`);
  }
  // §4.2: too small for Last-Stream-ID and Error Code.
  if (f.length < 8) {
    throw new ConnectionError("FRAME_TOO_SHORT", `GOAWAY frame of ${f.length} octets, under 8 (RFC 9113 §6.8)`);
  }
  f.value = readUint32(b, p) & 0x7fffffff;
  f.errorCode = readUint32(b, p + 4);
  f.start = p + 8; // debug data
  f.end = p + f.length;
}

/** §6.9 WINDOW_UPDATE. */
export function parseWindowUpdate(f: Frame, b: Uint8Array, p: number): void {
  // §6.9: "A WINDOW_UPDATE frame with a length other than 4 octets MUST be treated as a
  // connection error of type FRAME_SIZE_ERROR."
  if (f.length !== 4) {
    throw new ConnectionError(
      "INVALID_FRAME_LENGTH",
      `WINDOW_UPDATE frame of ${f.length} octets, not 4 (RFC 9113 §6.9)`,
    );
  }
  const increment = readUint32(b, p) & 0x7fffffff;
  if (increment === 0) {
    // §6.9: "A receiver MUST treat the receipt of a WINDOW_UPDATE frame with a flow-control window
    // increment of 0 as a stream error of type PROTOCOL_ERROR; errors on the connection
    // flow-control window MUST be treated as a connection error."
    if (f.streamId === 0) {
      throw new ConnectionError(
        "ZERO_WINDOW_INCREMENT",
        "WINDOW_UPDATE with an increment of 0 on the connection (RFC 9113 §6.9)",
      );
    }
    throw new StreamError(f.streamId, "ZERO_WINDOW_INCREMENT", "WINDOW_UPDATE with an increment of 0 (RFC 9113 §6.9)");
  }
  f.value = increment;
  f.start = p;
  f.end = p + 4;
}

/** §6.10 CONTINUATION. */
export function parseContinuation(f: Frame, _b: Uint8Array, p: number): void {
  // §6.10: "If a CONTINUATION frame is received with a Stream Identifier field of 0x0, the
  // recipient MUST respond with a connection error of type PROTOCOL_ERROR."
  if (f.streamId === 0) throw new ConnectionError("STREAM_ID_ZERO", "CONTINUATION frame on stream 0 (RFC 9113 §6.10)");
  f.start = p;
  f.end = p + f.length;
}

/** §5.5: "Implementations MUST ignore unknown or unsupported values in all extensible protocol elements." */
export function parseUnknown(f: Frame, _b: Uint8Array, p: number): void {
  f.start = p;
  f.end = p + f.length;
}

/** Parsers by frame type (RFC 9113 §6); types past the table are extensions, ignored (§5.5). */
export const FRAME_PARSERS: readonly FrameParser[] = (() => {
  const table: FrameParser[] = [];
  table[FRAME_DATA] = parseData;
  table[FRAME_HEADERS] = parseHeaders;
  table[FRAME_PRIORITY] = parsePriority;
  table[FRAME_RST_STREAM] = parseRstStream;
  table[FRAME_SETTINGS] = parseSettings;
  table[FRAME_PUSH_PROMISE] = parsePushPromise;
  table[FRAME_PING] = parsePing;
  table[FRAME_GOAWAY] = parseGoaway;
  table[FRAME_WINDOW_UPDATE] = parseWindowUpdate;
  table[FRAME_CONTINUATION] = parseContinuation;
  return table;
})();

/** Parse the payload of a frame whose header is already in `f`; the payload starts at `b[p]`. */
export function parseFrame(f: Frame, b: Uint8Array, p: number): void {
  (FRAME_PARSERS[f.type] ?? parseUnknown)(f, b, p);
}
