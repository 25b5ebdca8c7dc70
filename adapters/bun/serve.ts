/**
 * wirecore on Bun, over `Bun.listen` (https://bun.sh/docs/api/tcp).
 *
 * Bun's `socket.write()` is a `send(2)` at once and returns how many bytes it took; the rest is
 * ours to keep and retry on `drain` (https://bun.sh/docs/api/tcp#buffering). Bun.listen has no
 * `cork`, so this transport coalesces itself: writes made outside a `data` callback (from the
 * app's promises) are queued and sent once at the end of the event-loop turn (`setImmediate`),
 * several small ones joined into one buffer, or at once when 64 KiB are queued. A streamed
 * response (head, each chunk, the last chunk — written from successive microtasks) then leaves
 * in one `send` instead of three. A write made inside a `data` callback goes out at once: the
 * core already batches all that one read produces. The `Bun` global and its
 * types come from the `bun-types` package (a devDependency; the published types do not need it).
 *
 * Measured on 2026-12-07 (wrk, 64 connections, 3 s, server on CPU 0, wrk on CPU 1, under the
 * machine-wide bench lock on a 2-core VM that other jobs kept at load average 4–10, so a few
 * figures per choice and ±25 % noise between runs):
 * - socket API: a canned-response server on `Bun.listen` did 9.5k/9.7k req/s (21.7k on a quieter
 *   minute), on Bun's `node:net` 13.1k/9.2k (23.2k quieter), Bun.serve 9.2k/9.2k — no API ahead
 *   beyond the noise, so `Bun.listen` stays: no stream machinery between the socket and the core.
 * - coalescing (this queue) vs a `send` per core write, alternating: `POST /echo` 4 KiB
 *   4.6k/4.3k vs 3.1k/3.1k req/s (+40 %; 3 → 1 `send` per response), `GET /` 7.6k/6.6k vs
 *   7.8k/6.4k and pipelined ×16 102k/120k vs 86k/136k (the same: one write per read already);
 *   WebSocket echo 4 KiB lost with every write deferred (63/72 vs 82/81 MB/s), hence the
 *   at-once path inside `data`; with it, on a quieter minute (04:29 UTC): WebSocket echo 128/148 vs
 *   157/145 MB/s (the same within the noise), `POST /echo` 4 KiB 13.2k/7.0k vs 5.9k/5.9k req/s.
 * - `setNoDelay(true)` vs Nagle on: `GET /` 7.4k/7.3k vs 7.7k/7.0k (the same); kept on, as
 *   responses that end a turn must not wait for an ACK.
 * - idle connections: the transport builds `info` only when asked and its queue with the first
 *   write; with the pooled HTTP/1.1 parser an idle keep-alive connection costs 1.9 KB of RSS
 *   (was 4.2; Bun.serve 0.7, a bare `Bun.listen` socket about 1.2 in the same census).
 *
 * Closing: Bun's `socket.end()` is `close(2)` at once (seen with strace on Bun 1.4.5), not a
 * half-close, and `terminate()` sets SO_LINGER 0. Either way a peer still sending gets a TCP reset,
 * and a reset can take our last bytes (a GOAWAY, a WebSocket Close, a 400) off the wire before the
 * peer reads them. So `end()` flushes the queue, then `shutdown()`s the write side (FIN) and keeps
 * reading, as Node's and Deno's adapters do; the socket is released once the peer has closed its
 * side too, or when the core gives up on it (`close()`, after the session's linger).
 * @module
 */
import {
  checkListenTarget,
  type ConnectionHandler,
  createServerCore,
  errnoCode,
  type ListenTarget,
  ServeError,
  type ServeOptions,
  Server,
  type ServerAddress,
  type ServeTarget,
  type Transport,
  type TransportInfo,
} from "../../core/mod.ts";
import { bunDeflateProvider } from "./deflate.ts";
import { zlibCompression } from "../zlib-compression.ts";
import { bunFiles } from "./files.ts";
import { bunProfiler } from "./profiler.ts";
import { serveWorkers, type WorkerCommand } from "../workers.ts";
import process from "node:process";

