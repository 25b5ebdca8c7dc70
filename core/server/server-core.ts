import type { Dispatcher } from "../exchange/exchange.ts";
import type { ConnectionHandler, Transport } from "../transport/transport.ts";
import type { ManagedConnection } from "../transport/managed-connection.ts";
import { PubSub } from "../session/ws/pubsub.ts";
import { type ResolvedWebSocketOptions, resolveWebSocketOptions } from "../session/ws/websocket-options.ts";
import { H2cUpgradeDispatcher } from "./h2c-upgrade.ts";
import { type ResolvedOptions, resolveOptions, type ServeOptions } from "./options.ts";
import { ProtocolSniffer, type SnifferHost } from "./protocol-sniffer.ts";
import { BUSY, calmDown, type Refusal, REFUSED_CHECK_MS, RefusedConnection } from "./refused-connection.ts";
import { FloodPenalty } from "./flood-penalty.ts";
import { ConnectionsPerAddress } from "./connections-per-address.ts";
import type { ConnectionCounts, ServerStats } from "../exchange/server-view.ts";

/**
 * Refused connections held at once (each until its answer has had a second to arrive, or 5 s if
 * the client sends nothing). Past it a refused socket is closed at once, unanswered: a flood of
 * connections from many addresses cannot hold file descriptors through the refusals themselves.
 */
const MAX_REFUSED_CONNECTIONS = 1024;

/** A socket closed as soon as it was accepted: whatever the adapter reports of it is ignored. */
const CLOSED_AT_ONCE: ConnectionHandler = { data() {}, drain() {}, end() {}, closed() {} };

/** The most the server clock advances in one tick (the timer fires every second). */
const MAX_TICK_STEP = 1_500;

/**
 * The runtime-free half of a server: the live connections, the clock for timeouts, and graceful
 * shutdown. An adapter owns the listening socket and calls `accept()` per connection.
 */
export class ServerCore implements SnifferHost {
  readonly options: ResolvedOptions;
  readonly dispatcher: Dispatcher;
  readonly #connections = new Set<ManagedConnection>();
  /**
   * Server clock (ms), updated once a second: timeouts need no finer grain. It advances at most
   * {@link MAX_TICK_STEP} per tick, so time the event loop stood still counts against no client.
   */
  now: number = Date.now();
  #wallAtTick: number = this.now;
  #draining = false;
  /** WebSocket topics of this server (shared with other processes through `options.backplane`). */
  readonly pubsub: PubSub;
  /** WebSocket settings and default handlers. */
  readonly websocket: ResolvedWebSocketOptions;
  #timer: ReturnType<typeof setInterval> | null = null;
  /** Checks the refused connections' deadlines, while there are any. */
  #refusedTimer: ReturnType<typeof setInterval> | null = null;
  #idleWaiters: (() => void)[] = [];
  /** Connections refused (for want of room, or under `floodPenalty`), until they close. */
  readonly #refused = new Set<ManagedConnection>();
  /** Connections per client address, kept only when `maxConnectionsPerIp` is set. */
  readonly #peers: ConnectionsPerAddress | null;
  /** Addresses cut for flooding, and those refused for it; null when `floodPenalty` is off. */
  readonly #penalty: FloodPenalty | null;
  /** Counters for {@link stats}: an increment per connection (and per protocol switch), none per request. */
  #accepted = 0;
  #refusedTotal = 0;
  readonly #opened: ConnectionCounts = noConnections();
  /** HTTP/2 streams opened by connections already closed. */
  #closedStreams = 0;

