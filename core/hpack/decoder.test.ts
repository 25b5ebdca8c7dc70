import { describe, expect, it } from "vitest";
import { HpackDecoder, type HpackDecoderOptions } from "./decoder.ts";
import { HpackError } from "./hpack-error.ts";

function hex(s: string): Uint8Array {
  const clean = s.replace(/\s+/g, "");
  return Uint8Array.from({ length: clean.length / 2 }, (_, i) => parseInt(clean.slice(i * 2, i * 2 + 2), 16));
}

function concat(...parts: Uint8Array[]): Uint8Array {
  const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
  let at = 0;
  for (const p of parts) {
    out.set(p, at);
    at += p.length;
  }
  return out;
}

function repeat(part: Uint8Array, times: number): Uint8Array {
  return concat(...Array.from({ length: times }, () => part));
}

function errorOf(f: () => unknown): HpackError {
  try {
    f();
  } catch (e) {
    if (e instanceof HpackError) return e;
    throw e;
  }
  throw new Error("expected an HpackError");
}

/** A literal with incremental indexing and a new name (RFC 7541 §6.2.1), raw strings < 127 octets. */
function literalIndexed(name: string, value: string): Uint8Array {
  const bytes = [
    0x40,
    name.length,
    ...Array.from(name, (c) => c.charCodeAt(0)),
    value.length,
    ...Array.from(value, (c) => c.charCodeAt(0)),
  ];
  return Uint8Array.from(bytes);
}

