/**
 * Stress cases of the contract suite: large bodies with slow readers, a flood of pipelined
 * requests that are never read, unread request bodies, and the idle and head timeouts.
 *
 * What they prove is backpressure both ways (DESIGN.md §5): the server stops reading a socket
 * while the app is behind, and stops producing while `write` returns false, so its memory stays
 * flat whatever the client does. The server runs in this very process, so "server memory" is
 * this process's memory; each case measures it against a baseline taken after a warm-up.
 *
 * Runner-neutral: `node:assert/strict`, `node:net`, `node:process`, `node:v8`/`node:vm`, which
 * Node, Bun and Deno all have.
 */
import assert from "node:assert/strict";
import { connect, type Socket } from "node:net";
import process from "node:process";
import { setFlagsFromString } from "node:v8";
import { runInNewContext } from "node:vm";
import type { App } from "../../core/app/app.ts";
import type { Server } from "../../core/server/server.ts";
import { createApp } from "../../examples/app.ts";
import { connected, RawClient, type Runtime, sleep, start, type TestApi, Wakeup } from "./harness.ts";

const MiB = 1024 * 1024;
/** The size of the big transfers. */
const BIG = 50 * MiB;
/**
 * How much the process's RSS may grow over a case, against a baseline taken after a smaller
 * warm-up run of the same shape.
 *
 * Why 48 MiB: a server without backpressure keeps what it read but could not send. In each case
 * the client first reads nothing until the writer stalls, so such a server would hold about the
 * whole 50 MiB (more with the copy `onBody` makes of each chunk, and the responses queued for a
 * client that does not read), i.e. grow past this bound. A server with backpressure holds about
 * 64 KiB of queued body, a 64 KiB write queue and the shared 64 KiB sink; the rest of its growth
 * is floating garbage (every chunk passing through is a fresh array) and allocator slack. Forcing
 * a collection every 100 ms, the worst we saw was 16 MiB (Bun; Node and Deno stay under 6 MiB),
 * also with all three runtimes' suites running at once on 2 cores, so 48 MiB leaves ~3× that. The kernel's socket
 * buffers (up to 4 MiB send + 32 MiB receive per socket here) are not in the process.
 */
const GROWTH_LIMIT = 48 * MiB;
/**
 * Live memory (heap + array buffers, after a forced collection) at the moment the client stalls:
 * tight, because nothing but a few 64 KiB buffers per connection should be live then.
 */
const RETAINED_LIMIT = 16 * MiB;
const VERBOSE = envFlag("WIRECORE_STRESS_LOG");
/**
 * Deadlines stretch by this factor where all code runs slower: under V8 block coverage byte loops
 * run 2–4× slower, so `npm run test:node` (vitest --coverage) sets WIRECORE_TIME_SCALE=3. The quiet
 * periods that detect a stall stay as they are.
 */
const TIME_SCALE = Number(envValue("WIRECORE_TIME_SCALE")) || 1;

// ── the fixture: the reference app plus stress routes ───────────────────────────────────────────

interface StressCounters {
  /** Bytes the download route has handed to the server so far. */
  produced: number;
  /** Requests the sequence route has answered so far. */
  served: number;
}

/** The reference app (`/`, `/json`, `/users/:id`, `POST /echo`) plus the routes these cases need. */
function createStressApp(counters: StressCounters): App {
  const app = createApp();
  // Streams `bytes` bytes of the pattern, pulled: a chunk is made only when the server asks.
  app.get("/stress/download", (c) => {
    const total = Number(c.req.query.get("bytes") ?? "0");
    let offset = 0;
    const stream = new ReadableStream<Uint8Array>({
      pull(controller) {
        if (offset >= total) {
          controller.close();
          return;
        }
        const n = Math.min(64 * 1024, total - offset);
        controller.enqueue(patternChunk(offset, n));
        offset += n;
        counters.produced += n;
      },
    }, { highWaterMark: 0 });
    c.header("content-length", String(total));
    return c.body(stream);
  });
  // Answers without touching the request body.
  app.post("/stress/ignore", (c) => c.text("ignored"));
  // Answers its sequence number, and counts: the flood checks order and how far the server got.
  app.get("/stress/seq/:n", (c) => {
    counters.served++;
    return c.text(c.params.n!);
  });
  return app;
}

// ── the byte pattern ─────────────────────────────────────────────────────────────────────────────

/**
 * The byte at `offset` of every big body: the low byte of the offset XOR a hash of its 256-byte
 * block, so a lost, repeated or reordered chunk of any size shows.
 */
