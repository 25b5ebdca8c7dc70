/**
 * wirecore on Node.js, over `node:net` (https://nodejs.org/api/net.html).
 *
 * @example
 * ```ts
 * import { App } from "wirecore";
 * import { serve } from "wirecore/node";
 * const app = new App().get("/", (c) => c.text("hi"));
 * await serve(app, { port: 3000 }).ready;
 * ```
 * @module
 */
import { createServer, type Socket } from "node:net";
import { Server, type ServerAddress } from "../../core/server/server.ts";
import { ServerCore, type ServeTarget } from "../../core/server/server-core.ts";
import type { ServeOptions } from "../../core/server/options.ts";
import { zlibDeflateProvider } from "../zlib-deflate.ts";
import type { Transport, TransportInfo } from "../../core/transport.ts";

class NodeTransport implements Transport {
  readonly #socket: Socket;
  readonly info: TransportInfo;

  constructor(socket: Socket) {
    this.#socket = socket;
    this.info = { remoteAddress: socket.remoteAddress ?? "", remotePort: socket.remotePort ?? 0, tls: false };
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

/** Serve an App, a fetch handler or an object with `fetch` (e.g. a Hono app) on Node. */
export function serve(target: ServeTarget, options: ServeOptions = {}): Server {
  const core = new ServerCore(target, { deflateProvider: zlibDeflateProvider, ...options });
  const { port, hostname } = core.options;
  // allowHalfOpen: a client that half-closes after its request still gets the response.
  const listener = createServer({ noDelay: true, allowHalfOpen: true }, (socket) => {
    const conn = core.accept(new NodeTransport(socket));
    socket.on("data", (chunk: Uint8Array) => conn.data(chunk));
    socket.on("drain", () => conn.drain());
    socket.on("end", () => conn.end());
    // A socket error (reset, EPIPE) only ever closes that connection.
    socket.on("error", () => {});
    socket.on("close", (hadError) => conn.closed(hadError ? new Error("Socket error") : undefined));
  });
  const listening = new Promise<ServerAddress>((resolve, reject) => {
    listener.once("error", reject);
    listener.listen(port, hostname, () => {
      listener.off("error", reject);
      listener.on("error", (error) => core.options.onError(error));
      const address = listener.address();
      resolve(typeof address === "object" && address !== null ? { hostname: address.address, port: address.port } : { hostname, port });
    });
  });
  return new Server(core, { listening, stop: () => void listener.close() }, options.signal);
}