// Malformed blocks: bytes in, error code out, with the rule each breaks. All are fatal
// (COMPRESSION_ERROR, RFC 9113 §4.3). Decoded by a fresh decoder with a 4096-octet table.
const MALFORMED: Array<{ name: string; hex: string; code: string; rule: string; options?: HpackDecoderOptions }> = [
  { name: "index 0", hex: "80", code: "INVALID_INDEX", rule: "RFC 7541 §6.1" },
  { name: "index 0 after valid fields", hex: "82 86 80", code: "INVALID_INDEX", rule: "RFC 7541 §6.1" },
  { name: "index 62 with an empty dynamic table", hex: "be", code: "INVALID_INDEX", rule: "RFC 7541 §2.3.3" },
  { name: "index far past the table", hex: "ff 80 08", code: "INVALID_INDEX", rule: "RFC 7541 §2.3.3" },
  {
    name: "literal naming index 63 (incremental indexing)",
    hex: "7f 00 01 61",
    code: "INVALID_INDEX",
    rule: "RFC 7541 §6.2.1",
  },
  {
    name: "literal naming index 62 (without indexing)",
    hex: "0f 2f 01 61",
    code: "INVALID_INDEX",
    rule: "RFC 7541 §6.2.2",
  },
  {
    name: "literal naming index 62 (never indexed)",
    hex: "1f 2f 01 61",
    code: "INVALID_INDEX",
    rule: "RFC 7541 §6.2.3",
  },
  { name: "size update after a field", hex: "82 20", code: "SIZE_UPDATE_NOT_AT_START", rule: "RFC 7541 §4.2" },
  {
    name: "size update between fields",
    hex: "3f e1 1f 82 3f e1 1f 84",
    code: "SIZE_UPDATE_NOT_AT_START",
    rule: "RFC 7541 §4.2",
  },
  {
    name: "size update to 4097 above the limit 4096",
    hex: "3f e2 1f",
    code: "SIZE_UPDATE_TOO_LARGE",
    rule: "RFC 7541 §6.3",
  },
  {
    name: "size update above a limit of 0",
    hex: "21",
    code: "SIZE_UPDATE_TOO_LARGE",
    rule: "RFC 7541 §6.3",
    options: { maxTableSize: 0 },
  },
  { name: "truncated index: prefix all ones", hex: "ff", code: "TRUNCATED", rule: "RFC 7541 §5.1" },
  {
    name: "truncated index: continuation bit on the last octet",
    hex: "ff 80",
    code: "TRUNCATED",
    rule: "RFC 7541 §5.1",
  },
  { name: "truncated size update", hex: "3f", code: "TRUNCATED", rule: "RFC 7541 §5.1" },
  { name: "truncated name index", hex: "0f", code: "TRUNCATED", rule: "RFC 7541 §5.1" },
  { name: "index overflows 2^32 - 1", hex: "ff ff ff ff ff 7f", code: "INTEGER_OVERFLOW", rule: "RFC 7541 §5.1" },
  { name: "size update overflows", hex: "3f ff ff ff ff 7f", code: "INTEGER_OVERFLOW", rule: "RFC 7541 §5.1" },
  {
    name: "over-long index (zero continuations)",
    hex: "ff 80 80 80 80 80 80 00",
    code: "INTEGER_OVERFLOW",
    rule: "RFC 7541 §5.1",
  },
  { name: "string length overflows", hex: "00 7f ff ff ff ff 7f", code: "INTEGER_OVERFLOW", rule: "RFC 7541 §5.1" },
  { name: "literal with no name", hex: "00", code: "TRUNCATED", rule: "RFC 7541 §6.2.2" },
  { name: "literal with a name and no value", hex: "00 01 61", code: "TRUNCATED", rule: "RFC 7541 §6.2.2" },
  { name: "indexed name and no value", hex: "44", code: "TRUNCATED", rule: "RFC 7541 §6.2.1" },
  { name: "name length past the end of the block", hex: "00 05 61 62", code: "TRUNCATED", rule: "RFC 7541 §5.2" },
  { name: "value length past the end of the block", hex: "04 0c 2f 73", code: "TRUNCATED", rule: "RFC 7541 §5.2" },
  { name: "Huffman value length past the end", hex: "04 8c f1 e3", code: "TRUNCATED", rule: "RFC 7541 §5.2" },
  { name: "Huffman name padded with zeros", hex: "40 81 00 01 61", code: "HUFFMAN_PADDING", rule: "RFC 7541 §5.2" },
  {
    name: "Huffman name with 11 bits of padding",
    hex: "40 82 1f ff 01 61",
    code: "HUFFMAN_PADDING",
    rule: "RFC 7541 §5.2",
  },
  {
    name: "Huffman value of a whole octet of padding",
    hex: "04 81 ff",
    code: "HUFFMAN_PADDING",
    rule: "RFC 7541 §5.2",
  },
  { name: "Huffman value ending inside a code", hex: "04 81 fe", code: "HUFFMAN_PADDING", rule: "RFC 7541 §5.2" },
  { name: "EOS in a Huffman name", hex: "00 84 ff ff ff ff 01 61", code: "HUFFMAN_EOS", rule: "RFC 7541 §5.2" },
  { name: "EOS in a Huffman value", hex: "04 85 1f ff ff ff ff", code: "HUFFMAN_EOS", rule: "RFC 7541 §5.2" },
  { name: "EOS in a never-indexed value", hex: "10 01 61 84 ff ff ff ff", code: "HUFFMAN_EOS", rule: "RFC 7541 §5.2" },
  {
    name: "raw name over maxStringLength",
    hex: "00 05 61 61 61 61 61 00",
    code: "STRING_TOO_LONG",
    rule: "RFC 7541 §7.4",
    options: { maxStringLength: 4 },
  },
  {
    name: "raw value over maxStringLength",
    hex: "04 05 2f 2f 2f 2f 2f",
    code: "STRING_TOO_LONG",
    rule: "RFC 7541 §7.4",
    options: { maxStringLength: 4 },
  },
  // "00000": five '0' symbols of 5 bits in 4 octets (25 bits + 7 of padding).
  {
    name: "Huffman value decoding past maxStringLength",
    hex: "04 84 00 00 00 7f",
    code: "STRING_TOO_LONG",
    rule: "RFC 7541 §7.4",
    options: { maxStringLength: 4 },
  },
  {
    name: "Huffman value too long on its encoded length alone",
    hex: "04 7f 12" + " 00".repeat(145),
    code: "STRING_TOO_LONG",
    rule: "RFC 7541 §7.4",
    options: { maxStringLength: 16 },
  },
];

describe("malformed header blocks", () => {
  for (const m of MALFORMED) {
    it(`${m.name}: ${m.code} (${m.rule})`, () => {
      const e = errorOf(() => new HpackDecoder(m.options).decode(hex(m.hex)));
      expect(e.code).toBe(m.code);
      expect(e.fatal).toBe(true);
    });
  }
});

