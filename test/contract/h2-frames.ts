/**
 * Raw HTTP/2 frames for the cases that must send what no well-behaved client would (RFC 9113
 * §4.1): a frame from its type, flags, stream and payload, and the frames of a byte string.
 */
import assert from "node:assert/strict";
import { Buffer } from "node:buffer";
import { connect } from "node:net";

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

/** Every frame the server sends on one HTTP/2 connection opened with `frames`, until it closes. */
export function h2Exchange(port: number, frames: Buffer): Promise<[number, Buffer][]> {
  return new Promise((resolve, reject) => {
    const socket = connect({ port, host: "127.0.0.1" });
    const chunks: Buffer[] = [];
    socket.on("data", (chunk: Buffer) => chunks.push(chunk));
    socket.on("error", () => {}); // a reset after the GOAWAY still ends in "close"
    socket.on("close", () => resolve(h2Frames(Buffer.concat(chunks))));
    socket.setTimeout(5_000, () => {
      socket.destroy();
      reject(new Error("the server did not close the connection"));
    });
    socket.write(frames);
  });
}

/** The GOAWAY among `frames`: its last stream id and error code. */
export function goaway(frames: [number, Buffer][]): { lastStream: number; code: number } {
  const found = frames.find(([type]) => type === 0x7);
  assert.ok(found !== undefined, `a GOAWAY among frame types ${frames.map(([type]) => type)}`);
  return { lastStream: found[1].readUInt32BE(0) & 0x7fffffff, code: found[1].readUInt32BE(4) };
}
