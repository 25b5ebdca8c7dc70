/**
 * The HPACK decoder (RFC 7541 §3, §6): one per HTTP/2 connection, decoding each complete header
 * block (HEADERS plus its CONTINUATION frames, RFC 9113 §4.3) into a header list.
 *
 * The list is flat, `[name, value, name, value, …]`, the same shape as the HTTP/1.1 parser's
 * `headers`, in wire order. Names and values are latin1 strings (one character per octet); the
 * caller validates field syntax (RFC 9113 §8.2). Fields sent as never-indexed literals are listed
 * in {@link HpackDecoder.sensitive} so an intermediary can keep them never indexed.
 *
 * Limits hold while decoding, not after: string lengths are checked before any string is made,
 * and once the list passes `maxHeaderListSize` no more fields are materialized, so a block that
 * repeats one indexed entry thousands of times (an "HPACK bomb") costs time linear in its length
 * and no memory. The block is still decoded to its end so the dynamic table stays in step with
 * the peer's encoder, then `HEADER_LIST_TOO_LARGE` (not fatal) is thrown.
 *
 * @example
 * ```ts
 * import { HpackDecoder } from "./decoder.ts";
 * const decoder = new HpackDecoder({ maxTableSize: 4096, maxHeaderListSize: 16384 });
 * decoder.decode(Uint8Array.of(0x82, 0x86, 0x84)); // [":method", "GET", ":scheme", "http", ":path", "/"]
 * ```
 * @module
 */
import { DynamicTable, ENTRY_OVERHEAD } from "./dynamic-table.ts";
import { HpackError } from "./hpack-error.ts";
import { huffmanDecode } from "./huffman.ts";
import { type Cursor, decodeInteger } from "./integer.ts";
import { latin1 } from "../bytes/latin1.ts";
import { STATIC_NAMES, STATIC_TABLE_LENGTH, STATIC_VALUES } from "./static-table.ts";

/** Limits of an {@link HpackDecoder}. */
export interface HpackDecoderOptions {
  /**
   * The SETTINGS_HEADER_TABLE_SIZE this endpoint advertises: the largest dynamic table the peer's
   * encoder may use (RFC 7541 §4.2). Default 4096, the HTTP/2 initial value (RFC 9113 §6.5.2).
   */
  maxTableSize?: number;
  /**
   * The SETTINGS_MAX_HEADER_LIST_SIZE this endpoint advertises: the largest header list, counted
   * as the sum of name length + value length + 32 per field (RFC 9113 §6.5.2). Default 65536.
   */
  maxHeaderListSize?: number;
  /** The longest name or value in octets, after Huffman decoding. Default `maxHeaderListSize`. */
  maxStringLength?: number;
  /**
   * The most fields a list may have: past it the list counts as too large, like one over
   * `maxHeaderListSize`, and no more fields are made (thousands of empty fields fit in the size
   * limit, at 32 octets each, yet cost a field each to build and check). Default unlimited.
   */
  maxFields?: number;
}

/** Representation kinds of a literal field (RFC 7541 §6.2). */
const WITHOUT_INDEXING = 0;
const INCREMENTAL_INDEXING = 1;
const NEVER_INDEXED = 2;

const NONE: readonly number[] = Object.freeze([]);

/** Decodes header blocks; one per connection, since the dynamic table spans blocks. */
export class HpackDecoder {
  /** The dynamic table, for inspection (tests, debugging); do not modify it. */
  readonly table: DynamicTable;
  #allowedMaxSize: number;
  readonly #maxHeaderListSize: number;
  readonly #maxStringLength: number;
  /** Twice the most fields a list may have (the list is flat). */
  readonly #maxListEntries: number;
  /** Set when the limit was lowered below the table size: the next block must resize (§4.2). */
  #updateRequired = false;
  readonly #cursor: Cursor = { pos: 0 };
  /** Where the block being decoded starts in its array: error offsets count from it. */
  #origin = 0;
  /** Reused output of Huffman decoding; grows up to `maxStringLength`. */
  #scratch = new Uint8Array(0);
  #sensitive: number[] | readonly number[] = NONE;

  constructor(options: HpackDecoderOptions = {}) {
    const maxTableSize = options.maxTableSize ?? 4096;
    this.table = new DynamicTable(maxTableSize);
    this.#allowedMaxSize = maxTableSize;
    this.#maxHeaderListSize = options.maxHeaderListSize ?? 65536;
    this.#maxStringLength = options.maxStringLength ?? this.#maxHeaderListSize;
    this.#maxListEntries = (options.maxFields ?? Number.POSITIVE_INFINITY) * 2;
  }