function blockKey(block: number): number {
  return Math.imul(block, 0x9e3779b1) >>> 24;
}

function patternChunk(offset: number, length: number): Uint8Array {
  const out = new Uint8Array(length);
  for (let i = 0; i < length;) {
    const at = offset + i;
    const key = blockKey(at >>> 8);
    const end = Math.min(length, i + (256 - (at & 0xff)));
    for (let o = at; i < end; i++, o++) out[i] = (o & 0xff) ^ key;
  }
  return out;
}

/** Checks a stream of bytes against the pattern as it arrives. */
class PatternCheck {
  offset = 0;
  /** The first mismatch, or null. */
  error: string | null = null;

  push(bytes: Uint8Array): void {
    if (this.error !== null) return;
    let o = this.offset;
    for (let i = 0; i < bytes.length; i++, o++) {
      if (bytes[i] !== ((o & 0xff) ^ blockKey(o >>> 8))) {
        this.error = `byte ${o} is ${bytes[i]}, expected ${(o & 0xff) ^ blockKey(o >>> 8)}`;
        break;
      }
    }
    this.offset += bytes.length;
  }
}

// ── a streaming HTTP/1.1 response reader ─────────────────────────────────────────────────────────

interface ResponseHead {
  status: number;
  /** Lowercased names; repeated fields joined with ", ". */
  headers: Map<string, string>;
}

interface ResponseEvents {
  head(head: ResponseHead): void;
  body(bytes: Uint8Array): void;
  complete(): void;
}

const S_HEAD = 0;
const S_LENGTH = 1;
const S_CHUNK_SIZE = 2;
const S_CHUNK_DATA = 3;
const S_CHUNK_END = 4;
const S_TRAILERS = 5;
const S_UNTIL_CLOSE = 6;

/** Parses a stream of responses (Content-Length, chunked or close-delimited) without keeping bodies. */
class ResponseReader {
  readonly #events: ResponseEvents;
  #state = S_HEAD;
  #carry: Uint8Array | null = null;
  #remaining = 0;
  /** Responses completed so far. */
  count = 0;

  constructor(events: ResponseEvents) {
    this.#events = events;
  }

  /** Whether the reader sits between responses. */
  get idle(): boolean {
    return this.#state === S_HEAD && this.#carry === null;
  }

