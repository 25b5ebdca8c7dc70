/**
 * Joins the payload pieces of a message — fragments (RFC 6455 §5.4), and frames that arrive
 * over several reads — into one array.
 *
 * Memory follows the bytes that have arrived, not the lengths a peer declares: when the buffer
 * is full it grows to at most twice what has arrived (or 64 KiB ahead), and never past what may
 * still follow. A header announcing a 16 MiB frame therefore costs nothing until
 * the bytes follow, while a frame that arrives in a few large reads is copied once into a
 * buffer of its exact size. The size limit itself is enforced by the frame parser from each
 * header, before anything is buffered.
 *
 * @module
 */

const EMPTY = new Uint8Array(0);
/** How far beyond the bytes received the buffer may grow in one step. */
const AHEAD = 64 * 1024;

/** Accumulates one message at a time. */
export class MessageAssembler {
  #buffer: Uint8Array = EMPTY;
  #length = 0;

  /** Bytes gathered so far for the current message. */
  get size(): number {
    return this.#length;
  }

  /** Bytes allocated for the message in progress (what it costs in memory, not what it holds). */
  get capacity(): number {
    return this.#buffer.length;
  }

  /**
   * Appends a copy of `piece`. `promised` is the most bytes that may still follow in this
   * message: the rest of the frame for a final frame, the room left under the size limit
   * otherwise. The buffer never grows past it.
   */
  append(piece: Uint8Array, promised: number): void {
    const needed = this.#length + piece.length;
    if (needed > this.#buffer.length) {
      const next = new Uint8Array(needed + Math.min(promised, Math.max(needed, AHEAD)));
      next.set(this.#buffer.subarray(0, this.#length));
      this.#buffer = next;
    }
    this.#buffer.set(piece, this.#length);
    this.#length = needed;
  }

  /** The whole message, owned by the caller; the assembler starts empty again. */
  take(): Uint8Array {
    const out = this.#length === this.#buffer.length ? this.#buffer : this.#buffer.subarray(0, this.#length);
    this.#buffer = EMPTY;
    this.#length = 0;
    return out;
  }
}
