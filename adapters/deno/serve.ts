/**
 * wirecore on Deno, over `Deno.listen` (https://docs.deno.com/api/deno/~/Deno.listen).
 *
 * Deno's sockets are pull-based: one read loop per connection over one reused buffer, and writes
 * coalesced while a `conn.write` promise is in flight, so a burst of responses leaves as one write.
 * The `Deno` types are Deno's own under `deno check`, and `@types/deno` (a devDependency) under tsc.
 *
 * Why `Deno.listen` + `conn.read()` (issue 13): `bench/peers/deno-socket-apis.ts` answers `GET /` with canned bytes
 * (no parsing) over each socket API; server CPU per request under `wrk -c64`, median of 3 × 3 s runs, in two sessions
 * on the shared 2-core VM (load 5 and 9, so read the ratios, not the µs; the first session ran the last three with
 * setNoDelay on):
 *
 *   Deno.serve (native, for scale)          16.6 µs   23.0 µs
 *   Deno.listen + read() into one buffer    16.9      25.2    ← this adapter
 *     … with setNoDelay(true)               19.2      22.0    (within the noise: kept, it matters for split writes)
 *     … awaiting each write before reading  16.0      26.1    (within the noise: reading on while writing is kept)
 *   conn.readable, BYOB reader              25.9      36.5    (+50 %: a stream read per chunk, buffer transfers)
 *   node:net (Deno's), data events          21.8      28.0    (+15–30 %; Deno 2.9.6, 2026-12-07 evening: +13 %,
 *                                                                 18.5–19.0 against 20.9–21.8 µs)
 *
 * Fairness is where `read()` loses: under `wrk -c1024` it serves some connections ten times as often as others (p99
 * 1.3–1.5 s for a canned-response server on it; Deno's `node:net`, which reads in Rust, 62–416 ms). Over `node:net`
 * wirecore cost a third more CPU per request at 64 connections (33.6 against 25.3 µs), so `read()` stays; the
 * {@link TurnBudget} below takes the worst of the tail off (bench/README.md, "conns-1024, the third queue").
 *
 * `read()` costs what Deno.serve's own I/O costs per request, and with one `read` and one `write` per request
 * (`strace -c` over 3 s of `wrk -c64`: 24 561 sendto and 24 604 recvfrom for 24 503 requests) there is no syscall
 * left to save; what wirecore adds above that is the core's JavaScript (bench/README.md, "Where the time goes").
 *
 * Writes queued while one is in flight are joined into one buffer and written at once. Writing large parts uncopied
 * instead took the copy out of the echo-1m profile (15.5 % → 0.5 % of samples) but served fewer 1 MiB echoes (A/B,
 * 4 rounds: 31 against 41 req/s, 3.9 against 3.2 ms of CPU per request): fewer, larger writes win here. A write is
 * followed by one pair of callbacks made per connection, not an async loop per write: keep-alive `GET /`, seven
 * alternating rounds, 13.5 → 13.2 µs of server CPU per request (within the noise, five rounds of seven lower), 4 KiB
 * WebSocket echo 600 → 651 MB/s (two rounds).
 * @module
 */
import {
  checkListenTarget,
  type ConnectionHandler,
  createServerCore,
  errnoCode,
  type ListenTarget,
  releaseWrite,
  ServeError,
  type ServeOptions,
  Server,
  type ServerAddress,
  type ServeTarget,
  type Transport,
  type TransportInfo,
} from "../../core/mod.ts";
import { zlibDeflateProvider } from "../zlib-deflate.ts";
import { zlibCompression } from "../zlib-compression.ts";
import { denoFiles } from "./files.ts";
import { denoProfiler } from "./profiler.ts";
import { serveWorkers } from "../workers.ts";
import { denoWorkerCommand } from "./worker-command.ts";

/** What `Deno.listen` (TCP) and `Deno.listenTls` accept. */
type DenoConn = Deno.TcpConn | Deno.TlsConn;

