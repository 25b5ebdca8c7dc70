/**
 * The deadline of a connection we are closing. After a session ends its side — HTTP/1.1 and
 * HTTP/2 half-close once everything is flushed, WebSocket sends its Close frame — it keeps
 * reading, so the peer's last bytes and its own close arrive instead of a reset (the "lingering
 * close" of RFC 9112 §9.6, the closing handshake of RFC 6455 §7.1.1); a peer that has not closed
 * within {@link LINGER_MS} is cut — and so is one that sends more than {@link LINGER_BYTES} meanwhile
 * (a session opts in by calling `absorb`): a peer still pouring bytes in after our close is not
 * reading what we sent either, and reading on for it costs every other connection.
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

/** How many bytes a closing connection reads and drops, at most, while it waits (`absorb`). */
export const LINGER_BYTES: number = 256 * 1024;

/** When the closing began, if it did. */
export class Linger {
  #since = 0;
  #absorbed = 0;

  /** The connection is closing: its linger has started. */
  get started(): boolean {
    return this.#since !== 0;
  }

  /** Start the deadline at `now` (once; later calls keep the first). */
  start(now: number): void {
    if (this.#since === 0) this.#since = stamp(now);
  }

  /** `n` bytes came after the close and were dropped; false once more than LINGER_BYTES have. */
  absorb(n: number): boolean {
    return (this.#absorbed += n) <= LINGER_BYTES;
  }

  /** The peer has had its time. */
  expired(now: number): boolean {
    return this.#since !== 0 && now - this.#since > LINGER_MS;
  }
}