describe("dynamic table size updates (RFC 7541 §4.2, §6.3)", () => {
  it("accepts updates up to the limit at the start of a block, several in a row", () => {
    const d = new HpackDecoder();
    expect(d.decode(hex("3f e1 1f 82"))).toEqual([":method", "GET"]); // 4096
    expect(d.decode(hex("20 3f e1 1f 82"))).toEqual([":method", "GET"]); // 0 then 4096
    expect(d.table.maxSize).toBe(4096);
    expect(d.decode(hex("3f 45"))).toEqual([]); // a block of only an update (100)
    expect(d.table.maxSize).toBe(100);
  });

  it("evicts down to the new size", () => {
    const d = new HpackDecoder();
    d.decode(concat(literalIndexed("a", "1"), literalIndexed("b", "2")));
    expect(d.table.length).toBe(2);
    d.decode(hex("3f 03")); // 34: room for one
    expect(d.table.length).toBe(1);
    expect(d.table.name(1)).toBe("b");
    d.decode(hex("20"));
    expect(d.table.length).toBe(0);
    expect(errorOf(() => d.decode(hex("be"))).code).toBe("INVALID_INDEX");
  });

  it("after the limit is lowered, requires the next block to begin with an update within it", () => {
    const d = new HpackDecoder();
    d.decode(literalIndexed("a", "1"));
    d.setMaxTableSize(100);
    expect(errorOf(() => d.decode(hex("be"))).code).toBe("SIZE_UPDATE_MISSING");
    const d2 = new HpackDecoder();
    d2.setMaxTableSize(100);
    expect(errorOf(() => d2.decode(new Uint8Array(0))).code).toBe("SIZE_UPDATE_MISSING");
    const d3 = new HpackDecoder();
    d3.setMaxTableSize(100);
    expect(errorOf(() => d3.decode(hex("3f 46"))).code).toBe("SIZE_UPDATE_TOO_LARGE"); // 101
    const d4 = new HpackDecoder();
    d4.decode(literalIndexed("a", "1"));
    d4.setMaxTableSize(100);
    expect(d4.decode(hex("3f 45 be"))).toEqual(["a", "1"]); // 100, then the entry survives
    expect(d4.decode(hex("be"))).toEqual(["a", "1"]); // no update needed any more
  });

  it("decodes a block where it lies in a larger array; error offsets count from the block's start", () => {
    const block = concat(hex("82 86"), literalIndexed("a", "1"));
    const framed = concat(hex("ff ff ff"), block, hex("ff"));
    expect(new HpackDecoder().decode(framed, 3, 3 + block.length)).toEqual([
      ":method",
      "GET",
      ":scheme",
      "http",
      "a",
      "1",
    ]);
    const bad = concat(hex("ff ff"), hex("82 80"));
    expect(errorOf(() => new HpackDecoder().decode(bad, 2, 4)).message).toMatch(/Index 0 at offset 1 /);
  });

  it("does not require an update when the limit is raised", () => {
    const d = new HpackDecoder({ maxTableSize: 256 });
    d.setMaxTableSize(4096);
    expect(d.decode(hex("82"))).toEqual([":method", "GET"]);
    expect(d.decode(hex("3f e1 1f"))).toEqual([]);
    expect(d.table.maxSize).toBe(4096);
  });
});

