/**
 * The HPACK dynamic table (RFC 7541 §2.3.2, §4): a FIFO of header fields, newest at dynamic
 * index 1, bounded by a size in octets. Kept in a ring buffer, so adding and evicting are O(1)
 * and nothing is shifted.
 *
 * @example
 * ```ts
 * import { DynamicTable } from "./dynamic-table.ts";
 * const t = new DynamicTable(256);
 * t.add(":authority", "www.example.com"); // size 57 (RFC 7541 C.3.1)
 * t.name(1);                              // ":authority"
 * ```
 * @module
 */

/** The size of an entry: name and value lengths in octets plus 32 (RFC 7541 §4.1). */
export const ENTRY_OVERHEAD = 32;

/** Slots of a new ring; a power of two. */
const INITIAL_CAPACITY = 16;

/** Called for each entry leaving the table, oldest first; `id` is its insertion number. */
export type EvictListener = (name: string, value: string, id: number) => void;

/** A dynamic table. Names and values are latin1 strings: one character per octet. */
export class DynamicTable {
  #names: string[];
  #values: string[];
  #mask: number;
  /** Slot of the next insertion. */
  #head = 0;
  #count = 0;
  #size = 0;
  #maxSize: number;
  #inserted = 0;
  /** Told about each eviction (the encoder keeps its lookup maps in step with it). */
  onEvict: EvictListener | null = null;

  constructor(maxSize: number) {
    this.#maxSize = maxSize;
    // A small ring that doubles when full (a 4096-octet table holds at most 128 entries of 32+).
    this.#names = new Array<string>(INITIAL_CAPACITY).fill("");
    this.#values = new Array<string>(INITIAL_CAPACITY).fill("");
    this.#mask = INITIAL_CAPACITY - 1;
  }

  /** Number of entries. */
  get length(): number {
    return this.#count;
  }

  /** Sum of the entry sizes (RFC 7541 §4.1). */
  get size(): number {
    return this.#size;
  }

  /** The maximum size now in effect (RFC 7541 §4.2). */
  get maxSize(): number {
    return this.#maxSize;
  }

  /**
   * How many entries were ever added. The entry added `k`-th has id `k - 1`; an entry with id
   * `id` is at dynamic index `inserted - id` while it is in the table.
   */
  get inserted(): number {
    return this.#inserted;
  }

  /** Name at dynamic index `i`, 1 (newest) to {@link length}. */
  name(i: number): string {
    return this.#names[(this.#head - i) & this.#mask]!;
  }

  /** Value at dynamic index `i`, 1 (newest) to {@link length}. */
  value(i: number): string {
    return this.#values[(this.#head - i) & this.#mask]!;
  }

  /**
   * Adds an entry at index 1, first evicting the oldest entries until it fits. An entry larger
   * than the maximum size empties the table and is not added; that is not an error
   * (RFC 7541 §4.4).
   */
  add(name: string, value: string): void {
    const size = name.length + value.length + ENTRY_OVERHEAD;
    if (size > this.#maxSize) {
      this.#evictDownTo(0);
      this.#inserted++;
      return;
    }
    this.#evictDownTo(this.#maxSize - size);
    this.#inserted++;
    if (this.#count > this.#mask) this.#grow();
    this.#names[this.#head] = name;
    this.#values[this.#head] = value;
    this.#head = (this.#head + 1) & this.#mask;
    this.#count++;
    this.#size += size;
  }

  /** Sets a new maximum size, evicting the oldest entries until the table fits (RFC 7541 §4.3). */
  setMaxSize(maxSize: number): void {
    this.#maxSize = maxSize;
    this.#evictDownTo(maxSize);
  }

  #evictDownTo(target: number): void {
    while (this.#size > target) {
      const slot = (this.#head - this.#count) & this.#mask;
      const id = this.#inserted - this.#count;
      const name = this.#names[slot]!;
      const value = this.#values[slot]!;
      this.#size -= name.length + value.length + ENTRY_OVERHEAD;
      // Drop the references so evicted strings can be collected.
      this.#names[slot] = "";
      this.#values[slot] = "";
      this.#count--;
      if (this.onEvict !== null) this.onEvict(name, value, id);
    }
  }

  #grow(): void {
    const capacity = (this.#mask + 1) * 2;
    const names = new Array<string>(capacity).fill("");
    const values = new Array<string>(capacity).fill("");
    // Copy oldest first, so the oldest lands at slot 0 and the head at `count`.
    for (let i = this.#count; i >= 1; i--) {
      names[this.#count - i] = this.name(i);
      values[this.#count - i] = this.value(i);
    }
    this.#names = names;
    this.#values = values;
    this.#mask = capacity - 1;
    this.#head = this.#count;
  }
}
