import type { ConnectionHandler } from "./transport.ts";

/** A connection as the server core manages it, whatever protocol it speaks. */
export interface ManagedConnection extends ConnectionHandler {
  /** Check timeouts; `now` is the server clock in ms (updated once a second). */
  tick(now: number): void;
  /** Graceful shutdown: close now if idle, else finish the work in progress and then close. */
  closeIdle(): void;
  /** Close now, dropping what is queued. */
  destroy(): void;
}
