/**
 * What a WebSocket load run shares across its connections: the options, the frames to send
 * (built and masked once), the echo to expect, the error kinds and the counters.
 */
import { Buffer } from "node:buffer";
import { OPCODE_BINARY, OPCODE_TEXT } from "../../core/ws/opcodes.ts";
import { PerMessageCodec } from "../../core/ws/permessage-codec.ts";
import { zlibDeflateProvider } from "../../adapters/zlib-deflate.ts";
import { Histogram } from "./histogram.ts";
import { ResponseVerifier } from "./verify.ts";
import { buildFramePool, type FramePool } from "./ws-frames.ts";

/** What to run. */
export interface WsLoadOptions {
  host: string;
  port: number;
  /** `host:port` for the Host field. */
  authority: string;
  /** The request target of the handshake, e.g. `/ws`. */
  target: string;
  connections: number;
  /** Messages in flight per connection. */
  inflight: number;
  /** Payload bytes per message. */
  messageSize: number;
  /** Binary messages (default: text). */
  binary: boolean;
  /** Offer permessage-deflate and compress every message. */
  deflate: boolean;
  durationMs: number;
  /** A message not echoed within this many ms is a timeout (its connection starts over). */
  timeoutMs: number;
  /** Connections opened at once while connecting. Default 256. */
  connectConcurrency?: number;
}

/** Error kinds of the WebSocket mode (besides connect, timeout and closed with … in flight). */
export const WS_ERROR_TYPE = "message type";
export const WS_ERROR_LENGTH = "message length";
export const WS_ERROR_CONTENT = "message content";
export const WS_ERROR_UNSOLICITED = "unsolicited message";
export const WS_ERROR_INFLATE = "inflate";
export const WS_ERROR_UNCOMPRESSED = "uncompressed echo";
export const WS_ERROR_CLOSED = "closed with messages in flight";

/**
 * The payload of every message: printable ASCII for text (valid UTF-8), every byte value for
 * binary (so a server that turned binary into text could not echo it unchanged).
 */
export function messagePayload(size: number, binary: boolean): Uint8Array {
  const out = new Uint8Array(size);
  if (binary) { for (let i = 0; i < size; i++) out[i] = (i * 31 + 7) & 0xff; }
  else {
    const pattern = new TextEncoder().encode("wirecore-load-0123456789abcdefghijklmnopqrstuvwxyz ");
    for (let i = 0; i < size; i++) out[i] = pattern[i % pattern.length]!;
  }
  return out;
}

/** What the run shares: the frames to send, the expected echo, counters. */
export class WsRun {
  readonly options: WsLoadOptions;
  readonly pool: FramePool;
  readonly expected: Buffer;
  readonly opcode: number;
  readonly verifier = new ResponseVerifier(1, { status: 101, bodyLength: -1 });
  readonly latency = new Histogram();
  measuring = false;
  stopped = false;
  completed = 0;
  bytesRead = 0;
  bytesWritten = 0;
  reconnects = 0;
  extensions: string | null = null;

  constructor(options: WsLoadOptions) {
    this.options = options;
    const payload = messagePayload(options.messageSize, options.binary);
    this.expected = Buffer.from(payload.buffer, payload.byteOffset, payload.byteLength);
    this.opcode = options.binary ? OPCODE_BINARY : OPCODE_TEXT;
    let wire = payload;
    if (options.deflate) {
      // No context takeover on our side: one compressed payload serves every message.
      const codec = new PerMessageCodec(zlibDeflateProvider, {
        serverNoContextTakeover: true,
        clientNoContextTakeover: true,
        serverMaxWindowBits: 15,
        clientMaxWindowBits: 15,
      });
      wire = codec.compress(payload).slice();
      codec.close();
    }
    // 64 distinct masking keys per in-flight slot: plenty against any caching, cheap to build.
    this.pool = buildFramePool(
      this.opcode,
      wire,
      Math.max(64, options.inflight * 4),
      options.inflight,
      options.deflate,
    );
  }

  count(kind: string, example: string, n = 1): void {
    if (n > 0) this.verifier.count(kind, example, n);
  }
}
