/**
 * wirecore on Bun, over `Bun.listen` (https://bun.sh/docs/api/tcp).
 *
 * Bun's `socket.write()` returns how many bytes it took; the rest is ours to keep and retry on
 * `drain` (https://bun.sh/docs/api/tcp#buffering), so this transport queues it. The `Bun` global and its
 * types come from the `bun-types` package (a devDependency; the published types do not need it).
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
import { zlibDeflateProvider } from "../zlib-deflate.ts";
import { zlibCompression } from "../zlib-compression.ts";
import { bunFiles } from "./files.ts";
import { bunProfiler } from "./profiler.ts";
import { serveWorkers, type WorkerCommand } from "../workers.ts";
import process from "node:process";

/** Queued bytes above which `write()` asks the core to wait for `drain`. */
const HIGH_WATER_MARK = 64 * 1024;

class BunTransport implements Transport {
  readonly #socket: Bun.Socket<BunTransport>;
  readonly info: TransportInfo;
  handler: ConnectionHandler | null = null;
  #queue: Uint8Array[] = [];
  #queued = 0;
  /** The core asked to end: the queue goes out, then our FIN. */
  #ending = false;
  /** Our FIN is sent (or the socket released). */
  #finSent = false;
  /** The peer's FIN came. */
  #peerEnded = false;

  constructor(socket: Bun.Socket<BunTransport>, tls: boolean) {
    this.#socket = socket;
    const info: TransportInfo = { remoteAddress: socket.remoteAddress, remotePort: socket.remotePort ?? 0, tls };
    // The TLS handshake finishes after `open`: read the ALPN result when asked.
    if (tls) Object.defineProperty(info, "alpn", { get: () => socket.alpnProtocol || undefined, enumerable: true });
    this.info = info;
  }

  write(bytes: Uint8Array): boolean {
    if (this.#ending) return false;
    if (this.#queued === 0) {
      const sent = this.#socket.write(bytes);
      if (sent === bytes.length) return true;
      bytes = bytes.subarray(Math.max(sent, 0));
    }
    this.#queue.push(bytes);
    this.#queued += bytes.length;
    return this.#queued < HIGH_WATER_MARK;
  }

  /** Bun says the socket can take more: send the queue, then tell the core. */
  flushQueue(): void {
    while (this.#queue.length > 0) {
      const head = this.#queue[0]!;
      const sent = this.#socket.write(head);
      if (sent < head.length) {
        this.#queue[0] = head.subarray(Math.max(sent, 0));
        this.#queued -= Math.max(sent, 0);
        return;
      }
      this.#queue.shift();
      this.#queued -= head.length;
    }
    if (this.#ending) this.#sendFin();
    else this.handler?.drain();
  }

  end(): void {
    if (this.#ending) return;
    this.#ending = true;
    if (this.#queued === 0) this.#sendFin();
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
    this.#queue = [];
    this.#queued = 0;
    this.#ending = this.#finSent = true;
    this.#socket.end();
  }
  pause(): void {
    this.#socket.pause();
  }
  resume(): void {
    this.#socket.resume();
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
    deflateProvider: zlibDeflateProvider,
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
            socket.data.handler?.data(chunk);
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