  /**
   * Field positions (0 for the first name/value pair, 1 for the second, …) of the last decoded
   * block that came as never-indexed literals (RFC 7541 §6.2.3); usually empty.
   */
  get sensitive(): readonly number[] {
    return this.#sensitive;
  }

  /**
   * Changes the table size limit, once the peer has acknowledged a new SETTINGS_HEADER_TABLE_SIZE
   * (RFC 9113 §6.5.3). When it falls below the size in use, the peer's next block must begin with
   * a dynamic table size update within the new limit (RFC 7541 §4.2).
   */
  setMaxTableSize(maxTableSize: number): void {
    this.#allowedMaxSize = maxTableSize;
    if (this.table.maxSize > maxTableSize) this.#updateRequired = true;
  }

  /**
   * Decodes one complete header block into a flat `[name, value, …]` list.
   *
   * @throws {HpackError} A fatal error when the block is malformed (the connection must close
   * with COMPRESSION_ERROR, RFC 9113 §4.3), or `HEADER_LIST_TOO_LARGE` (not fatal) when the list
   * is over `maxHeaderListSize` (RFC 9113 §6.5.2); the table is then still in step. The block is
   * `block[start..end)`: a frame's payload is decoded where it lies, without a view of it (a
   * `subarray` costs more than a small field block's decoding on JavaScriptCore).
   */
  decode(block: Uint8Array, start = 0, end: number = block.length): string[] {
    const src = block;
    const cursor = this.#cursor;
    cursor.pos = start;
    this.#origin = start;
    this.#sensitive = NONE;
    const fields: string[] = [];
    const maxListSize = this.#maxHeaderListSize;
    let listSize = 0;
    let overflow = false;
    let atStart = true;

    // §4.2: after the limit was lowered, the first thing in the next block is a size update.
    if (this.#updateRequired && (end === start || (src[start]! & 0xe0) !== 0x20)) {
      throw new HpackError(
        "SIZE_UPDATE_MISSING",
        `Header block must begin with a dynamic table size update to at most ${this.#allowedMaxSize}`,
      );
    }

    while (cursor.pos < end) {
      const at = cursor.pos;
      const b = src[at]!;
      let name: string;
      let value: string;
      let kind = WITHOUT_INDEXING;

      if (b >= 0x80) {
        // §6.1 Indexed Header Field: 1xxxxxxx, 7-bit index.
        if (overflow && b !== 0xff) {
          // Past the list limit an index changes nothing (no table entry, no field kept): a
          // one-octet index is only checked. An HPACK bomb is thousands of these per block.
          if (b === 0x80) {
            throw new HpackError("INVALID_INDEX", `Index 0 at offset ${at - this.#origin} (RFC 7541 §6.1)`);
          }
          if (b - 0x80 > STATIC_TABLE_LENGTH) this.#dynamicIndex(b - 0x80, at);
          cursor.pos = at + 1;
          continue;
        }
        const index = decodeInteger(src, end, cursor, 7);
        if (index <= STATIC_TABLE_LENGTH) {
          if (index === 0) {
            throw new HpackError("INVALID_INDEX", `Index 0 at offset ${at - this.#origin} (RFC 7541 §6.1)`);
          }
          name = STATIC_NAMES[index]!;
          value = STATIC_VALUES[index]!;
        } else {
          const i = this.#dynamicIndex(index, at);
          name = this.table.name(i);
          value = this.table.value(i);
        }
      } else if (b >= 0x20 && b < 0x40) {
        // §6.3 Dynamic Table Size Update: 001xxxxx, 5-bit size; only before the first field (§4.2).
        if (!atStart) {
          throw new HpackError(
            "SIZE_UPDATE_NOT_AT_START",
            `Dynamic table size update at offset ${at - this.#origin} follows a header field (RFC 7541 §4.2)`,
          );
        }
        const size = decodeInteger(src, end, cursor, 5);
        if (size > this.#allowedMaxSize) {
          throw new HpackError(
            "SIZE_UPDATE_TOO_LARGE",
            `Dynamic table size update to ${size} at offset ${
              at - this.#origin
            } exceeds the limit ${this.#allowedMaxSize} (RFC 7541 §6.3)`,
          );
        }
        this.table.setMaxSize(size);
        this.#updateRequired = false;
        continue;
      } else {
        // §6.2.1 with incremental indexing: 01xxxxxx, 6-bit name index. §6.2.2 without
        // indexing: 0000xxxx, and §6.2.3 never indexed: 0001xxxx, both a 4-bit name index.
        let prefix = 4;
        if (b >= 0x40) {
          kind = INCREMENTAL_INDEXING;
          prefix = 6;
        } else if (b >= 0x10) {
          kind = NEVER_INDEXED;
        }
        // Past the list limit the block is still processed to keep the table in step (RFC 9113
        // §10.5.1), but only strings bound for the table are still made.
        const wanted = !overflow || kind === INCREMENTAL_INDEXING;
        const nameIndex = decodeInteger(src, end, cursor, prefix);
        if (nameIndex === 0) {
          name = this.#readString(src, end, wanted);
        } else if (nameIndex <= STATIC_TABLE_LENGTH) {
          name = STATIC_NAMES[nameIndex]!;
        } else {
          name = this.table.name(this.#dynamicIndex(nameIndex, at));
        }
        value = this.#readString(src, end, wanted);
        if (kind === INCREMENTAL_INDEXING) this.table.add(name, value);
      }
      atStart = false;

      if (overflow) continue;
      // RFC 9113 §6.5.2: the list size counts each field as name + value + 32 octets.
      listSize += name.length + value.length + ENTRY_OVERHEAD;
      if (listSize > maxListSize || fields.length >= this.#maxListEntries) {
        overflow = true;
        continue;
      }
      if (kind === NEVER_INDEXED) {
        if (this.#sensitive === NONE) this.#sensitive = [];
        (this.#sensitive as number[]).push(fields.length >>> 1);
      }
      fields.push(name, value);
    }

    if (overflow) {
      this.#sensitive = NONE;
      throw new HpackError(
        "HEADER_LIST_TOO_LARGE",
        `Header list is larger than ${maxListSize} octets or ${this.#maxListEntries / 2} fields (RFC 9113 §6.5.2)`,
      );
    }
    return fields;
  }

  /** Maps a full index above the static table to a dynamic index, or throws (RFC 7541 §2.3.3). */
  #dynamicIndex(index: number, at: number): number {
    const i = index - STATIC_TABLE_LENGTH;
    if (i > this.table.length) {
      throw new HpackError(
        "INVALID_INDEX",
        `Index ${index} at offset ${
          at - this.#origin
        } is past the end of the table (${STATIC_TABLE_LENGTH} static + ${this.table.length} dynamic entries)`,
      );
    }
    return i;
  }

  /**
   * Reads a string literal (RFC 7541 §5.2) at the cursor. When `wanted` is false the string is
   * only skipped: it is neither decoded nor checked, and `""` is returned.
   */
  #readString(src: Uint8Array, end: number, wanted: boolean): string {
    const cursor = this.#cursor;
    const at = cursor.pos;
    if (at >= end) {
      throw new HpackError(
        "TRUNCATED",
        `Header block ends at offset ${at - this.#origin} where a string literal was expected`,
      );
    }
    const huffman = src[at]! >= 0x80;
    const length = decodeInteger(src, end, cursor, 7);
    const start = cursor.pos;
    if (length > end - start) {
      throw new HpackError(
        "TRUNCATED",
        `String literal of ${length} octets at offset ${at - this.#origin} runs past the end of the block`,
      );
    }
    cursor.pos = start + length;
    if (!wanted) return "";
    const max = this.#maxStringLength;
    if (!huffman) {
      if (length > max) throw tooLong(at - this.#origin, length, max);
      return latin1(src, start, start + length);
    }
    // Huffman codes are 5 to 30 bits: n octets decode to between ceil(8n/30) and floor(8n/5).
    if (Math.ceil((length * 8) / 30) > max) throw tooLong(at - this.#origin, Math.ceil((length * 8) / 30), max);
    const limit = Math.min(max, Math.floor((length * 8) / 5));
    if (this.#scratch.length < limit) {
      this.#scratch = new Uint8Array(Math.max(limit, Math.min(this.#scratch.length * 2, max), 64));
    }
    const n = huffmanDecode(src, start, start + length, this.#scratch, limit);
    return latin1(this.#scratch, 0, n);
  }
}

function tooLong(at: number, length: number, max: number): HpackError {
  return new HpackError(
    "STRING_TOO_LONG",
    `String literal at offset ${at} is ${length} octets, over the limit of ${max}`,
  );
}
