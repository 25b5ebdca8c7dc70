/**
 * The load generator's WebSocket mode: N connections over `node:net`, each opened with a real
 * opening handshake (RFC 6455 §4.1: a random key, then the 101 checked — Upgrade, Connection and
 * Sec-WebSocket-Accept — with wirecore's response parser), then K messages kept in flight: every
 * echo that comes back is verified and replaced by a new message (closed loop per connection,
 * K deep). Echoes arrive in order on a connection, so each one is matched with the oldest
 * message in flight.
 *
 * Every echo is verified before it counts: its type (text stays text, binary stays binary), its
 * length and its bytes (compared as they arrive, without copying). Frames are prebuilt and
 * masked once (ws-frames.ts); the messages an incoming chunk completes are replaced in one write.
 *
 * Latency per message runs from the write that carried it to the end of its echo, so time spent
 * queued behind the other K−1 messages is included (as with --pipeline).
 *
 * With `deflate`, the client offers permessage-deflate (RFC 7692) without context takeover either
 * way: every server then does the same work per message (compress it from scratch, inflate ours
 * from scratch), the client's messages are compressed once, up front, and the generator's own
 * inflating stays cheap. A server that keeps its context anyway is still read correctly: the
 * echoes are inflated with whatever context takeover the response agreed to, then compared.
 */
import { Buffer } from "node:buffer";
import { connect, type Socket } from "node:net";
import { type ResponseHead, ResponseParser } from "../../core/http1/response-parser.ts";
import { computeAccept } from "../../core/ws/handshake.ts";
import { OPCODE_BINARY, OPCODE_PONG, OPCODE_TEXT } from "../../core/ws/opcodes.ts";
import { parseExtensions } from "../../core/ws/extension-header.ts";
import { PerMessageCodec } from "../../core/ws/permessage-codec.ts";
import type { PerMessageDeflateParams } from "../../core/ws/permessage-deflate.ts";
import { zlibDeflateProvider } from "../../adapters/zlib-deflate.ts";
import { Histogram } from "./histogram.ts";
import { buildRequest } from "./request.ts";
import { ERROR_CONNECT, ERROR_TIMEOUT, ResponseVerifier } from "./verify.ts";
import { buildFramePool, ClientFrameReader, encodeClientFrame, type FramePool } from "./ws-frames.ts";
import type { LatencySummary } from "./engine.ts";

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

/** What a run measured. Only verified echoes inside the measured window count. */
export interface WsLoadResult {
  mode: "ws";
  /** Verified echoes. */
  messages: number;
  durationMs: number;
  /** Verified echoes per second. */
  messagesPerSecond: number;
  /** Echoed payload MB/s (verified echoes × message size / 10⁶ per second). */
  mbps: number;
  messageSize: number;
  binary: boolean;
  /** The Sec-WebSocket-Extensions the server agreed to ("" for none), of the first connection. */
  extensions: string;
  /** Bytes on the wire in the window. */
  bytesRead: number;
  bytesWritten: number;
  latency: LatencySummary;
  errors: Record<string, number>;
  errorExamples: Record<string, string>;
  connections: number;
  reconnects: number;
  /** Time to open the connections and finish their handshakes, ms. */
  connectMs: number;
}

/** Error kinds of the WebSocket mode (besides connect, timeout and closed with … in flight). */
export const WS_ERROR_TYPE = "message type";
export const WS_ERROR_LENGTH = "message length";
export const WS_ERROR_CONTENT = "message content";
export const WS_ERROR_UNSOLICITED = "unsolicited message";
export const WS_ERROR_INFLATE = "inflate";
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

const now = (): number => performance.now();

/** What `deflate` offers: no context takeover in either direction (RFC 7692 §7.1.1). */
export const DEFLATE_OFFER = "permessage-deflate; client_no_context_takeover; server_no_context_takeover";

/** What the run shares: the frames to send, the expected echo, counters. */
class WsRun {
  readonly options: WsLoadOptions;
  readonly pool: FramePool;
  readonly expected: Buffer;
  readonly opcode: number;
  readonly verifier = new ResponseVerifier(1, { status: 101, bodyLength: -1 });
  readonly latency = new Histogram();
  readonly connections: WsConnection[] = [];
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

/** One WebSocket connection; starts over on a fresh one after an error while the run lasts. */
class WsConnection {
  readonly run: WsRun;
  socket: Socket | null = null;
  open = false;
  /** Send times of the messages in flight, oldest at `head`. */
  readonly sentAt: Float64Array;
  head = 0;
  outstanding = 0;
  cursor: number;
  // The echo being read.
  messageOk = true;
  messageOffset = 0;
  compressed = false;
  compressedParts: Uint8Array[] = [];
  codec: PerMessageCodec | null = null;
  reader: ClientFrameReader | null = null;
  /** Set while reading a chunk: the socket was dropped meanwhile. */
  dropped = false;

