import type { ConnectionHandler } from "./transport.ts";

/** The protocol a connection speaks, once its first bytes (or an upgrade) decided it. */
export type ConnectionKind = "http/1.1" | "h2" | "h2c" | "websocket";

/** A connection as the server core manages it, whatever protocol it speaks. */
export interface ManagedConnection extends ConnectionHandler {
  /** The protocol it speaks; absent while undecided (the protocol sniffer). Read for server stats. */
  readonly kind?: ConnectionKind;
  /** HTTP/2: streams open now. */
  readonly openStreams?: number;
  /** HTTP/2: streams opened over the connection's life. */
  readonly streamsOpened?: number;
  /** Check timeouts; `now` is the server clock in ms (updated once a second). */
  tick(now: number): void;
  /** Graceful shutdown: close now if idle, else finish the work in progress and then close. */
  closeIdle(): void;
  /** Close now, dropping what is queued. */
  destroy(): void;
}
