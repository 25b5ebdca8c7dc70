/**
 * Server-to-client frame encoding (RFC 6455 §5.2). Server frames are never masked (§5.1), so a
 * frame is a 2-, 4- or 10-byte header followed by the payload as is — which is why a frame can
 * be encoded once and the same bytes written to every subscriber of a topic.
 *
 * Lengths use the minimal encoding (§5.2): 0–125 in the 7-bit field, up to 65535 as 126 + 16
 * bits, beyond as 127 + 64 bits.
 *
 * @example
 * ```ts
 * encodeTextFrame("Hello");        // 81 05 48 65 6c 6c 6f (§5.7)
 * encodeCloseFrame(1000, "bye");   // 88 05 03 e8 62 79 65
 * const header = new Uint8Array(10);
 * const n = writeFrameHeader(header, 0, OPCODE_BINARY, payload.length, true, false);
 * transport.write(header.subarray(0, n)); transport.write(payload);
 * // A batch: frames encoded straight into one buffer, sent in one write.
 * appendTextFrame(sink, "Hello"); appendFrame(sink, OPCODE_BINARY, payload);
 * transport.write(sink.take());
 * ```
 * @module
 */
import { MAX_CONTROL_PAYLOAD, OPCODE_CLOSE, OPCODE_PING, OPCODE_PONG, OPCODE_TEXT } from "./opcodes.ts";
import { isValidCloseCode } from "./close-codes.ts";
import { utf8Length } from "../bytes/utf8-length.ts";
import { ByteSink } from "../bytes/byte-sink.ts";

/** Most bytes a frame header takes (2 + 8, no mask). */
export const MAX_FRAME_HEADER: 10 = 10;
/** Longest close reason: a control payload of 125 bytes less the 2-byte code (§5.5, §5.5.1). */
export const MAX_CLOSE_REASON: 123 = 123;

const encoder = new TextEncoder();

/** The header size for a payload of `length` bytes: 2, 4 or 10. */
export function frameHeaderSize(length: number): number {
  return length < 126 ? 2 : length < 0x10000 ? 4 : 10;
}

/**
 * Writes a frame header at `target[offset]` and returns the offset after it. The caller makes
 * room for {@link frameHeaderSize} bytes. `rsv1` marks a compressed message (RFC 7692 §6): set
 * it on the first frame of the message only.
 */
export function writeFrameHeader(
  target: Uint8Array,
  offset: number,
  opcode: number,
  length: number,
  fin = true,
  rsv1 = false,
): number {
  target[offset] = (fin ? 0x80 : 0) | (rsv1 ? 0x40 : 0) | opcode;
  if (length < 126) {
    target[offset + 1] = length;
    return offset + 2;
  }
  if (length < 0x10000) {
    target[offset + 1] = 126;
    target[offset + 2] = length >>> 8;
    target[offset + 3] = length & 0xff;
    return offset + 4;
  }
  // 64-bit length, most significant bit 0 (§5.2); JS lengths stay below 2^53.
  const high = Math.floor(length / 0x100000000);
  const low = length >>> 0;
  target[offset + 1] = 127;
  target[offset + 2] = high >>> 24;
  target[offset + 3] = (high >>> 16) & 0xff;
  target[offset + 4] = (high >>> 8) & 0xff;
  target[offset + 5] = high & 0xff;
  target[offset + 6] = low >>> 24;
  target[offset + 7] = (low >>> 16) & 0xff;
  target[offset + 8] = (low >>> 8) & 0xff;
  target[offset + 9] = low & 0xff;
  return offset + 10;
}

/** A whole frame — header and a copy of `payload` — in one array. */
export function encodeFrame(opcode: number, payload: Uint8Array, fin = true, rsv1 = false): Uint8Array {
  const out = new Uint8Array(frameHeaderSize(payload.length) + payload.length);
  out.set(payload, writeFrameHeader(out, 0, opcode, payload.length, fin, rsv1));
  return out;
}

/** Where text frames are encoded before being copied out by {@link encodeTextFrame}. */
const scratch = new ByteSink();

/** A text frame holding `text` as UTF-8 (lone surrogates become U+FFFD), encoded in place. */
export function encodeTextFrame(text: string, fin = true): Uint8Array {
  appendTextFrame(scratch, text, fin);
  return scratch.take();
}

/**
 * Appends a whole frame — header, then the bytes of `payload` — to `sink`: a batch of frames
 * is built in one buffer with no array per frame.
 */
export function appendFrame(sink: ByteSink, opcode: number, payload: Uint8Array, fin = true, rsv1 = false): void {
  const length = payload.length;
  const buf = sink.room(MAX_FRAME_HEADER + length);
  // After room(): making room may move the batch to a new buffer.
  const start = sink.position;
  const at = writeFrameHeader(buf, start, opcode, length, fin, rsv1);
  buf.set(payload, at);
  sink.advance(at - start + length);
}

