/**
 * The 9-octet frame header (RFC 9113 §4.1), read into a reused {@link Frame} record so the frame
 * loop allocates nothing per frame, and written in place into an output buffer.
 *
 * ```
 * Length (24) | Type (8) | Flags (8) | R (1) | Stream Identifier (31) | Frame Payload (..)
 * ```
 * @module
 */
import type { StreamError } from "./errors.ts";

/**
 * One received frame, parsed in place: `start..end` index the frame's content (the data of a
 * DATA frame, the field block fragment of HEADERS/CONTINUATION, the settings of SETTINGS…)
 * in the buffer the frame was read from, after any Pad Length, padding and priority fields.
 * One record per connection is reused for every frame.
 */
export interface Frame {
  /** Payload length from the header (RFC 9113 §4.1). */
  length: number;
  type: number;
  flags: number;
  /** Stream identifier with the reserved bit masked off (§4.1: "MUST be ignored when receiving"). */
  streamId: number;
  /** Content bounds in the buffer (see above). */
  start: number;
  end: number;
  /** DATA: padding octets including the Pad Length field; counted by flow control (§6.1). */
  padding: number;
  /** HEADERS with PRIORITY, PRIORITY: the stream dependency, exclusive bit and weight (§6.3). */
  dependency: number;
  exclusive: boolean;
  weight: number;
  /** RST_STREAM, GOAWAY: the error code (§6.4, §6.8). */
  errorCode: number;
  /** GOAWAY: last stream id; WINDOW_UPDATE: the increment (§6.8, §6.9). */
  value: number;
  /**
   * A stream error found while parsing a HEADERS frame, raised only once its field block is
   * decoded so the HPACK context stays in step (RFC 9113 §4.3).
   */
  deferred: StreamError | null;
}

/** A fresh frame record. */
export function newFrame(): Frame {
  return {
    length: 0,
    type: 0,
    flags: 0,
    streamId: 0,
    start: 0,
    end: 0,
    padding: 0,
    dependency: 0,
    exclusive: false,
    weight: 0,
    errorCode: 0,
    value: 0,
    deferred: null,
  };
}

/** Read the frame header at `bytes[at..at+9)` into `frame` (the caller checked 9 octets are there). */
export function readFrameHeader(bytes: Uint8Array, at: number, frame: Frame): void {
  frame.length = (bytes[at]! << 16) | (bytes[at + 1]! << 8) | bytes[at + 2]!;
  frame.type = bytes[at + 3]!;
  frame.flags = bytes[at + 4]!;
  frame.streamId = ((bytes[at + 5]! & 0x7f) << 24) | (bytes[at + 6]! << 16) | (bytes[at + 7]! << 8) | bytes[at + 8]!;
}

/** Write a frame header at `buf[at..at+9)`; the reserved bit is sent as 0 (§4.1). */
export function writeFrameHeader(
  buf: Uint8Array,
  at: number,
  length: number,
  type: number,
  flags: number,
  streamId: number,
): void {
  buf[at] = (length >>> 16) & 0xff;
  buf[at + 1] = (length >>> 8) & 0xff;
  buf[at + 2] = length & 0xff;
  buf[at + 3] = type;
  buf[at + 4] = flags;
  buf[at + 5] = (streamId >>> 24) & 0x7f;
  buf[at + 6] = (streamId >>> 16) & 0xff;
  buf[at + 7] = (streamId >>> 8) & 0xff;
  buf[at + 8] = streamId & 0xff;
}

/** A big-endian 32-bit unsigned integer at `bytes[at..at+4)`. */
export function readUint32(bytes: Uint8Array, at: number): number {
  return ((bytes[at]! << 24) | (bytes[at + 1]! << 16) | (bytes[at + 2]! << 8) | bytes[at + 3]!) >>> 0;
}
