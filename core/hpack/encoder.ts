/**
 * The HPACK encoder (RFC 7541 §2, §6): one per HTTP/2 connection, turning header lists into
 * header blocks appended to a caller's {@link BlockBuffer}.
 *
 * Per field, in order of preference: an indexed field when the static or dynamic table holds the
 * exact name and value (§6.1); otherwise a literal naming the static or dynamic entry with the
 * same name (§6.2), else with a literal name. The literal is never indexed for sensitive fields
 * (§6.2.3, §7.1.3), added to the dynamic table when worth it (§6.2.1), or else sent without
 * indexing (§6.2.2); see `index-policy.ts`. Strings are Huffman coded when that is shorter (§5.2).
 *
 * @example
 * ```ts
 * import { BlockBuffer } from "./block-buffer.ts";
 * import { HpackEncoder } from "./encoder.ts";
 * const encoder = new HpackEncoder();
 * const out = new BlockBuffer();
 * encoder.encode([":status", "200", "content-type", "text/plain"], out);
 * out.view(); // 88 5f 87 49 7c a5 8a e8 19 aa
 * ```
 * @module
 */
import { BlockBuffer } from "./block-buffer.ts";
import { DynamicTable } from "./dynamic-table.ts";
import { huffmanEncode, huffmanEncodedLength } from "./huffman.ts";
import { isSensitive, isWorthIndexing } from "./index-policy.ts";
import { encodeInteger } from "./integer.ts";
import { STATIC_BY_NAME, STATIC_TABLE_LENGTH } from "./static-table.ts";

/** When string literals are Huffman coded (RFC 7541 §5.2). */
export type HuffmanMode = "shorter" | "always" | "never";

/** Settings of an {@link HpackEncoder}. */
export interface HpackEncoderOptions {
  /**
   * The peer's SETTINGS_HEADER_TABLE_SIZE: the largest dynamic table the encoder may use
   * (RFC 7541 §4.2). Default 4096, the HTTP/2 initial value (RFC 9113 §6.5.2).
   */
  maxTableSize?: number;
  /**
   * The most table this encoder uses however much the peer allows, bounding memory per
   * connection (RFC 7541 §7.3). Default 4096.
   */
  tableSizeLimit?: number;
  /** `"shorter"` (default): Huffman when it saves octets; `"always"`; `"never"`. */
  huffman?: HuffmanMode;
}

/** Dynamic table entries with one name: the newest entry's id, and the newest id per value. */
interface NameEntries {
  latest: number;
  readonly values: Map<string, number>;
}

/** Largest prefix integer: 1 + 5 octets (see `integer.ts`). */
const MAX_INTEGER_OCTETS = 6;

/** Encodes header lists; one per connection, since the dynamic table spans blocks. */
export class HpackEncoder {
  /** The dynamic table, for inspection (tests, debugging); do not modify it. */
  readonly table: DynamicTable;
  readonly #tableSizeLimit: number;
  readonly #huffman: HuffmanMode;
  /** Dynamic entries by name, for lookups; kept in step with evictions. */
  readonly #byName = new Map<string, NameEntries>();
  /** A size change not yet signaled, and the smallest size since the last block (§4.2). */
  #updatePending = false;
  #smallestUpdate = 0;

  constructor(options: HpackEncoderOptions = {}) {
    const maxTableSize = options.maxTableSize ?? 4096;
    this.#tableSizeLimit = options.tableSizeLimit ?? 4096;
    this.#huffman = options.huffman ?? "shorter";
    // The peer's decoder starts at `maxTableSize`; using less has to be signaled too.
    this.table = new DynamicTable(maxTableSize);
    this.table.onEvict = (name, value, id) => this.#forget(name, value, id);
    this.setMaxTableSize(maxTableSize);
  }