  constructor(run: WsRun, index: number) {
    this.run = run;
    this.sentAt = new Float64Array(run.options.inflight);
    this.cursor = (index * 7) % run.pool.distinct;
  }

  /** Connect and shake hands; resolves true once the 101 is verified. */
  connect(): Promise<boolean> {
    const run = this.run;
    const o = run.options;
    return new Promise((resolve) => {
      const key = btoa(String.fromCharCode(...crypto.getRandomValues(new Uint8Array(16))));
      const headers: [string, string][] = [
        ["upgrade", "websocket"],
        ["connection", "Upgrade"],
        ["sec-websocket-key", key],
        ["sec-websocket-version", "13"],
      ];
      if (o.deflate) headers.push(["sec-websocket-extensions", DEFLATE_OFFER]);
      const request = buildRequest({ method: "GET", authority: o.authority, target: o.target, bodySize: 0, headers });
      const socket = connect({ host: o.host, port: o.port, noDelay: true });
      this.socket = socket;
      this.open = false;
      this.head = 0;
      this.outstanding = 0;
      let settled = false;
      const settle = (ok: boolean, kind?: string, example?: string): void => {
        if (settled) return;
        settled = true;
        clearTimeout(timer);
        if (!ok) {
          run.count(kind!, example!);
          if (socket === this.socket) this.socket = null;
          socket.destroy();
        }
        resolve(ok);
      };
      const timer = setTimeout(
        () => settle(false, ERROR_TIMEOUT, `no handshake response within ${o.timeoutMs} ms`),
        o.timeoutMs,
      );
      let upgradedHead: ResponseHead | null = null;
      const parser = new ResponseParser({
        onHead: (head) => {
          upgradedHead = head;
        },
        onBody: () => {},
        onMessageComplete: () => {},
      });
      parser.method = "GET";
      socket.on("connect", () => socket.write(request));
      socket.on("data", (chunk: Uint8Array) => {
        if (socket !== this.socket) return;
        if (this.open) {
          this.data(chunk);
          return;
        }
        if (settled) return;
        const n = parser.execute(chunk);
        if (n < 0) return settle(false, `handshake parse ${parser.error!.code}`, parser.error!.message);
        const head = upgradedHead as ResponseHead | null;
        if (head === null) return; // more of the head to come
        const problem = this.checkHandshake(head, key);
        if (problem !== null) return settle(false, problem[0], problem[1]);
        this.open = true;
        settle(true);
        // Frames may follow the 101 in the same chunk.
        if (n < chunk.length) this.data(chunk.subarray(n));
      });
      socket.on("error", (error: Error) => {
        if (!settled) settle(false, ERROR_CONNECT, error.message);
      });
      socket.on("close", () => {
        if (!settled) settle(false, "handshake", "connection closed during the handshake");
        else this.closed(socket);
      });
    });
  }

  /** The 101 must upgrade to websocket with the right accept (§4.1, the client's checks 1–6). */
  checkHandshake(head: ResponseHead, key: string): [string, string] | null {
    if (head.status !== 101) return [`handshake status ${head.status}`, `expected 101 Switching Protocols`];
    const field = (name: string): string | undefined => {
      const h = head.headers;
      for (let i = 0; i < h.length; i += 2) if (h[i] === name) return h[i + 1];
      return undefined;
    };
    const upgrade = field("upgrade");
    if (upgrade?.toLowerCase() !== "websocket") return ["handshake", `Upgrade: ${upgrade ?? "(none)"}`];
    const connection = field("connection") ?? "";
    if (!connection.split(",").some((t) => t.trim().toLowerCase() === "upgrade")) {
      return ["handshake", `Connection: ${connection || "(none)"}`];
    }
    const accept = field("sec-websocket-accept");
    if (accept !== computeAccept(key)) {
      return ["handshake", `Sec-WebSocket-Accept ${accept ?? "(none)"} does not match the key`];
    }
    const extensions = field("sec-websocket-extensions") ?? "";
    const o = this.run.options;
    let deflate: PerMessageDeflateParams | null = null;
    if (extensions !== "") {
      const offers = parseExtensions(extensions);
      // §4.1: an extension the client did not ask for fails the connection.
      if (!o.deflate || offers === null || offers.length !== 1 || offers[0]!.name !== "permessage-deflate") {
        return ["handshake", `unexpected Sec-WebSocket-Extensions: ${extensions}`];
      }
      let serverBits = 15;
      let serverNoContextTakeover = false;
      for (const p of offers[0]!.params) {
        if (p.name === "server_no_context_takeover") serverNoContextTakeover = true;
        else if (p.name === "server_max_window_bits") serverBits = Number(p.value);
        else if (p.name !== "client_no_context_takeover") {
          return ["handshake", `unexpected permessage-deflate parameter ${p.name}`];
        }
      }
      // The codec is written from the server's side: mirror the parameters so that its
      // decompress() inflates what the server compressed.
      deflate = {
        serverNoContextTakeover: true,
        clientNoContextTakeover: serverNoContextTakeover,
        serverMaxWindowBits: 15,
        clientMaxWindowBits: serverBits,
      };
    } else if (o.deflate) {
      return ["handshake", "the server declined permessage-deflate"];
    }
    this.run.extensions ??= extensions;
    this.codec?.close();
    this.codec = deflate === null ? null : new PerMessageCodec(zlibDeflateProvider, deflate);
    this.reader = new ClientFrameReader(this, { perMessageDeflate: deflate !== null });
    return null;
  }