/** Queued bytes above which `write()` asks the core to wait for `drain`. */
const HIGH_WATER_MARK = 64 * 1024;
/** Queued bytes that are sent at once rather than at the end of the event-loop turn. */
const SEND_NOW = 64 * 1024;

/** Transports with bytes queued for the end of this event-loop turn (see the module comment). */
let toFlush: BunTransport[] = [];
let flushScheduled = false;
/**
 * Inside a `data` callback: the core batches what one read produces into one write already, so
 * that write goes out at once; deferring it only delays the peer (WebSocket echo 4 KiB, deferring
 * every write vs none: 63/72 vs 82/81 MB/s).
 */
let inRead = false;

/**
 * Transports whose `pause()` waits for the end of the microtask queue. Bun's `pause()` and `resume()` are each an
 * `epoll_ctl` at once, and the core often pauses for a large body chunk that the handler has consumed before the
 * `data` callback's microtasks are done: a 1 MiB echo paused and resumed on every 512 KiB read, four syscalls per
 * request for nothing. A pause still wanted when the queue runs out reaches the socket before Bun's next callback.
 * Sets outside the transports, not fields: an idle connection pays nothing for them (two boolean fields cost ~80
 * bytes of RSS per idle connection, 1.85 → 1.93 KB).
 */
const pausing = new Set<BunTransport>();
/** Transports whose Bun socket is paused (weak: a closed one needs no cleanup). */
const paused = new WeakSet<BunTransport>();

function pauseAll(): void {
  for (const transport of pausing) transport.applyPause();
  pausing.clear();
}

function flushAll(): void {
  flushScheduled = false;
  const list = toFlush;
  toFlush = [];
  for (const transport of list) transport.flushQueue();
}

class BunTransport implements Transport {
  readonly #socket: Bun.Socket<BunTransport>;
  readonly #tls: boolean;
  #info: TransportInfo | null = null;
  handler: ConnectionHandler | null = null;
  /** Bytes written but not yet sent: coalesced for the turn's end, or left over while Bun's buffer is full. */
  #queue: Uint8Array[] | null = null;
  #queued = 0;
  /** Bun took only part of a write: wait for its `drain`. */
  #blocked = false;
  /** In `toFlush` already. */
  #scheduled = false;
  /** `write()` returned false: the core waits for `drain`. */
  #owesDrain = false;
  /** The core asked to end: the queue goes out, then our FIN. */
  #ending = false;
  /** Our FIN is sent (or the socket released). */
  #finSent = false;
  /** The peer's FIN came. */
  #peerEnded = false;

  constructor(socket: Bun.Socket<BunTransport>, tls: boolean) {
    this.#socket = socket;
    this.#tls = tls;
  }

  /**
   * Bun hands every `data` callback a new Buffer with an ArrayBuffer of its own, never written
   * again (checked in test/bun.test.ts), so the core keeps views of reads rather than copies. A
   * getter, not a field: no slot per idle connection.
   */
  get freshReads(): boolean {
    return true;
  }

  /**
   * Bun's `socket.write` copies what it takes and keeps nothing (what it cannot send now is left to us, and stays in
   * our queue): once the queue is empty no array the core wrote is held (checked in test/bun.test.ts).
   */
  get writesSettled(): boolean {
    return this.#queue === null || this.#queue.length === 0;
  }