/**
 * A connection's read buffer starts small: most requests are small, and an idle keep-alive connection holds its buffer
 * in the pending read. 1 KiB against 4 KiB took an idle connection from 10.4 to 7.5 KB of RSS (idle-100k, 19 744
 * connections; Deno.serve 15.2), so 100 000 of them fit in 808 MiB instead of 1 089. It grows ×4 while reads fill it,
 * up to 256 KiB: against 64 KiB that served 1 MiB echoes with 16–28 % less server CPU
 * per request (A/B, wrk -c64, three sessions of 4 rounds: 1.54 against 1.84 ms, 1.59 against 2.19, 2.13 against
 * 2.65); a 1 MiB ceiling gained nothing more.
 * After a large body, {@link SMALL_READS_TO_SHRINK} small reads in a row take it back to {@link READ_BUFFER_SHRUNK}
 * (the old ceiling). Shrinking on the first small read made WebSocket echo traffic, where full and small reads take
 * turns, allocate a fresh 256 KiB buffer every few reads (`readLoop` 6.9 % self time in the ws-echo-4k profile).
 */
const READ_BUFFER_MIN = 1024;
const READ_BUFFER_MAX = 256 * 1024;
const READ_BUFFER_SHRUNK = 64 * 1024;
const SMALL_READS_TO_SHRINK = 8;
/** Queued bytes above which `write()` asks the core to wait for `drain`. */
const HIGH_WATER_MARK = 64 * 1024;

/**
 * Reads handled before the event loop must poll for I/O again. Deno completes a `read()` at once when its socket
 * already holds data, and the read loop goes on in a microtask, so under load the connections whose clients answer
 * fastest were served turn after turn while the loop never polled the others: `conns-1024` (`wrk -c1024`) had a p50
 * of 4 ms, a p99 of 1.1–3 s and ~200 wrk timeouts (no request served for 2 s on those connections), though every
 * connection was accepted within 120 ms and the kernel counted no listen overflow or retransmit. Past the budget a
 * read loop waits for the next macrotask, which comes after the loop has polled every socket.
 */
const READS_PER_TURN = 64;

