/**
 * The deadline of a connection we are closing. After a session ends its side — HTTP/1.1 and
 * HTTP/2 half-close once everything is flushed, WebSocket sends its Close frame — it keeps
 * reading, so the peer's last bytes and its own close arrive instead of a reset (the "lingering
 * close" of RFC 9112 §9.6, the closing handshake of RFC 6455 §7.1.1); a peer that has not closed
 * within {@link LINGER_MS} is cut.
 *
 * @example
 * ```ts
 * import { Linger } from "./linger.ts";
 * const linger = new Linger();
 * linger.start(1000);
 * linger.expired(3000); // false
 * linger.expired(7000); // true: more than LINGER_MS later
 * ```
 * @module
 */
import { stamp } from "./clock.ts";

/** How long a closing connection waits for the peer to close. */
export const LINGER_MS = 5_000;

/** When the closing began, if it did. */
export class Linger {
  #since = 0;

  /** The connection is closing: its linger has started. */
  get started(): boolean {
    return this.#since !== 0;
  }

  /** Start the deadline at `now` (once; later calls keep the first). */
  start(now: number): void {
    if (this.#since === 0) this.#since = stamp(now);
  }

  /** The peer has had its time. */
  expired(now: number): boolean {
    return this.#since !== 0 && now - this.#since > LINGER_MS;
  }
}
