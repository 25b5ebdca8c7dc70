import { describe, expect, it } from "vitest";
import { unmask } from "./mask.ts";

function naive(data: Uint8Array, key: Uint8Array, offset: number): Uint8Array {
  return data.map((b, i) => b ^ key[(offset + i) & 3]!);
}

describe("unmask (RFC 6455 §5.3)", () => {
  const key = new Uint8Array([0x37, 0xfa, 0x21, 0x3d]);

  it("§5.7 the masked 'Hello' example", () => {
    const data = new Uint8Array([0x7f, 0x9f, 0x4d, 0x51, 0x58]);
    expect(unmask(data, key, 0)).toBe(1);
    expect(new TextDecoder().decode(data)).toBe("Hello");
  });

  it("matches byte-wise XOR for every length, start offset and alignment", () => {
    const backing = new Uint8Array(300);
    for (let i = 0; i < backing.length; i++) backing[i] = (i * 31 + 7) & 0xff;
    for (let align = 0; align < 4; align++) {
      for (let length = 0; length <= 140; length++) {
        for (let offset = 0; offset < 4; offset++) {
          const data = backing.slice().subarray(align, align + length);
          const expected = naive(data, key, offset);
          expect(unmask(data, key, offset)).toBe((offset + length) & 3);
          expect(data).toEqual(expected);
        }
      }
    }
  });

  it("continues across pieces with the returned offset", () => {
    const original = Uint8Array.from({ length: 1000 }, (_, i) => (i * 13) & 0xff);
    const expected = naive(original, key, 0);
    for (const cuts of [[1], [3, 70], [5, 6, 7, 500, 999], [33, 64, 65]]) {
      const data = original.slice();
      let offset = 0;
      let from = 0;
      for (const to of [...cuts, data.length]) {
        offset = unmask(data.subarray(from, to), key, offset);
        from = to;
      }
      expect(data).toEqual(expected);
    }
  });

  it("is its own inverse", () => {
    const original = Uint8Array.from({ length: 257 }, (_, i) => i & 0xff);
    const data = original.slice();
    unmask(data, key, 2);
    unmask(data, key, 2);
    expect(data).toEqual(original);
  });
});