  /**
   * Applies the peer's new SETTINGS_HEADER_TABLE_SIZE (RFC 9113 §6.5.2). The table shrinks at
   * once; the next block begins with the dynamic table size update(s) telling the decoder: the
   * smallest size since the last block, then the final one (RFC 7541 §4.2, §6.3).
   */
  setMaxTableSize(maxTableSize: number): void {
    const size = Math.min(maxTableSize, this.#tableSizeLimit);
    if (size === this.table.maxSize && !this.#updatePending) return;
    if (!this.#updatePending || size < this.#smallestUpdate) this.#smallestUpdate = size;
    this.#updatePending = true;
    this.table.setMaxSize(size);
  }

  /**
   * Appends the header block for a flat `[name, value, …]` list to `out`. Names must already be
   * lowercase (RFC 9113 §8.2.1); names and values are latin1 strings, one character per octet.
   * `sensitive` lists field positions (0 for the first pair) to send never indexed on top of the
   * built-in policy, e.g. the decoder's `sensitive` when forwarding (RFC 7541 §6.2.3).
   *
   * @throws {TypeError} When a name or value has a character above U+00FF.
   */
  encode(fields: readonly string[], out: BlockBuffer, sensitive: readonly number[] = []): void {
    if (this.#updatePending) {
      if (this.#smallestUpdate < this.table.maxSize) this.#writeSizeUpdate(out, this.#smallestUpdate);
      this.#writeSizeUpdate(out, this.table.maxSize);
      this.#updatePending = false;
    }
    const table = this.table;
    for (let i = 0; i + 1 < fields.length; i += 2) {
      const name = fields[i]!;
      const value = fields[i + 1]!;
      const neverIndex = isSensitive(name, value) || (sensitive.length > 0 && sensitive.includes(i >>> 1));
      const fixed = STATIC_BY_NAME.get(name);
      const dynamic = this.#byName.get(name);
      if (!neverIndex) {
        // §6.1: the whole field is in a table; static entries first, they never move.
        const s = fixed?.values.get(value);
        if (s !== undefined) {
          this.#writeIndexed(out, s);
          continue;
        }
        const id = dynamic?.values.get(value);
        if (id !== undefined) {
          this.#writeIndexed(out, STATIC_TABLE_LENGTH + table.inserted - id);
          continue;
        }
      }
      const nameIndex = fixed !== undefined
        ? fixed.index
        : dynamic !== undefined
        ? STATIC_TABLE_LENGTH + table.inserted - dynamic.latest
        : 0;
      if (neverIndex) {
        this.#writeLiteral(out, 0x10, 4, nameIndex, name, value); // §6.2.3
      } else if (isWorthIndexing(name, value, table.maxSize)) {
        this.#writeLiteral(out, 0x40, 6, nameIndex, name, value); // §6.2.1
        this.#remember(name, value);
      } else {
        this.#writeLiteral(out, 0x00, 4, nameIndex, name, value); // §6.2.2
      }
    }
  }

  /** {@link encode} into a fresh array of exactly the block's length. */
  encodeBlock(fields: readonly string[], sensitive: readonly number[] = []): Uint8Array {
    const out = new BlockBuffer(64 + fields.length * 16);
    this.encode(fields, out, sensitive);
    return out.bytes.slice(0, out.length);
  }

  /** Adds a field to the table and to the lookup maps. */
  #remember(name: string, value: string): void {
    const table = this.table;
    table.add(name, value);
    // isWorthIndexing keeps entries within the table, so the new entry is in it.
    const id = table.inserted - 1;
    let entries = this.#byName.get(name);
    if (entries === undefined) {
      entries = { latest: id, values: new Map() };
      this.#byName.set(name, entries);
    }
    entries.latest = id;
    entries.values.set(value, id);
  }

  /** Drops an evicted entry from the lookup maps, unless a newer entry took its place. */
  #forget(name: string, value: string, id: number): void {
    const entries = this.#byName.get(name);
    if (entries === undefined) return;
    if (entries.values.get(value) === id) entries.values.delete(value);
    // FIFO eviction: when the newest entry with this name goes, all older ones are gone too.
    if (entries.latest === id) this.#byName.delete(name);
  }

  #writeIndexed(out: BlockBuffer, index: number): void {
    const buf = out.ensure(MAX_INTEGER_OCTETS);
    out.length = encodeInteger(buf, out.length, index, 7, 0x80);
  }

  #writeSizeUpdate(out: BlockBuffer, size: number): void {
    const buf = out.ensure(MAX_INTEGER_OCTETS);
    out.length = encodeInteger(buf, out.length, size, 5, 0x20);
  }

  #writeLiteral(
    out: BlockBuffer,
    flags: number,
    prefix: number,
    nameIndex: number,
    name: string,
    value: string,
  ): void {
    const buf = out.ensure(MAX_INTEGER_OCTETS);
    out.length = encodeInteger(buf, out.length, nameIndex, prefix, flags);
    if (nameIndex === 0) this.#writeString(out, name);
    this.#writeString(out, value);
  }

  /** A string literal (RFC 7541 §5.2): raw, or Huffman coded per the encoder's mode. */
  #writeString(out: BlockBuffer, s: string): void {
    const raw = s.length;
    const coded = this.#huffman === "never" ? raw : huffmanEncodedLength(s);
    if (coded < 0) throw nonLatin1(s);
    const huffman = this.#huffman === "always" || coded < raw;
    const length = huffman ? coded : raw;
    const buf = out.ensure(MAX_INTEGER_OCTETS + length);
    let pos = encodeInteger(buf, out.length, length, 7, huffman ? 0x80 : 0);
    if (huffman) {
      pos = huffmanEncode(s, buf, pos);
    } else {
      for (let i = 0; i < raw; i++) {
        const c = s.charCodeAt(i);
        if (c > 0xff) throw nonLatin1(s);
        buf[pos++] = c;
      }
    }
    out.length = pos;
  }
}

function nonLatin1(s: string): TypeError {
  return new TypeError(`Header field ${JSON.stringify(s.slice(0, 40))} has a character above U+00FF; encode it first`);
}
