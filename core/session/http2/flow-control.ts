/**
 * Flow control (RFC 9113 §5.2, §6.9). Each stream and the connection have two windows:
 *
 * - outbound, the credit the peer granted us: a plain number on the stream/connection, lowered by
 *   each DATA frame we send, raised by WINDOW_UPDATE ({@link addCredit}) and by changes of the
 *   peer's SETTINGS_INITIAL_WINDOW_SIZE (§6.9.2), possibly below zero;
 * - inbound, the credit we granted the peer: an {@link InboundWindow}. DATA lowers it; credit is
 *   given back only as the application consumes the bytes (or they are dropped), so a handler
 *   that does not read stops its client after one window — the body never piles up in memory.
 *
 * @example
 * ```ts
 * import { InboundWindow } from "./flow-control.ts";
 * const w = new InboundWindow(65535);
 * w.receive(40000); // true: within the window
 * w.consume(40000); // 40000: over half the window, send WINDOW_UPDATE(40000)
 * ```
 * @module
 */
import { MAX_WINDOW } from "../../http2/frame-types.ts";

/** What the peer may still send us on one stream or on the connection. */
export class InboundWindow {
  /** Octets the peer may still send; negative after our initial window shrank (§6.9.2). */
  available: number;
  /** Octets consumed (or dropped) and not yet returned with WINDOW_UPDATE. */
  unacked = 0;
  /** The window we aim to keep open. */
  size: number;

  constructor(size: number) {
    this.size = size;
    this.available = size;
  }

  /** Account a received flow-controlled frame of `n` octets; false when it exceeds the window. */
  receive(n: number): boolean {
    // §6.9.1: "A receiver MUST treat the receipt of a ... frame that exceeds the available window
    // as a flow-control error" — the caller raises it on the stream or connection.
    if (n > this.available) return false;
    this.available -= n;
    return true;
  }

  /**
   * `n` received octets were consumed. Returns the increment to send in a WINDOW_UPDATE now, or 0
   * while less than half the window is owed (one update per half window, not per frame).
   */
  consume(n: number): number {
    this.unacked += n;
    if (this.unacked === 0 || this.unacked < this.size / 2) return 0;
    return this.release();
  }

  /** Give back everything owed: the increment to send (0 when nothing is owed). */
  release(): number {
    const increment = this.unacked;
    this.unacked = 0;
    this.available += increment;
    return increment;
  }

  /** Our advertised initial window changed (acknowledged SETTINGS, §6.9.2): shift by the delta. */
  resize(size: number): void {
    this.available += size - this.size;
    this.size = size;
  }
}

/**
 * Add a WINDOW_UPDATE increment to an outbound window. Returns the new window, or -1 when it would
 * pass 2^31-1 (§6.9.1: "the sender MUST NOT allow a flow-control window to exceed 2^31-1 octets";
 * the caller raises FLOW_CONTROL_ERROR on the stream or connection).
 */
export function addCredit(window: number, increment: number): number {
  const next = window + increment;
  return next > MAX_WINDOW ? -1 : next;
}
