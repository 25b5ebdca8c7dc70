import { describe, expect, it } from "vitest";
import { HpackError } from "./hpack-error.ts";
import { decodeInteger, encodeInteger, integerLength, MAX_INTEGER } from "./integer.ts";

function hex(s: string): Uint8Array {
  const clean = s.replace(/\s+/g, "");
  return Uint8Array.from({ length: clean.length / 2 }, (_, i) => parseInt(clean.slice(i * 2, i * 2 + 2), 16));
}

function encode(value: number, prefix: number, flags = 0): string {
  const buf = new Uint8Array(8);
  const end = encodeInteger(buf, 0, value, prefix, flags);
  return Array.from(buf.subarray(0, end), (b) => b.toString(16).padStart(2, "0")).join(" ");
}

function decode(bytes: Uint8Array, prefix: number): { value: number; pos: number } {
  const cursor = { pos: 0 };
  const value = decodeInteger(bytes, bytes.length, cursor, prefix);
  return { value, pos: cursor.pos };
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

// RFC 7541 C.1: integer representation examples.
describe("RFC 7541 C.1 integer examples", () => {
  const cases: Array<{ section: string; value: number; prefix: number; hex: string }> = [
    { section: "C.1.1 10 with a 5-bit prefix", value: 10, prefix: 5, hex: "0a" },
    { section: "C.1.2 1337 with a 5-bit prefix", value: 1337, prefix: 5, hex: "1f 9a 0a" },
    { section: "C.1.3 42 at an octet boundary", value: 42, prefix: 8, hex: "2a" },
  ];
  for (const c of cases) {
    it(c.section, () => {
      expect(encode(c.value, c.prefix)).toBe(c.hex);
      expect(decode(hex(c.hex), c.prefix)).toEqual({ value: c.value, pos: c.hex.split(" ").length });
      expect(integerLength(c.value, c.prefix)).toBe(c.hex.split(" ").length);
    });
  }

  it("ignores the pattern bits above the prefix (the X bits of C.1.1)", () => {
    expect(decode(hex("ea"), 5)).toEqual({ value: 10, pos: 1 });
    expect(encode(10, 5, 0xe0)).toBe("ea");
  });
});

describe("prefix integers (RFC 7541 §5.1)", () => {
  it("round-trips boundaries for every prefix width", () => {
    for (let prefix = 1; prefix <= 8; prefix++) {
      const max = (1 << prefix) - 1;
      for (
        const v of [0, 1, max - 1, max, max + 1, max + 127, max + 128, 16383, 65535, 2 ** 21, 2 ** 28 + 5, MAX_INTEGER]
      ) {
        if (v < 0) continue;
        const buf = new Uint8Array(8);
        const end = encodeInteger(buf, 0, v, prefix, 0);
        expect(end).toBe(integerLength(v, prefix));
        const cursor = { pos: 0 };
        expect(decodeInteger(buf, end, cursor, prefix)).toBe(v);
        expect(cursor.pos).toBe(end);
      }
    }
  });

  it("starts at the cursor and stops at its end", () => {
    const bytes = hex("ff 1f 9a 0a ff");
    const cursor = { pos: 1 };
    expect(decodeInteger(bytes, 4, cursor, 5)).toBe(1337);
    expect(cursor.pos).toBe(4);
  });

  const malformed: Array<{ name: string; hex: string; prefix: number; code: string }> = [
    { name: "empty input", hex: "", prefix: 7, code: "TRUNCATED" },
    { name: "prefix all ones, nothing after", hex: "ff", prefix: 7, code: "TRUNCATED" },
    { name: "continuation bit set on the last octet", hex: "1f 9a", prefix: 5, code: "TRUNCATED" },
    { name: "value above 2^32 - 1", hex: "ff ff ff ff ff 7f", prefix: 8, code: "INTEGER_OVERFLOW" },
    { name: "2^32 exactly", hex: "1f e1 ff ff ff 0f", prefix: 5, code: "INTEGER_OVERFLOW" },
    { name: "over-long: six continuation octets", hex: "1f 80 80 80 80 80 00", prefix: 5, code: "INTEGER_OVERFLOW" },
    { name: "endless continuation", hex: "7f " + "ff ".repeat(20) + "00", prefix: 7, code: "INTEGER_OVERFLOW" },
  ];
  for (const m of malformed) {
    it(`rejects ${m.name}: ${m.code}`, () => {
      expect(codeOf(() => decode(hex(m.hex), m.prefix))).toBe(m.code);
    });
  }

  it("accepts 2^32 - 1, the largest value", () => {
    const buf = new Uint8Array(8);
    const end = encodeInteger(buf, 0, MAX_INTEGER, 5, 0);
    expect(decode(buf.subarray(0, end), 5).value).toBe(MAX_INTEGER);
  });
});
