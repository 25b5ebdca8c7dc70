import { describe, expect, it } from "vitest";
import { HpackDecoder } from "../../core/hpack/decoder.ts";
import { FIRST_DYNAMIC, getRoot, hpackInt, indexed, literalIndexed, literalNew } from "./hpack.ts";

describe("flood HPACK encoder", () => {
  it("encodes integers as RFC 7541 C.1 does", () => {
    expect(hpackInt(10, 5, 0)).toEqual([0x0a]);
    expect(hpackInt(1337, 5, 0)).toEqual([0x1f, 0x9a, 0x0a]);
    expect(hpackInt(42, 8, 0)).toEqual([0x2a]);
  });

  it("decodes with wirecore's decoder: a table entry, then one-byte references to it", () => {
    const decoder = new HpackDecoder({ maxHeaderListSize: 1 << 20 });
    const big = "a".repeat(4000);
    const first = new Uint8Array([
      ...getRoot("127.0.0.1"),
      ...literalIndexed("x-bomb", big),
      ...indexed(FIRST_DYNAMIC),
    ]);
    expect(decoder.decode(first)).toEqual([
      ":method",
      "GET",
      ":scheme",
      "http",
      ":path",
      "/",
      ":authority",
      "127.0.0.1",
      "x-bomb",
      big,
      "x-bomb",
      big,
    ]);
    const refs = new Uint8Array([...getRoot("h"), ...Array(3).fill(0x80 | FIRST_DYNAMIC)]);
    expect(decoder.decode(refs).slice(8)).toEqual(["x-bomb", big, "x-bomb", big, "x-bomb", big]);
  });

  it("encodes empty-valued literals without indexing at four bytes a field", () => {
    expect(literalNew("x", "")).toEqual([0x00, 0x01, 0x78, 0x00]);
    const decoder = new HpackDecoder();
    expect(decoder.decode(new Uint8Array([...literalNew("x", ""), ...literalNew("x", "")]))).toEqual([
      "x",
      "",
      "x",
      "",
    ]);
    expect(decoder.table.length).toBe(0);
  });
});
