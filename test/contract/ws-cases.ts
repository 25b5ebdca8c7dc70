/**
 * WebSocket cases of the contract suite (RFC 6455, RFC 7692), the same on every runtime.
 *
 * Rules about bytes are checked with a raw TCP client ({@link WsClient}) that writes hand-built
 * masked frames and parses the server's frames itself; compression is done in the test with
 * `node:zlib` (an independent deflate stream, not the server's code). App-level behaviour is
 * also checked with the runtime's own global `WebSocket` client.
 *
 * Runner-neutral: `node:assert/strict`, `node:net`, `node:crypto`, `node:zlib`, `node:buffer`
 * and the global `WebSocket`, which Node, Bun and Deno all have.
 */
import assert from "node:assert/strict";
import { Buffer } from "node:buffer";
import { createHash, randomBytes } from "node:crypto";
import { connect, type Socket } from "node:net";
import process from "node:process";
import zlib from "node:zlib";
import type { App } from "../../core/app/app.ts";
import { upgradeWebSocket } from "../../core/fetch/upgrade-websocket.ts";
import type { ServerWebSocket } from "../../core/session/ws/server-websocket.ts";
import type { WebSocketHandlers } from "../../core/session/ws/websocket-options.ts";
import { createApp } from "../../examples/app.ts";
import {
  connected,
  RawClient,
  type Runtime,
  sleep,
  start,
  type TestApi,
  useServer,
  waitFor,
  Wakeup,
} from "./harness.ts";
import { exchange, header, type RawResponse } from "./raw-response.ts";

const KiB = 1024;
const MiB = 1024 * 1024;

const OP_CONT = 0x0;
const OP_TEXT = 0x1;
const OP_BINARY = 0x2;
const OP_CLOSE = 0x8;
const OP_PING = 0x9;
const OP_PONG = 0xa;
const RSV1 = 0x40;
const RSV2 = 0x20;
const RSV3 = 0x10;

/** The end of a sync flush, removed from / added to compressed messages (RFC 7692 §7.2.1–2). */
const DEFLATE_TAIL = Buffer.from([0x00, 0x00, 0xff, 0xff]);
const { Z_SYNC_FLUSH } = zlib.constants;

// ── frames, as a client builds them ──────────────────────────────────────────────────────────────

interface FrameOptions {
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
function frame(opcode: number, payload: Uint8Array | string = Buffer.alloc(0), options: FrameOptions = {}): Buffer {
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
function closeBody(code: number, reason: string | Uint8Array = ""): Buffer {
  const text = typeof reason === "string" ? Buffer.from(reason, "utf8") : Buffer.from(reason);
  const out = Buffer.alloc(2 + text.length);
  out.writeUInt16BE(code, 0);
  text.copy(out, 2);
  return out;
}

// ── a raw client that parses the server's frames ─────────────────────────────────────────────────

/** A frame as the server sent it. */
interface Frame {
  fin: boolean;
  rsv: number;
  opcode: number;
  masked: boolean;
  /** Whether the length used the fewest bytes (§5.2). */
  minimalLength: boolean;
  payload: Buffer;
}

function describeFrame(f: Frame): string {
  const preview = f.opcode === OP_CLOSE && f.payload.length >= 2
    ? `code ${f.payload.readUInt16BE(0)} ${JSON.stringify(f.payload.subarray(2).toString("utf8"))}`
    : `${f.payload.length} bytes`;
  return `opcode 0x${f.opcode.toString(16)}${f.fin ? "" : " (not FIN)"}${
    f.rsv ? ` rsv 0x${f.rsv.toString(16)}` : ""
  }: ${preview}`;
}

/** `Sec-WebSocket-Accept` for a key, computed independently of the server (§4.2.2 step 5.4). */
function acceptFor(key: string): string {
  return createHash("sha1").update(key + "258EAFA5-E914-47DA-95CA-C5AB0DC85B11").digest("base64");
}

interface OpenOptions {
  /** Header lines to add, e.g. `["Sec-WebSocket-Protocol: a, b"]`. */
  headers?: string[];
  /** Expect this status instead of 101 (the client then holds the response head only). */
  status?: number;
}

/**
 * A WebSocket client over a bare TCP socket: it sends the opening handshake, then hand-built
 * frames, and parses what the server sends into {@link Frame}s, checking the server-side rules
 * on the way (never masked, minimal lengths, control frames ≤ 125 bytes and unfragmented).
 */
class WsClient {
  readonly socket: Socket;
  readonly key = randomBytes(16).toString("base64");
  status = 0;
  /** Response header fields, lowercased names, repeated ones joined with ", ". */
  readonly headers = new Map<string, string>();
  /** Frames received and not yet taken. */
  readonly frames: Frame[] = [];
  /** The server ended or closed the TCP connection. */
  closed = false;
  /** The client has negotiated permessage-deflate: RSV1 may be set on data frames. */
  deflate = false;
  error: unknown = null;
  #chunks: Buffer[] = [];
  #buffered = 0;
  #headDone = false;
  readonly #wakeup = new Wakeup();

  private constructor(port: number) {
    this.socket = connect({ port, host: "127.0.0.1", noDelay: true });
    this.socket.on("data", (chunk: Uint8Array) => {
      const bytes = Buffer.isBuffer(chunk) ? chunk : Buffer.from(chunk.buffer, chunk.byteOffset, chunk.byteLength);
      this.#chunks.push(bytes);
      this.#buffered += bytes.length;
      try {
        this.#parse();
      } catch (error) {
        this.error ??= error;
      }
      this.#wakeup.wake();
    });
    this.socket.on("error", (error) => {
      this.error ??= error;
    });
    const ended = (): void => {
      this.closed = true;
      this.#wakeup.wake();
    };
    this.socket.on("end", ended);
    this.socket.on("close", ended);
  }

  /** Connect and perform the opening handshake on `path`; asserts a 101 with the right accept. */
  static async open(port: number, path = "/ws", options: OpenOptions = {}): Promise<WsClient> {
    const client = new WsClient(port);
    await connected(client.socket);
    const lines = [
      `GET ${path} HTTP/1.1`,
      `Host: 127.0.0.1:${port}`,
      "Upgrade: websocket",
      "Connection: Upgrade",
      `Sec-WebSocket-Key: ${client.key}`,
      "Sec-WebSocket-Version: 13",
      ...(options.headers ?? []),
    ];
    client.socket.write(lines.join("\r\n") + "\r\n\r\n");
    await client.#waitFor(() => client.#headDone, `the response to the handshake on ${path}`, 5000);
    const expected = options.status ?? 101;
    assert.equal(client.status, expected, `handshake on ${path}: status ${client.status}, expected ${expected}`);
    if (expected === 101) {
      assert.equal(client.headers.get("upgrade")?.toLowerCase(), "websocket", "101 without Upgrade: websocket");
      assert.ok(
        /(^|,)\s*upgrade\s*(,|$)/i.test(client.headers.get("connection") ?? ""),
        "101 without Connection: Upgrade",
      );
      assert.equal(
        client.headers.get("sec-websocket-accept"),
        acceptFor(client.key),
        "wrong Sec-WebSocket-Accept (§4.2.2)",
      );
      client.deflate = /permessage-deflate/i.test(client.headers.get("sec-websocket-extensions") ?? "");
    }
    return client;
  }

  async #waitFor(check: () => boolean, what: string, timeoutMs: number): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    while (!check()) {
      if (this.error !== null) throw this.error;
      if (this.closed) throw new Error(`${what}: the server closed the connection first`);
      const left = deadline - Date.now();
      if (left <= 0) throw new Error(`${what}: not within ${timeoutMs} ms (${this.#buffered} bytes pending)`);
      await this.#wakeup.next(left);
    }
  }

  #peek(n: number): Buffer {
    if (this.#chunks[0]!.length < n) this.#chunks = [Buffer.concat(this.#chunks, this.#buffered)];
    return this.#chunks[0]!.subarray(0, n);
  }