  feed(chunk: Uint8Array): void {
    let data = chunk;
    if (this.#carry !== null) {
      data = new Uint8Array(this.#carry.length + chunk.length);
      data.set(this.#carry);
      data.set(chunk, this.#carry.length);
      this.#carry = null;
    }
    let p = 0;
    while (p < data.length) {
      switch (this.#state) {
        case S_HEAD: {
          const end = indexOf(data, p, HEAD_END);
          if (end < 0) return this.#keep(data, p);
          this.#head(latin1(data, p, end));
          p = end + 4;
          break;
        }
        case S_LENGTH:
        case S_CHUNK_DATA: {
          const n = Math.min(this.#remaining, data.length - p);
          this.#events.body(data.subarray(p, p + n));
          p += n;
          this.#remaining -= n;
          if (this.#remaining === 0) {
            if (this.#state === S_LENGTH) this.#complete();
            else this.#state = S_CHUNK_END;
          }
          break;
        }
        case S_CHUNK_SIZE: {
          const eol = indexOf(data, p, CRLF);
          if (eol < 0) return this.#keep(data, p);
          const line = latin1(data, p, eol);
          const size = Number.parseInt(line.split(";")[0]!.trim(), 16);
          if (!Number.isSafeInteger(size) || size < 0) throw new Error(`Bad chunk size line ${JSON.stringify(line)}`);
          p = eol + 2;
          if (size === 0) this.#state = S_TRAILERS;
          else {
            this.#remaining = size;
            this.#state = S_CHUNK_DATA;
          }
          break;
        }
        case S_CHUNK_END: {
          if (data.length - p < 2) return this.#keep(data, p);
          if (data[p] !== 13 || data[p + 1] !== 10) throw new Error("Chunk data not followed by CRLF");
          p += 2;
          this.#state = S_CHUNK_SIZE;
          break;
        }
        case S_TRAILERS: {
          const eol = indexOf(data, p, CRLF);
          if (eol < 0) return this.#keep(data, p);
          const empty = eol === p;
          p = eol + 2;
          if (empty) this.#complete();
          break;
        }
        default: {
          this.#events.body(data.subarray(p));
          p = data.length;
        }
      }
    }
  }

  /** The peer closed: completes a close-delimited body. */
  close(): void {
    if (this.#state === S_UNTIL_CLOSE) this.#complete();
  }

  #keep(data: Uint8Array, p: number): void {
    if (data.length - p > 64 * 1024) throw new Error("Response head or chunk line over 64 KiB");
    this.#carry = data.slice(p);
  }

  #head(text: string): void {
    const lines = text.split("\r\n");
    const match = /^HTTP\/1\.[01] (\d{3})/.exec(lines[0]!);
    if (match === null) throw new Error(`Bad status line ${JSON.stringify(lines[0])}`);
    const headers = new Map<string, string>();
    for (let i = 1; i < lines.length; i++) {
      const colon = lines[i]!.indexOf(":");
      const name = lines[i]!.slice(0, colon).toLowerCase();
      const value = lines[i]!.slice(colon + 1).trim();
      const prev = headers.get(name);
      headers.set(name, prev === undefined ? value : `${prev}, ${value}`);
    }
    const status = Number(match[1]);
    this.#events.head({ status, headers });
    const length = headers.get("content-length");
    if (/\bchunked\b/i.test(headers.get("transfer-encoding") ?? "")) this.#state = S_CHUNK_SIZE;
    else if (length !== undefined) {
      this.#remaining = Number(length);
      this.#state = S_LENGTH;
      if (this.#remaining === 0) this.#complete();
    } else if (status === 204 || status === 304 || status < 200) this.#complete();
    else this.#state = S_UNTIL_CLOSE;
  }

  #complete(): void {
    this.#state = S_HEAD;
    this.count++;
    this.#events.complete();
  }
}

const HEAD_END = [13, 10, 13, 10];
const CRLF = [13, 10];

function indexOf(data: Uint8Array, from: number, needle: number[]): number {
  const first = needle[0]!;
  const last = data.length - needle.length;
  outer: for (let i = data.indexOf(first, from); i >= 0 && i <= last; i = data.indexOf(first, i + 1)) {
    for (let k = 1; k < needle.length; k++) if (data[i + k] !== needle[k]) continue outer;
    return i;
  }
  return -1;
}

function latin1(data: Uint8Array, from: number, to: number): string {
  let out = "";
  for (let i = from; i < to; i += 4096) {
    out += String.fromCharCode.apply(null, data.subarray(i, Math.min(to, i + 4096)) as unknown as number[]);
  }
  return out;
}

// ── a client socket that can read slowly ─────────────────────────────────────────────────────────

/** A raw socket whose received bytes go to a {@link ResponseReader}; reading can be paused. */
class SlowClient {
  readonly socket: Socket;
  readonly reader: ResponseReader;
  received = 0;
  closed = false;
  error: unknown = null;
  readonly #wakeup = new Wakeup();

  constructor(port: number, events: ResponseEvents) {
    this.reader = new ResponseReader(events);
    this.socket = connect({ port, host: "127.0.0.1", noDelay: true });
    this.socket.on("data", (chunk: Uint8Array) => {
      this.received += chunk.length;
      try {
        this.reader.feed(chunk);
      } catch (error) {
        this.error ??= error;
        this.socket.destroy();
      }
      this.#wakeup.wake();
    });
    this.socket.on("error", (error) => {
      this.error ??= error;
    });
    this.socket.on("close", () => {
      this.closed = true;
      this.reader.close();
      this.#wakeup.wake();
    });
  }

  static async open(port: number, events: ResponseEvents): Promise<SlowClient> {
    const client = new SlowClient(port, events);
    await connected(client.socket);
    return client;
  }

  /** Resolves on the next data or close event, or after `ms`. */
  nextEvent(ms: number): Promise<void> {
    return this.#wakeup.next(ms);
  }

  /**
   * Read in bursts: take at least `burst` bytes, then stop reading for `pauseMs`; until `done()`
   * holds. Throws past the deadline.
   */
  async readSlowly(done: () => boolean, burst: number, pauseMs: number, deadline: number, what: string): Promise<void> {
    let mark = this.received;
    this.socket.resume();
    while (!done()) {
      if (this.error !== null) throw this.error;
      if (this.closed) throw new Error(`${what}: connection closed early after ${this.received} bytes`);
      if (Date.now() > deadline) throw new Error(`${what}: timed out after ${this.received} bytes`);
      if (this.received - mark >= burst) {
        this.socket.pause();
        await sleep(pauseMs);
        mark = this.received;
        this.socket.resume();
      } else {
        await this.nextEvent(100);
      }
    }
  }

  close(): void {
    this.socket.destroy();
  }
}

/** Write `total` bytes of the pattern as fast as the socket takes them (respecting its drain). */
async function writePattern(socket: Socket, total: number, progress: { written: number }): Promise<void> {
  while (progress.written < total) {
    if (socket.destroyed) throw new Error(`Socket closed after ${progress.written} bytes written`);
    const n = Math.min(64 * 1024, total - progress.written);
    const chunk = patternChunk(progress.written, n);
    progress.written += n;
    if (!socket.write(chunk)) await drained(socket);
  }
}

function drained(socket: Socket): Promise<void> {
  return new Promise((resolve) => {
    const done = (): void => {
      socket.off("drain", done);
      socket.off("close", done);
      resolve();
    };
    socket.on("drain", done);
    socket.on("close", done);
  });
}

/**
 * Wait until `value()` has not changed for `quietMs` (true), or `limit()` holds or `maxMs` pass
 * (false).
 */
async function stalls(value: () => number, limit: () => boolean, quietMs: number, maxMs: number): Promise<boolean> {
  const deadline = Date.now() + maxMs;
  let last = value();
  let since = Date.now();
  while (Date.now() < deadline) {
    if (limit()) return false;
    await sleep(50);
    const now = value();
    if (now !== last) {
      last = now;
      since = Date.now();
    } else if (Date.now() - since >= quietMs) return true;
  }
  return false;
}

// ── memory ───────────────────────────────────────────────────────────────────────────────────────

/** A full, synchronous collection, when the runtime lets us ask for one. */
const collect: (() => void) | null = findGc();

function findGc(): (() => void) | null {
  const g = globalThis as { gc?: () => void; Bun?: { gc(force: boolean): void } };
  if (typeof g.gc === "function") return g.gc;
  const bun = g.Bun;
  if (bun !== undefined) return () => bun.gc(true);
  try {
    // V8 (Node, Deno): turn the flag on at run time and fetch `gc` from a fresh context.
    setFlagsFromString("--expose-gc");
    const gc: unknown = runInNewContext("gc");
    if (typeof gc === "function") return gc as () => void;
  } catch {
    // no way to force a collection: the bounds below still hold, with more slack used
  }
  return null;
}

const IS_BUN = (globalThis as { Bun?: unknown }).Bun !== undefined;

/**
 * Live memory: the heap plus the array buffers outside it. The runtimes count differently: Bun's
 * `heapUsed` already includes array buffers; V8's does not, and Node reports them in
 * `arrayBuffers`, Deno in `external`.
 */
function liveBytes(): number {
  const m = process.memoryUsage();
  return IS_BUN ? m.heapUsed : m.heapUsed + Math.max(m.external ?? 0, m.arrayBuffers ?? 0);
}

/** Samples the process's memory every 50 ms against a baseline; reports peak growth. */
class MemoryProbe {
  readonly label: string;
  readonly baseRss: number;
  readonly baseLive: number;
  peakRss = 0;
  /** Live bytes after a forced collection, at the moment the client stalled. */
  retained = -1;
  /** Peak RSS growth up to the stall. */
  stallGrowth = -1;
  #timer: ReturnType<typeof setInterval>;

  constructor(label: string) {
    this.label = label;
    collect?.();
    const m = process.memoryUsage();
    this.baseRss = m.rss;
    this.baseLive = liveBytes();
    this.peakRss = m.rss;
    let ticks = 0;
    this.#timer = setInterval(() => {
      this.sample();
      // A collection every 100 ms keeps floating garbage from passing for held memory.
      if (++ticks % 2 === 0) collect?.();
    }, 50);
  }

  sample(): void {
    const rss = process.memoryUsage().rss;
    if (rss > this.peakRss) this.peakRss = rss;
  }

  /** Note live memory now (after a collection when possible). */
  measureRetained(): void {
    this.sample();
    this.stallGrowth = this.peakRss - this.baseRss;
    collect?.();
    this.retained = Math.max(0, liveBytes() - this.baseLive);
  }

  get growth(): number {
    return this.peakRss - this.baseRss;
  }

  /** Stop sampling and assert the bounds. */
  finish(extra = ""): void {
    this.sample();
    clearInterval(this.#timer);
    const line = `${this.label}: rss ${mib(this.baseRss)} → peak ${mib(this.peakRss)} (growth ${mib(this.growth)})` +
      (this.stallGrowth >= 0 ? `, growth until stall ${mib(this.stallGrowth)}` : "") +
      (this.retained >= 0 ? `, retained at stall ${mib(this.retained)}${collect === null ? " (no gc)" : ""}` : "") +
      extra;
    if (VERBOSE) console.log(`[stress] ${line}`);
    assert.ok(this.growth < GROWTH_LIMIT, `${line}: RSS grew more than ${mib(GROWTH_LIMIT)}`);
    if (this.retained >= 0 && collect !== null) {
      assert.ok(this.retained < RETAINED_LIMIT, `${line}: more than ${mib(RETAINED_LIMIT)} still live at the stall`);
    }
  }

  stop(): void {
    clearInterval(this.#timer);
  }
}

function mib(bytes: number): string {
  return `${(bytes / MiB).toFixed(1)} MiB`;
}

// ── small helpers ────────────────────────────────────────────────────────────────────────────────

function envValue(name: string): string {
  try {
    return process.env[name] ?? "";
  } catch {
    return ""; // Deno without --allow-env
  }
}

function envFlag(name: string): boolean {
  return envValue(name) !== "";
}

/** Time a promise out with a message naming what did not happen. */
async function within<T>(ms: number, what: string, promise: Promise<T>): Promise<T> {
  let timer: ReturnType<typeof setTimeout> | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`${what}: not done within ${ms} ms`)), ms);
  });
  try {
    return await Promise.race([promise, timeout]);
  } finally {
    clearTimeout(timer);
  }
}

