/**
 * Property-based tests of the HPACK decoder (RFC 7541), with fast-check. HPACK decodes whole
 * header blocks (HTTP/2 joins HEADERS and CONTINUATION before it, RFC 9113 §4.3), so there is no
 * split here; the HTTP/2 connection properties split blocks across frames. Properties: lists
 * encoded by the encoder (any Huffman mode, table size, sensitive fields) decode to themselves
 * with both tables in step; random and mutated blocks decode to a list or throw an
 * {@link HpackError} and nothing else, with the dynamic table within its limit.
 * Settings: test/support/fuzz.ts.
 */
import { describe, expect, it } from "vitest";
import fc from "fast-check";
import { HpackDecoder } from "./decoder.ts";
import { HpackEncoder, type HuffmanMode } from "./encoder.ts";
import { HpackError } from "./hpack-error.ts";
import { check, mutated, randomBytes } from "../../test/support/fuzz.ts";

const latin1Char = fc.integer({ min: 0, max: 255 }).map((c) => String.fromCharCode(c));
const name = fc.oneof(
  fc.constantFrom(":method", ":path", ":status", "content-type", "accept-encoding", "cookie", "authorization"),
  fc.stringMatching(/^[a-z0-9-]{1,16}$/),
);
const value = fc.oneof(
  fc.constantFrom("GET", "/", "200", "gzip, deflate", "text/html"),
  fc.string({ unit: latin1Char, maxLength: 40 }),
);
const list = fc.array(fc.tuple(name, value), { maxLength: 8 }).map((pairs) => pairs.flat());

const setup = fc.record({
  tableSize: fc.constantFrom(0, 64, 256, 4096),
  huffman: fc.constantFrom<HuffmanMode>("shorter", "always", "never"),
  lists: fc.array(fc.tuple(list, fc.array(fc.nat(7), { maxLength: 2 })), { minLength: 1, maxLength: 5 }),
});

/** Decode, checking the contract: a list of strings in pairs, or an HpackError; the table within its limit. */
function decode(decoder: HpackDecoder, block: Uint8Array, limit: number): string[] | HpackError {
  let result: string[] | HpackError;
  try {
    result = decoder.decode(block);
    if (result.length % 2 !== 0 || result.some((s) => typeof s !== "string")) throw new Error("not a field list");
  } catch (error) {
    if (!(error instanceof HpackError)) throw error;
    result = error;
  }
  if (decoder.table.size > decoder.table.maxSize || decoder.table.maxSize > limit) {
    throw new Error(`table ${decoder.table.size}/${decoder.table.maxSize} over ${limit}`);
  }
  return result;
}

describe("HPACK decoder, property-based", () => {
  it("decodes what the encoder made, block after block, the tables in step", () => {
    check(setup, ({ tableSize, huffman, lists }) => {
      const encoder = new HpackEncoder({ maxTableSize: tableSize, huffman });
      const decoder = new HpackDecoder({ maxTableSize: tableSize, maxHeaderListSize: 1 << 20 });
      for (const [fields, marks] of lists) {
        const sensitive = [...new Set(marks.filter((i) => i < fields.length / 2))].sort((a, b) => a - b);
        const block = encoder.encodeBlock(fields, sensitive);
        expect(decode(decoder, block, tableSize)).toEqual(fields);
        // The encoder may keep more fields never-indexed (index-policy.ts), never fewer.
        for (const i of sensitive) expect(decoder.sensitive).toContain(i);
        expect(decoder.table.size).toBe(encoder.table.size);
      }
    }, 100);
  });

  it("answers random blocks with a list or an HpackError, block after block", () => {
    check(fc.array(randomBytes, { minLength: 1, maxLength: 4 }), (blocks) => {
      const decoder = new HpackDecoder({ maxTableSize: 256, maxHeaderListSize: 2048 });
      for (const block of blocks) {
        const result = decode(decoder, block, 256);
        if (result instanceof HpackError && result.fatal) return; // the connection would end here
      }
    }, 200);
  });

  it("answers mutated blocks with a list or an HpackError, the table within its limit", () => {
    const blocks = setup.map(({ tableSize, huffman, lists }) => {
      const encoder = new HpackEncoder({ maxTableSize: tableSize, huffman });
      return { tableSize, blocks: lists.map(([fields]) => encoder.encodeBlock(fields)) };
    });
    const cases = blocks.chain(({ tableSize, blocks }) =>
      mutated(fc.constant(blocks[blocks.length - 1]!)).map((last) => ({ tableSize, blocks, last }))
    );
    check(cases, ({ tableSize, blocks, last }) => {
      const decoder = new HpackDecoder({ maxTableSize: tableSize, maxHeaderListSize: 4096 });
      for (const block of blocks.slice(0, -1)) decode(decoder, block, tableSize);
      decode(decoder, last, tableSize);
    }, 150);
  });

  it("keeps a lowered table limit: the next block must start with a size update within it", () => {
    check(fc.tuple(setup, fc.constantFrom(0, 32, 100)), ([{ lists }, lowered]) => {
      const encoder = new HpackEncoder({ maxTableSize: 4096 });
      const decoder = new HpackDecoder({ maxTableSize: 4096 });
      decode(decoder, encoder.encodeBlock(lists[0]![0]), 4096);
      decoder.setMaxTableSize(lowered);
      encoder.setMaxTableSize(lowered);
      for (const [fields] of lists) expect(decode(decoder, encoder.encodeBlock(fields), 4096)).toEqual(fields);
      expect(decoder.table.maxSize).toBeLessThanOrEqual(lowered);
    }, 40);
  });
});