  /** Send `n` more messages in one write. */
  send(n: number): void {
    const run = this.run;
    const socket = this.socket;
    if (!run.measuring || socket === null || !this.open || n <= 0) return;
    const pool = run.pool;
    const t = now();
    const size = this.sentAt.length;
    for (let i = 0; i < n; i++) this.sentAt[(this.head + this.outstanding + i) % size] = t;
    this.outstanding += n;
    const from = this.cursor * pool.frameSize;
    const bytes = pool.bytes.subarray(from, from + n * pool.frameSize);
    this.cursor = (this.cursor + n) % pool.distinct;
    run.bytesWritten += bytes.length;
    socket.write(bytes);
  }

  data(chunk: Uint8Array): void {
    const run = this.run;
    if (run.stopped) return;
    run.bytesRead += chunk.length;
    this.dropped = false;
    const error = this.reader!.push(chunk);
    if (this.dropped) return;
    if (error !== null) {
      this.fail(`frame ${error.code}`, error.message);
      return;
    }
    this.send(run.options.inflight - this.outstanding);
  }

  // ── ClientFrameEvents ──

  onMessageStart(opcode: number, compressed: boolean): void {
    this.messageOffset = 0;
    this.messageOk = true;
    this.compressed = compressed;
    if (opcode !== this.run.opcode) {
      this.messageOk = false;
      this.run.count(
        WS_ERROR_TYPE,
        `expected ${this.run.opcode === OPCODE_TEXT ? "text" : "binary"}, got ${
          opcode === OPCODE_TEXT ? "text" : "binary"
        }`,
      );
    }
  }

  onMessageData(piece: Uint8Array): void {
    if (this.compressed) {
      this.compressedParts.push(piece.slice());
      return;
    }
    if (this.messageOk) this.checkPiece(piece);
    this.messageOffset += piece.length;
  }

  /** Compare a piece of the echo with what was sent, at the current offset. */
  checkPiece(piece: Uint8Array): void {
    const expected = this.run.expected;
    const at = this.messageOffset;
    const end = at + piece.length;
    if (end > expected.length) {
      this.messageOk = false;
      this.run.count(WS_ERROR_LENGTH, `expected ${expected.length} bytes, got more`);
      return;
    }
    let same = true;
    if (piece.length < 64) {
      for (let i = 0; i < piece.length; i++) {
        if (piece[i] !== expected[at + i]) {
          same = false;
          break;
        }
      }
    } else {
      same = expected.compare(piece, 0, piece.length, at, end) === 0;
    }
    if (!same) {
      this.messageOk = false;
      this.run.count(WS_ERROR_CONTENT, `the echo differs from the message within bytes ${at}–${end}`);
    }
  }

  onMessageEnd(): void {
    const run = this.run;
    if (this.compressed) {
      const parts = this.compressedParts;
      this.compressedParts = [];
      let size = 0;
      for (const p of parts) size += p.length;
      const joined = new Uint8Array(size);
      size = 0;
      for (const p of parts) {
        joined.set(p, size);
        size += p.length;
      }
      try {
        const message = this.codec!.decompress(joined, run.expected.length + 1, run.opcode === OPCODE_TEXT);
        this.messageOffset = 0;
        if (this.messageOk) this.checkPiece(message);
        this.messageOffset = message.length;
      } catch (error) {
        if (this.messageOk) run.count(WS_ERROR_INFLATE, (error as Error).message);
        this.messageOk = false;
      }
    }
    if (this.messageOk && this.messageOffset !== run.expected.length) {
      this.messageOk = false;
      run.count(WS_ERROR_LENGTH, `expected ${run.expected.length} bytes, got ${this.messageOffset}`);
    }
    if (this.outstanding === 0) {
      if (run.measuring) run.count(WS_ERROR_UNSOLICITED, "an echo with no message in flight");
      return;
    }
    const sent = this.sentAt[this.head]!;
    this.head = this.head + 1 === this.sentAt.length ? 0 : this.head + 1;
    this.outstanding--;
    if (this.messageOk && run.measuring) {
      run.latency.record((now() - sent) * 1e6);
      run.completed++;
    }
  }

