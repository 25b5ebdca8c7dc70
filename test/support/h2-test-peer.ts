/**
 * A scripted HTTP/2 client for the core tests: it feeds frames to a server connection over a
 * {@link FakeTransport} and decodes the frames the server writes (bytes in → frames out).
 * Test support only; not exported by `mod.ts`.
 * @module
 */
import { BlockBuffer, HpackDecoder, HpackEncoder } from "../../core/hpack/mod.ts";
import { FakeTransport } from "./fake-transport.ts";
import type { ManagedConnection } from "../../core/transport/managed-connection.ts";
import type { ServeOptions } from "../../core/server/options.ts";
import type { ServerCore } from "../../core/server/server-core.ts";
import { createServerCore, type ServeTarget } from "../../core/app/serve-target.ts";
import { readUint32, writeFrameHeader } from "../../core/http2/frame-header.ts";
import {
  CLIENT_PREFACE,
  FLAG_ACK,
  FLAG_END_HEADERS,
  FLAG_END_STREAM,
  FLAG_PADDED,
  FLAG_PRIORITY,
  FRAME_CONTINUATION,
  FRAME_DATA,
  FRAME_GOAWAY,
  FRAME_HEADERS,
  FRAME_PING,
  FRAME_PRIORITY,
  FRAME_RST_STREAM,
  FRAME_SETTINGS,
  FRAME_WINDOW_UPDATE,
  frameTypeName,
} from "../../core/http2/frame-types.ts";
import { encodeSettings } from "../../core/http2/settings.ts";

/** A frame the server wrote, decoded. */
export interface OutFrame {
  type: number;
  flags: number;
  streamId: number;
  payload: Uint8Array;
  /** HEADERS: the decoded field block (CONTINUATION frames merged into the HEADERS). */
  fields?: string[];
  /** RST_STREAM, GOAWAY. */
  errorCode?: number;
  /** GOAWAY. */
  lastStreamId?: number;
  /** GOAWAY debug data as text. */
  debug?: string;
  /** WINDOW_UPDATE. */
  increment?: number;
  /** SETTINGS: [id, value] pairs. */
  settings?: [number, number][];
}

export const enc = new TextEncoder();
const dec = new TextDecoder();

/** Let microtasks and already-due timers run (async handlers, coalesced flushes). */
export function settle(): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, 0));
}

/** Concatenate byte arrays. */
export function concat(...parts: Uint8Array[]): Uint8Array {
  let n = 0;
  for (const p of parts) n += p.length;
  const out = new Uint8Array(n);
  let at = 0;
  for (const p of parts) {
    out.set(p, at);
    at += p.length;
  }
  return out;
}

/** One raw frame. */
export function frame(type: number, flags: number, streamId: number, payload: Uint8Array | number[] = []): Uint8Array {
  const body = payload instanceof Uint8Array ? payload : Uint8Array.from(payload);
  const out = new Uint8Array(9 + body.length);
  writeFrameHeader(out, 0, body.length, type, flags, streamId);
  out.set(body, 9);
  // writeFrameHeader clears the reserved bit; tests that set it patch out[5] themselves.
  return out;
}

function u32(n: number): number[] {
  return [(n >>> 24) & 0xff, (n >>> 16) & 0xff, (n >>> 8) & 0xff, n & 0xff];
}

export interface HeadersOptions {
  endStream?: boolean;
  endHeaders?: boolean;
  /** Pad Length to use (adds PADDED). */
  pad?: number;
  /** [dependency, weight, exclusive] (adds PRIORITY). */
  priority?: [number, number, boolean];
}

/** A scripted client over a fake transport. */
export class TestPeer {
  readonly transport: FakeTransport = new FakeTransport();
  readonly server: ServerCore;
  readonly encoder: HpackEncoder = new HpackEncoder({ huffman: "never" });
  readonly decoder: HpackDecoder = new HpackDecoder({ maxHeaderListSize: 1 << 22 });
  readonly errors: unknown[] = [];
  /** The connection serving the socket now (the HTTP/2 one once the preface is in). */
  connection: ManagedConnection | null = null;
  #readChunks = 0;
  #pending: Uint8Array = new Uint8Array(0);
  #headerBlock: { frame: OutFrame; parts: Uint8Array[] } | null = null;

  constructor(target: ServeTarget, options: ServeOptions = {}) {
    this.server = createServerCore(target, { onError: (e) => this.errors.push(e), ...options });
    this.server.now = 1_000_000;
    const replace = this.server.replace.bind(this.server);
    this.server.replace = (old, next) => {
      this.connection = next;
      replace(old, next);
    };
    this.transport.handler = this.server.accept(this.transport);
  }