/** The reads of this turn of the event loop, shared by every connection of the process. */
class TurnBudget {
  #reads = 0;
  #nextTurn: Promise<void> | null = null;
  #resolveNextTurn: (() => void) | null = null;
  readonly #endTurn = (): void => {
    this.#reads = 0;
    const resolve = this.#resolveNextTurn;
    this.#nextTurn = this.#resolveNextTurn = null;
    resolve?.();
  };

  /** Count one read; a promise to wait for when the turn's budget is spent, else null. */
  spend(): Promise<void> | null {
    if (this.#reads++ === 0) setTimeout(this.#endTurn, 0);
    if (this.#reads <= READS_PER_TURN) return null;
    return this.#nextTurn ??= new Promise<void>((resolve) => (this.#resolveNextTurn = resolve));
  }
}
const turn = new TurnBudget();
const EMPTY = new Uint8Array(0);

class DenoTransport implements Transport {
  readonly #conn: DenoConn;
  readonly info: TransportInfo;
  handler: ConnectionHandler | null = null;
  #queue: Uint8Array[] = [];
  #queued = 0;
  #writing = false;
  #ending = false;
  #closed = false;
  #paused = false;
  #resumeReading: (() => void) | null = null;

  constructor(conn: DenoConn, tls: boolean, alpn: string | undefined) {
    this.#conn = conn;
    const addr = conn.remoteAddr;
    this.info = { remoteAddress: addr.hostname, remotePort: addr.port, tls, alpn };
  }

  /** Read until EOF or error; the one buffer is reused, the core copies what it keeps. */
  async readLoop(): Promise<void> {
    let buffer = new Uint8Array(READ_BUFFER_MIN);
    let smallReads = 0;
    let error: unknown;
    try {
      for (;;) {
        if (this.#paused) await new Promise<void>((resolve) => (this.#resumeReading = resolve));
        if (this.#closed) break;
        const n = await this.#conn.read(buffer);
        if (n === null) {
          this.handler?.end();
          break;
        }
        this.handler?.data(buffer.subarray(0, n));
        const wait = turn.spend();
        if (wait !== null) await wait;
        if (n === buffer.length) {
          if (buffer.length < READ_BUFFER_MAX) buffer = new Uint8Array(buffer.length * 4);
          smallReads = 0;
        } else if (n >= READ_BUFFER_MIN) smallReads = 0;
        else if (buffer.length > READ_BUFFER_SHRUNK && ++smallReads === SMALL_READS_TO_SHRINK) {
          buffer = new Uint8Array(READ_BUFFER_SHRUNK);
          smallReads = 0;
        }
      }
    } catch (e) {
      error = e;
    }
    // Reading is over: once writes are done (or at once, on error) the socket goes.
    if (error !== undefined || this.#ending) this.#finish(error);
    else this.#readDone = true;
  }
  #readDone = false;

  write(bytes: Uint8Array): boolean {
    if (this.#closed || this.#ending) return false;
    if (this.#writing) {
      this.#queue.push(bytes);
      this.#queued += bytes.length;
      return this.#queued < HIGH_WATER_MARK;
    }
    this.#writing = true;
    this.#send(bytes, false);
    return true;
  }

  /** The chunk being written, how much of it is written, and whether the queue was above the mark when it was taken. */
  #chunk: Uint8Array = EMPTY;
  #written = 0;
  #wasAbove = false;
  // One callback pair per connection, not a closure (nor an async function's state) per write.
  readonly #onWrite = (n: number): void => this.#wrote(n);
  readonly #onWriteError = (error: unknown): void => {
    this.#writing = false;
    this.#finish(error);
  };

  #send(chunk: Uint8Array, wasAbove: boolean): void {
    this.#chunk = chunk;
    this.#written = 0;
    this.#wasAbove = wasAbove;
    this.#conn.write(chunk).then(this.#onWrite, this.#onWriteError);
  }

  #wrote(n: number): void {
    const chunk = this.#chunk;
    this.#written += n;
    if (this.#written < chunk.length && !this.#closed) {
      this.#conn.write(chunk.subarray(this.#written)).then(this.#onWrite, this.#onWriteError);
      return;
    }
    releaseWrite(chunk); // in the kernel now (a joined chunk is no batch of the core's, and is ignored)
    this.#chunk = EMPTY;
    if (this.#wasAbove && this.#queued < HIGH_WATER_MARK) this.handler?.drain();
    const queue = this.#queue;
    if (queue.length > 0 && !this.#closed) {
      let next: Uint8Array;
      if (queue.length === 1) next = queue[0]!;
      else {
        next = new Uint8Array(this.#queued);
        let at = 0;
        for (const part of queue) {
          next.set(part, at);
          at += part.length;
          releaseWrite(part); // copied: the core may write over it
        }
      }
      this.#queue = [];
      const wasAbove = this.#queued >= HIGH_WATER_MARK;
      this.#queued = 0;
      this.#send(next, wasAbove);
      return;
    }
    this.#writing = false;
    if (this.#ending && !this.#closed) void this.#halfClose();
  }

  async #halfClose(): Promise<void> {
    if (this.#readDone) {
      this.#finish(undefined);
      return;
    }
    try {
      await this.#conn.closeWrite();
    } catch (error) {
      this.#finish(error);
    }
    // The read loop goes on, dropping what comes, until the peer closes (or the core cuts us).
  }

  #finish(error: unknown): void {
    if (this.#closed) return;
    this.#closed = true;
    try {
      this.#conn.close();
    } catch {
      // already closed
    }
    this.#resumeReading?.();
    this.handler?.closed(error);
  }

  end(): void {
    if (this.#ending || this.#closed) return;
    this.#ending = true;
    if (!this.#writing) void this.#halfClose();
  }
  close(): void {
    this.#queue = [];
    this.#queued = 0;
    this.#finish(undefined);
  }
  pause(): void {
    this.#paused = true;
  }
  resume(): void {
    this.#paused = false;
    const resume = this.#resumeReading;
    this.#resumeReading = null;
    resume?.();
  }
}

function denoRuntime(): typeof Deno {
  if (typeof Deno === "undefined") throw new Error("wirecore/deno needs the Deno runtime");
  return Deno;
}

/**
 * Deno.listen throws classes of `Deno.errors` (AddrInUse, …) carrying an errno `code`; a bad
 * certificate is InvalidData or a rustls message naming the certificate or key; a hostname that
 * does not resolve is a plain Error "failed to lookup address information"; a missing
 * `--allow-net` is NotCapable.
 */
function toServeError(error: unknown, where: ListenTarget, tls: boolean): ServeError {
  const errno = errnoCode(error);
  if (errno !== undefined) return new ServeError(errno, where, error);
  const { name, message } = (error ?? {}) as { name?: unknown; message?: unknown };
  const text = String(message);
  if (name === "NotCapable" || name === "PermissionDenied") return new ServeError("EACCES", where, error);
  if (tls && (name === "InvalidData" || /certificate|key|PEM/i.test(text))) return new ServeError("ETLS", where, error);
  if (/failed to lookup address|name or service not known/i.test(text)) {
    return new ServeError("ENOTFOUND", where, error);
  }
  return new ServeError("ELISTEN", where, error);
}

/** Serve an App, a fetch handler or an object with `fetch` (e.g. a Hono app) on Deno. */
export function serve(target: ServeTarget, options: ServeOptions = {}): Server {
  if (options.workers !== undefined) return serveWorkers(target, options, serve, denoWorkerCommand);
  const core = createServerCore(target, {
    deflateProvider: zlibDeflateProvider,
    compression: zlibCompression,
    files: denoFiles,
    profiler: denoProfiler,
    ...options,
  });
  // The listen queue (`backlog`, 4 096 by default): Deno's own 511 overflowed under a burst of 1 024 connects —
  // accepted by a JavaScript loop, one per turn of the event loop — and the dropped clients retried after 1 s, then
  // 3 s: the 3.6 s p99 of `conns-1024`. Deno.serve accepts in Rust and keeps up with the same 511.
  const { hostname, port, backlog } = core.options;
  const where: ListenTarget = { hostname, port };
  const tls = options.tls;
  const deno = denoRuntime();
  let listener: Deno.Listener<DenoConn, Deno.NetAddr>;
  const invalid = checkListenTarget(where);
  try {
    if (invalid !== null) throw invalid;
    // `reusePort` needs `--unstable-net` (Deno 2.9); the primary starts its workers with it (docs/workers.md).
    const reusePort = options.reusePort === true;
    listener = tls === undefined
      ? deno.listen({ hostname, port, transport: "tcp", reusePort, tcpBacklog: backlog })
      : deno.listenTls({
        hostname,
        port,
        reusePort,
        tcpBacklog: backlog,
        cert: tls.cert,
        key: tls.key,
        alpnProtocols: core.alpnProtocols,
      });
  } catch (error) {
    const failure = error instanceof ServeError ? error : toServeError(error, where, tls !== undefined);
    return new Server(
      core,
      { listening: Promise.reject(failure), stop: () => {}, tls: tls !== undefined },
      options.signal,
    );
  }
  const start = async (conn: DenoConn): Promise<void> => {
    let alpn: string | undefined;
    if ("handshake" in conn) {
      try {
        alpn = (await conn.handshake()).alpnProtocol ?? undefined;
      } catch {
        // A failed TLS handshake is that client's problem, not the server's.
        try {
          conn.close();
        } catch {
          // already closed
        }
        return;
      }
    }
    const transport = new DenoTransport(conn, tls !== undefined, alpn);
    transport.handler = core.accept(transport);
    void transport.readLoop();
  };
  let stopped = false;
  void (async () => {
    for (;;) {
      let conn: DenoConn;
      try {
        conn = await listener.accept();
      } catch (error) {
        if (stopped) return;
        core.options.onError(error);
        continue;
      }
      try {
        // A TLS connection has no setNoDelay (https://github.com/denoland/deno/issues/13617):
        // there Nagle stays on, and small request/answer exchanges can wait for a delayed ACK.
        if ("setNoDelay" in conn) conn.setNoDelay(true);
      } catch {
        // The socket may be gone already: its read loop finds out and closes it.
      }
      void start(conn);
    }
  })();
  const address: ServerAddress = { hostname: listener.addr.hostname, port: listener.addr.port };
  const stop = (): void => {
    if (stopped) return;
    stopped = true;
    listener.close();
  };
  return new Server(core, { listening: Promise.resolve(address), stop, tls: tls !== undefined }, options.signal);
}
