import { describe, expect, it } from "vitest";
import { HpackError } from "./hpack-error.ts";
import { huffmanDecode, huffmanEncode, huffmanEncodedLength } from "./huffman.ts";
import { HUFFMAN_CODES, HUFFMAN_LENGTHS } from "./huffman-table.ts";

function hex(s: string): Uint8Array {
  const clean = s.replace(/\s+/g, "");
  return Uint8Array.from({ length: clean.length / 2 }, (_, i) => parseInt(clean.slice(i * 2, i * 2 + 2), 16));
}

function toHex(b: Uint8Array): string {
  return Array.from(b, (x) => x.toString(16).padStart(2, "0")).join("");
}

function encode(s: string): Uint8Array {
  const out = new Uint8Array(huffmanEncodedLength(s));
  expect(huffmanEncode(s, out, 0)).toBe(out.length);
  return out;
}

function decode(bytes: Uint8Array, limit = bytes.length * 2): string {
  const out = new Uint8Array(limit);
  const n = huffmanDecode(bytes, 0, bytes.length, out, limit);
  return String.fromCharCode(...out.subarray(0, n));
}

function codeOf(f: () => unknown): string {
  try {
    f();
  } catch (e) {
    if (e instanceof HpackError) return e.code;
    throw e;
  }
  return "no error";
}

// The Huffman-coded literals of RFC 7541 C.4 and C.6.
const RFC_STRINGS: Array<[string, string]> = [
  ["www.example.com", "f1e3 c2e5 f23a 6ba0 ab90 f4ff"],
  ["no-cache", "a8eb 1064 9cbf"],
  ["custom-key", "25a8 49e9 5ba9 7d7f"],
  ["custom-value", "25a8 49e9 5bb8 e8b4 bf"],
  ["302", "6402"],
  ["307", "640e ff"],
  ["private", "aec3 771a 4b"],
  ["Mon, 21 Oct 2013 20:13:21 GMT", "d07a be94 1054 d444 a820 0595 040b 8166 e082 a62d 1bff"],
  ["Mon, 21 Oct 2013 20:13:22 GMT", "d07a be94 1054 d444 a820 0595 040b 8166 e084 a62d 1bff"],
  ["https://www.example.com", "9d29 ad17 1863 c78f 0b97 c8e9 ae82 ae43 d3"],
  ["gzip", "9bd9 ab"],
  [
    "foo=ASDJKHQKBZXOQWEOPIUAXQWEOIU; max-age=3600; version=1",
    "94e7 821d d7f2 e6c7 b335 dfdf cd5b 3960 d5af 2708 7f36 72c1 ab27 0fb5 291f 9587 3160 65c0 03ed 4ee5 b106 3d50 07",
  ],
];

describe("Huffman code (RFC 7541 §5.2, Appendix B)", () => {
  it("the generated table has 257 codes of 5 to 30 bits, EOS last", () => {
    expect(HUFFMAN_CODES.length).toBe(257);
    expect(Math.min(...HUFFMAN_LENGTHS)).toBe(5);
    expect(Math.max(...HUFFMAN_LENGTHS)).toBe(30);
    expect(HUFFMAN_CODES[256]).toBe(0x3fffffff);
  });

  for (const [text, coded] of RFC_STRINGS) {
    it(`encodes and decodes ${JSON.stringify(text)} as in Appendix C`, () => {
      expect(toHex(encode(text))).toBe(toHex(hex(coded)));
      expect(decode(hex(coded))).toBe(text);
    });
  }

  it("round-trips every octet alone, and all 256 in a row", () => {
    for (let c = 0; c < 256; c++) {
      const s = String.fromCharCode(c);
      expect(decode(encode(s))).toBe(s);
      expect(huffmanEncodedLength(s)).toBe(Math.ceil(HUFFMAN_LENGTHS[c]! / 8));
    }
    const all = String.fromCharCode(...Array.from({ length: 256 }, (_, i) => i));
    expect(decode(encode(all), 1024)).toBe(all);
  });

  it("round-trips random strings, including long codes at every bit offset", () => {
    let seed = 7;
    const rand = (): number => {
      seed = (seed * 1103515245 + 12345) >>> 0;
      return seed >>> 16;
    };
    for (let n = 0; n < 500; n++) {
      const len = rand() % 64;
      const high = n % 3 === 0; // a third with octets of all lengths, the rest mostly printable
      let s = "";
      for (let i = 0; i < len; i++) s += String.fromCharCode(high ? rand() & 0xff : 0x20 + (rand() % 95));
      expect(decode(encode(s), Math.max(1, len))).toBe(s);
    }
  });

  it("decodes the empty string", () => {
    expect(decode(new Uint8Array(0), 0)).toBe("");
    expect(huffmanEncodedLength("")).toBe(0);
  });

  it("reports -1 as the length of a string with a character above U+00FF", () => {
    // c (5 bits) a (5) f (6) é = 0xe9 (22): 38 bits, 5 octets.
    expect(huffmanEncodedLength("caf\u00e9")).toBe(5);
    expect(huffmanEncodedLength("\u20ac")).toBe(-1);
  });

  const malformed: Array<{ name: string; hex: string; code: string }> = [
    { name: "padding of 8 bits (a whole octet of ones)", hex: "ff", code: "HUFFMAN_PADDING" },
    { name: "'a' then 11 bits of padding", hex: "1f ff", code: "HUFFMAN_PADDING" },
    { name: "'a' then 19 bits of padding", hex: "1f ff ff", code: "HUFFMAN_PADDING" },
    { name: "'|' then 29 bits of padding (one short of EOS)", hex: "ff 9f ff ff ff", code: "HUFFMAN_PADDING" },
    { name: "padding of zeros ('0' then 000)", hex: "00", code: "HUFFMAN_PADDING" },
    { name: "padding ends inside a longer code", hex: "fe", code: "HUFFMAN_PADDING" },
    { name: "EOS then '?'", hex: "ff ff ff ff fc", code: "HUFFMAN_EOS" },
    { name: "EOS alone (30 ones + 2 padding bits)", hex: "ff ff ff ff", code: "HUFFMAN_EOS" },
    { name: "EOS after a symbol", hex: "1f ff ff ff ff", code: "HUFFMAN_EOS" },
  ];
  for (const m of malformed) {
    it(`rejects ${m.name}: ${m.code}`, () => {
      expect(codeOf(() => decode(hex(m.hex), 16))).toBe(m.code);
    });
  }

  it("stops at the output limit: STRING_TOO_LONG", () => {
    // "000" is 00000 00000 00000 + 1 bit of padding: 2 octets, 3 symbols.
    expect(codeOf(() => decode(hex("00 01"), 2))).toBe("STRING_TOO_LONG");
    expect(decode(hex("00 01"), 3)).toBe("000");
  });
});