  /** Advance the server clock by `ms` and run the connection's timeouts. */
  tick(ms: number): void {
    this.server.now += ms;
    this.connection!.tick(this.server.now);
  }

  send(...parts: Uint8Array[]): void {
    this.transport.handler!.data(concat(...parts));
  }

  /** The client preface and SETTINGS (§3.4), then the ACK of the server's SETTINGS. */
  handshake(settings: [number, number][] = []): OutFrame[] {
    this.send(CLIENT_PREFACE, this.settings(settings));
    const frames = this.frames();
    this.send(frame(FRAME_SETTINGS, FLAG_ACK, 0));
    return frames;
  }

  settings(entries: [number, number][]): Uint8Array {
    return frame(FRAME_SETTINGS, 0, 0, encodeSettings(entries));
  }

  /** A header block for `fields` with this peer's encoder (keeps the HPACK context in step). */
  block(fields: string[]): Uint8Array {
    const out = new BlockBuffer();
    this.encoder.encode(fields, out);
    return out.bytes.slice(0, out.length);
  }

  headers(streamId: number, fields: string[] | Uint8Array, options: HeadersOptions = {}): Uint8Array {
    const block = fields instanceof Uint8Array ? fields : this.block(fields);
    let flags = 0;
    if (options.endStream) flags |= FLAG_END_STREAM;
    if (options.endHeaders ?? true) flags |= FLAG_END_HEADERS;
    const prefix: number[] = [];
    if (options.pad !== undefined) {
      flags |= FLAG_PADDED;
      prefix.push(options.pad);
    }
    if (options.priority !== undefined) {
      flags |= FLAG_PRIORITY;
      const [dep, weight, exclusive] = options.priority;
      prefix.push(...u32((dep | (exclusive ? 0x80000000 : 0)) >>> 0), weight - 1);
    }
    const padding = new Uint8Array(options.pad ?? 0);
    return frame(FRAME_HEADERS, flags, streamId, concat(Uint8Array.from(prefix), block, padding));
  }

  continuation(streamId: number, block: Uint8Array, endHeaders = true): Uint8Array {
    return frame(FRAME_CONTINUATION, endHeaders ? FLAG_END_HEADERS : 0, streamId, block);
  }

  /** Request fields for `method path`. */
  request(method: string, path: string, extra: string[] = []): string[] {
    return [":method", method, ":scheme", "http", ":path", path, ":authority", "test.local", ...extra];
  }

  /** A GET request on `streamId` with END_STREAM. */
  get(streamId: number, path = "/", extra: string[] = []): Uint8Array {
    return this.headers(streamId, this.request("GET", path, extra), { endStream: true });
  }

  data(streamId: number, body: Uint8Array | string, endStream = false, pad?: number): Uint8Array {
    const bytes = typeof body === "string" ? enc.encode(body) : body;
    if (pad === undefined) return frame(FRAME_DATA, endStream ? FLAG_END_STREAM : 0, streamId, bytes);
    return frame(
      FRAME_DATA,
      (endStream ? FLAG_END_STREAM : 0) | FLAG_PADDED,
      streamId,
      concat(Uint8Array.of(pad), bytes, new Uint8Array(pad)),
    );
  }

  ping(data: number[] = [1, 2, 3, 4, 5, 6, 7, 8], ack = false): Uint8Array {
    return frame(FRAME_PING, ack ? FLAG_ACK : 0, 0, data);
  }

  rst(streamId: number, code: number): Uint8Array {
    return frame(FRAME_RST_STREAM, 0, streamId, u32(code));
  }

  windowUpdate(streamId: number, increment: number): Uint8Array {
    return frame(FRAME_WINDOW_UPDATE, 0, streamId, u32(increment));
  }

  priority(streamId: number, dependency: number, weight = 16, exclusive = false): Uint8Array {
    return frame(FRAME_PRIORITY, 0, streamId, [...u32((dependency | (exclusive ? 0x80000000 : 0)) >>> 0), weight - 1]);
  }

  goaway(lastStreamId: number, code: number): Uint8Array {
    return frame(FRAME_GOAWAY, 0, 0, [...u32(lastStreamId), ...u32(code)]);
  }

