/**
 * Frame serialization (RFC 9113 §4.1, §6): each function appends one frame (or a HEADERS frame
 * and its CONTINUATION frames) to a {@link FrameSink}. The connection hands them the process-wide
 * byte sink, so every frame produced while handling one read leaves in one write.
 *
 * @example
 * ```ts
 * import { ByteSink } from "../bytes/byte-sink.ts";
 * import { writePing } from "./frame-writer.ts";
 * const sink = new ByteSink();
 * writePing(sink, true, new Uint8Array(8), 0); // 00 00 08 06 01 00 00 00 00 + 8 octets
 * ```
 * @module
 */
import { writeFrameHeader } from "./frame-header.ts";
import {
  FLAG_ACK,
  FLAG_END_HEADERS,
  FLAG_END_STREAM,
  FRAME_CONTINUATION,
  FRAME_DATA,
  FRAME_GOAWAY,
  FRAME_HEADER_LENGTH,
  FRAME_HEADERS,
  FRAME_PING,
  FRAME_RST_STREAM,
  FRAME_SETTINGS,
  FRAME_WINDOW_UPDATE,
} from "./frame-types.ts";

/**
 * Where frames are appended: `ByteSink` in the server, a collector in tests. It must copy
 * `bytes[start..end)` (the whole array by default): the bytes it is given are reused.
 */
export interface FrameSink {
  writeBytes(bytes: Uint8Array, start?: number, end?: number): void;
}

/** Scratch for a frame header plus a small fixed payload (GOAWAY without debug data is 17). */
const scratch = new Uint8Array(FRAME_HEADER_LENGTH + 8);

function putUint32(buf: Uint8Array, at: number, value: number): void {
  buf[at] = value >>> 24;
  buf[at + 1] = (value >>> 16) & 0xff;
  buf[at + 2] = (value >>> 8) & 0xff;
  buf[at + 3] = value & 0xff;
}

/** A frame with an arbitrary payload `payload[start..end)`. */
export function writeFrame(
  sink: FrameSink,
  type: number,
  flags: number,
  streamId: number,
  payload: Uint8Array | null = null,
  start = 0,
  end: number = payload === null ? 0 : payload.length,
): void {
  writeFrameHeader(scratch, 0, end - start, type, flags, streamId);
  sink.writeBytes(scratch, 0, FRAME_HEADER_LENGTH);
  if (payload !== null && end > start) sink.writeBytes(payload, start, end);
}

/** SETTINGS with an encoded payload (§6.5). */
export function writeSettings(sink: FrameSink, payload: Uint8Array): void {
  writeFrame(sink, FRAME_SETTINGS, 0, 0, payload);
}

/** SETTINGS with ACK (§6.5.3). */
export function writeSettingsAck(sink: FrameSink): void {
  writeFrame(sink, FRAME_SETTINGS, FLAG_ACK, 0);
}

/** PING with the 8 octets at `data[start..start+8)` (§6.7). */
export function writePing(sink: FrameSink, ack: boolean, data: Uint8Array, start: number): void {
  writeFrameHeader(scratch, 0, 8, FRAME_PING, ack ? FLAG_ACK : 0, 0);
  for (let i = 0; i < 8; i++) scratch[FRAME_HEADER_LENGTH + i] = data[start + i]!;
  sink.writeBytes(scratch, 0, FRAME_HEADER_LENGTH + 8);
}

/** RST_STREAM (§6.4). */
export function writeRstStream(sink: FrameSink, streamId: number, code: number): void {
  writeFrameHeader(scratch, 0, 4, FRAME_RST_STREAM, 0, streamId);
  putUint32(scratch, FRAME_HEADER_LENGTH, code);
  sink.writeBytes(scratch, 0, FRAME_HEADER_LENGTH + 4);
}

/** WINDOW_UPDATE (§6.9); `increment` is 1..2^31-1. */
export function writeWindowUpdate(sink: FrameSink, streamId: number, increment: number): void {
  writeFrameHeader(scratch, 0, 4, FRAME_WINDOW_UPDATE, 0, streamId);
  putUint32(scratch, FRAME_HEADER_LENGTH, increment & 0x7fffffff);
  sink.writeBytes(scratch, 0, FRAME_HEADER_LENGTH + 4);
}

/** GOAWAY (§6.8) with an ASCII reason as debug data (diagnostic only, §6.8). */
export function writeGoaway(sink: FrameSink, lastStreamId: number, code: number, debug = ""): void {
  const debugLength = Math.min(debug.length, 256);
  writeFrameHeader(scratch, 0, 8 + debugLength, FRAME_GOAWAY, 0, 0);
  putUint32(scratch, FRAME_HEADER_LENGTH, lastStreamId & 0x7fffffff);
  putUint32(scratch, FRAME_HEADER_LENGTH + 4, code);
  sink.writeBytes(scratch, 0, FRAME_HEADER_LENGTH + 8);
  if (debugLength > 0) {
    const bytes = new Uint8Array(debugLength);
    for (let i = 0; i < debugLength; i++) {
      const c = debug.charCodeAt(i);
      bytes[i] = c < 0x80 ? c : 0x3f;
    }
    sink.writeBytes(bytes);
  }
}

/** One DATA frame carrying `bytes[start..end)` (§6.1); the caller respects windows and frame size. */
export function writeData(
  sink: FrameSink,
  streamId: number,
  bytes: Uint8Array | null,
  start: number,
  end: number,
  endStream: boolean,
): void {
  writeFrame(sink, FRAME_DATA, endStream ? FLAG_END_STREAM : 0, streamId, bytes, start, end);
}

/**
 * A field block as HEADERS plus as many CONTINUATION frames as `maxFrameSize` requires
 * (§4.3: "a field block MUST be transmitted as a contiguous sequence of frames, with no
 * interleaved frames of any other type or from any other stream"). `block[blockStart..blockEnd)`
 * is the encoded block; when `blockStart >= 9` the 9 octets before it are used for the HEADERS
 * frame header, so the common one-frame case is a single append.
 */
export function writeHeaderBlock(
  sink: FrameSink,
  streamId: number,
  block: Uint8Array,
  blockStart: number,
  blockEnd: number,
  endStream: boolean,
  maxFrameSize: number,
): void {
  const length = blockEnd - blockStart;
  const streamFlag = endStream ? FLAG_END_STREAM : 0;
  if (length <= maxFrameSize) {
    if (blockStart >= FRAME_HEADER_LENGTH) {
      const at = blockStart - FRAME_HEADER_LENGTH;
      writeFrameHeader(block, at, length, FRAME_HEADERS, streamFlag | FLAG_END_HEADERS, streamId);
      sink.writeBytes(block, at, blockEnd);
    } else {
      writeFrame(sink, FRAME_HEADERS, streamFlag | FLAG_END_HEADERS, streamId, block, blockStart, blockEnd);
    }
    return;
  }
  // END_STREAM belongs on the HEADERS frame; END_HEADERS on the last CONTINUATION (§6.2, §6.10).
  let at = blockStart;
  let type = FRAME_HEADERS;
  let flags = streamFlag;
  while (at < blockEnd) {
    const end = Math.min(at + maxFrameSize, blockEnd);
    writeFrame(sink, type, end === blockEnd ? flags | FLAG_END_HEADERS : flags, streamId, block, at, end);
    at = end;
    type = FRAME_CONTINUATION;
    flags = 0;
  }
}
