import type { Dispatcher } from "../exchange/exchange.ts";
import type { ManagedConnection } from "../transport/managed-connection.ts";
import type { SessionOptions } from "./session-options.ts";
import type { PubSub } from "./ws/pubsub.ts";
import type { ResolvedWebSocketOptions } from "./ws/websocket-options.ts";
import type { ServerView } from "../exchange/server-view.ts";

/**
 * What every connection session needs from the server it runs in: its options, who serves the
 * requests, the clock, and the bookkeeping of live connections. The server core implements it;
 * sessions never see the server itself.
 */
export interface SessionHost extends ServerView {
  readonly options: SessionOptions;
  /** Serves each request (the app, or the fetch bridge). */
  readonly dispatcher: Dispatcher;
  /** Server clock in ms, updated once a second: timeouts need no finer grain. */
  readonly now: number;
  /** The server is shutting down: finish what runs, take nothing new. */
  readonly draining: boolean;
  /** WebSocket settings and default handlers. */
  readonly websocket: ResolvedWebSocketOptions;
  /** WebSocket topics of this server. */
  readonly pubsub: PubSub;
  /** A connection closed. */
  forget(conn: ManagedConnection): void;
  /** A connection from `address` was cut for flooding (GOAWAY ENHANCE_YOUR_CALM): the server may refuse the address for a while. */
  flooded(address: string): void;
}

/** The socket's owner, as a session sees it: it can hand the socket to another protocol. */
export interface ProtocolSwitch {
  /** From now on `next` gets every event of the socket; `rest` (bytes already read) goes to it first. */
  switchTo(next: ManagedConnection, rest: Uint8Array | null): void;
}
