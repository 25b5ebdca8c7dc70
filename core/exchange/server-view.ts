/**
 * What the app may know of the server an exchange came through: whether it is shutting down, and
 * its live counts (for readiness probes and metrics). The server core implements it; under
 * `app.fetch` there is no server and `Exchange.server` is null.
 * @module
 */

import type { ConnectionKind } from "../transport/managed-connection.ts";

export type { ConnectionKind };

/** Counts by connection kind. */
export type ConnectionCounts = Record<ConnectionKind, number>;

/**
 * A server's counts, read at one moment. Gauges are counted from the live connections when asked
 * (exact, and free until asked); totals are counters that only grow over the server's life.
 */
export interface ServerStats {
  /** Connections open now, by the protocol they speak (a socket not yet past its first bytes counts nowhere). */
  readonly open: ConnectionCounts;
  /** Connections that started speaking each protocol since the server started (an upgrade counts twice: `http/1.1`, then `websocket` or `h2c`). */
  readonly opened: ConnectionCounts;
  /** Sockets accepted since the server started. */
  readonly accepted: number;
  /** Sockets refused since the server started (past `maxConnections` or `maxConnectionsPerIp`, or under `floodPenalty`). */
  readonly refused: number;
  /** HTTP/2 streams open now (over all connections). */
  readonly streamsOpen: number;
  /** HTTP/2 streams opened since the server started. */
  readonly streamsOpened: number;
  /** The server is shutting down. */
  readonly draining: boolean;
}

/** The server, as a handler may see it (`c.server`). */
export interface ServerView {
  /**
   * The server is shutting down (`server.shutdown()`, or the `signal` option aborted): in-flight
   * requests finish, nothing new is taken. A readiness probe answers 503 from then on.
   */
  readonly draining: boolean;
  /** The connection, WebSocket and HTTP/2 stream counts, read now. */
  stats(): ServerStats;
}
