import { describe, expect, it } from "vitest";
import { isValidUtf8, Utf8Validator } from "./utf8-validator.ts";

// Cases after the Autobahn testsuite's 6.x group and Markus Kuhn's UTF-8 decoder stress test:
// each is hex bytes and the offset of the first byte that proves the input invalid (fail fast,
// RFC 6455 §8.1), `end` when only the end of the input does (a truncated sequence), or null
// when valid. Every case is replayed whole, at every split point, and one byte at a time.

interface Case {
  name: string;
  hex: string;
  failsAt: number | "end" | null;
}

function hex(s: string): Uint8Array {
  const clean = s.replace(/\s+/g, "");
  const out = new Uint8Array(clean.length / 2);
  for (let i = 0; i < out.length; i++) out[i] = parseInt(clean.slice(i * 2, i * 2 + 2), 16);
  return out;
}
const u = (s: string): string =>
  Array.from(new TextEncoder().encode(s), (b) => b.toString(16).padStart(2, "0")).join("");

const cases: Case[] = [
  { name: "empty", hex: "", failsAt: null },
  { name: "ASCII including NUL and DEL", hex: "00 41 7f", failsAt: null },
  { name: "Autobahn 6.2: κόσμε", hex: u("κόσμε"), failsAt: null },
  { name: "first code point of each length", hex: "00 c2 80 e0 a0 80 f0 90 80 80", failsAt: null },
  { name: "last code point of each length", hex: "7f df bf ef bf bf f4 8f bf bf", failsAt: null },
  { name: "U+D7FF and U+E000 around the surrogates", hex: "ed 9f bf ee 80 80", failsAt: null },
  { name: "noncharacters U+FFFE, U+FFFF are valid UTF-8", hex: "ef bf be ef bf bf", failsAt: null },
  { name: "U+10000 and U+10FFFF", hex: "f0 90 80 80 f4 8f bf bf", failsAt: null },
  { name: "mixed text", hex: u("a€𝄞ü\u{10ffff}z"), failsAt: null },
  // Autobahn 6.3 / 6.4: invalid inside otherwise valid text, fail fast.
  { name: "6.3 κόσμε with a surrogate (ed a0 80)", hex: u("κόσμε") + "ed a0 80 65 64 69 74 65 64", failsAt: 11 },
  { name: "6.4.1 F4 90: above U+10FFFF at the second byte", hex: u("κόσμε") + "f4 90 80 80 65 64", failsAt: 11 },
  { name: "6.4.3 a stray continuation byte", hex: "41 80 41", failsAt: 1 },
  // Overlong forms (Kuhn 4.x, Autobahn 6.9–6.11): rejected as early as they are known to be.
  { name: "overlong 2-byte / (c0 af)", hex: "c0 af", failsAt: 0 },
  { name: "overlong 2-byte maximum (c1 bf)", hex: "c1 bf", failsAt: 0 },
  { name: "overlong 3-byte / (e0 80 af)", hex: "e0 80 af", failsAt: 1 },
  { name: "overlong 3-byte maximum (e0 9f bf)", hex: "e0 9f bf", failsAt: 1 },
  { name: "overlong 4-byte / (f0 80 80 af)", hex: "f0 80 80 af", failsAt: 1 },
  { name: "overlong 4-byte maximum (f0 8f bf bf)", hex: "f0 8f bf bf", failsAt: 1 },
  { name: "overlong 5-byte (f8 80 80 80 af)", hex: "f8 80 80 80 af", failsAt: 0 },
  { name: "overlong NUL in 2 bytes (c0 80)", hex: "c0 80", failsAt: 0 },
  // Surrogates (Kuhn 5.x, Autobahn 6.12–6.13).
  { name: "high surrogate U+D800", hex: "ed a0 80", failsAt: 1 },
  { name: "high surrogate U+DBFF", hex: "ed af bf", failsAt: 1 },
  { name: "low surrogate U+DC00", hex: "ed b0 80", failsAt: 1 },
  { name: "low surrogate U+DFFF", hex: "ed bf bf", failsAt: 1 },
  { name: "surrogate pair as CESU-8", hex: "ed a0 80 ed b0 80", failsAt: 1 },
  // Beyond U+10FFFF and bytes that never occur.
  { name: "U+110000 (f4 90 80 80)", hex: "f4 90 80 80", failsAt: 1 },
  { name: "f5 lead byte", hex: "f5 80 80 80", failsAt: 0 },
  { name: "f7 bf bf bf (U+1FFFFF)", hex: "f7 bf bf bf", failsAt: 0 },
  { name: "fe", hex: "fe", failsAt: 0 },
  { name: "ff", hex: "41 ff", failsAt: 1 },
  { name: "6-byte form fc 84 80 80 80 80", hex: "fc 84 80 80 80 80", failsAt: 0 },
  // Truncated and broken sequences (Kuhn 3.x, Autobahn 6.6, 6.8).
  { name: "a lead byte alone at the end", hex: "41 c3", failsAt: "end" },
  { name: "3-byte sequence missing its last byte", hex: "e2 82", failsAt: "end" },
  { name: "4-byte sequence missing its last byte", hex: "f0 9f 98", failsAt: "end" },
  { name: "4-byte sequence missing two bytes", hex: "f4 8f", failsAt: "end" },
  { name: "a lead byte followed by ASCII", hex: "c3 41", failsAt: 1 },
  { name: "3-byte sequence cut by ASCII", hex: "e2 82 41", failsAt: 2 },
  { name: "4-byte sequence cut by another lead byte", hex: "f0 9f 98 f0 9f 98 80", failsAt: 3 },
  { name: "two continuation bytes after a 2-byte sequence", hex: "c3 a9 a9", failsAt: 2 },
  { name: "all lead bytes followed by space (Kuhn 3.2)", hex: "c0 20 c1 20 c2 20", failsAt: 0 },
  { name: "Autobahn 6.6.11 κόσμε in full with the last byte cut", hex: u("κόσμε").slice(0, -2), failsAt: "end" },
];