/** One GET over a fresh connection, whole response as text. */
async function getOnce(port: number, path: string): Promise<string> {
  const client = await RawClient.open(port);
  try {
    await client.write(`GET ${path} HTTP/1.1\r\nHost: stress\r\nConnection: close\r\n\r\n`);
    return await client.untilClosed(5000);
  } finally {
    client.close();
  }
}

// ── the cases ────────────────────────────────────────────────────────────────────────────────────

/** The stress cases, run against `runtime`'s adapter. Each case stays well under 30 s. */
export function stressCases(t: TestApi, runtime: Runtime): void {
  t.describe(`stress (${runtime.name})`, () => {
    const counters: StressCounters = { produced: 0, served: 0 };
    let server: Server;
    let port = 0;
    const probes: MemoryProbe[] = [];
    /** Sockets to cut should a case fail midway. */
    const sockets: { close(): void }[] = [];

    t.beforeAll(async () => {
      server = await start(runtime, createStressApp(counters));
      port = server.address.port;
    });

    t.afterAll(async () => {
      for (const probe of probes) probe.stop();
      for (const socket of sockets) socket.close();
      await server?.close();
    });

    // Each case first runs a smaller transfer of the same shape: the runtime's heap, allocator
    // and JIT settle there, and the baseline is taken after it.
    t.it("streams a 50 MiB upload back to a slow reader, byte-exact, in bounded memory (POST /echo)", async () => {
      await echo(port, 16 * MiB, null);
      const probe = new MemoryProbe(`${runtime.name} echo 50 MiB`);
      probes.push(probe);
      const result = await echo(port, BIG, probe);
      probe.finish(`, upload stalled at ${mib(result.stalledAt)}`);
    }, 30_000 * TIME_SCALE);

    t.it("streams a 50 MiB download to a slow reader, byte-exact, in bounded memory", async () => {
      await download(port, counters, 16 * MiB, null);
      const probe = new MemoryProbe(`${runtime.name} download 50 MiB`);
      probes.push(probe);
      const result = await download(port, counters, BIG, probe);
      probe.finish(`, producer stalled at ${mib(result.stalledAt)}`);
    }, 30_000 * TIME_SCALE);

    t.it("stops reading a client that pipelines requests without reading, then answers all in order", async () => {
      await pipelineFlood(port, counters, null, sockets, 10_000);
      const probe = new MemoryProbe(`${runtime.name} pipeline flood`);
      probes.push(probe);
      const result = await pipelineFlood(port, counters, probe, sockets, FLOOD_MAX);
      probe.finish(
        `, stall after ${result.sent} requests sent (${
          mib(result.bytes)
        }), ${result.served} answered; drained in ${result.drainMs} ms`,
      );
    }, 30_000 * TIME_SCALE);

    t.it("keeps the connection after a small unread body (sent with the head or after the response)", async () => {
      const client = await RawClient.open(port);
      sockets.push(client);
      const body = "x".repeat(1000);
      // The body arrives with the head; the next request right behind it.
      await client.write(
        `POST /stress/ignore HTTP/1.1\r\nHost: s\r\nContent-Length: ${body.length}\r\n\r\n${body}` +
          "GET / HTTP/1.1\r\nHost: s\r\n\r\n",
      );
      let text = await client.until((s) => s.includes("Hello, World!"));
      assert.match(text, /^HTTP\/1\.1 200 [^\r]*\r\n/);
      assert.ok(text.includes("ignored"), text);
      assert.ok(!/connection: close/i.test(text), `kept alive: ${text}`);
      // The body arrives only after its response went out: drained, then the next request.
      await client.write(`POST /stress/ignore HTTP/1.1\r\nHost: s\r\nContent-Length: ${body.length}\r\n\r\n`);
      text = await client.until((s) => s.split("ignored").length === 3);
      await sleep(50);
      await client.write(body + "GET /json HTTP/1.1\r\nHost: s\r\n\r\n");
      text = await client.until((s) => s.includes('{"message":"Hello, World!"}'));
      assert.equal(client.closed, false);
      assert.ok(!/connection: close/i.test(text), `kept alive: ${text}`);
      client.close();
    }, 30_000);

    t.it("answers and closes on a large unread body (Content-Length 8 MiB, all sent), no hang", async () => {
      const client = await RawClient.open(port);
      sockets.push(client);
      const size = 8 * MiB;
      void client.write(`POST /stress/ignore HTTP/1.1\r\nHost: s\r\nContent-Length: ${size}\r\n\r\n`).catch(() => {});
      // Keep uploading while the server answers: it must neither hang nor wait for the rest.
      void client.write(patternChunk(0, size)).catch(() => {});
      const text = await client.untilClosed(10_000);
      assert.match(text, /^HTTP\/1\.1 200 [^\r]*\r\n/);
      assert.match(text, /\r\nconnection: close\r\n/i);
      assert.ok(text.endsWith("ignored"), text);
    }, 30_000);

    t.it("answers and closes on a large unread body (Content-Length 8 MiB, head only), no hang", async () => {
      const client = await RawClient.open(port);
      sockets.push(client);
      await client.write(`POST /stress/ignore HTTP/1.1\r\nHost: s\r\nContent-Length: ${8 * MiB}\r\n\r\nabc`);
      const text = await client.untilClosed(10_000);
      assert.match(text, /^HTTP\/1\.1 200 [^\r]*\r\n/);
      assert.match(text, /\r\nconnection: close\r\n/i);
      assert.ok(text.endsWith("ignored"), text);
    }, 30_000);

    t.it("answers and closes on an unread chunked body, no hang", async () => {
      const client = await RawClient.open(port);
      sockets.push(client);
      await client.write(
        "POST /stress/ignore HTTP/1.1\r\nHost: s\r\nTransfer-Encoding: chunked\r\n\r\n400\r\n" + "y".repeat(1024) +
          "\r\n",
      );
      const text = await client.untilClosed(10_000);
      assert.match(text, /^HTTP\/1\.1 200 [^\r]*\r\n/);
      assert.match(text, /\r\nconnection: close\r\n/i);
      assert.ok(text.endsWith("ignored"), text);
    }, 30_000);

    t.describe("timeouts (keepAliveTimeout 1000, headersTimeout 1000)", () => {
      let timed: Server;
      let timedPort = 0;
      t.beforeAll(async () => {
        timed = await start(runtime, createApp(), { keepAliveTimeout: 1000, headersTimeout: 1000 });
        timedPort = timed.address.port;
      });
      t.afterAll(async () => {
        await timed?.close();
      });

      // The server clock ticks once a second, so a 1 s timeout fires 1–2 s after the fact.
      t.it("closes an idle keep-alive connection within ~3 s", async () => {
        const client = await RawClient.open(timedPort);
        sockets.push(client);
        await client.write("GET / HTTP/1.1\r\nHost: s\r\n\r\n");
        await client.until((s) => s.endsWith("Hello, World!"));
        const idleSince = Date.now();
        const text = await client.untilClosed(4000);
        const idle = Date.now() - idleSince;
        assert.ok(idle <= 3500, `closed after ${idle} ms`);
        assert.equal(text.split("HTTP/1.1 ").length, 2, `nothing more was sent: ${text}`);
      }, 10_000);

      t.it("closes a connection that never sends a byte within ~3 s", async () => {
        const client = await RawClient.open(timedPort);
        sockets.push(client);
        const openedAt = Date.now();
        const text = await client.untilClosed(4000);
        assert.ok(Date.now() - openedAt <= 3500, `closed after ${Date.now() - openedAt} ms`);
        assert.equal(text, "");
      }, 10_000);

      t.it("answers 408 and closes when a request head is not complete in time", async () => {
        const client = await RawClient.open(timedPort);
        sockets.push(client);
        await client.write("GET / HTTP/1.1\r\nHost: s\r\n");
        const sentAt = Date.now();
        const text = await client.untilClosed(4000);
        assert.ok(Date.now() - sentAt <= 3500, `closed after ${Date.now() - sentAt} ms`);
        assert.match(text, /^HTTP\/1\.1 408 /);
        assert.match(text, /\r\nconnection: close\r\n/i);
      }, 10_000);

      t.it("answers 408 to a head dripped a byte at a time (activity does not extend headersTimeout)", async () => {
        const client = await RawClient.open(timedPort);
        sockets.push(client);
        const head = "GET / HTTP/1.1\r\nHost: s\r\nX-Slow: " + "z".repeat(100);
        const sentAt = Date.now();
        for (let i = 0; i < head.length && !client.closed && Date.now() - sentAt < 4000; i++) {
          await client.write(head[i]!).catch(() => {});
          await sleep(100);
        }
        const text = await client.untilClosed(1000);
        assert.ok(Date.now() - sentAt <= 3700, `closed after ${Date.now() - sentAt} ms`);
        assert.match(text, /^HTTP\/1\.1 408 /);
      }, 10_000);
    });
  });
}