  /** Take the HTTP/1.1 text the server wrote before switching to HTTP/2 (an h2c 101). */
  takeText(): string {
    const all = concat(this.#pending, ...this.transport.writes.slice(this.#readChunks));
    this.#readChunks = this.transport.writes.length;
    let end = 0;
    for (let i = 0; i + 3 < all.length; i++) {
      if (all[i] === 13 && all[i + 1] === 10 && all[i + 2] === 13 && all[i + 3] === 10) {
        end = i + 4;
        break;
      }
    }
    this.#pending = all.slice(end);
    return dec.decode(all.subarray(0, end));
  }

  /** Everything the server wrote since the last call, as frames (a trailing partial frame waits). */
  frames(): OutFrame[] {
    const writes = this.transport.writes;
    const fresh = writes.slice(this.#readChunks);
    this.#readChunks = writes.length;
    let buf = concat(this.#pending, ...fresh);
    const out: OutFrame[] = [];
    let at = 0;
    while (buf.length - at >= 9) {
      const length = (buf[at]! << 16) | (buf[at + 1]! << 8) | buf[at + 2]!;
      if (buf.length - at < 9 + length) break;
      const f: OutFrame = {
        type: buf[at + 3]!,
        flags: buf[at + 4]!,
        streamId: readUint32(buf, at + 5) & 0x7fffffff,
        payload: buf.slice(at + 9, at + 9 + length),
      };
      at += 9 + length;
      this.#decorate(f, out);
    }
    buf = buf.slice(at);
    this.#pending = buf;
    return out;
  }

  #decorate(f: OutFrame, out: OutFrame[]): void {
    const p = f.payload;
    switch (f.type) {
      case FRAME_HEADERS:
        if (f.flags & FLAG_END_HEADERS) f.fields = this.decoder.decode(p);
        else {
          this.#headerBlock = { frame: f, parts: [p] };
        }
        out.push(f);
        return;
      case FRAME_CONTINUATION: {
        const block = this.#headerBlock!;
        block.parts.push(p);
        if (f.flags & FLAG_END_HEADERS) {
          block.frame.fields = this.decoder.decode(concat(...block.parts));
          this.#headerBlock = null;
        }
        out.push(f);
        return;
      }
      case FRAME_RST_STREAM:
        f.errorCode = readUint32(p, 0);
        break;
      case FRAME_GOAWAY:
        f.lastStreamId = readUint32(p, 0) & 0x7fffffff;
        f.errorCode = readUint32(p, 4);
        f.debug = dec.decode(p.subarray(8));
        break;
      case FRAME_WINDOW_UPDATE:
        f.increment = readUint32(p, 0) & 0x7fffffff;
        break;
      case FRAME_SETTINGS: {
        const s: [number, number][] = [];
        for (let i = 0; i + 6 <= p.length; i += 6) s.push([(p[i]! << 8) | p[i + 1]!, readUint32(p, i + 2)]);
        f.settings = s;
        break;
      }
    }
    out.push(f);
  }
}

/** The field value of `name` in a decoded list. */
export function field(fields: string[] | undefined, name: string): string | undefined {
  if (fields === undefined) return undefined;
  for (let i = 0; i < fields.length; i += 2) if (fields[i] === name) return fields[i + 1];
  return undefined;
}

/** The body of `streamId` carried by DATA frames in `frames`, as text. */
export function bodyOf(frames: OutFrame[], streamId: number): string {
  return dec.decode(
    concat(...frames.filter((f) => f.type === FRAME_DATA && f.streamId === streamId).map((f) => f.payload)),
  );
}

/** A compact trace for assertions: `HEADERS 1 es`, `DATA 1 13`, `RST_STREAM 3 PROTOCOL_ERROR`… */
export function trace(frames: OutFrame[], names: (code: number) => string): string[] {
  return frames.map((f) => {
    const t = frameTypeName(f.type);
    switch (f.type) {
      case FRAME_DATA:
        return `${t} ${f.streamId} ${f.payload.length}${f.flags & FLAG_END_STREAM ? " es" : ""}`;
      case FRAME_HEADERS:
        return `${t} ${f.streamId} ${field(f.fields, ":status") ?? "-"}${f.flags & FLAG_END_STREAM ? " es" : ""}`;
      case FRAME_RST_STREAM:
        return `${t} ${f.streamId} ${names(f.errorCode!)}`;
      case FRAME_GOAWAY:
        return `${t} ${f.lastStreamId} ${names(f.errorCode!)}`;
      case FRAME_WINDOW_UPDATE:
        return `${t} ${f.streamId} ${f.increment}`;
      case FRAME_SETTINGS:
        return `${t}${f.flags & FLAG_ACK ? " ack" : ""}`;
      case FRAME_PING:
        return `${t}${f.flags & FLAG_ACK ? " ack" : ""}`;
      default:
        return `${t} ${f.streamId}`;
    }
  });
}