  #consume(n: number): Buffer {
    let first = this.#chunks[0]!;
    if (first.length < n) this.#chunks = [first = Buffer.concat(this.#chunks, this.#buffered)];
    const out = first.subarray(0, n);
    if (first.length === n) this.#chunks.shift();
    else this.#chunks[0] = first.subarray(n);
    this.#buffered -= n;
    return out;
  }

  #parse(): void {
    if (!this.#headDone) {
      const all = this.#peek(this.#buffered);
      const end = all.indexOf("\r\n\r\n");
      if (end < 0) return;
      const lines = all.subarray(0, end).toString("latin1").split("\r\n");
      const match = /^HTTP\/1\.1 (\d{3})/.exec(lines[0]!);
      if (match === null) throw new Error(`Bad status line ${JSON.stringify(lines[0])}`);
      this.status = Number(match[1]);
      for (const line of lines.slice(1)) {
        const colon = line.indexOf(":");
        const name = line.slice(0, colon).toLowerCase();
        const value = line.slice(colon + 1).trim();
        const prev = this.headers.get(name);
        this.headers.set(name, prev === undefined ? value : `${prev}, ${value}`);
      }
      this.#consume(end + 4);
      this.#headDone = true;
      if (this.status !== 101) return; // a body may follow: not frames
    }
    if (this.status !== 101) return;
    while (this.#buffered >= 2) {
      const h = this.#peek(Math.min(this.#buffered, 14));
      const b0 = h[0]!;
      const b1 = h[1]!;
      const length7 = b1 & 0x7f;
      const masked = (b1 & 0x80) !== 0;
      const ext = length7 === 126 ? 2 : length7 === 127 ? 8 : 0;
      const headerLength = 2 + ext + (masked ? 4 : 0);
      if (h.length < headerLength) return;
      const length = ext === 2 ? h.readUInt16BE(2) : ext === 8 ? Number(h.readBigUInt64BE(2)) : length7;
      if (this.#buffered < headerLength + length) return;
      const raw = this.#consume(headerLength + length);
      let payload = raw.subarray(headerLength);
      if (masked) {
        payload = Buffer.from(payload);
        for (let i = 0; i < payload.length; i++) payload[i] ^= raw[2 + ext + (i & 3)]!;
      }
      this.frames.push({
        fin: (b0 & 0x80) !== 0,
        rsv: b0 & 0x70,
        opcode: b0 & 0x0f,
        masked,
        minimalLength: ext === 0 || (ext === 2 ? length >= 126 : length >= 0x10000),
        payload,
      });
    }
  }

  /** The rules every server frame must follow. */
  #check(f: Frame): void {
    assert.equal(f.masked, false, `the server masked a frame (RFC 6455 §5.1): ${describeFrame(f)}`);
    assert.equal(
      f.minimalLength,
      true,
      `the server did not use the minimal length encoding (§5.2): ${describeFrame(f)}`,
    );
    assert.equal(f.rsv & (RSV2 | RSV3), 0, `RSV2/RSV3 set by the server: ${describeFrame(f)}`);
    if (f.rsv & RSV1) {
      assert.ok(this.deflate, `RSV1 set without permessage-deflate: ${describeFrame(f)}`);
      assert.ok(f.opcode === OP_TEXT || f.opcode === OP_BINARY, `RSV1 on a non-first frame: ${describeFrame(f)}`);
    }
    if (f.opcode >= 0x8) {
      assert.ok(f.fin && f.payload.length <= 125, `invalid control frame (§5.5): ${describeFrame(f)}`);
    } else {
      assert.ok(f.opcode <= OP_BINARY, `reserved opcode from the server: ${describeFrame(f)}`);
    }
  }

  /** Send bytes as they are (frames, or pieces of frames). */
  send(bytes: Uint8Array | string): void {
    this.socket.write(bytes);
  }

  /** Send one masked frame. */
  sendFrame(opcode: number, payload?: Uint8Array | string, options?: FrameOptions): void {
    this.send(frame(opcode, payload, options));
  }

  /** The next frame from the server. */
  async nextFrame(what = "the next frame", timeoutMs = 5000): Promise<Frame> {
    await this.#waitFor(() => this.frames.length > 0, what, timeoutMs).catch((error: Error) => {
      throw new Error(`${error.message}${this.frames.length ? "" : " — no frame received"}`);
    });
    const f = this.frames.shift()!;
    this.#check(f);
    return f;
  }

  /** The next message (a whole unfragmented data frame), asserted to be `opcode`. */
  async nextMessage(opcode: number, what = "a message", timeoutMs = 5000): Promise<Buffer> {
    const f = await this.nextFrame(what, timeoutMs);
    assert.equal(f.opcode, opcode, `${what}: expected opcode 0x${opcode.toString(16)}, got ${describeFrame(f)}`);
    assert.equal(f.fin, true, `${what}: a fragmented message`);
    return f.payload;
  }

  /** Wait until the server closes the TCP connection; asserts nothing else arrives. */
  async untilServerCloses(what: string, timeoutMs = 3000): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    while (!this.closed) {
      if (this.frames.length > 0) assert.fail(`${what}: a frame after the Close: ${describeFrame(this.frames[0]!)}`);
      if (Date.now() > deadline) {
        throw new Error(
          `${what}: the server did not close the TCP connection within ${timeoutMs} ms (RFC 6455 §7.1.1)`,
        );
      }
      await this.#wakeup.next(50);
    }
    assert.equal(
      this.frames.length,
      0,
      `${what}: frames after the Close: ${this.frames.map(describeFrame).join("; ")}`,
    );
    assert.equal(this.#buffered, 0, `${what}: ${this.#buffered} stray bytes after the Close`);
  }

  close(): void {
    this.socket.destroy();
  }
}

/**
 * Expect the server to fail the connection with a Close frame carrying `code` (or an empty Close
 * when `code` is null), then to close TCP itself (RFC 6455 §7.1.1, §7.1.7).
 */
async function expectClose(client: WsClient, code: number | null, what: string): Promise<Buffer> {
  const f = await client.nextFrame(`${what}: the Close frame`);
  assert.equal(f.opcode, OP_CLOSE, `${what}: expected a Close frame, got ${describeFrame(f)}`);
  if (code === null) {
    assert.equal(f.payload.length, 0, `${what}: expected an empty Close, got ${describeFrame(f)}`);
  } else {
    assert.ok(f.payload.length >= 2, `${what}: a Close frame without a code`);
    assert.equal(f.payload.readUInt16BE(0), code, `${what}: expected close code ${code}, got ${describeFrame(f)}`);
    assert.doesNotThrow(
      () => new TextDecoder("utf-8", { fatal: true }).decode(f.payload.subarray(2)),
      `${what}: reason not UTF-8`,
    );
  }
  await client.untilServerCloses(what);
  return f.payload;
}

/** Open a fresh connection, send `bytes`, expect the connection to be failed with `code`. */
async function failsWith(
  port: number,
  bytes: Buffer | Buffer[],
  code: number,
  what: string,
  path = "/ws",
  headers?: string[],
): Promise<void> {
  const client = await WsClient.open(port, path, { headers });
  try {
    for (const b of Array.isArray(bytes) ? bytes : [bytes]) client.send(b);
    await expectClose(client, code, what);
  } finally {
    client.close();
  }
}

// ── payloads ─────────────────────────────────────────────────────────────────────────────────────

const TEXT_UNIT = Buffer.from("wirecore ✓ héllo wörld 𝄞 — ", "utf8");

/** Valid UTF-8 of exactly `size` bytes, with 2-, 3- and 4-byte characters. */
function utf8Text(size: number): Buffer {
  const out = Buffer.alloc(size, 0x61);
  const whole = size - (size % TEXT_UNIT.length);
  if (whole > 0) out.fill(TEXT_UNIT, 0, whole);
  return out;
}

function sizeName(size: number): string {
  return size >= MiB ? `${size / MiB} MiB` : size >= 10 * KiB ? `${size / KiB} KiB` : `${size} B`;
}

function sameBytes(actual: Uint8Array, expected: Uint8Array, what: string): void {
  assert.equal(actual.length, expected.length, `${what}: ${actual.length} bytes, expected ${expected.length}`);
  const a = Buffer.from(actual.buffer, actual.byteOffset, actual.byteLength);
  if (!a.equals(Buffer.from(expected.buffer, expected.byteOffset, expected.byteLength))) {
    let i = 0;
    while (a[i] === expected[i]) i++;
    assert.fail(`${what}: bytes differ from offset ${i}`);
  }
}

// ── compression in the test (independent of the server's codec) ──────────────────────────────────

/** A client compressor with context takeover: one raw-deflate stream, sync-flushed per message. */
class StreamDeflater {
  readonly #z: zlib.DeflateRaw;
  #out: Buffer[] = [];

  constructor() {
    this.#z = zlib.createDeflateRaw({ windowBits: 15 });
    this.#z.on("data", (chunk: Buffer) => this.#out.push(chunk));
  }