  onPing(payload: Uint8Array): void {
    // §5.5.2: answer with a Pong carrying the same payload (a server may ping an idle client).
    this.socket?.write(encodeClientFrame(OPCODE_PONG, payload));
  }

  onPong(): void {}

  onClose(code: number | undefined): void {
    this.fail(`close ${code ?? 1005}`, "the server sent a Close frame");
  }

  // ── errors ──

  /** Count what is in flight as `kind` and start over on a new connection. */
  fail(kind: string, example: string): void {
    if (this.run.measuring) this.run.count(kind, example, Math.max(1, this.outstanding));
    this.reopen();
  }

  reopen(): void {
    const socket = this.socket;
    this.socket = null;
    this.open = false;
    this.outstanding = 0;
    this.dropped = true;
    this.compressedParts = [];
    socket?.destroy();
    const run = this.run;
    if (!run.measuring) return;
    run.reconnects++;
    void this.connect().then((ok) => {
      if (ok) this.send(run.options.inflight);
      else if (run.measuring) setTimeout(() => this.reopen(), 50);
    });
  }

  closed(socket: Socket): void {
    if (socket !== this.socket) return;
    const run = this.run;
    if (!run.measuring) {
      this.socket = null;
      this.open = false;
      return;
    }
    run.count(WS_ERROR_CLOSED, "connection closed by the server", this.outstanding);
    this.outstanding = 0;
    this.reopen();
  }
}

function summarize(h: Histogram): LatencySummary {
  const ms = (ns: number): number => ns / 1e6;
  return {
    min: ms(h.min),
    mean: ms(h.mean),
    p50: ms(h.percentile(50)),
    p90: ms(h.percentile(90)),
    p99: ms(h.percentile(99)),
    p999: ms(h.percentile(99.9)),
    max: ms(h.max),
  };
}

/** Run the WebSocket load and report. */
export async function runWsLoad(options: WsLoadOptions): Promise<WsLoadResult> {
  const run = new WsRun(options);
  const all: WsConnection[] = [];
  for (let i = 0; i < options.connections; i++) all.push(new WsConnection(run, i));
  const connectStart = now();
  let next = 0;
  const worker = async (): Promise<void> => {
    while (next < all.length) await all[next++]!.connect();
  };
  await Promise.all(Array.from({ length: Math.min(options.connectConcurrency ?? 256, all.length) }, worker));
  const connectMs = now() - connectStart;
  const up = all.filter((c) => c.open);
  run.connections.push(...all);
  if (up.length === 0) return result(run, 0, connectMs, 0);

  const start = now();
  run.measuring = true;
  for (const c of up) c.send(options.inflight);
  const timeoutCheck = setInterval(() => {
    const t = now();
    for (const c of run.connections) {
      if (c.open && c.outstanding > 0 && t - c.sentAt[c.head]! > options.timeoutMs) {
        c.fail(ERROR_TIMEOUT, `no echo within ${options.timeoutMs} ms`);
      }
    }
  }, Math.min(100, options.timeoutMs));
  await new Promise<void>((resolve) => setTimeout(resolve, options.durationMs));
  const durationMs = now() - start;
  run.measuring = false;
  run.stopped = true;
  clearInterval(timeoutCheck);
  for (const c of run.connections) {
    const s = c.socket;
    c.socket = null;
    s?.destroy();
    c.codec?.close();
  }
  return result(run, durationMs, connectMs, up.length);
}

function result(run: WsRun, durationMs: number, connectMs: number, connections: number): WsLoadResult {
  const o = run.options;
  const mps = durationMs > 0 ? (run.completed * 1000) / durationMs : 0;
  return {
    mode: "ws",
    messages: run.completed,
    durationMs,
    messagesPerSecond: mps,
    mbps: (mps * o.messageSize) / 1e6,
    messageSize: o.messageSize,
    binary: o.binary,
    extensions: run.extensions ?? "",
    bytesRead: run.bytesRead,
    bytesWritten: run.bytesWritten,
    latency: summarize(run.latency),
    errors: run.verifier.toJSON(),
    errorExamples: Object.fromEntries(run.verifier.examples),
    connections,
    reconnects: run.reconnects,
    connectMs,
  };
}
