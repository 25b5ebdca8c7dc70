/**
 * The minimum request-body rate (`minBodyRate`): over each window of {@link BODY_RATE_WINDOW_MS}
 * in which the server waits on the client for body bytes, the client must send at least
 * `minBodyRate` bytes per second on average. A window in which the server itself is not reading
 * (the app is behind, or `100 Continue` is still owed) does not count, so only the client is
 * judged. Checked on the server clock's ticks (once a second).
 *
 * @example
 * ```ts
 * import { BodyRate } from "./body-rate.ts";
 * const rate = new BodyRate(1024);
 * rate.tooSlow(1_000, 0, true); // false: the window starts
 * rate.tooSlow(11_000, 100, true); // true: 100 bytes in 10 s is under 1 KiB/s
 * ```
 * @module
 */
import { stamp } from "./clock.ts";

/** The window a body's rate is averaged over, in ms. */
export const BODY_RATE_WINDOW_MS = 10_000;

/** One connection's body-rate watch. */
export class BodyRate {
  readonly #minRate: number;
  #since = 0;
  #mark = 0;

  /** `minRate` in bytes per second; 0 turns the check off. */
  constructor(minRate: number) {
    this.#minRate = minRate;
  }

  /**
   * Whether the body is too slow, given the bytes received so far and whether the server is
   * waiting on the client right now. A window that is not waiting starts over.
   */
  tooSlow(now: number, received: number, waiting: boolean): boolean {
    if (this.#minRate <= 0) return false;
    if (!waiting || this.#since === 0 || received < this.#mark) {
      this.#restart(now, received, waiting);
      return false;
    }
    const elapsed = now - this.#since;
    if (elapsed < BODY_RATE_WINDOW_MS) return false;
    const slow = (received - this.#mark) * 1000 < this.#minRate * elapsed;
    this.#restart(now, received, true);
    return slow;
  }

  /** The body is done (or another request began): nothing is watched. */
  reset(): void {
    this.#since = 0;
  }

  #restart(now: number, received: number, waiting: boolean): void {
    this.#since = waiting ? stamp(now) : 0;
    this.#mark = received;
  }
}