describe("header list size (RFC 9113 §6.5.2)", () => {
  it("accepts a list of exactly maxHeaderListSize and rejects one octet more", () => {
    // ":method: GET" counts 7 + 3 + 32 = 42.
    expect(new HpackDecoder({ maxHeaderListSize: 84 }).decode(hex("82 82"))).toEqual([
      ":method",
      "GET",
      ":method",
      "GET",
    ]);
    const e = errorOf(() => new HpackDecoder({ maxHeaderListSize: 83 }).decode(hex("82 82")));
    expect(e.code).toBe("HEADER_LIST_TOO_LARGE");
    expect(e.fatal).toBe(false);
  });

  it("fails an HPACK bomb fast: one dynamic entry indexed 100,000 times", () => {
    const d = new HpackDecoder({ maxHeaderListSize: 16384 });
    const value = "v".repeat(4000);
    // One 4 KB entry in the table (name "x", raw value of 4000 octets: length 7f a1 1e).
    d.decode(concat(hex("40 01 78 7f a1 1e"), new Uint8Array(4000).fill(0x76)));
    expect(d.table.value(1)).toBe(value);
    // Decoded in full this would be 400 MB of header list.
    const bomb = repeat(hex("be"), 100_000);
    const started = performance.now();
    const e = errorOf(() => d.decode(bomb));
    const elapsed = performance.now() - started;
    expect(e.code).toBe("HEADER_LIST_TOO_LARGE");
    expect(e.fatal).toBe(false);
    // Linear: 100 000 one-octet references. Built in full it would be 400 MB of strings and take
    // far longer; the bound is loose because coverage and a loaded machine slow everything.
    expect(elapsed).toBeLessThan(2_000);
    // The decoder is still in step: the same entry is at index 62.
    expect(d.decode(hex("be"))).toEqual(["x", value]);
  });

  it("counts fields: past maxFields the list is too large, and fields after it are not made", () => {
    const d = new HpackDecoder({ maxHeaderListSize: 65536, maxFields: 3 });
    expect(d.decode(hex("82 86 84"))).toEqual([":method", "GET", ":scheme", "http", ":path", "/"]);
    // Four fields, the fourth a literal with incremental indexing: too many, yet still indexed.
    const e = errorOf(() => d.decode(concat(hex("82 86 84"), literalIndexed("k", "v"))));
    expect(e.code).toBe("HEADER_LIST_TOO_LARGE");
    expect(e.fatal).toBe(false);
    expect(d.decode(hex("be"))).toEqual(["k", "v"]);
  });

  it("keeps decoding past the limit so the table stays in step with the encoder", () => {
    const d = new HpackDecoder({ maxHeaderListSize: 100 });
    // Over the limit after the third field; then a literal adds "k: v" and another is skipped.
    const block = concat(hex("82 82 82"), literalIndexed("k", "v"), hex("04 03 2f 61 62"), literalIndexed("k2", "v2"));
    expect(errorOf(() => d.decode(block)).code).toBe("HEADER_LIST_TOO_LARGE");
    expect(d.table.length).toBe(2);
    expect(d.decode(hex("be bf"))).toEqual(["k2", "v2", "k", "v"]);
  });

  it("still rejects malformed input past the limit", () => {
    const d = new HpackDecoder({ maxHeaderListSize: 50 });
    expect(errorOf(() => d.decode(hex("82 82 80"))).code).toBe("INVALID_INDEX");
    // One-octet and multi-octet indexes past the table's end (61 static + 0 dynamic entries).
    expect(errorOf(() => d.decode(hex("82 82 be"))).code).toBe("INVALID_INDEX");
    expect(errorOf(() => d.decode(hex("82 82 ff 00"))).code).toBe("INVALID_INDEX");
    expect(errorOf(() => d.decode(hex("82 82 bd"))).code).toBe("HEADER_LIST_TOO_LARGE");
    expect(errorOf(() => d.decode(hex("82 82 04 05 61"))).code).toBe("TRUNCATED");
  });

  it("counts a field whose name alone passes the limit", () => {
    const d = new HpackDecoder({ maxHeaderListSize: 40 });
    expect(errorOf(() => d.decode(hex("00 09 61 61 61 61 61 61 61 61 61 00"))).code).toBe("HEADER_LIST_TOO_LARGE");
  });
});

describe("decoded fields", () => {
  it("decodes an empty block to an empty list", () => {
    expect(new HpackDecoder().decode(new Uint8Array(0))).toEqual([]);
  });

  it("keeps every octet of names and values as one latin1 character", () => {
    const bytes = hex("00 02 e9 ff 04 00 80 9f 7f");
    expect(new HpackDecoder().decode(bytes)).toEqual(["\u00e9\u00ff", "\u0000\u0080\u009f\u007f"]);
  });

  it("marks never-indexed fields as sensitive, and only those", () => {
    const d = new HpackDecoder();
    // :method GET; authorization (static 23) never indexed "abc"; x: y without indexing; password never indexed.
    const block = hex("82 1f 08 03 61 62 63 00 01 78 01 79 10 08 70 61 73 73 77 6f 72 64 06 73 65 63 72 65 74");
    expect(d.decode(block)).toEqual([":method", "GET", "authorization", "abc", "x", "y", "password", "secret"]);
    expect(d.sensitive).toEqual([1, 3]);
    d.decode(hex("82"));
    expect(d.sensitive).toEqual([]);
  });

  it("resolves a literal's indexed name before inserting the new entry (RFC 7541 §3.2)", () => {
    const d = new HpackDecoder({ maxTableSize: 40 });
    d.decode(literalIndexed("ab", "cd")); // 36 octets
    // 0x7e: incremental indexing naming index 62 ("ab"), whose insertion evicts it.
    expect(d.decode(hex("7e 02 65 66"))).toEqual(["ab", "ef"]);
    expect(d.table.length).toBe(1);
    expect(d.table.value(1)).toBe("ef");
  });
});
