/**
 * WebSocket frames as the contract cases see them (RFC 6455 §5): built the way a client must
 * send them (masked, any length encoding the case asks for), and described as the server sent
 * them, for assertion messages.
 */
import { Buffer } from "node:buffer";
import { randomBytes } from "node:crypto";

export const OP_CONT = 0x0;
export const OP_TEXT = 0x1;
export const OP_BINARY = 0x2;
export const OP_CLOSE = 0x8;
export const OP_PING = 0x9;
export const OP_PONG = 0xa;
export const RSV1 = 0x40;
export const RSV2 = 0x20;
export const RSV3 = 0x10;

export interface FrameOptions {
  /** FIN bit; default true. */
  fin?: boolean;
  /** RSV bits to set (RSV1 | RSV2 | RSV3). */
  rsv?: number;
  /** Mask the payload (§5.3); default true — clients must. */
  mask?: boolean;
  /** Announce this payload length instead of the real one (the payload is sent as given). */
  length?: number;
}

/** One client frame, masked with a random key unless told otherwise (RFC 6455 §5.2). */
export function frame(
  opcode: number,
  payload: Uint8Array | string = Buffer.alloc(0),
  options: FrameOptions = {},
): Buffer {
  const data = typeof payload === "string"
    ? Buffer.from(payload, "utf8")
    : Buffer.from(payload.buffer, payload.byteOffset, payload.byteLength);
  const mask = options.mask ?? true;
  const length = options.length ?? data.length;
  const ext = length < 126 ? 0 : length < 0x10000 ? 2 : 8;
  const headerLength = 2 + ext + (mask ? 4 : 0);
  const out = Buffer.alloc(headerLength + data.length);
  out[0] = ((options.fin ?? true) ? 0x80 : 0) | (options.rsv ?? 0) | opcode;
  out[1] = (mask ? 0x80 : 0) | (ext === 0 ? length : ext === 2 ? 126 : 127);
  if (ext === 2) out.writeUInt16BE(length, 2);
  else if (ext === 8) out.writeBigUInt64BE(BigInt(length), 2);
  if (!mask) {
    data.copy(out, headerLength);
    return out;
  }
  const key = randomBytes(4);
  key.copy(out, 2 + ext);
  const k0 = key[0]!, k1 = key[1]!, k2 = key[2]!, k3 = key[3]!;
  let i = 0;
  const n = data.length;
  for (; i + 4 <= n; i += 4) {
    out[headerLength + i] = data[i]! ^ k0;
    out[headerLength + i + 1] = data[i + 1]! ^ k1;
    out[headerLength + i + 2] = data[i + 2]! ^ k2;
    out[headerLength + i + 3] = data[i + 3]! ^ k3;
  }
  for (; i < n; i++) out[headerLength + i] = data[i]! ^ key[i & 3]!;
  return out;
}

/** The body of a Close frame: a 2-byte code and a reason (§5.5.1). */
export function closeBody(code: number, reason: string | Uint8Array = ""): Buffer {
  const text = typeof reason === "string" ? Buffer.from(reason, "utf8") : Buffer.from(reason);
  const out = Buffer.alloc(2 + text.length);
  out.writeUInt16BE(code, 0);
  text.copy(out, 2);
  return out;
}

/** A frame as the server sent it. */
export interface Frame {
  fin: boolean;
  rsv: number;
  opcode: number;
  masked: boolean;
  /** Whether the length used the fewest bytes (§5.2). */
  minimalLength: boolean;
  payload: Buffer;
}

export function describeFrame(f: Frame): string {
  const preview = f.opcode === OP_CLOSE && f.payload.length >= 2
    ? `code ${f.payload.readUInt16BE(0)} ${JSON.stringify(f.payload.subarray(2).toString("utf8"))}`
    : `${f.payload.length} bytes`;
  return `opcode 0x${f.opcode.toString(16)}${f.fin ? "" : " (not FIN)"}${
    f.rsv ? ` rsv 0x${f.rsv.toString(16)}` : ""
  }: ${preview}`;
}