// ── the big transfers ────────────────────────────────────────────────────────────────────────────

/**
 * Upload `size` bytes to `POST /echo` and read the echo back slowly: first read nothing until the
 * upload stalls (the server must stop reading it), measure, then read in bursts.
 */
async function echo(port: number, size: number, probe: MemoryProbe | null): Promise<{ stalledAt: number }> {
  const check = new PatternCheck();
  let status = 0;
  let done = false;
  const client = await SlowClient.open(port, {
    head: (head) => (status = head.status),
    body: (bytes) => check.push(bytes),
    complete: () => (done = true),
  });
  const deadline = Date.now() + 20_000 * TIME_SCALE;
  try {
    client.socket.pause();
    const progress = { written: 0 };
    const head =
      `POST /echo HTTP/1.1\r\nHost: stress\r\nContent-Type: application/octet-stream\r\nContent-Length: ${size}\r\n\r\n`;
    client.socket.write(head);
    let writeError: unknown = null;
    const writing = writePattern(client.socket, size, progress).catch((error) => (writeError = error));
    // Nobody reads the echo: the server must stop echoing, then stop reading the upload.
    const stalled = await stalls(() => progress.written, () => progress.written >= size, 750, 10_000 * TIME_SCALE);
    const stalledAt = progress.written;
    probe?.measureRetained();
    assert.ok(stalled, `the upload never stalled while the echo was not read: ${mib(progress.written)} written`);
    await client.readSlowly(() => done, 512 * 1024, 10, deadline, `echo of ${mib(size)}`);
    await within(Math.max(0, deadline - Date.now()), "upload", writing);
    if (writeError !== null) throw writeError;
    assert.equal(status, 200);
    assert.equal(check.error, null, check.error ?? "");
    assert.equal(check.offset, size, `echoed ${check.offset} of ${size} bytes`);
    return { stalledAt };
  } finally {
    client.close();
  }
}

