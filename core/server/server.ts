import type { ServerCore } from "./server-core.ts";
import type { ServerStats } from "../exchange/server-view.ts";

/** The address a server listens on. */
export interface ServerAddress {
  hostname: string;
  port: number;
}

/** What an adapter gives the shared {@link Server}: a listening socket it can stop. */
export interface Listener {
  /** Resolves with the bound address once listening. */
  readonly listening: Promise<ServerAddress>;
  /**
   * Stop accepting new connections. A listener that stands for other processes (`workers`) returns a promise that
   * settles once they are gone; `shutdown()` and `close()` wait for it.
   */
  stop(graceful: boolean): void | Promise<void>;
  /** Whether connections use TLS (the URL is then https). */
  tls?: boolean;
}

/**
 * A running server, the same on every runtime.
 *
 * @example
 * ```ts
 * const server = serve(app, { port: 0 });
 * await server.ready;
 * console.log(server.url);
 * await server.shutdown();
 * ```
 *
 * `await using server = serve(app)` shuts it down gracefully at the end of the scope (see below).
 */
export class Server {
  readonly #core: ServerCore;
  readonly #listener: Listener;
  #address: ServerAddress | null = null;
  #closing: Promise<void> | null = null;
  #finish: () => void = () => {};
  /** Resolves once the server has stopped: shut down or closed, every connection gone. */
  readonly finished: Promise<void> = new Promise((resolve) => (this.#finish = resolve));
  /**
   * Resolves once the server is listening; rejects with a `ServeError` (core/server/serve-error.ts) when it cannot
   * (address in use, bad hostname, unusable certificate — the same codes on every runtime).
   */
  readonly ready: Promise<void>;

  constructor(core: ServerCore, listener: Listener, signal?: AbortSignal) {
    this.#core = core;
    this.#listener = listener;
    this.ready = listener.listening.then((address) => {
      this.#address = address;
      core.start();
      core.options.onListen?.(address);
    });
    if (signal !== undefined) {
      // A server that failed to listen has nothing to shut down (`ready` reports the failure).
      if (signal.aborted) void this.ready.then(() => this.shutdown(), () => {});
      else signal.addEventListener("abort", () => void this.shutdown(), { once: true });
    }
  }

  /** The bound address (after `ready`). */
  get address(): ServerAddress {
    if (this.#address === null) throw new Error("Server is not listening yet: await server.ready");
    return this.#address;
  }

  /** `http://host:port` or `https://…` (after `ready`); a wildcard host shows as 127.0.0.1. */
  get url(): string {
    const { hostname, port } = this.address;
    const host = hostname === "0.0.0.0" || hostname === "::"
      ? "127.0.0.1"
      : hostname.includes(":")
      ? `[${hostname}]`
      : hostname;
    return `${this.#listener.tls === true ? "https" : "http"}://${host}:${port}`;
  }

  /** Open connections. */
  get connections(): number {
    return this.#core.connectionCount;
  }

  /** Shutting down (after `shutdown()`, `close()` or the `signal` option): `/readyz` answers 503. */
  get draining(): boolean {
    return this.#core.draining;
  }

  /** Connection, WebSocket and HTTP/2 stream counts, read now (see `ServerStats`). */
  stats(): ServerStats {
    return this.#core.stats();
  }

  /**
   * Send a WebSocket message to every subscriber of `topic`; returns how many in this process got
   * it. With a `backplane` the subscribers of every other process get it too; a send the
   * backplane refuses is reported to `onBackplaneError` (docs/pubsub.md).
   */
  publish(topic: string, data: string | Uint8Array): number {
    return this.#core.pubsub.publish(topic, data);
  }

  /** Number of WebSockets subscribed to `topic`. */
  subscriberCount(topic: string): number {
    return this.#core.pubsub.count(topic);
  }

  /**
   * Stop accepting, let in-flight requests finish (HTTP/1.1: the last response says
   * `Connection: close`; HTTP/2: GOAWAY with the last stream id; WebSocket: close 1001), close
   * idle connections; after `shutdownTimeout` close whatever is left. Resolves when all are gone.
   */
  shutdown(): Promise<void> {
    if (this.#closing === null) {
      this.#closing = this.ready.catch(() => {}).then(() => {
        const stopped = this.#listener.stop(true);
        let timer: ReturnType<typeof setTimeout> | undefined;
        const late = new Promise<void>((resolve) => {
          timer = setTimeout(() => {
            this.#core.closeAll();
            resolve();
          }, this.#core.options.shutdownTimeout);
        });
        return Promise.all([Promise.race([this.#core.shutdown(), late]), stopped]).then(() => {}).finally(() => {
          clearTimeout(timer);
          this.#finish();
        });
      });
    }
    return this.#closing;
  }

  /** Stop accepting and close every connection now. */
  async close(): Promise<void> {
    await this.ready.catch(() => {});
    const stopped = this.#listener.stop(false);
    this.#core.closeAll();
    if (this.#closing === null) this.#closing = Promise.resolve();
    await stopped;
    this.#finish();
  }
}

// `await using server = serve(app)` shuts down gracefully at the end of the scope. Defined at run
// time where the runtime has the symbol (Node 24, Bun, Deno): naming it in a type would need the
// `esnext.disposable` lib in every consumer's compiler settings (JSR refuses to require one).
const asyncDispose = (Symbol as { asyncDispose?: symbol }).asyncDispose;
if (asyncDispose !== undefined) {
  Object.defineProperty(Server.prototype, asyncDispose, {
    value(this: Server): Promise<void> {
      return this.shutdown();
    },
    writable: true,
    configurable: true,
  });
}