/** Feeds pieces; returns the failure offset, "end", or null. */
function validate(pieces: Uint8Array[], v = new Utf8Validator()): number | "end" | null {
  for (const p of pieces) {
    if (!v.update(p)) {
      const at = v.invalidAt;
      expect(v.update(new Uint8Array([0x41]))).toBe(false); // failure is sticky
      return at;
    }
  }
  const total = pieces.reduce((n, p) => n + p.length, 0);
  if (v.finish()) return null;
  expect(v.invalidAt).toBe(total);
  return "end";
}

describe("Utf8Validator (RFC 3629 §4, RFC 6455 §8.1)", () => {
  for (const c of cases) {
    it(c.name, () => {
      const bytes = hex(c.hex);
      expect(validate([bytes])).toBe(c.failsAt);
      expect(isValidUtf8(bytes)).toBe(c.failsAt === null);
      for (let at = 1; at < bytes.length; at++) {
        expect(validate([bytes.subarray(0, at), bytes.subarray(at)]), `split at ${at}`).toBe(c.failsAt);
      }
      const single = Array.from(bytes, (_, i) => bytes.subarray(i, i + 1));
      expect(validate(single), "byte at a time").toBe(c.failsAt);
      // With a valid prefix, offsets shift by its length.
      const prefixed = new Uint8Array([0x61, 0x62, ...bytes]);
      const shifted = c.failsAt === null || c.failsAt === "end" ? c.failsAt : c.failsAt + 2;
      expect(validate([prefixed.subarray(0, 1), prefixed.subarray(1)])).toBe(shifted);
    });
  }

  it("agrees with a fatal TextDecoder on every 1- and 2-byte input", () => {
    const decoder = new TextDecoder("utf-8", { fatal: true });
    const bytes = new Uint8Array(2);
    for (let a = 0; a < 256; a++) {
      for (let b = 0; b < 256; b++) {
        bytes[0] = a;
        bytes[1] = b;
        let expected = true;
        try {
          decoder.decode(bytes);
        } catch {
          expected = false;
        }
        if (isValidUtf8(bytes) !== expected) throw new Error(`mismatch on ${a.toString(16)} ${b.toString(16)}`);
      }
      expect(isValidUtf8(bytes.subarray(0, 1))).toBe(a < 0x80);
    }
  });

  it("agrees with a fatal TextDecoder on every 3-byte input with a 3- or 4-byte lead", () => {
    const decoder = new TextDecoder("utf-8", { fatal: true });
    const bytes = new Uint8Array(4);
    bytes[3] = 0x41;
    let mismatches = 0;
    for (let a = 0xe0; a <= 0xf4; a++) {
      for (let b = 0x70; b < 0xd0; b++) {
        for (let c = 0x70; c < 0xd0; c++) {
          bytes[0] = a;
          bytes[1] = b;
          bytes[2] = c;
          const input = a >= 0xf0 ? bytes : bytes.subarray(0, 3);
          let expected = true;
          try {
            decoder.decode(input);
          } catch {
            expected = false;
          }
          if (isValidUtf8(input) !== expected) mismatches++;
        }
      }
    }
    expect(mismatches).toBe(0);
  });

  it("agrees with a fatal TextDecoder on random input, split anywhere", () => {
    const decoder = new TextDecoder("utf-8", { fatal: true });
    let seed = 12345;
    const random = (): number => (seed = (seed * 1103515245 + 12345) >>> 0) / 2 ** 32;
    const pool = [
      0x41,
      0x7f,
      0x80,
      0x8f,
      0x90,
      0x9f,
      0xa0,
      0xbf,
      0xc0,
      0xc2,
      0xdf,
      0xe0,
      0xe1,
      0xed,
      0xee,
      0xef,
      0xf0,
      0xf1,
      0xf4,
      0xf5,
      0xff,
    ];
    for (let n = 0; n < 20000; n++) {
      const bytes = Uint8Array.from(
        { length: 1 + Math.floor(random() * 9) },
        () => pool[Math.floor(random() * pool.length)]!,
      );
      let expected = true;
      try {
        decoder.decode(bytes);
      } catch {
        expected = false;
      }
      const at = Math.floor(random() * (bytes.length + 1));
      const v = new Utf8Validator();
      const ok = v.update(bytes, 0, at) && v.update(bytes, at) && v.finish();
      if (ok !== expected) throw new Error(`mismatch on ${Array.from(bytes, (b) => b.toString(16)).join(" ")}`);
    }
  });

  it("long random text: shortcuts agree with the automaton alone and with TextDecoder", () => {
    // Byte-at-a-time feeding never lets a multi-byte character fit in one piece, so it runs the
    // pure automaton: the reference for the failure offset of the shortcut paths.
    const decoder = new TextDecoder("utf-8", { fatal: true });
    const encoder = new TextEncoder();
    let seed = 777;
    const random = (): number => (seed = (seed * 1103515245 + 12345) >>> 0) / 2 ** 32;
    const junk = [0x80, 0xbf, 0xc0, 0xc1, 0xe0, 0xed, 0xf0, 0xf4, 0xf5, 0xff];
    for (let n = 0; n < 3000; n++) {
      const parts: number[] = [];
      while (parts.length < 300 * random() + 1) {
        const pick = random();
        if (pick < 0.3) {
          for (let k = Math.floor(random() * 120); k > 0; k--) parts.push(0x20 + Math.floor(random() * 95));
        } else if (pick < 0.97) {
          let cp = Math.floor(random() * 0x110000);
          if (cp >= 0xd800 && cp <= 0xdfff) cp = 0xe000;
          parts.push(...encoder.encode(String.fromCodePoint(cp)));
        } else parts.push(junk[Math.floor(random() * junk.length)]!);
      }
      const align = Math.floor(random() * 4);
      const backing = new Uint8Array(parts.length + align);
      backing.set(parts, align);
      const bytes = backing.subarray(align);
      let expected = true;
      try {
        decoder.decode(bytes);
      } catch {
        expected = false;
      }
      expect(isValidUtf8(bytes)).toBe(expected);
      const reference = new Utf8Validator();
      let refOk = true;
      for (let i = 0; i < bytes.length && refOk; i++) refOk = reference.update(bytes, i, i + 1);
      refOk = refOk && reference.finish();
      expect(refOk).toBe(expected);
      const v = new Utf8Validator();
      const at = Math.floor(random() * (bytes.length + 1));
      const ok = v.update(bytes, 0, at) && v.update(bytes, at) && v.finish();
      expect(ok).toBe(expected);
      expect(v.invalidAt).toBe(reference.invalidAt);
    }
  });

  it("validates a range of a larger array", () => {
    const bytes = hex("ff 41 e2 82 ac ff");
    expect(isValidUtf8(bytes, 1, 5)).toBe(true);
    const v = new Utf8Validator();
    expect(v.update(bytes, 1, 3)).toBe(true);
    expect(v.update(bytes, 3, 5)).toBe(true);
    expect(v.finish()).toBe(true);
  });

  it("finish resets for the next sequence; reset forgets a failure", () => {
    const v = new Utf8Validator();
    v.update(hex("e2"));
    expect(v.finish()).toBe(false);
    expect(v.update(hex("41"))).toBe(true);
    expect(v.invalidAt).toBe(-1);
    expect(v.finish()).toBe(true);
    expect(v.update(hex("ff"))).toBe(false);
    v.reset();
    expect(v.update(hex("41"))).toBe(true);
    expect(v.finish()).toBe(true);
  });
});