  /** `dispatcher` serves the requests (an App, or a fetch handler's bridge). */
  constructor(dispatcher: Dispatcher, options?: ServeOptions) {
    this.options = resolveOptions(options);
    this.pubsub = new PubSub(
      options?.backplane,
      options?.onBackplaneError ?? options?.onError ?? ((error) => console.error(`wirecore: ${error.message}`)),
    );
    this.websocket = resolveWebSocketOptions(options?.websocket, options?.deflateProvider ?? null);
    this.dispatcher = new H2cUpgradeDispatcher(dispatcher);
    const perIp = this.options.maxConnectionsPerIp;
    this.#peers = Number.isFinite(perIp) ? new ConnectionsPerAddress(perIp) : null;
    const penalty = this.options.floodPenalty;
    this.#penalty = penalty === null ? null : new FloodPenalty(penalty);
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
    const wall = Date.now();
    // A stalled loop (a heap snapshot, a long synchronous handler) served no one. Counting that
    // time would close a keep-alive connection whose next request waits unread in the socket —
    // timers run before the poll for I/O — which is the idle-close race of RFC 9112 §9.3.1.
    const step = Math.min(Math.max(wall - this.#wallAtTick, 0), MAX_TICK_STEP);
    this.#wallAtTick = wall;
    const now = (this.now += step);
    for (const conn of this.#connections) conn.tick(now);
    if (this.#penalty !== null && this.#penalty.size > 0) this.#penalty.sweep(now);
  }

  /**
   * A new socket: the handler the adapter feeds its events to. Past `maxConnections` (or the
   * client's `maxConnectionsPerIp`) the socket is told the server is busy and closed; from an
   * address under a flood penalty, told to calm down and closed (once a second; the others are
   * closed unread).
   */
  accept(transport: Transport): ConnectionHandler {
    const peers = this.#peers;
    if (this.#connections.size >= this.options.maxConnections || (peers !== null && !peers.admit(transport))) {
      return this.#refuse(transport, BUSY);
    }
    const penalty = this.#penalty;
    if (penalty !== null && penalty.size > 0) {
      const secondsLeft = penalty.secondsLeft(transport.info.remoteAddress, this.now);
      if (secondsLeft > 0) {
        const answer = penalty.answerDue(transport.info.remoteAddress, this.now);
        return this.#refuse(transport, answer ? calmDown(secondsLeft) : null);
      }
    }
    const conn = new ProtocolSniffer(transport, this);
    peers?.track(conn, transport);
    this.#connections.add(conn);
    this.#accepted++;
    if (this.#draining) conn.closeIdle();
    return conn;
  }

  /** Refuse with `refusal`, or with none (null): closed at once, unread. */
  #refuse(transport: Transport, refusal: Refusal | null): ConnectionHandler {
    this.#refusedTotal++;
    if (refusal === null || this.#refused.size >= MAX_REFUSED_CONNECTIONS) {
      transport.close();
      return CLOSED_AT_ONCE;
    }
    const refused = new RefusedConnection(transport, this, refusal);
    this.#refused.add(refused);
    this.#refusedTimer ??= setInterval(() => this.#checkRefused(), REFUSED_CHECK_MS);
    return refused;
  }

  #checkRefused(): void {
    const now = Date.now();
    for (const conn of this.#refused) conn.tick(now);
    if (this.#refused.size === 0 && this.#refusedTimer !== null) {
      clearInterval(this.#refusedTimer);
      this.#refusedTimer = null;
    }
  }

  /** A connection from `address` was cut for flooding: a strike against it (`floodPenalty`). */
  flooded(address: string): void {
    this.#penalty?.strike(address, this.now);
  }

  /** The socket `old` managed is now managed by `next` (a protocol was chosen or switched). */
  replace(old: ManagedConnection, next: ManagedConnection): void {
    this.#connections.delete(old);
    this.#connections.add(next);
    this.#peers?.replace(old, next);
    const kind = next.kind;
    if (kind !== undefined) this.#opened[kind]++;
    if (this.#draining) next.closeIdle();
  }

  /** A connection closed. */
  forget(conn: ManagedConnection): void {
    if (this.#refused.delete(conn)) return;
    if (this.#connections.delete(conn)) this.#closedStreams += conn.streamsOpened ?? 0;
    this.#peers?.forget(conn);
    if (this.#connections.size === 0 && this.#idleWaiters.length > 0) {
      const waiters = this.#idleWaiters;
      this.#idleWaiters = [];
      for (const resolve of waiters) resolve();
    }
  }

  /**
   * Connection, WebSocket and HTTP/2 stream counts, read now: gauges are counted over the live
   * connections (so they cannot drift, and cost nothing until asked); totals are counters.
   */
  stats(): ServerStats {
    const open = noConnections();
    let streamsOpen = 0;
    let streamsOpened = this.#closedStreams;
    for (const conn of this.#connections) {
      const kind = conn.kind;
      if (kind !== undefined) open[kind]++;
      streamsOpen += conn.openStreams ?? 0;
      streamsOpened += conn.streamsOpened ?? 0;
    }
    return {
      open,
      opened: { ...this.#opened },
      accepted: this.#accepted,
      refused: this.#refusedTotal,
      streamsOpen,
      streamsOpened,
      draining: this.#draining,
    };
  }

  /** Finish in-flight requests, close idle connections; resolves when none is left. */
  shutdown(): Promise<void> {
    this.#draining = true;
    for (const conn of this.#connections) conn.closeIdle();
    const done = this.#connections.size === 0
      ? Promise.resolve()
      : new Promise<void>((resolve) => this.#idleWaiters.push(resolve));
    return done.then(() => {
      for (const conn of this.#refused) conn.destroy(); // their deadlines stop with the clocks
      this.stop();
    });
  }

  /** Close every connection now. */
  closeAll(): void {
    this.#draining = true;
    for (const conn of this.#connections) conn.destroy();
    for (const conn of this.#refused) conn.destroy();
    this.stop();
  }

  /** Stop the clock. */
  stop(): void {
    if (this.#timer !== null) {
      clearInterval(this.#timer);
      this.#timer = null;
    }
    if (this.#refusedTimer !== null) {
      clearInterval(this.#refusedTimer);
      this.#refusedTimer = null;
    }
  }
}

function noConnections(): ConnectionCounts {
  return { "http/1.1": 0, h2: 0, h2c: 0, websocket: 0 };
}
