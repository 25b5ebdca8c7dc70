/**
 * wirecore on Node.js, over `node:net` and `node:tls` (https://nodejs.org/api/net.html,
 * https://nodejs.org/api/tls.html).
 *
 * @example
 * ```ts
 * import { App } from "wirecore";
 * import { serve } from "wirecore/node";
 * const app = new App().get("/", (c) => c.text("hi"));
 * await serve(app, { port: 3000 }).ready;
 * ```
 *
 * Socket choices, measured on 2026-12-07 (a canned-response `node:net` server, wrk 64 connections,
 * 2 × 2 s runs on the shared, loaded 2-core VM; keep-alive rates were within the noise of each other):
 * - One write per read: the core batches every response a read produced (core/session/write-batch.ts)
 *   and hands it over as one `socket.write`. 16 pipelined responses written one by one: 13 000
 *   req/s; as one write: 146 000–162 000; with `cork()`/`uncork()` around the 16 writes: 39 000–
 *   146 000 (a writev per batch, and `uncork` schedules work). So no cork: the batch is already one.
 * - TCP_NODELAY on (`noDelay: true`, and `setNoDelay` for TLS sockets): pipelined 146 000–162 000 vs
 *   115 000–132 000 with Nagle on; a response is one write, so nothing is gained by delaying it.
 * - Reading: `'data'` events. `onread` (one reused buffer) exists only for client sockets
 *   (`socket.connect`), not for sockets a server accepts; Node allocates a fresh buffer per read
 *   instead, which lets the core keep views of it rather than copies (`freshReads`).
 * @module
 */
import { createServer, type Server as NetServer, type Socket } from "node:net";
import process from "node:process";
import { createServer as createTlsServer, type TLSSocket } from "node:tls";
import {
  checkListenTarget,
  createServerCore,
  errnoCode,
  type ListenTarget,
  ServeError,
  type ServeOptions,
  Server,
  type ServerAddress,
  type ServerCore,
  type ServeTarget,
  type Transport,
  type TransportInfo,
} from "../../core/mod.ts";
import { zlibDeflateProvider } from "../zlib-deflate.ts";
import { zlibCompression } from "../zlib-compression.ts";
import { nodeFiles } from "./files.ts";
import { nodeProfiler } from "./profiler.ts";
import { serveWorkers, type WorkerCommand } from "../workers.ts";

class NodeTransport implements Transport {
  readonly #socket: Socket;
  readonly info: TransportInfo;
  /** Node allocates a new buffer for every read (no `onread` buffer on a server socket). */
  readonly freshReads = true;

  readonly #tls: boolean;

  constructor(socket: Socket, tls: boolean) {
    this.#socket = socket;
    this.#tls = tls;
    const alpn = tls ? (socket as TLSSocket).alpnProtocol : false;
    this.info = {
      remoteAddress: socket.remoteAddress ?? "",
      remotePort: socket.remotePort ?? 0,
      tls,
      alpn: typeof alpn === "string" ? alpn : undefined,
    };
  }
  /**
   * Node tries every write at once (`uv_try_write`): when the kernel took it all, nothing is queued and nothing holds
   * the array (`writableLength` 0), so the core may write its next batch over it (test/node.test.ts checks this).
   * A write that had to wait is held by the stream until it is done; TLS is left out (its own buffering).
   */
  get writesSettled(): boolean {
    return !this.#tls && this.#socket.writableLength === 0;
  }
  write(bytes: Uint8Array): boolean {
    return this.#socket.write(bytes);
  }
  end(): void {
    this.#socket.end();
  }
  close(): void {
    this.#socket.destroy();
  }
  pause(): void {
    this.#socket.pause();
  }
  resume(): void {
    this.#socket.resume();
  }
}

function bind(core: ServerCore, socket: Socket, tls: boolean): void {
  // A socket error (reset, EPIPE) only ever closes that connection.
  socket.on("error", () => {});
  const conn = core.accept(new NodeTransport(socket, tls));
  // Closed at accept (a flood penalty, too many refused): never read, nothing more to bind. Under
  // a connection flood this is most sockets, and a read started on each (64 KiB of garbage apiece)
  // cost the other clients their latency in collections.
  if (socket.destroyed) return;
  socket.setNoDelay(true);
  // A plain Uint8Array over the read's bytes: every `subarray` the core takes of a Buffer would
  // build a Buffer (FastBuffer's constructor, 1.9 % of a pipelined profile) instead.
  socket.on("data", (chunk: Uint8Array) => conn.data(new Uint8Array(chunk.buffer, chunk.byteOffset, chunk.byteLength)));
  socket.on("drain", () => conn.drain());
  socket.on("end", () => conn.end());
  socket.on("close", (hadError) => conn.closed(hadError ? new Error("Socket error") : undefined));
  if (!tls) socket.resume(); // accepted paused (`pauseOnConnect`), so only now read
}

/** Node reports a failed listen as an `error` event with an errno `code`. */
function toServeError(error: unknown, where: ListenTarget): ServeError {
  return new ServeError(errnoCode(error) ?? "ELISTEN", where, error);
}

/** Serve an App, a fetch handler or an object with `fetch` (e.g. a Hono app) on Node. */
export function serve(target: ServeTarget, options: ServeOptions = {}): Server {
  if (options.workers !== undefined) return serveWorkers(target, options, serve, nodeWorkerCommand);
  const core = createServerCore(target, {
    deflateProvider: zlibDeflateProvider,
    compression: zlibCompression,
    files: nodeFiles,
    profiler: nodeProfiler,
    ...options,
  });
  const { port, hostname } = core.options;
  const where: ListenTarget = { hostname, port };
  const tls = options.tls;
  let listener: NetServer | null = null;
  const listening = new Promise<ServerAddress>((resolve, reject) => {
    const invalid = checkListenTarget(where);
    if (invalid !== null) return reject(invalid);
    // allowHalfOpen: a client that half-closes after its request still gets the response.
    let server: NetServer;
    if (tls !== undefined) {
      try {
        server = createTlsServer(
          { cert: tls.cert, key: tls.key, ALPNProtocols: core.alpnProtocols, allowHalfOpen: true },
          (socket) => bind(core, socket, true),
        );
      } catch (error) {
        // node:tls checks the certificate and key when the server is made (ERR_OSSL_*).
        return reject(new ServeError("ETLS", where, error));
      }
      // A failed TLS handshake is that client's problem, not the server's.
      server.on("tlsClientError", () => {});
    } else {
      server = createServer(
        { noDelay: true, allowHalfOpen: true, pauseOnConnect: true },
        (socket) => bind(core, socket, false),
      );
    }
    listener = server;
    const failed = (error: unknown): void => reject(toServeError(error, where));
    server.once("error", failed);
    const { backlog } = core.options;
    server.listen({ port, host: hostname, backlog, reusePort: options.reusePort === true }, () => {
      server.off("error", failed);
      server.on("error", (error) => core.options.onError(error));
      const address = server.address();
      resolve(
        typeof address === "object" && address !== null
          ? { hostname: address.address, port: address.port }
          : { hostname, port },
      );
    });
  });
  return new Server(core, {
    listening,
    stop: () => void listener?.close(),
    tls: tls !== undefined,
  }, options.signal);
}

/** A worker runs this same script with the same Node flags (`--import`, `--conditions`, …) and arguments. */
function nodeWorkerCommand(): WorkerCommand {
  return { command: process.execPath, args: [...process.execArgv, ...process.argv.slice(1)] };
}