  /**
   * Built when first read: most connections never ask, and an idle connection then holds no
   * strings of its own. The TLS handshake finishes after `open`, so ALPN is read when asked.
   */
  get info(): TransportInfo {
    if (this.#info !== null) return this.#info;
    const socket = this.#socket;
    const info: TransportInfo = {
      remoteAddress: socket.remoteAddress,
      remotePort: socket.remotePort ?? 0,
      tls: this.#tls,
    };
    if (this.#tls) {
      Object.defineProperty(info, "alpn", { get: () => socket.alpnProtocol || undefined, enumerable: true });
    }
    return (this.#info = info);
  }

  write(bytes: Uint8Array): boolean {
    if (this.#ending || bytes.length === 0) return !this.#ending;
    (this.#queue ??= []).push(bytes);
    this.#queued += bytes.length;
    if (!this.#blocked) {
      if (inRead || this.#queued >= SEND_NOW) this.flushQueue();
      else if (!this.#scheduled) {
        this.#scheduled = true;
        toFlush.push(this);
        if (!flushScheduled) {
          flushScheduled = true;
          setImmediate(flushAll);
        }
      }
    }
    if (this.#queued < HIGH_WATER_MARK) return true;
    this.#owesDrain = true;
    return false;
  }

  /**
   * Send what is queued: several small writes as one (one syscall), large ones as they are.
   * Called at the end of the turn, when the queue is large, and on Bun's `drain`; tells the core
   * once the queue is empty after it had to wait.
   */
  flushQueue(): void {
    this.#scheduled = false;
    this.#blocked = false;
    const queue = this.#queue;
    while (queue !== null && queue.length > 0) {
      let head = queue[0]!;
      let taken = 1;
      if (queue.length > 1 && head.length < SEND_NOW) {
        // Join the small writes in front into one buffer, up to SEND_NOW bytes.
        let size = head.length;
        while (taken < queue.length && size + queue[taken]!.length <= SEND_NOW) size += queue[taken++]!.length;
        if (taken > 1) {
          const joined = new Uint8Array(size);
          let at = 0;
          for (let i = 0; i < taken; i++) {
            joined.set(queue[i]!, at);
            at += queue[i]!.length;
          }
          head = joined;
        }
      }
      const sent = Math.max(this.#socket.write(head), 0);
      this.#queued -= sent;
      if (sent < head.length) {
        queue.splice(0, taken, head.subarray(sent));
        this.#blocked = true;
        return;
      }
      queue.splice(0, taken);
    }
    if (this.#ending) this.#sendFin();
    else if (this.#owesDrain) {
      this.#owesDrain = false;
      this.handler?.drain();
    }
  }

  end(): void {
    if (this.#ending) return;
    this.#ending = true;
    if (this.#blocked) return; // flushQueue sends the FIN once Bun has taken the rest
    this.flushQueue();
  }

  /** Bun's `end` event: the peer half-closed. Once both sides are done the socket goes. */
  peerEnded(): void {
    this.#peerEnded = true;
    this.handler?.end();
    if (this.#finSent) this.#socket.end();
  }

  /**
   * Everything queued is with the kernel: FIN after it (`shutdown(2)`, RFC 9293 §3.6), and read
   * on — the session drops what comes — until the peer's FIN or the core's `close()`.
   */
  #sendFin(): void {
    if (this.#finSent) return;
    this.#finSent = true;
    if (this.#peerEnded) this.#socket.end();
    else this.#socket.shutdown();
  }

  /**
   * Abort: drop our queue and release the socket with `close(2)` — the kernel still sends what
   * it holds and a FIN (a reset only if unread bytes are waiting), as Node's `destroy()` does.
   */
  close(): void {
    this.#queue = null;
    this.#queued = 0;
    this.#ending = this.#finSent = true;
    this.#socket.end();
  }
  pause(): void {
    if (paused.has(this)) return;
    if (pausing.size === 0) queueMicrotask(pauseAll);
    pausing.add(this);
  }
  resume(): void {
    pausing.delete(this);
    if (paused.delete(this)) this.#socket.resume();
  }
  /** The end of the microtask queue: the core still wants this socket paused (see {@link pausing}). */
  applyPause(): void {
    paused.add(this);
    this.#socket.pause();
  }
}

/** ALPN protocol ids as TLS sends them: each prefixed with its length (RFC 7301 §3.1). */
function alpnWireFormat(protocols: string[]): Uint8Array {
  const bytes: number[] = [];
  for (const id of protocols) bytes.push(id.length, ...Array.from(id, (ch) => ch.charCodeAt(0)));
  return new Uint8Array(bytes);
}

function bunRuntime(): typeof Bun {
  if (typeof Bun === "undefined") throw new Error("wirecore/bun needs the Bun runtime");
  return Bun;
}

/**
 * Bun.listen throws "Failed to listen at …", with an errno `code` for socket errors, an
 * `ERR_OSSL_*` code for a bad certificate, and no code at all when the hostname does not resolve.
 */
function toServeError(error: unknown, where: ListenTarget, tls: boolean): ServeError {
  const errno = errnoCode(error);
  if (errno !== undefined) return new ServeError(errno, where, error);
  const { code, message } = (error ?? {}) as { code?: unknown; message?: unknown };
  if (tls && (String(code).startsWith("ERR_OSSL") || /certificate|private key|PEM/i.test(String(message)))) {
    return new ServeError("ETLS", where, error);
  }
  if (code === undefined && /^Failed to listen/.test(String(message)) && !isIpLiteral(where.hostname)) {
    return new ServeError("ENOTFOUND", where, error);
  }
  return new ServeError("ELISTEN", where, error);
}

function isIpLiteral(hostname: string): boolean {
  return hostname.includes(":") || /^\d{1,3}(\.\d{1,3}){3}$/.test(hostname);
}

/** Serve an App, a fetch handler or an object with `fetch` (e.g. a Hono app) on Bun. */
export function serve(target: ServeTarget, options: ServeOptions = {}): Server {
  if (options.workers !== undefined) return serveWorkers(target, options, serve, bunWorkerCommand);
  const core = createServerCore(target, {
    deflateProvider: bunDeflateProvider,
    compression: zlibCompression,
    files: bunFiles,
    profiler: bunProfiler,
    ...options,
  });
  const tls = options.tls;
  const where: ListenTarget = { hostname: core.options.hostname, port: core.options.port };
  let listener: Bun.TCPSocketListener<BunTransport> | null = null;
  let listening: Promise<ServerAddress>;
  const invalid = checkListenTarget(where);
  if (invalid !== null) listening = Promise.reject(invalid);
  else {
    try {
      // `reusePort` works on Bun.listen (Bun 1.4, Linux) though bun-types declare it only for connect().
      listener = bunRuntime().listen<BunTransport>({
        ...({ reusePort: options.reusePort === true } as object),
        hostname: core.options.hostname,
        port: core.options.port,
        // Bun takes ALPN in wire format; a comma list would be one protocol name.
        tls: tls === undefined
          ? false
          : { cert: tls.cert, key: tls.key, ALPNProtocols: alpnWireFormat(core.alpnProtocols) },
        // Keep our side open when the client half-closes after its request.
        allowHalfOpen: true,
        socket: {
          open(socket) {
            socket.setNoDelay(true);
            const transport = new BunTransport(socket, tls !== undefined);
            socket.data = transport;
            transport.handler = core.accept(transport);
          },
          data(socket, chunk) {
            inRead = true;
            try {
              socket.data.handler?.data(chunk);
            } finally {
              inRead = false;
            }
          },
          drain(socket) {
            socket.data.flushQueue();
          },
          end(socket) {
            socket.data.peerEnded();
          },
          close(socket, error) {
            socket.data?.handler?.closed(error);
          },
          error(socket, error) {
            socket.data?.handler?.closed(error);
          },
        },
      });
      listening = Promise.resolve({ hostname: listener.hostname, port: listener.port });
    } catch (error) {
      listening = Promise.reject(toServeError(error, where, tls !== undefined));
    }
  }
  return new Server(core, {
    listening,
    stop: () => listener?.stop(false),
    tls: tls !== undefined,
  }, options.signal);
}

/** A worker runs this same script with the same Bun flags and arguments. */
function bunWorkerCommand(): WorkerCommand {
  return { command: process.execPath, args: [...process.execArgv, ...process.argv.slice(1)] };
}
