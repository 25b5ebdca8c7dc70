/**
 * Budgets against the known HTTP/2 denial-of-service classes. Each budget is a token bucket of
 * `limit` tokens refilled at `limit` per `windowMs` on the server clock; an event that finds the
 * bucket empty means the peer is abusing the protocol, and the connection answers GOAWAY
 * ENHANCE_YOUR_CALM (RFC 9113 §5.4.1, §7, §10.5).
 *
 * - {@link Defences.resets}: streams that end in a reset — RST_STREAM from the peer (Rapid Reset,
 *   CVE-2023-44487; reset flood, CVE-2019-9514) and RST_STREAM we send because of the peer's
 *   errors (MadeYouReset, CVE-2025-8671), including REFUSED_STREAM beyond the concurrency limit.
 * - {@link Defences.control}: frames that cost us work but carry no request data — SETTINGS,
 *   PING (CVE-2019-9512, 9515), PRIORITY (CVE-2019-9513), empty DATA/CONTINUATION frames
 *   (CVE-2019-9518), unknown extension frames, tiny WINDOW_UPDATEs (data dribble, CVE-2019-9511).
 *
 * - {@link Defences.oversized}: requests refused with 431 for their header list — HPACK bombs
 *   (a few bytes that decode to megabytes) and floods of empty fields, repeated on every request.
 *
 * - {@link Defences.answeredWhileBlocked}: frames we must answer (SETTINGS ACK, PING ACK,
 *   RST_STREAM) while the peer does not read our answers (CVE-2019-9512, 9514, 9515).
 *
 * Other defences live where the data is: header block caps and the HPACK list limit in the
 * field-block assembly, flow-control windows bound what a request body may buffer, and response
 * bytes queued per stream are capped (internal data buffering, CVE-2019-9517).
 *
 * @example
 * ```ts
 * import { FloodBudget } from "./defences.ts";
 * const pings = new FloodBudget(2, 1000, 0);
 * pings.spend(0); pings.spend(0); // true, true
 * pings.spend(0); // false: over budget
 * pings.spend(1000); // true: refilled
 * ```
 * @module
 */
import { ConnectionError } from "../../http2/errors.ts";

/** WINDOW_UPDATE increments below this count against the control budget (data dribble). */
const TINY_INCREMENT = 1024;
/** The window of the stalled-streams budget: stalls take `stallTimeout` each, so it is long. */
const STALL_WINDOW_MS = 5 * 60_000;
/** Control frames answered while the peer does not read (PING/SETTINGS/RST floods, CVE-2019-9512). */
const MAX_BLOCKED_CONTROL = 1000;

/** A token bucket on a millisecond clock. */
export class FloodBudget {
  readonly limit: number;
  readonly windowMs: number;
  #tokens: number;
  #last: number;

  constructor(limit: number, windowMs: number, now: number) {
    this.limit = limit;
    this.windowMs = windowMs;
    this.#tokens = limit;
    this.#last = now;
  }

  /** Spend one token; false when the bucket is empty (the limit is exceeded). */
  spend(now: number): boolean {
    if (now > this.#last) {
      this.#tokens = Math.min(this.limit, this.#tokens + ((now - this.#last) * this.limit) / this.windowMs);
      this.#last = now;
    }
    if (this.#tokens < 1) return false;
    this.#tokens -= 1;
    return true;
  }

  /** Tokens left (for tests and diagnostics). */
  get remaining(): number {
    return Math.floor(this.#tokens);
  }
}

/** The flood budgets of one connection. */
export class Defences {
  /** Streams reset by either side because of the peer. */
  readonly resets: FloodBudget;
  /** Frames that need work or an answer but carry no request data. */
  readonly control: FloodBudget;
  /** Requests refused for a header list over the limits (HPACK bombs, floods of empty fields). */
  readonly oversized: FloodBudget;
  /** Streams reset because the peer never reopened their window. */
  readonly stalls: FloodBudget;

  /** Answers written since the transport went above its high-water mark. */
  #answeredWhileBlocked = 0;

  constructor(
    limits: {
      maxResets: number;
      maxControlFrames: number;
      maxOversizedHeaders: number;
      maxStalledStreams: number;
      floodWindowMs: number;
    },
    now: number,
  ) {
    this.resets = new FloodBudget(limits.maxResets, limits.floodWindowMs, now);
    this.control = new FloodBudget(limits.maxControlFrames, limits.floodWindowMs, now);
    this.oversized = new FloodBudget(limits.maxOversizedHeaders, limits.floodWindowMs, now);
    this.stalls = new FloodBudget(limits.maxStalledStreams, STALL_WINDOW_MS, now);
  }

  /** A stream reset for a window the peer never reopened; throws ENHANCE_YOUR_CALM past the budget. */
  spendStall(now: number): void {
    if (!this.stalls.spend(now)) {
      throw new ConnectionError("STALL_FLOOD", "Too many streams stalled on a window never reopened (CVE-2019-9517)");
    }
  }

  /** A request refused for its header list; throws ENHANCE_YOUR_CALM past the budget. */
  spendOversized(now: number): void {
    if (!this.oversized.spend(now)) {
      throw new ConnectionError("HEADER_FLOOD", "Too many requests with oversized header lists (HPACK bomb)");
    }
  }

  /** A frame that costs work but carries no request data; throws ENHANCE_YOUR_CALM past the budget. */
  spendControl(now: number): void {
    if (!this.control.spend(now)) {
      throw new ConnectionError("CONTROL_FLOOD", "Too many control frames (CVE-2019-9512, 9515, 9518)");
    }
  }

  /** A WINDOW_UPDATE: a tiny increment counts as a control frame (data dribble, CVE-2019-9511). */
  spendWindowUpdate(increment: number, now: number): void {
    if (increment < TINY_INCREMENT) this.spendControl(now);
  }

  /** A stream reset because of the peer; throws ENHANCE_YOUR_CALM past the budget. */
  spendReset(now: number): void {
    if (!this.resets.spend(now)) {
      throw new ConnectionError(
        "RESET_FLOOD",
        "Too many streams reset (CVE-2023-44487, CVE-2025-8671)",
      );
    }
  }

  /** We answered a frame while the peer does not read: false once that is too many. */
  answeredWhileBlocked(): boolean {
    return ++this.#answeredWhileBlocked <= MAX_BLOCKED_CONTROL;
  }

  /** The transport drained: the peer reads again. */
  unblocked(): void {
    this.#answeredWhileBlocked = 0;
  }
}
