import type { Dispatcher } from "../exchange/exchange.ts";
import type { ConnectionHandler, Transport } from "../transport/transport.ts";
import type { ManagedConnection } from "../transport/managed-connection.ts";
import { PubSub } from "../session/ws/pubsub.ts";
import { type ResolvedWebSocketOptions, resolveWebSocketOptions } from "../session/ws/websocket-options.ts";
import { H2cUpgradeDispatcher } from "./h2c-upgrade.ts";
import { type ResolvedOptions, resolveOptions, type ServeOptions } from "./options.ts";
import { ProtocolSniffer, type SnifferHost } from "./protocol-sniffer.ts";

/**
 * The runtime-free half of a server: the live connections, the clock for timeouts, and graceful
 * shutdown. An adapter owns the listening socket and calls `accept()` per connection.
 */
export class ServerCore implements SnifferHost {
  readonly options: ResolvedOptions;
  readonly dispatcher: Dispatcher;
  readonly #connections = new Set<ManagedConnection>();
  /** Server clock (ms), updated once a second: timeouts need no finer grain. */
  now: number = Date.now();
  #draining = false;
  /** WebSocket topics of this server. */
  readonly pubsub: PubSub = new PubSub();
  /** WebSocket settings and default handlers. */
  readonly websocket: ResolvedWebSocketOptions;
  #timer: ReturnType<typeof setInterval> | null = null;
  #idleWaiters: (() => void)[] = [];

  /** `dispatcher` serves the requests (an App, or a fetch handler's bridge). */
  constructor(dispatcher: Dispatcher, options?: ServeOptions) {
    this.options = resolveOptions(options);
    this.websocket = resolveWebSocketOptions(options?.websocket, options?.deflateProvider ?? null);
    this.dispatcher = new H2cUpgradeDispatcher(dispatcher);
  }

  /** ALPN protocol ids to offer on TLS, most preferred first (RFC 7301). */
  get alpnProtocols(): string[] {
    return ["h2", "http/1.1"];
  }

  /** Number of open connections. */
  get connectionCount(): number {
    return this.#connections.size;
  }

  /** Shutting down: connections finish what runs and take nothing new. */
  get draining(): boolean {
    return this.#draining;
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

  /** A new socket: the handler the adapter feeds its events to. */
  accept(transport: Transport): ConnectionHandler {
    const conn = new ProtocolSniffer(transport, this);
    this.#connections.add(conn);
    if (this.#draining) conn.closeIdle();
    return conn;
  }

  /** The socket `old` managed is now managed by `next` (a protocol was chosen or switched). */
  replace(old: ManagedConnection, next: ManagedConnection): void {
    this.#connections.delete(old);
    this.#connections.add(next);
    if (this.#draining) next.closeIdle();
  }

  /** A connection closed. */
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
    this.#draining = true;
    for (const conn of this.#connections) conn.closeIdle();
    const done = this.#connections.size === 0
      ? Promise.resolve()
      : new Promise<void>((resolve) => this.#idleWaiters.push(resolve));
    return done.then(() => this.stop());
  }

  /** Close every connection now. */
  closeAll(): void {
    this.#draining = true;
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
