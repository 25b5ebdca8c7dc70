import { describe, expect, it } from "vitest";
import { sha1 } from "./sha1.ts";

const hexOf = (b: Uint8Array): string => Array.from(b, (x) => x.toString(16).padStart(2, "0")).join("");
const ascii = (s: string): Uint8Array => new TextEncoder().encode(s);

// FIPS 180 examples and the NIST / RFC 3174 §7.3 test vectors.
const vectors: [string, Uint8Array, string][] = [
  ["empty", new Uint8Array(0), "da39a3ee5e6b4b0d3255bfef95601890afd80709"],
  ["abc (FIPS 180-2 B.1)", ascii("abc"), "a9993e364706816aba3e25717850c26c9cd0d89d"],
  [
    "448-bit message (FIPS 180-2 B.2)",
    ascii("abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq"),
    "84983e441c3bd26ebaae4aa1f95129e5e54670f1",
  ],
  ["one million 'a' (FIPS 180-2 B.3)", ascii("a".repeat(1_000_000)), "34aa973cd4c4daa4f61eeb2bdbad27316534016f"],
  [
    "the quick brown fox",
    ascii("The quick brown fox jumps over the lazy dog"),
    "2fd4e1c67a2d28fced849ee1bb76e7391b93eb12",
  ],
  [
    "RFC 3174 test 4: '01234567' × 80",
    ascii("0123456701234567012345670123456701234567012345670123456701234567".repeat(10)),
    "dea356a2cddd90c7a7ecedc5ebb563934f460452",
  ],
  [
    "RFC 6455 §1.3 key + GUID",
    ascii("dGhlIHNhbXBsZSBub25jZQ==258EAFA5-E914-47DA-95CA-C5AB0DC85B11"),
    "b37a4f2cc0624f1690f64606cf385945b2bec4ea",
  ],
];

describe("sha1 (FIPS 180-4)", () => {
  for (const [name, input, digest] of vectors) {
    it(name, () => expect(hexOf(sha1(input))).toBe(digest));
  }

  it("agrees with crypto.subtle at every length around the block boundaries", async () => {
    for (let n = 0; n <= 200; n++) {
      const data = Uint8Array.from({ length: n }, (_, i) => (i * 7 + n) & 0xff);
      const expected = new Uint8Array(await crypto.subtle.digest("SHA-1", data));
      expect(hexOf(sha1(data)), `length ${n}`).toBe(hexOf(expected));
    }
  });
});
