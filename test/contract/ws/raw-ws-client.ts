/**
 * A WebSocket client over a bare TCP socket, for the rules about bytes: it writes hand-built
 * frames and parses the server's frames itself, checking every server-side rule on the way.
 * Also the two expectations most protocol cases end with: the server fails the connection
 * with a given close code, then closes TCP.
 */
import assert from "node:assert/strict";
import { Buffer } from "node:buffer";
import { createHash, randomBytes } from "node:crypto";
import { connect, type Socket } from "node:net";
import { connected, Wakeup } from "../harness.ts";
import {
  describeFrame,
  type Frame,
  frame,
  type FrameOptions,
  OP_BINARY,
  OP_CLOSE,
  OP_TEXT,
  RSV1,
  RSV2,
  RSV3,
} from "./frames.ts";

/** `Sec-WebSocket-Accept` for a key, computed independently of the server (§4.2.2 step 5.4). */
function acceptFor(key: string): string {
  return createHash("sha1").update(key + "258EAFA5-E914-47DA-95CA-C5AB0DC85B11").digest("base64");
}

export interface OpenOptions {
  /** Header lines to add, e.g. `["Sec-WebSocket-Protocol: a, b"]`. */
  headers?: string[] | undefined;
  /** Expect this status instead of 101 (the client then holds the response head only). */
  status?: number | undefined;
}

/**
 * A WebSocket client over a bare TCP socket: it sends the opening handshake, then hand-built
 * frames, and parses what the server sends into {@link Frame}s, checking the server-side rules
 * on the way (never masked, minimal lengths, control frames ≤ 125 bytes and unfragmented).
 */
export class WsClient {
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
        for (let i = 0; i < payload.length; i++) payload[i]! ^= raw[2 + ext + (i & 3)]!;
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
export async function expectClose(client: WsClient, code: number | null, what: string): Promise<Buffer> {
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
export async function failsWith(
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