  /** The message compressed, without the trailing `00 00 ff ff` (RFC 7692 §7.2.1). */
  async deflate(data: Uint8Array): Promise<Buffer> {
    this.#z.write(data);
    await new Promise<void>((resolve) => this.#z.flush(Z_SYNC_FLUSH, () => resolve()));
    const deadline = Date.now() + 2000;
    let all = Buffer.concat(this.#out);
    while (!(all.length >= 4 && all.subarray(all.length - 4).equals(DEFLATE_TAIL))) {
      if (Date.now() > deadline) throw new Error("the test's deflate stream did not flush");
      await new Promise((resolve) => setTimeout(resolve, 1));
      all = Buffer.concat(this.#out);
    }
    this.#out = [];
    return all.subarray(0, all.length - 4);
  }

  close(): void {
    this.#z.close();
  }
}

/** One message compressed on its own (no context takeover). */
function deflateAlone(data: Uint8Array): Buffer {
  const out = zlib.deflateRawSync(data, { finishFlush: Z_SYNC_FLUSH });
  assert.ok(out.subarray(out.length - 4).equals(DEFLATE_TAIL), "zlib did not end with a sync flush");
  return out.subarray(0, out.length - 4);
}

/** One message decompressed on its own (the sender had no context). */
function inflateAlone(payload: Uint8Array): Buffer {
  return zlib.inflateRawSync(Buffer.concat([payload, DEFLATE_TAIL]), { finishFlush: Z_SYNC_FLUSH });
}

/**
 * A decompressor with context takeover, the plain way: the compressed messages form one deflate
 * stream, so inflate all of it and take the new bytes (quadratic, fine for a few messages).
 */
class StreamInflater {
  #stream: Buffer[] = [];
  #produced = 0;

  inflate(payload: Uint8Array): Buffer {
    this.#stream.push(Buffer.from(payload), DEFLATE_TAIL);
    const all = zlib.inflateRawSync(Buffer.concat(this.#stream), { finishFlush: Z_SYNC_FLUSH });
    const out = all.subarray(this.#produced);
    this.#produced = all.length;
    return out;
  }
}

// ── the global WebSocket client ──────────────────────────────────────────────────────────────────

/** Open a WHATWG WebSocket; resolves on `open`. Messages and the close event are queued. */
async function openWebSocket(url: string, protocols?: string[]): Promise<{
  ws: WebSocket;
  next(what?: string, timeoutMs?: number): Promise<string | ArrayBuffer>;
  closed: Promise<CloseEvent>;
}> {
  const ws = protocols === undefined ? new WebSocket(url) : new WebSocket(url, protocols);
  ws.binaryType = "arraybuffer";
  const queue: (string | ArrayBuffer)[] = [];
  let wake: (() => void) | null = null;
  let closeEvent: CloseEvent | null = null;
  ws.onmessage = (event) => {
    queue.push(event.data as string | ArrayBuffer);
    wake?.();
  };
  const closed = new Promise<CloseEvent>((resolve) => {
    ws.addEventListener("close", (event) => {
      closeEvent = event;
      resolve(event);
      wake?.();
    });
  });
  await new Promise<void>((resolve, reject) => {
    ws.onopen = () => resolve();
    ws.onerror = () => reject(new Error(`WebSocket ${url} failed to open`));
    void closed.then((event) => reject(new Error(`WebSocket ${url} closed before opening: ${event.code}`)));
  });
  async function next(what = "a message", timeoutMs = 5000): Promise<string | ArrayBuffer> {
    const deadline = Date.now() + timeoutMs;
    while (queue.length === 0) {
      if (closeEvent !== null) throw new Error(`${what}: the socket closed (${closeEvent.code}) first`);
      const left = deadline - Date.now();
      if (left <= 0) throw new Error(`${what}: no message within ${timeoutMs} ms`);
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, left);
        wake = () => {
          clearTimeout(timer);
          wake = null;
          resolve();
        };
      });
    }
    return queue.shift()!;
  }
  return { ws, next, closed };
}

// ── the fixture ──────────────────────────────────────────────────────────────────────────────────

/** What the fixture's handlers saw, for the cases to check. */
interface Observed {
  /** `close(ws, code, reason)` calls of `/ws-record`, by the `id` query parameter. */
  closes: Map<string, { code: number; reason: string }>;
  /** `/ws-flood`: a sender that respects backpressure. */
  flood: { total: number; sent: number; pressure: number; drains: number; maxBuffered: number; done: boolean };
  /** `/ws-firehose`: a sender that ignores backpressure. */
  hose: { sent: number; closeCode: number; finishedAt: number };
}

function newObserved(): Observed {
  return {
    closes: new Map(),
    flood: { total: 0, sent: 0, pressure: 0, drains: 0, maxBuffered: 0, done: false },
    hose: { sent: 0, closeCode: 0, finishedAt: -1 },
  };
}

const echo: WebSocketHandlers = { message: (ws, data) => void ws.send(data) };

/** The reference app (`/ws` echo, `/chat` pub/sub) plus routes these cases need. */
function createWsApp(seen: Observed): App {
  const app = createApp();
  // Echo, and record the close handler's arguments; "!close CODE REASON" makes the server close.
  app.ws<string>("/ws-record", {
    message(ws, data) {
      if (typeof data === "string" && data.startsWith("!close ")) {
        const [, code, ...reason] = data.split(" ");
        ws.close(Number(code), reason.join(" "));
      } else ws.send(data);
    },
    close(ws, code, reason) {
      seen.closes.set(ws.data, { code, reason });
    },
  }, (c) => c.req.query.get("id") ?? "");
  // Subprotocol selection by the app (§4.2.2 step 4), plus an extra response header.
  app.get("/ws-proto", (c) => {
    const offered = (c.req.header("sec-websocket-protocol") ?? "").split(",").map((p) => p.trim());
    const protocol = ["v2.wirecore", "v1.wirecore"].find((p) => offered.includes(p));
    return c.upgrade({
      protocol,
      headers: ["x-wirecore-ws", "yes"],
      handlers: {
        open: (ws) => void ws.send(`protocol=${ws.protocol}`),
        message: (ws, data) => void ws.send(data),
      },
    });
  });
  // An upgrade attempted on POST: the handshake check answers (§4.2.1 item 1).
  app.post("/ws-any", (c) => c.upgrade({ handlers: echo }));
  // Send N bytes in 64 KiB binary messages, waiting for `drain` whenever send() says so: from
  // `open` with `?bytes=N`, or from `message` on "go N". Each message starts with its index
  // (4 bytes, big-endian) and is filled with index & 0xff.
  app.ws<number>("/ws-flood", {
    open(ws) {
      if (ws.data > 0) startFlood(ws, seen.flood, ws.data);
    },
    message(ws, data) {
      startFlood(ws, seen.flood, Number(String(data).split(" ")[1]));
    },
    drain(ws) {
      seen.flood.drains++;
      pumpFlood(ws, seen.flood);
    },
  }, (c) => Number(c.req.query.get("bytes") ?? "0"));
  // Send 64 KiB messages in a tight loop, ignoring send()'s verdict, until the socket closes (or
  // 32 MiB went out): from `open` with `?on=open`, or from `message`.
  app.ws<string>("/ws-firehose", {
    open(ws) {
      if (ws.data === "open") fireHose(ws, seen.hose);
    },
    message(ws) {
      fireHose(ws, seen.hose);
    },
    close(_ws, code) {
      seen.hose.closeCode = code;
    },
  }, (c) => c.req.query.get("on") ?? "");
  return app;
}

function startFlood(ws: ServerWebSocket<unknown>, f: Observed["flood"], total: number): void {
  Object.assign(f, { total, sent: 0, pressure: 0, drains: 0, maxBuffered: 0, done: false });
  pumpFlood(ws, f);
}

function fireHose(ws: ServerWebSocket<unknown>, hose: Observed["hose"]): void {
  const chunk = new Uint8Array(64 * KiB).fill(0x5a);
  hose.sent = 0;
  while (ws.readyState === 1 && hose.sent < 32 * MiB) {
    ws.send(chunk);
    hose.sent += chunk.length;
  }
  hose.finishedAt = hose.sent;
}

function pumpFlood(ws: ServerWebSocket<unknown>, f: Observed["flood"]): void {
  while (f.sent < f.total) {
    const n = Math.min(64 * KiB, f.total - f.sent);
    const index = f.sent / (64 * KiB);
    const message = new Uint8Array(n).fill(index & 0xff);
    new DataView(message.buffer).setUint32(0, index);
    f.sent += n;
    const full = ws.send(message);
    f.maxBuffered = Math.max(f.maxBuffered, ws.bufferedAmount);
    if (full) {
      f.pressure++;
      return;
    }
  }
  f.done = true;
}

/** One HTTP exchange on a fresh connection: the first response. */
async function request(port: number, text: string): Promise<RawResponse> {
  const { client, responses } = await exchange(port, text);
  client.close();
  return responses[0]!;
}

function handshake(path: string, fields: string[], method = "GET", version = "1.1"): string {
  return [`${method} ${path} HTTP/${version}`, "Host: ws.test", ...fields].join("\r\n") + "\r\n\r\n";
}

const KEY = "dGhlIHNhbXBsZSBub25jZQ==";
const GOOD = ["Upgrade: websocket", "Connection: Upgrade", `Sec-WebSocket-Key: ${KEY}`, "Sec-WebSocket-Version: 13"];
const without = (name: string): string[] => GOOD.filter((line) => !line.toLowerCase().startsWith(name.toLowerCase()));

// ── the cases ────────────────────────────────────────────────────────────────────────────────────

/** The WebSocket cases, run against `runtime`'s adapter. */
export function wsCases(t: TestApi, runtime: Runtime): void {
  t.describe(`websocket (${runtime.name})`, () => {
    const seen = newObserved();
    const main = useServer(t, runtime, () => createWsApp(seen), {});
    const deflate = useServer(t, runtime, () => createWsApp(newObserved()), { websocket: { perMessageDeflate: true } });
    const tightSeen = newObserved();
    const tight = useServer(t, runtime, () => createWsApp(tightSeen), {
      websocket: { maxMessageSize: 64 * KiB, maxBackpressure: 1 * MiB, perMessageDeflate: true },
    });
    const clients: { close(): void }[] = [];
    const track = <C extends { close(): void }>(c: C): C => {
      clients.push(c);
      return c;
    };
    t.afterAll(() => {
      for (const c of clients) c.close();
    });
    const open = async (path = "/ws", options?: OpenOptions, port = main.port): Promise<WsClient> =>
      track(await WsClient.open(port, path, options));

    // ── opening handshake (RFC 6455 §4.2) ──────────────────────────────────────────────────────

    t.describe("opening handshake", () => {
      t.it("answers 101 with the accept value of the RFC's example key (§1.3, §4.2.2)", async () => {
        const client = track(await RawClient.open(main.port));
        await client.write(handshake("/ws", GOOD));
        const head = await client.until((text) => text.includes("\r\n\r\n"));
        assert.match(head, /^HTTP\/1\.1 101 /);
        assert.match(head, /\r\nSec-WebSocket-Accept: s3pPLMBiTxaQ9kYGzzhZRbK\+xOo=\r\n/i);
        assert.match(head, /\r\nUpgrade: websocket\r\n/i);
        assert.match(head, /\r\nConnection: Upgrade\r\n/i);
        assert.doesNotMatch(head, /sec-websocket-protocol|sec-websocket-extensions|content-length|transfer-encoding/i);
      });

      t.it("takes Upgrade and Connection as case-insensitive lists (§4.2.1 items 3, 4)", async () => {
        const client = track(await RawClient.open(main.port));
        await client.write(handshake("/ws", [
          "Upgrade: h2c, WebSocket",
          "Connection: keep-alive, UPGRADE",
          `Sec-WebSocket-Key: ${KEY}`,
          "Sec-WebSocket-Version: 13",
        ]));
        assert.match(await client.until((text) => text.includes("\r\n\r\n")), /^HTTP\/1\.1 101 /);
      });

      const rejections: [string, string, number, [string, RegExp][]][] = [
        ["a missing Sec-WebSocket-Key", handshake("/ws", without("sec-websocket-key")), 400, []],
        [
          "a key that is not base64",
          handshake("/ws", [...without("sec-websocket-key"), "Sec-WebSocket-Key: not a key at all!!!!!!"]),
          400,
          [],
        ],
        [
          "a key of 15 bytes",
          handshake("/ws", [...without("sec-websocket-key"), "Sec-WebSocket-Key: AAAAAAAAAAAAAAAAAAAA"]),
          400,
          [],
        ],
        [
          "a key of 17 bytes",
          handshake("/ws", [...without("sec-websocket-key"), "Sec-WebSocket-Key: AAAAAAAAAAAAAAAAAAAAAAA="]),
          400,
          [],
        ],
        ["two keys", handshake("/ws", [...GOOD, `Sec-WebSocket-Key: ${KEY}`]), 400, []],
        ["version 8", handshake("/ws", [...without("sec-websocket-version"), "Sec-WebSocket-Version: 8"]), 426, [[
          "sec-websocket-version",
          /^13$/,
        ]]],
        ["no version", handshake("/ws", without("sec-websocket-version")), 426, [["sec-websocket-version", /^13$/]]],
        ["no Upgrade field", handshake("/ws", without("upgrade")), 426, [["upgrade", /^websocket$/i]]],
        ["Connection without upgrade", handshake("/ws", [...without("connection"), "Connection: keep-alive"]), 400, []],
        ["HTTP/1.0", handshake("/ws", GOOD, "GET", "1.0"), 400, []],
        ["an invalid subprotocol list", handshake("/ws-proto", [...GOOD, "Sec-WebSocket-Protocol: a b"]), 400, []],
        [
          "POST to a route that upgrades (§4.2.1 item 1)",
          handshake("/ws-any", [...GOOD, "Content-Length: 0"], "POST"),
          405,
          [["allow", /GET/]],
        ],
        ["POST to a WebSocket route (GET only)", handshake("/ws", [...GOOD, "Content-Length: 0"], "POST"), 405, [[
          "allow",
          /GET/,
        ]]],
      ];
      for (const [name, bytes, status, fields] of rejections) {
        t.it(`refuses ${name} with ${status}`, async () => {
          const res = await request(main.port, bytes);
          assert.equal(res.status, status, `${name}: got ${res.status} ${res.reason} ${JSON.stringify(res.body)}`);
          assert.equal(header(res, "sec-websocket-accept"), undefined);
          for (const [field, pattern] of fields) assert.match(header(res, field) ?? "", pattern, `${name}: ${field}`);
        });
      }

      t.it("lets the app pick a subprotocol the client offered, and add headers (§4.2.2 step 4)", async () => {
        const a = await open("/ws-proto", { headers: ["Sec-WebSocket-Protocol: chat, v1.wirecore, v2.wirecore"] });
        assert.equal(a.headers.get("sec-websocket-protocol"), "v2.wirecore");
        assert.equal(a.headers.get("x-wirecore-ws"), "yes");
        assert.equal((await a.nextMessage(OP_TEXT)).toString(), "protocol=v2.wirecore");
        const b = await open("/ws-proto", { headers: ["Sec-WebSocket-Protocol: chat"] });
        assert.equal(b.headers.get("sec-websocket-protocol"), undefined, "a protocol the client did not offer");
        assert.equal((await b.nextMessage(OP_TEXT)).toString(), "protocol=");
        const c = await open("/ws-proto");
        assert.equal(c.headers.get("sec-websocket-protocol"), undefined);
        // The runtime's own client sees the choice too.
        const { ws, next } = await openWebSocket(`ws://127.0.0.1:${main.port}/ws-proto`, ["x.other", "v1.wirecore"]);
        track(ws);
        assert.equal(ws.protocol, "v1.wirecore");
        assert.equal(await next(), "protocol=v1.wirecore");
      });

      t.it("does not offer permessage-deflate unless configured (RSV1 is then a protocol error)", async () => {
        const client = await open("/ws", {
          headers: ["Sec-WebSocket-Extensions: permessage-deflate; client_max_window_bits"],
        });
        assert.equal(client.headers.get("sec-websocket-extensions"), undefined);
        client.sendFrame(OP_TEXT, deflateAlone(Buffer.from("hello")), { rsv: RSV1 });
        await expectClose(client, 1002, "RSV1 without an extension");
      });
    });

    // ── data: echo, fragmentation, ping ────────────────────────────────────────────────────────

    t.describe("messages", () => {
      const sizes = [0, 125, 126, 65535, 65536, MiB, 16 * MiB];
      for (const kind of ["text", "binary"] as const) {
        t.it(`echoes ${kind} messages of ${sizes.map(sizeName).join(", ")} (${kind} stays ${kind})`, async () => {
          const client = await open();
          const opcode = kind === "text" ? OP_TEXT : OP_BINARY;
          for (const size of sizes) {
            const payload = kind === "text" ? utf8Text(size) : randomBytes(size);
            client.sendFrame(opcode, payload);
            const back = await client.nextMessage(opcode, `the echo of ${sizeName(size)} ${kind}`, 10_000);
            sameBytes(back, payload, `${sizeName(size)} ${kind} echo`);
          }
          client.close();
        }, 30_000);
      }

      t.it("parses frames split anywhere (byte by byte) and many frames in one write (§5.2)", async () => {
        const client = await open();
        const bytes = Buffer.concat([
          frame(OP_TEXT, "one"),
          frame(OP_BINARY, Buffer.from([1, 2, 3])),
          frame(OP_TEXT, utf8Text(300)),
        ]);
        for (let i = 0; i < bytes.length; i++) {
          client.send(bytes.subarray(i, i + 1));
          if (i % 16 === 0) await sleep(0);
        }
        assert.equal((await client.nextMessage(OP_TEXT)).toString(), "one");
        sameBytes(await client.nextMessage(OP_BINARY), Buffer.from([1, 2, 3]), "binary after byte-wise frames");
        sameBytes(await client.nextMessage(OP_TEXT), utf8Text(300), "text after byte-wise frames");
        const many: Buffer[] = [];
        for (let i = 0; i < 200; i++) many.push(frame(i % 2 ? OP_BINARY : OP_TEXT, `message ${i}`));
        client.send(Buffer.concat(many));
        for (let i = 0; i < 200; i++) {
          assert.equal((await client.nextMessage(i % 2 ? OP_BINARY : OP_TEXT, `echo ${i}`)).toString(), `message ${i}`);
        }
      });

      t.it("reassembles a fragmented text message (§5.4)", async () => {
        const client = await open();
        client.sendFrame(OP_TEXT, "Hello, ", { fin: false });
        client.sendFrame(OP_CONT, "", { fin: false });
        client.sendFrame(OP_CONT, "fragmented ", { fin: false });
        client.sendFrame(OP_CONT, "world ✓", { fin: true });
        assert.equal((await client.nextMessage(OP_TEXT)).toString(), "Hello, fragmented world ✓");
        // A character split between fragments is fine (§8.1 applies to the whole message).
        const euro = Buffer.from("€", "utf8");
        client.sendFrame(OP_TEXT, euro.subarray(0, 1), { fin: false });
        client.sendFrame(OP_CONT, euro.subarray(1, 2), { fin: false });
        client.sendFrame(OP_CONT, euro.subarray(2), { fin: true });
        assert.equal((await client.nextMessage(OP_TEXT)).toString(), "€");
      });

      t.it("answers a ping interleaved between fragments at once, with the same payload (§5.4, §5.5.2)", async () => {
        const client = await open();
        const a = randomBytes(70 * KiB);
        const b = randomBytes(1000);
        client.sendFrame(OP_BINARY, a, { fin: false });
        client.sendFrame(OP_PING, "between fragments");
        const pong = await client.nextFrame("the pong while the message is unfinished");
        assert.equal(pong.opcode, OP_PONG, `expected a pong, got ${describeFrame(pong)}`);
        assert.equal(pong.payload.toString(), "between fragments");
        client.sendFrame(OP_PONG, "unsolicited"); // §5.5.3: allowed, no answer
        client.sendFrame(OP_CONT, b, { fin: true });
        sameBytes(
          await client.nextMessage(OP_BINARY, "the reassembled message"),
          Buffer.concat([a, b]),
          "fragmented binary echo",
        );
      });

      t.it("answers pings with pongs carrying the same payload (0 and 125 bytes) (§5.5.2)", async () => {
        const client = await open();
        for (const payload of [Buffer.alloc(0), Buffer.from("ping!"), randomBytes(125)]) {
          client.sendFrame(OP_PING, payload);
          const pong = await client.nextFrame(`the pong to a ${payload.length}-byte ping`);
          assert.equal(pong.opcode, OP_PONG, describeFrame(pong));
          sameBytes(pong.payload, payload, "pong payload");
        }
        client.sendFrame(OP_TEXT, "still open");
        assert.equal((await client.nextMessage(OP_TEXT)).toString(), "still open");
      });

      t.it("echoes through the runtime's own WebSocket client (text stays string, binary stays binary)", async () => {
        const { ws, next } = await openWebSocket(`ws://127.0.0.1:${main.port}/ws`);
        track(ws);
        for (const size of [0, 126, 65536, MiB]) {
          const text = utf8Text(size).toString("utf8");
          ws.send(text);
          const back = await next(`text ${sizeName(size)}`);
          assert.equal(typeof back, "string", `text ${sizeName(size)} came back as ${typeof back}`);
          assert.ok(back === text, `text ${sizeName(size)} changed`);
          const bytes = randomBytes(size);
          ws.send(bytes);
          const bin = await next(`binary ${sizeName(size)}`);
          assert.ok(bin instanceof ArrayBuffer, `binary ${sizeName(size)} came back as ${typeof bin}`);
          sameBytes(new Uint8Array(bin), bytes, `binary ${sizeName(size)}`);
        }
        ws.close(1000);
      }, 20_000);
    });

    // ── protocol errors (§5, §7.4, §8.1) ───────────────────────────────────────────────────────

    t.describe("protocol errors", () => {
      const violations: [string, () => Buffer | Buffer[], number][] = [
        ["an unmasked client frame → 1002 (§5.1)", () => frame(OP_TEXT, "hello", { mask: false }), 1002],
        ["RSV1 without an extension → 1002 (§5.2)", () => frame(OP_TEXT, "x", { rsv: RSV1 }), 1002],
        ["RSV2 → 1002 (§5.2)", () => frame(OP_TEXT, "x", { rsv: RSV2 }), 1002],
        ["RSV3 → 1002 (§5.2)", () => frame(OP_BINARY, "x", { rsv: RSV3 }), 1002],
        ["RSV bits on a ping → 1002 (§5.2)", () => frame(OP_PING, "x", { rsv: RSV2 }), 1002],
        ["a ping of 126 bytes → 1002 (§5.5)", () => frame(OP_PING, randomBytes(126)), 1002],
        ["a close of 126 bytes → 1002 (§5.5)", () => frame(OP_CLOSE, closeBody(1000, "x".repeat(124))), 1002],
        ["a fragmented ping → 1002 (§5.5)", () => frame(OP_PING, "x", { fin: false }), 1002],
        ["a fragmented close → 1002 (§5.5)", () => frame(OP_CLOSE, closeBody(1000), { fin: false }), 1002],
        ["a continuation without a message → 1002 (§5.4)", () => frame(OP_CONT, "x"), 1002],
        [
          "a new message inside a fragmented one → 1002 (§5.4)",
          () => [frame(OP_TEXT, "a", { fin: false }), frame(OP_TEXT, "b")],
          1002,
        ],
        ["a 64-bit length with its top bit set → 1002 (§5.2)", () => {
          const f = frame(OP_BINARY, Buffer.alloc(0), { length: 0x10000 });
          f[2] |= 0x80;
          return f;
        }, 1002],
        ["a 16-bit length under 126 → 1002 (§5.2 minimal length; wirecore is strict)", () => {
          const f = Buffer.from([0x82, 0x80 | 126, 0, 5, 1, 2, 3, 4, 0, 0, 0, 0, 0]);
          return f;
        }, 1002],
      ];
      for (const opcode of [0x3, 0x4, 0x5, 0x6, 0x7, 0xb, 0xc, 0xd, 0xe, 0xf]) {
        violations.push([`reserved opcode 0x${opcode.toString(16)} → 1002 (§5.2)`, () => frame(opcode, "x"), 1002]);
      }
      for (const [name, bytes, code] of violations) {
        t.it(`fails ${name}`, async () => {
          await failsWith(main.port, bytes(), code, name);
        });
      }

      t.it(
        "fails a message over maxMessageSize with 1009 from its header, before the payload (16 MiB default)",
        async () => {
          // Only the header of a 16 MiB + 1 frame goes out: the server must not wait for the payload.
          const header = frame(OP_BINARY, Buffer.alloc(0), { length: 16 * MiB + 1 });
          await failsWith(main.port, header, 1009, "16 MiB + 1 byte");
        },
      );

      t.it("fails a fragmented message whose fragments add up past maxMessageSize with 1009 (64 KiB)", async () => {
        const client = await open("/ws", {}, tight.port);
        client.sendFrame(OP_BINARY, randomBytes(64 * KiB));
        assert.equal((await client.nextMessage(OP_BINARY, "exactly the limit")).length, 64 * KiB);
        client.sendFrame(OP_BINARY, randomBytes(40 * KiB), { fin: false });
        client.send(frame(OP_CONT, Buffer.alloc(0), { length: 40 * KiB }).subarray(0, 8)); // header only
        await expectClose(client, 1009, "40 KiB + 40 KiB over a 64 KiB limit");
      });
    });

    t.describe("invalid UTF-8 (§8.1)", () => {
      const invalid: [string, number[]][] = [
        ["a lone 0xFF", [0x61, 0xff, 0x62]],
        ["a lone continuation byte", [0x80]],
        ["an overlong '/' (C0 AF)", [0xc0, 0xaf]],
        ["an overlong 3-byte form (E0 80 AF)", [0xe0, 0x80, 0xaf]],
        ["a UTF-16 surrogate (ED A0 80)", [0xed, 0xa0, 0x80]],
        ["a code point over U+10FFFF (F4 90 80 80)", [0xf4, 0x90, 0x80, 0x80]],
        ["a truncated sequence at the end (E2 82)", [0x61, 0xe2, 0x82]],
      ];
      for (const [name, bytes] of invalid) {
        t.it(`fails a text message with ${name} → 1007`, async () => {
          await failsWith(main.port, frame(OP_TEXT, Buffer.from(bytes)), 1007, name);
        });
      }

      t.it("fails fast: invalid bytes in the first fragment close with 1007 before the message ends", async () => {
        const client = await open();
        client.sendFrame(OP_TEXT, Buffer.from([0x68, 0x69, 0xff]), { fin: false }); // no final fragment ever
        await expectClose(client, 1007, "invalid first fragment");
      });

      t.it("fails fast: a sequence broken across fragments closes with 1007 before the message ends", async () => {
        const client = await open();
        client.sendFrame(OP_TEXT, Buffer.from([0x61, 0xe2]), { fin: false });
        client.sendFrame(OP_CONT, Buffer.from([0x28, 0x61]), { fin: false }); // E2 28: not a continuation
        await expectClose(client, 1007, "E2 | 28 across fragments");
      });

      t.it("fails fast: invalid bytes early in one frame close with 1007 before the frame ends", async () => {
        const client = await open();
        const whole = frame(OP_TEXT, Buffer.concat([Buffer.from("abc"), Buffer.from([0xff]), Buffer.alloc(996, 0x61)]));
        client.send(whole.subarray(0, 8 + 10)); // header (2 + 2 + 4) and the first 10 payload bytes
        await expectClose(client, 1007, "invalid byte at 3 of a 1000-byte frame");
      });

      t.it("fails a truncated sequence at the end of a fragmented message → 1007", async () => {
        await failsWith(
          main.port,
          [frame(OP_TEXT, "ok", { fin: false }), frame(OP_CONT, Buffer.from([0xf0, 0x9f, 0x98]))],
          1007,
          "F0 9F 98 at the end",
        );
      });
    });

    // ── closing handshake (§5.5.1, §7) ─────────────────────────────────────────────────────────

    t.describe("closing handshake", () => {
      const valid = [1000, 1001, 1002, 1003, 1007, 1008, 1009, 1010, 1011, 1012, 1013, 1014, 3000, 3999, 4000, 4999];
      t.it(
        `echoes valid close codes (${valid.join(", ")}) and closes TCP after the handshake (§7.1.1, §7.4)`,
        async () => {
          await Promise.all(valid.map(async (code) => {
            const client = await open();
            client.sendFrame(OP_CLOSE, closeBody(code, "bye ✓"));
            await expectClose(client, code, `close ${code}`);
          }));
        },
      );

      t.it("answers an empty Close with an empty Close (§5.5.1)", async () => {
        const client = await open();
        client.sendFrame(OP_CLOSE);
        await expectClose(client, null, "empty close");
      });

      const invalid = [0, 1, 999, 1004, 1005, 1006, 1015, 1016, 1100, 2000, 2999, 5000, 65535];
      t.it(`fails close codes that may not be sent (${invalid.join(", ")}) with 1002 (§7.4)`, async () => {
        await Promise.all(invalid.map(async (code) => {
          const client = await open();
          client.sendFrame(OP_CLOSE, closeBody(code));
          await expectClose(client, 1002, `close ${code}`);
        }));
      });

      t.it("fails a Close body of 1 byte with 1002 (§5.5.1)", async () => {
        await failsWith(main.port, frame(OP_CLOSE, Buffer.from([0x03])), 1002, "1-byte close body");
      });

      t.it("fails a Close reason that is not UTF-8 with 1007 (§5.5.1, §8.1)", async () => {
        await failsWith(
          main.port,
          frame(OP_CLOSE, closeBody(1000, Buffer.from([0x61, 0xff]))),
          1007,
          "close reason 61 FF",
        );
        await failsWith(
          main.port,
          frame(OP_CLOSE, closeBody(1000, Buffer.from([0xe2, 0x82]))),
          1007,
          "close reason E2 82",
        );
      });

      t.it("ignores data after the peer's Close and still closes TCP (§5.5.1)", async () => {
        const client = await open();
        client.send(
          Buffer.concat([frame(OP_CLOSE, closeBody(1000)), frame(OP_TEXT, "too late"), frame(OP_PING, "late")]),
        );
        await expectClose(client, 1000, "data after close");
      });

      t.it(
        "passes the code and reason to the close handler (1005 for none, 1006 for a dropped connection)",
        async () => {
          const a = await open("/ws-record?id=normal");
          a.sendFrame(OP_CLOSE, closeBody(4321, "bye now ✓"));
          await expectClose(a, 4321, "close 4321");
          await waitFor(() => seen.closes.has("normal"), "close handler (normal)");
          assert.deepEqual(seen.closes.get("normal"), { code: 4321, reason: "bye now ✓" });

          const b = await open("/ws-record?id=empty");
          b.sendFrame(OP_CLOSE);
          await expectClose(b, null, "empty close");
          await waitFor(() => seen.closes.has("empty"), "close handler (empty)");
          assert.deepEqual(seen.closes.get("empty"), { code: 1005, reason: "" });

          const c = await open("/ws-record?id=dropped");
          c.sendFrame(OP_TEXT, "hi");
          await c.nextMessage(OP_TEXT);
          c.close();
          await waitFor(() => seen.closes.has("dropped"), "close handler (dropped)");
          assert.deepEqual(seen.closes.get("dropped"), { code: 1006, reason: "" });

          const d = await open("/ws-record?id=broken");
          d.sendFrame(OP_TEXT, "x", { mask: false });
          await expectClose(d, 1002, "unmasked");
          await waitFor(() => seen.closes.has("broken"), "close handler (protocol error)");
          assert.equal(seen.closes.get("broken")!.code, 1002);
        },
      );

      t.it("closes from the server with ws.close(code, reason), then closes TCP on the peer's answer", async () => {
        const client = await open("/ws-record?id=server-close");
        client.sendFrame(OP_TEXT, "!close 4001 see you");
        const f = await client.nextFrame("the server's Close");
        assert.equal(f.opcode, OP_CLOSE, describeFrame(f));
        assert.equal(f.payload.readUInt16BE(0), 4001);
        assert.equal(f.payload.subarray(2).toString(), "see you");
        client.sendFrame(OP_TEXT, "ignored: the server is closing");
        client.sendFrame(OP_CLOSE, closeBody(4001));
        await client.untilServerCloses("after the client's answer");
        await waitFor(() => seen.closes.has("server-close"), "close handler (server close)");
        assert.equal(seen.closes.get("server-close")!.code, 4001);
      });

      t.it("the runtime's client sees the code the server echoes", async () => {
        const { ws, closed } = await openWebSocket(`ws://127.0.0.1:${main.port}/ws-record?id=whatwg`);
        ws.close(4000, "done");
        const event = await closed;
        assert.equal(event.code, 4000);
        await waitFor(() => seen.closes.has("whatwg"), "close handler (WebSocket client)");
        assert.deepEqual(seen.closes.get("whatwg"), { code: 4000, reason: "done" });
      });
    });

    // ── permessage-deflate (RFC 7692) ──────────────────────────────────────────────────────────

    t.describe("permessage-deflate", () => {
      // Context takeover: the server inflates with the earlier messages in front of each one
      // (stored blocks), on every runtime. Its own deflate keeps context where node:zlib honours a
      // preset dictionary on raw streams (Node, Bun); where it does not (Deno 2.9), the server
      // says so with server_no_context_takeover (RFC 7692 §7.1.1.1) and compresses each alone.
      const serverKeepsContext = runtime.name !== "deno";
      // Compressible (hex) but not repetitive: a second copy compresses to a back-reference.
      const text = Buffer.from(`✓ ${randomBytes(1500).toString("hex")} ✓`, "utf8");

      t.it("negotiates: the first acceptable offer, parameters echoed (RFC 7692 §5, §7)", async () => {
        const cases: [string, RegExp][] = [
          ["permessage-deflate", /^permessage-deflate$/],
          ["permessage-deflate; client_max_window_bits", /^permessage-deflate(; client_max_window_bits=15)?$/],
          [
            "permessage-deflate; server_no_context_takeover; client_no_context_takeover",
            /^permessage-deflate; server_no_context_takeover; client_no_context_takeover$/,
          ],
          [
            "x-unknown, permessage-deflate; bogus_param, permessage-deflate; server_max_window_bits=10",
            /^permessage-deflate; server_max_window_bits=10$/,
          ],
        ];
        for (let [offer, expected] of cases) {
          const client = await open("/ws", { headers: [`Sec-WebSocket-Extensions: ${offer}`] }, deflate.port);
          let got = client.headers.get("sec-websocket-extensions") ?? "(none)";
          if (!serverKeepsContext) {
            assert.match(
              got,
              /; server_no_context_takeover/,
              `offer ${offer}: the server must say it keeps no context`,
            );
            got = got.replace("; server_no_context_takeover", "");
            expected = new RegExp(expected.source.replace("; server_no_context_takeover", ""));
          }
          assert.match(got, expected, `offer ${offer}`);
          client.close();
        }
        const none = await open(
          "/ws",
          { headers: ["Sec-WebSocket-Extensions: permessage-deflate; bogus"] },
          deflate.port,
        );
        assert.equal(none.headers.get("sec-websocket-extensions"), undefined, "an unacceptable offer must be declined");
      });

      const messages: [number, Buffer][] = [[OP_TEXT, text], [OP_TEXT, text], [OP_BINARY, text], [
        OP_TEXT,
        Buffer.alloc(0),
      ], [OP_BINARY, randomBytes(3000)]];

      t.it("client context takeover: the server inflates messages that refer back to earlier ones", async () => {
        const client = await open("/ws", {
          headers: ["Sec-WebSocket-Extensions: permessage-deflate; server_no_context_takeover"],
        }, deflate.port);
        assert.match(
          client.headers.get("sec-websocket-extensions") ?? "",
          /^permessage-deflate; server_no_context_takeover$/,
        );
        const deflater = new StreamDeflater();
        try {
          const sent: number[] = [];
          for (const [opcode, message] of messages) {
            const payload = await deflater.deflate(message);
            sent.push(payload.length);
            client.sendFrame(opcode, payload, { rsv: RSV1 });
            const f = await client.nextFrame(`the echo of compressed message ${sent.length}`);
            assert.equal(f.opcode, opcode, `echo ${sent.length}: ${describeFrame(f)}`);
            assert.equal(f.rsv, RSV1, `the echo is compressed: ${describeFrame(f)}`);
            sameBytes(inflateAlone(f.payload), message, `echo ${sent.length} (server without context takeover)`);
          }
          // The test's second copy is a back-reference to the first: the server used its window.
          assert.ok(sent[1]! < sent[0]! / 4, `the test's compressor lost its context: ${sent.join(", ")}`);
        } finally {
          deflater.close();
        }
      });

      t.it("server context takeover: the server's later messages refer back to earlier ones", async () => {
        const client = await open("/ws", {
          headers: ["Sec-WebSocket-Extensions: permessage-deflate; client_no_context_takeover"],
        }, deflate.port);
        const agreed = client.headers.get("sec-websocket-extensions") ?? "";
        if (!serverKeepsContext) {
          assert.match(agreed, /^permessage-deflate; server_no_context_takeover; client_no_context_takeover$/);
        } else {
          assert.match(agreed, /^permessage-deflate; client_no_context_takeover$/);
        }
        const inflater = new StreamInflater();
        const received: number[] = [];
        for (const [opcode, message] of messages) {
          client.sendFrame(opcode, deflateAlone(message), { rsv: RSV1 });
          const f = await client.nextFrame(`the echo of compressed message ${received.length + 1}`);
          assert.equal(f.opcode, opcode, `echo ${received.length + 1}: ${describeFrame(f)}`);
          assert.equal(f.rsv, RSV1, `the echo is compressed: ${describeFrame(f)}`);
          received.push(f.payload.length);
          sameBytes(inflater.inflate(f.payload), message, `echo ${received.length} decompressed with context`);
        }
        if (serverKeepsContext) {
          assert.ok(
            received[1]! < received[0]! / 4,
            `the server compressed a repeated message without its context: ${received.join(", ")} bytes`,
          );
        }
      });

      t.it("without context takeover: every message stands alone both ways (§7.1.1)", async () => {
        const client = await open("/ws", {
          headers: [
            "Sec-WebSocket-Extensions: permessage-deflate; server_no_context_takeover; client_no_context_takeover",
          ],
        }, deflate.port);
        const sizes: number[] = [];
        for (let i = 0; i < 3; i++) {
          client.sendFrame(OP_TEXT, deflateAlone(text), { rsv: RSV1 });
          const f = await client.nextFrame("a compressed echo");
          assert.equal(f.rsv, RSV1, describeFrame(f));
          sameBytes(inflateAlone(f.payload), text, `echo ${i} decompressed on its own`);
          sizes.push(f.payload.length);
        }
        assert.ok(
          sizes[1] === sizes[0] && sizes[2] === sizes[0],
          `the same message compressed differently: ${sizes.join(", ")}`,
        );
      });

      t.it(
        "takes uncompressed and fragmented compressed messages; RSV1 on a continuation → 1002 (RFC 7692 §6.1)",
        async () => {
          const client = await open("/ws", {
            headers: [
              "Sec-WebSocket-Extensions: permessage-deflate; server_no_context_takeover; client_no_context_takeover",
            ],
          }, deflate.port);
          client.sendFrame(OP_TEXT, "plain");
          const plain = await client.nextFrame("echo of an uncompressed message");
          assert.equal(inflateAlone(plain.payload).toString(), "plain");
          const payload = deflateAlone(text);
          const cut = payload.length >> 1;
          client.sendFrame(OP_TEXT, payload.subarray(0, cut), { rsv: RSV1, fin: false });
          client.sendFrame(OP_PING, "mid");
          client.sendFrame(OP_CONT, payload.subarray(cut));
          const pong = await client.nextFrame("pong");
          assert.equal(pong.opcode, OP_PONG);
          const f = await client.nextFrame("echo of a fragmented compressed message");
          assert.equal(f.opcode, OP_TEXT);
          sameBytes(inflateAlone(f.payload), text, "fragmented compressed echo");
          client.sendFrame(OP_TEXT, payload.subarray(0, cut), { rsv: RSV1, fin: false });
          client.sendFrame(OP_CONT, payload.subarray(cut), { rsv: RSV1 });
          await expectClose(client, 1002, "RSV1 on a continuation");
        },
      );

      t.it("fails compressed text that is not UTF-8 with 1007, and corrupt deflate data with 1007", async () => {
        const offer = ["Sec-WebSocket-Extensions: permessage-deflate"];
        await failsWith(
          deflate.port,
          frame(OP_TEXT, deflateAlone(Buffer.from([0x61, 0xff])), { rsv: RSV1 }),
          1007,
          "compressed 61 FF",
          "/ws",
          offer,
        );
        await failsWith(
          deflate.port,
          frame(OP_BINARY, Buffer.from([0xff, 0xff, 0xff, 0xff]), { rsv: RSV1 }),
          1007,
          "corrupt deflate",
          "/ws",
          offer,
        );
      });

      t.it(
        "stops a decompression bomb at maxMessageSize with 1009 (32 MiB of zeros in ~32 KiB; 1 MiB over a 64 KiB limit)",
        async () => {
          const offer = ["Sec-WebSocket-Extensions: permessage-deflate"];
          const bomb = deflateAlone(Buffer.alloc(32 * MiB));
          assert.ok(bomb.length < 64 * KiB, `bomb is ${bomb.length} bytes`);
          await failsWith(
            deflate.port,
            frame(OP_BINARY, bomb, { rsv: RSV1 }),
            1009,
            "32 MiB bomb, 16 MiB limit",
            "/ws",
            offer,
          );
          const small = deflateAlone(Buffer.alloc(MiB));
          await failsWith(
            tight.port,
            frame(OP_TEXT, small, { rsv: RSV1 }),
            1009,
            "1 MiB bomb, 64 KiB limit",
            "/ws",
            offer,
          );
        },
      );

      t.it("works with the runtime's own WebSocket client", async () => {
        const { ws, next } = await openWebSocket(`ws://127.0.0.1:${deflate.port}/ws`);
        track(ws);
        // Deno's client does not offer permessage-deflate; Node's (undici) and Bun's do.
        if (runtime.name !== "deno") assert.match(ws.extensions, /permessage-deflate/);
        for (const size of [0, 100, 70 * KiB, MiB]) {
          const message = utf8Text(size).toString();
          ws.send(message);
          assert.ok((await next(`text ${sizeName(size)}`)) === message, `text ${sizeName(size)} changed`);
          const bytes = randomBytes(size);
          ws.send(bytes);
          sameBytes(
            new Uint8Array((await next(`binary ${sizeName(size)}`)) as ArrayBuffer),
            bytes,
            `binary ${sizeName(size)}`,
          );
        }
        ws.close();
      }, 20_000);
    });

    // ── backpressure ───────────────────────────────────────────────────────────────────────────

    t.describe("slow consumer", () => {
      /** Wait until the flood's sender has not sent anything for 400 ms. */
      async function untilStalled(): Promise<number> {
        let last = -1;
        let quietSince = Date.now();
        const deadline = Date.now() + 10_000;
        while (Date.now() - quietSince < 400) {
          assert.ok(Date.now() < deadline, `the sender never stalled (${sizeName(seen.flood.sent)} sent)`);
          await sleep(50);
          if (seen.flood.sent !== last) {
            last = seen.flood.sent;
            quietSince = Date.now();
          }
        }
        return seen.flood.sent;
      }

      /** Read the whole flood: every message, in order. */
      async function readFlood(client: WsClient, total: number): Promise<void> {
        client.socket.resume();
        let received = 0;
        for (let index = 0; received < total; index++) {
          const m = await client.nextMessage(OP_BINARY, `flood message ${index} (after ${sizeName(received)})`, 10_000);
          assert.equal(m.readUInt32BE(0), index, "flood messages out of order");
          assert.equal(m[m.length - 1], index & 0xff);
          received += m.length;
        }
        assert.equal(received, total);
      }

      t.it(
        "send() reports backpressure, the sender waits for drain, memory stays bounded, all 48 MiB arrive",
        async () => {
          const total = 48 * MiB;
          const baseRss = process.memoryUsage().rss;
          // The flood starts in `open`; the client reads nothing until the sender stalls.
          const client = await open(`/ws-flood?bytes=${total}`);
          client.socket.pause();
          const stalledAt = await untilStalled();
          const f = seen.flood;
          const rssGrowth = process.memoryUsage().rss - baseRss;
          assert.ok(f.pressure >= 1, "send() never returned true");
          assert.ok(stalledAt < total / 2, `the sender only stalled after ${sizeName(stalledAt)}`);
          assert.ok(f.maxBuffered <= 2 * MiB, `bufferedAmount reached ${sizeName(f.maxBuffered)}`);
          assert.ok(rssGrowth < 32 * MiB, `RSS grew by ${sizeName(rssGrowth)} while stalled at ${sizeName(stalledAt)}`);
          await readFlood(client, total);
          assert.ok(f.done, "the sender did not finish");
          assert.ok(f.drains >= 1, "drain never fired");
        },
        30_000,
      );

      t.it("send() reports backpressure inside a message handler too", async () => {
        const total = 48 * MiB;
        const client = await open("/ws-flood");
        client.socket.pause();
        client.sendFrame(OP_TEXT, `go ${total}`);
        const stalledAt = await untilStalled();
        const f = seen.flood;
        assert.ok(
          f.pressure >= 1,
          `send() never returned true in the message handler (${sizeName(stalledAt)} sent, bufferedAmount up to ${
            sizeName(f.maxBuffered)
          })`,
        );
        assert.ok(stalledAt < total / 2, `the sender only stalled after ${sizeName(stalledAt)}`);
        await readFlood(client, total);
        assert.ok(f.drains >= 1, "drain never fired");
      }, 30_000);

      t.it(
        "closes a socket past maxBackpressure: the close handler gets 1008 and the sender stops (1 MiB limit)",
        async () => {
          tightSeen.hose.closeCode = 0;
          tightSeen.hose.finishedAt = -1;
          const client = await open("/ws-firehose?on=open", {}, tight.port);
          client.socket.pause();
          await waitFor(() => tightSeen.hose.finishedAt >= 0, "the sender's loop to end", 10_000);
          assert.equal(
            tightSeen.hose.closeCode,
            1008,
            `close code ${tightSeen.hose.closeCode} after ${sizeName(tightSeen.hose.finishedAt)} sent`,
          );
          assert.ok(
            tightSeen.hose.finishedAt < 16 * MiB,
            `the server took ${sizeName(tightSeen.hose.finishedAt)} before closing`,
          );
          client.socket.resume();
          await waitFor(() => client.closed, "the server to drop the connection");
        },
        20_000,
      );

      t.it("closes a socket past maxBackpressure when the sends come from a message handler", async () => {
        tightSeen.hose.closeCode = 0;
        tightSeen.hose.finishedAt = -1;
        const client = await open("/ws-firehose", {}, tight.port);
        client.socket.pause();
        client.sendFrame(OP_TEXT, "go");
        await waitFor(() => tightSeen.hose.finishedAt >= 0, "the sender's loop to end", 10_000);
        assert.ok(
          tightSeen.hose.finishedAt < 16 * MiB,
          `the server took ${sizeName(tightSeen.hose.finishedAt)} without closing`,
        );
        await waitFor(() => tightSeen.hose.closeCode !== 0, "the close handler");
        assert.equal(tightSeen.hose.closeCode, 1008);
        client.close();
      }, 20_000);
    });

    // ── pub/sub ────────────────────────────────────────────────────────────────────────────────

    t.it("pub/sub: 1 000 subscribers of /chat all get server.publish and each other's messages", async () => {
      const subscribers: WsClient[] = [];
      for (let batch = 0; batch < 10; batch++) {
        const opened = await Promise.all(Array.from({ length: 100 }, () => WsClient.open(main.port, "/chat")));
        for (const c of opened) subscribers.push(track(c));
      }
      await waitFor(
        () => main.server.subscriberCount("chat") === 1000,
        `1000 subscribers (have ${main.server.subscriberCount("chat")})`,
      );
      assert.equal(main.server.publish("chat", "to everyone ✓"), 1000);
      const texts = await Promise.all(subscribers.map((c) => c.nextMessage(OP_TEXT, "the published text", 10_000)));
      for (const m of texts) assert.equal(m.toString(), "to everyone ✓");
      // A member's message goes to the 999 others, not back to it.
      subscribers[0]!.sendFrame(OP_TEXT, "from member 0");
      const others = await Promise.all(
        subscribers.slice(1).map((c) => c.nextMessage(OP_TEXT, "member 0's message", 10_000)),
      );
      for (const m of others) assert.equal(m.toString(), "from member 0");
      const bytes = randomBytes(1000);
      assert.equal(main.server.publish("chat", bytes), 1000);
      const binaries = await Promise.all(
        subscribers.map((c) => c.nextMessage(OP_BINARY, "the published bytes", 10_000)),
      );
      for (const b of binaries) sameBytes(b, bytes, "published binary");
      // Leaving: half close cleanly, half just drop; the topic forgets them.
      for (const c of subscribers.slice(0, 500)) c.sendFrame(OP_CLOSE, closeBody(1000));
      for (const c of subscribers.slice(500, 900)) c.close();
      await waitFor(
        () => main.server.subscriberCount("chat") === 100,
        `100 subscribers left (have ${main.server.subscriberCount("chat")})`,
      );
      assert.equal(main.server.publish("chat", "to the rest"), 100);
      for (const c of subscribers.slice(900)) assert.equal((await c.nextMessage(OP_TEXT)).toString(), "to the rest");
      for (const c of subscribers) c.close();
      await waitFor(() => main.server.subscriberCount("chat") === 0, "no subscriber left");
      assert.equal(main.server.publish("chat", "nobody"), 0);
    }, 30_000);

    // ── the fetch path and server lifecycle ────────────────────────────────────────────────────

    t.it("upgradeWebSocket(req) on the fetch path: 101, data, protocol, echo; a bad handshake gets 426", async () => {
      const closes: [number, string][] = [];
      const server = await start(runtime, (req: Request) => {
        const url = new URL(req.url);
        if (url.pathname !== "/fws") return new Response("plain");
        const offered = (req.headers.get("sec-websocket-protocol") ?? "").split(",").map((p) => p.trim());
        return upgradeWebSocket(req, {
          data: url.searchParams.get("id"),
          protocol: offered.includes("fetch.v1") ? "fetch.v1" : undefined,
          handlers: {
            open: (ws) => void ws.send(`hello ${String(ws.data)} ${ws.protocol}`),
            message: (ws, data) => void ws.send(data),
            close: (_ws, code, reason) => void closes.push([code, reason]),
          },
        });
      });
      try {
        const client = track(
          await WsClient.open(server.address.port, "/fws?id=42", { headers: ["Sec-WebSocket-Protocol: fetch.v1"] }),
        );
        assert.equal(client.headers.get("sec-websocket-protocol"), "fetch.v1");
        assert.equal((await client.nextMessage(OP_TEXT)).toString(), "hello 42 fetch.v1");
        const bytes = randomBytes(70 * KiB);
        client.sendFrame(OP_BINARY, bytes);
        sameBytes(await client.nextMessage(OP_BINARY), bytes, "fetch-path binary echo");
        client.sendFrame(OP_CLOSE, closeBody(1000, "fine"));
        await expectClose(client, 1000, "fetch-path close");
        await waitFor(() => closes.length === 1, "the close handler");
        assert.deepEqual(closes[0], [1000, "fine"]);

        const { ws, next } = await openWebSocket(`ws://127.0.0.1:${server.address.port}/fws?id=7`);
        track(ws);
        assert.equal(await next(), "hello 7 ");
        ws.send("via WebSocket");
        assert.equal(await next(), "via WebSocket");
        ws.close();

        const res = await request(
          server.address.port,
          handshake("/fws", [...without("sec-websocket-version"), "Sec-WebSocket-Version: 8"]),
        );
        assert.equal(res.status, 426);
        assert.equal(header(res, "sec-websocket-version"), "13");
        const plain = await request(server.address.port, "GET /other HTTP/1.1\r\nHost: x\r\n\r\n");
        assert.equal(plain.body, "plain");
      } finally {
        await server.close();
      }
    });

    t.it("server.shutdown() closes open sockets with 1001 and resolves once they are gone", async () => {
      const closes: number[] = [];
      const app = createApp();
      app.ws("/bye", { message: (ws, data) => void ws.send(data), close: (_ws, code) => void closes.push(code) });
      const server = await start(runtime, app);
      const port = server.address.port;
      const raw = track(await WsClient.open(port, "/bye"));
      const { ws, closed } = await openWebSocket(`ws://127.0.0.1:${port}/bye`);
      track(ws);
      const done = server.shutdown();
      let finished = false;
      void done.then(() => (finished = true));
      const f = await raw.nextFrame("the server's Close on shutdown");
      assert.equal(f.opcode, OP_CLOSE, describeFrame(f));
      assert.equal(f.payload.readUInt16BE(0), 1001, describeFrame(f));
      assert.equal((await closed).code, 1001, "the runtime's client saw another code");
      assert.equal(finished, false, "shutdown() resolved while a socket was still open");
      raw.sendFrame(OP_CLOSE, closeBody(1001));
      await raw.untilServerCloses("after answering the shutdown Close");
      await Promise.race([done, sleep(5000).then(() => assert.fail("shutdown() did not resolve"))]);
      assert.deepEqual(closes.sort(), [1001, 1001]);
    });

    /**
     * A server with `idleTimeout` and `count` quiet sockets on `/idle`, opened 200 ms apart: for
     * each, whether a ping came first, when the server dropped it, and the close handler's code.
     */
    async function idle(
      seconds: number,
      count: number,
    ): Promise<{ ping: boolean; closedAfter: number; code: number }[]> {
      const closes = new Map<number, number>();
      const app = createApp();
      app.ws<number>(
        "/idle",
        { close: (ws, code) => void closes.set(ws.data, code) },
        (c) => Number(c.req.query.get("n")),
      );
      const server = await start(runtime, app, { websocket: { idleTimeout: seconds } });
      try {
        const runs = Array.from({ length: count }, async (_, n) => {
          await sleep(n * 200);
          const started = Date.now();
          const client = track(await WsClient.open(server.address.port, `/idle?n=${n}`));
          await waitFor(() => client.closed, "the idle connection to be closed", seconds * 1000 + 3000);
          const closedAfter = Date.now() - started;
          await waitFor(() => closes.has(n), "the close handler");
          return { ping: client.frames[0]?.opcode === OP_PING, closedAfter, code: closes.get(n)! };
        });
        return await Promise.all(runs);
      } finally {
        await server.close();
      }
    }

    // 3 s, not 1 s: the sessions are ticked once a second (ServerCore's interval, `now` cached at
    // the tick, so a new socket's last activity is the previous tick) and the ping goes out only
    // on a tick where idle/2 < quiet ≤ idle. With idleTimeout 1 that window is (0.5 s, 1 s] and
    // the first tick sees quiet = one tick interval: ping if it measured exactly 1000 ms, else a
    // close without any ping — it depends on timer jitter per server (seen both ways on Node), so
    // it is reported rather than tested here. From 3 s on the window is wider than a tick.
    t.it("idle timeout (3 s): a ping first, then the connection is dropped and close reports 1001", async () => {
      const [result] = await idle(3, 1);
      assert.equal(result!.ping, true, "no ping came before the idle close");
      assert.ok(result!.closedAfter >= 2900, `closed after ${result!.closedAfter} ms`);
      assert.equal(result!.code, 1001);
    }, 15_000);
  });
}
