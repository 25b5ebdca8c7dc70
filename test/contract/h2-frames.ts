/**
 * Raw HTTP/2 frames for the cases that must send what no well-behaved client would (RFC 9113
 * §4.1): a frame from its type, flags, stream and payload, and the frames of a byte string.
 */
import { Buffer } from "node:buffer";

/** The client connection preface (RFC 9113 §3.4), without the SETTINGS frame that follows it. */
export const PREFACE: Buffer = Buffer.from("PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n", "latin1");

/** One frame: a 9-octet header (RFC 9113 §4.1), then the payload. */
export function h2Frame(
  type: number,
  flags: number,
  streamId: number,
  payload: Uint8Array = new Uint8Array(0),
): Buffer {
  const out = Buffer.alloc(9 + payload.length);
  out.writeUIntBE(payload.length, 0, 3);
  out[3] = type;
  out[4] = flags;
  out.writeUInt32BE(streamId, 5);
  out.set(payload, 9);
  return out;
}

/** The frames in `bytes` as [type, payload], up to the last whole one. */
export function h2Frames(bytes: Buffer): [number, Buffer][] {
  const frames: [number, Buffer][] = [];
  for (let at = 0; at + 9 <= bytes.length;) {
    const length = bytes.readUIntBE(at, 3);
    if (at + 9 + length > bytes.length) break;
    frames.push([bytes[at + 3]!, bytes.subarray(at + 9, at + 9 + length)]);
    at += 9 + length;
  }
  return frames;
}
