import { App } from "../app/app.ts";
import { FetchDispatcher, type FetchHandler } from "../fetch/fetch-dispatcher.ts";
import type { ConnectionHandler, Transport } from "../transport/transport.ts";
import type { Dispatcher } from "../exchange/exchange.ts";
import { Http1Connection } from "../session/http1/http1-connection.ts";
import { Http2Connection } from "../session/http2/http2-connection.ts";
import type { ManagedConnection } from "../transport/managed-connection.ts";
import { PubSub } from "../session/ws/pubsub.ts";
import { type ResolvedWebSocketOptions, resolveWebSocketOptions } from "../session/ws/websocket-options.ts";
import { type ResolvedOptions, resolveOptions, type ServeOptions } from "./options.ts";

/** What `serve()` accepts: a native App, a fetch function, or an object with `fetch` (Hono, etc.). */
export type ServeTarget = App | FetchHandler | {
  fetch: (request: Request, ...rest: never[]) => Response | Promise<Response>;
};

/** Turn any serve target into a dispatcher. */
export function toDispatcher(target: ServeTarget, options: ResolvedOptions): Dispatcher {
  if (target instanceof App) {
    target.configure(options.bodyLimit, options.onError);
    return target;
  }
  if (typeof target === "function") return new FetchDispatcher(target, options.onError);
  if (target !== null && typeof target === "object" && typeof target.fetch === "function") {
    const fetch = target.fetch.bind(target) as FetchHandler;
    return new FetchDispatcher((request) => fetch(request), options.onError);
  }
  throw new TypeError("serve() needs an App, a fetch function, or an object with a fetch method");
}

/**
 * The runtime-free half of a server: the live connections, the clock for timeouts, and graceful
 * shutdown. An adapter owns the listening socket and calls `accept()` per connection.
 */
export class ServerCore {
  readonly options: ResolvedOptions;
  readonly dispatcher: Dispatcher;
  readonly #connections = new Set<ManagedConnection>();
  /** Server clock (ms), updated once a second: timeouts need no finer grain. */
  now: number = Date.now();
  draining = false;
  /** WebSocket topics of this server. */
  readonly pubsub: PubSub = new PubSub();
  /** WebSocket settings and default handlers. */
  readonly websocket: ResolvedWebSocketOptions;
  #timer: ReturnType<typeof setInterval> | null = null;
  #idleWaiters: (() => void)[] = [];

  constructor(target: ServeTarget, options?: ServeOptions) {
    this.options = resolveOptions(options);
    this.websocket = resolveWebSocketOptions(options?.websocket, options?.deflateProvider ?? null);
    this.dispatcher = toDispatcher(target, this.options);
  }

  /** ALPN protocol ids to offer on TLS, most preferred first (RFC 7301). */
  get alpnProtocols(): string[] {
    return ["h2", "http/1.1"];
  }

  /** Number of open connections. */
  get connectionCount(): number {
    return this.#connections.size;
  }

  /** Start the timeout clock (called by the adapter once listening). */
  start(): void {
    if (this.#timer !== null) return;
    this.#timer = setInterval(() => this.#tick(), 1000);
  }

  #tick(): void {
    const now = (this.now = Date.now());
    for (const conn of this.#connections) conn.tick(now);
  }

  /** A new socket. */
  accept(transport: Transport): ConnectionHandler {
    const conn = new Http1Connection(transport, this);
    this.#connections.add(conn);
    if (this.draining) conn.closeIdle();
    return conn;
  }

  /** @internal a connection switched protocol (101, HTTP/2 preface): manage its successor. */
  replace(old: ManagedConnection, next: ManagedConnection): void {
    this.#connections.delete(old);
    this.#connections.add(next);
    if (this.draining) next.closeIdle();
  }

  /**
   * @internal The HTTP/2 side of a connection whose first bytes are the HTTP/2 preface
   * (RFC 9113 §3.4), or null while HTTP/2 is not available.
   */
  http2Connection(transport: Transport): ManagedConnection | null {
    return new Http2Connection(transport, this);
  }

  /** @internal a connection closed. */
  forget(conn: ManagedConnection): void {
    this.#connections.delete(conn);
    if (this.#connections.size === 0 && this.#idleWaiters.length > 0) {
      const waiters = this.#idleWaiters;
      this.#idleWaiters = [];
      for (const resolve of waiters) resolve();
    }
  }

  /** Finish in-flight requests, close idle connections; resolves when none is left. */
  shutdown(): Promise<void> {
    this.draining = true;
    for (const conn of this.#connections) conn.closeIdle();
    const done = this.#connections.size === 0
      ? Promise.resolve()
      : new Promise<void>((resolve) => this.#idleWaiters.push(resolve));
    return done.then(() => this.stop());
  }

  /** Close every connection now. */
  closeAll(): void {
    this.draining = true;
    for (const conn of this.#connections) conn.destroy();
    this.stop();
  }

  /** Stop the clock. */
  stop(): void {
    if (this.#timer !== null) {
      clearInterval(this.#timer);
      this.#timer = null;
    }
  }
}
