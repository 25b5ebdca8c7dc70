/**
 * A growable byte buffer the encoder appends header blocks to. The caller owns it and may reuse
 * it across blocks and write around the block (an HTTP/2 frame header before it, say).
 *
 * @example
 * ```ts
 * import { BlockBuffer } from "./block-buffer.ts";
 * const out = new BlockBuffer();
 * out.ensure(9);
 * out.length = 9;   // room for a frame header, filled in after the block is encoded
 * // encoder.encode(fields, out); then out.view() is the frame
 * ```
 * @module
 */

/** Octets written so far are `bytes[0..length)`; `bytes` may be replaced as it grows. */
export class BlockBuffer {
  /** The backing store; reallocated by {@link ensure}, so re-read it after each call. */
  bytes: Uint8Array;
  /** Octets in use. */
  length = 0;

  constructor(capacity = 256) {
    this.bytes = new Uint8Array(capacity);
  }

  /** Makes room for `extra` more octets after {@link length}; returns the (new) backing store. */
  ensure(extra: number): Uint8Array {
    const need = this.length + extra;
    if (need > this.bytes.length) {
      let size = this.bytes.length * 2;
      while (size < need) size *= 2;
      const next = new Uint8Array(size);
      next.set(this.bytes.subarray(0, this.length));
      this.bytes = next;
    }
    return this.bytes;
  }

  /** The octets written so far, as a view (valid until the next write). */
  view(): Uint8Array {
    return this.bytes.subarray(0, this.length);
  }

  /** Forgets the contents, keeping the storage. */
  reset(): void {
    this.length = 0;
  }
}