/** Strings up to this many UTF-16 units are encoded by a loop while they are ASCII. */
const ASCII_LOOP = 64;
/** Longer strings are measured first, so their room is exact rather than 3 bytes a unit. */
const MEASURE_ABOVE = 16 * 1024;

/**
 * Appends a text frame holding `text` as UTF-8 (lone surrogates become U+FFFD, as
 * `TextEncoder`) to `sink`, encoding straight into it. The header size follows from the UTF-8
 * length, which lies between 1 and 3 bytes a UTF-16 unit: the header is written for the
 * length the string would have as ASCII and, in the rare case the bytes cross a size class
 * (126 or 65536 bytes), the payload is moved up by the difference.
 */
export function appendTextFrame(sink: ByteSink, text: string, fin = true): void {
  const units = text.length;
  const first = fin ? 0x80 | OPCODE_TEXT : OPCODE_TEXT;
  if (units > MEASURE_ABOVE) {
    const length = utf8Length(text);
    const buf = sink.room(MAX_FRAME_HEADER + length);
    const start = sink.position;
    const at = writeFrameHeader(buf, start, OPCODE_TEXT, length, fin, false);
    encoder.encodeInto(text, buf.subarray(at, at + length));
    sink.advance(at - start + length);
    return;
  }
  // At most 3 bytes a unit (a surrogate pair is 2 units for 4 bytes).
  const buf = sink.room(MAX_FRAME_HEADER + units * 3);
  const start = sink.position;
  const at = start + frameHeaderSize(units);
  if (units <= ASCII_LOOP) {
    let i = 0;
    for (; i < units; i++) {
      const c = text.charCodeAt(i);
      if (c >= 0x80) break;
      buf[at + i] = c;
    }
    if (i === units) {
      // ASCII: the length is the unit count, and below 126 bytes when ASCII_LOOP is.
      buf[start] = first;
      buf[start + 1] = units;
      sink.advance(2 + units);
      return;
    }
  }
  const length = encoder.encodeInto(text, buf.subarray(at)).written;
  const header = frameHeaderSize(length);
  if (start + header !== at) buf.copyWithin(start + header, at, at + length);
  writeFrameHeader(buf, start, OPCODE_TEXT, length, fin, false);
  sink.advance(header + length);
}

function controlFrame(opcode: number, payload: Uint8Array | undefined): Uint8Array {
  const length = payload === undefined ? 0 : payload.length;
  // §5.5: "All control frames MUST have a payload length of 125 bytes or less".
  if (length > MAX_CONTROL_PAYLOAD) throw new RangeError(`A control frame payload is at most 125 bytes, got ${length}`);
  const out = new Uint8Array(2 + length);
  out[0] = 0x80 | opcode;
  out[1] = length;
  if (payload !== undefined) out.set(payload, 2);
  return out;
}

/** A Ping frame (§5.5.2); the payload is at most 125 bytes. */
export function encodePingFrame(payload?: Uint8Array): Uint8Array {
  return controlFrame(OPCODE_PING, payload);
}

/** A Pong frame (§5.5.3); to answer a Ping, pass the Ping's payload. */
export function encodePongFrame(payload?: Uint8Array): Uint8Array {
  return controlFrame(OPCODE_PONG, payload);
}

/** The first `max` bytes of the UTF-8 of `text`, cut back to a character boundary. */
export function truncateUtf8(text: string, max: number): Uint8Array {
  const bytes = encoder.encode(text);
  if (bytes.length <= max) return bytes;
  let cut = max;
  // A continuation byte (10xxxxxx) at the cut means the character straddles it.
  while (cut > 0 && (bytes[cut]! & 0xc0) === 0x80) cut--;
  return bytes.subarray(0, cut);
}

/**
 * A Close frame (§5.5.1). With no code the payload is empty (received as 1005); otherwise the
 * 2-byte code and the reason as UTF-8, truncated on a character boundary to 123 bytes. Codes
 * that may not be sent (1004–1006, 1015, outside 1000–4999; §7.4) throw a RangeError.
 */
export function encodeCloseFrame(code?: number, reason = ""): Uint8Array {
  if (code === undefined) return controlFrame(OPCODE_CLOSE, undefined);
  if (!isValidCloseCode(code)) throw new RangeError(`Close code ${code} may not be sent (RFC 6455 §7.4)`);
  const text = reason === "" ? undefined : truncateUtf8(reason, MAX_CLOSE_REASON);
  const length = 2 + (text === undefined ? 0 : text.length);
  const out = new Uint8Array(2 + length);
  out[0] = 0x80 | OPCODE_CLOSE;
  out[1] = length;
  out[2] = code >>> 8;
  out[3] = code & 0xff;
  if (text !== undefined) out.set(text, 4);
  return out;
}