/** Download `size` bytes from the stress route: read nothing until the server stops producing, measure, then read in bursts. */
async function download(
  port: number,
  counters: StressCounters,
  size: number,
  probe: MemoryProbe | null,
): Promise<{ stalledAt: number }> {
  const check = new PatternCheck();
  let head: ResponseHead | null = null;
  let done = false;
  const client = await SlowClient.open(port, {
    head: (h) => (head = h),
    body: (bytes) => check.push(bytes),
    complete: () => (done = true),
  });
  const deadline = Date.now() + 20_000 * TIME_SCALE;
  try {
    client.socket.pause();
    const before = counters.produced;
    client.socket.write(`GET /stress/download?bytes=${size} HTTP/1.1\r\nHost: stress\r\n\r\n`);
    // Nobody reads: once the socket is full the server must stop pulling from the stream.
    const produced = (): number => counters.produced - before;
    const stalled = await stalls(produced, () => produced() >= size, 750, 10_000 * TIME_SCALE);
    const stalledAt = produced();
    probe?.measureRetained();
    assert.ok(stalled, `the server went on producing while nobody read: ${mib(produced())} produced`);
    await client.readSlowly(() => done, 512 * 1024, 10, deadline, `download of ${mib(size)}`);
    const h = head as ResponseHead | null;
    assert.equal(h?.status, 200);
    assert.equal(h?.headers.get("content-length"), String(size));
    assert.equal(check.error, null, check.error ?? "");
    assert.equal(check.offset, size, `received ${check.offset} of ${size} bytes`);
    return { stalledAt };
  } finally {
    client.close();
  }
}

/** Most requests the flood sends: far more than the socket buffers hold (see FLOOD_PAD). */
const FLOOD_MAX = 400_000;
/** Requests per write. */
const FLOOD_BATCH = 100;
/**
 * Each flood request carries ~500 bytes of header, so the socket buffers (here up to 4 MiB send
 * + 32 MiB receive) take at most ~70 000 of them: a server that stops reading makes the writer
 * stall well before FLOOD_MAX, while the number of responses to read back stays modest.
 */
const FLOOD_PAD = "p".repeat(480);

/**
 * Pipeline `GET /stress/seq/<i>` for i = 0, 1, … without reading until the writes stall; check
 * that the server stopped too, memory, and that a second client is served meanwhile; then read
 * everything and check that each answer carries its number.
 */
async function pipelineFlood(
  port: number,
  counters: StressCounters,
  probe: MemoryProbe | null,
  sockets: { close(): void }[],
  max: number,
): Promise<{ sent: number; bytes: number; served: number; drainMs: number }> {
  let expectId = 0;
  let bad: string | null = null;
  let status = 0;
  let body = "";
  const client = await SlowClient.open(port, {
    head: (head) => {
      status = head.status;
      body = "";
    },
    body: (bytes) => (body += latin1(bytes, 0, bytes.length)),
    complete: () => {
      if (bad === null && (status !== 200 || body !== String(expectId))) {
        bad = `response ${expectId}: ${status} ${body}`;
      }
      expectId++;
    },
  });
  sockets.push(client);
  client.socket.pause();
  const servedBefore = counters.served;
  const served = (): number => counters.served - servedBefore;
  const progress = { sent: 0, bytes: 0 };
  let stop = false;
  const writing = (async () => {
    while (progress.sent < max && !stop) {
      let batch = "";
      const end = Math.min(max, progress.sent + FLOOD_BATCH);
      for (let i = progress.sent; i < end; i++) {
        batch += `GET /stress/seq/${i} HTTP/1.1\r\nHost: s\r\nX-Pad: ${FLOOD_PAD}\r\n\r\n`;
      }
      progress.sent = end;
      progress.bytes += batch.length;
      if (!client.socket.write(batch)) await drained(client.socket);
      if (client.socket.destroyed) return;
    }
  })();
  // Both sides go quiet: the client cannot write more, the server answers no more.
  const stalled = await stalls(() => progress.sent + served(), () => progress.sent >= max, 1000, 10_000 * TIME_SCALE);
  stop = true;
  probe?.measureRetained();
  const servedAtStall = served();
  // The warm-up sends fewer requests than the socket buffers hold; the real flood must stall.
  if (probe !== null) {
    assert.ok(
      stalled,
      `the server read ${progress.sent} pipelined requests (${mib(progress.bytes)}) without the client reading`,
    );
    assert.ok(servedAtStall < progress.sent, `the server answered all ${servedAtStall} requests while nobody read`);
  }
  // Meanwhile another client is served.
  const other = await within(5000, "a second client's GET /", getOnce(port, "/"));
  assert.match(other, /^HTTP\/1\.1 200 [^\r]*\r\n/);
  assert.ok(other.endsWith("Hello, World!"), other);
  // Now read it all: every request answered, in order.
  const sent = progress.sent;
  const drainStart = Date.now();
  client.socket.resume();
  while (expectId < sent && bad === null) {
    if (client.error !== null) throw client.error;
    if (client.closed) throw new Error(`connection closed after ${expectId} of ${sent} responses`);
    if (Date.now() - drainStart > 15_000 * TIME_SCALE) {
      throw new Error(`only ${expectId} of ${sent} responses within ${15 * TIME_SCALE} s`);
    }
    await client.nextEvent(100);
  }
  const drainMs = Date.now() - drainStart;
  await within(2000, "the flood writer", writing);
  assert.equal(bad, null, bad ?? "");
  assert.equal(progress.sent, sent, "the writer stopped at the stall");
  assert.equal(expectId, sent, `${expectId} responses to ${sent} requests`);
  assert.ok(client.reader.idle, "no partial response after the last one");
  client.close();
  return { sent, bytes: progress.bytes, served: servedAtStall, drainMs };
}
