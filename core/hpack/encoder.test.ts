import { describe, expect, it } from "vitest";
import { BlockBuffer } from "./block-buffer.ts";
import { HpackDecoder } from "./decoder.ts";
import { HpackEncoder } from "./encoder.ts";

function toHex(b: Uint8Array): string {
  return Array.from(b, (x) => x.toString(16).padStart(2, "0")).join(" ");
}

/** Encodes with a fresh or given encoder, checks a fresh decoder gets the list back. */
function roundTrip(encoder: HpackEncoder, decoder: HpackDecoder, fields: string[]): Uint8Array {
  const block = encoder.encodeBlock(fields);
  expect(decoder.decode(block)).toEqual(fields);
  return block;
}

describe("encoder: what it indexes (RFC 7541 §6, §7.1.3)", () => {
  it("sends a repeated list as one-octet indexes the second time", () => {
    const e = new HpackEncoder();
    const d = new HpackDecoder();
    const fields = [":status", "200", "content-type", "text/plain", "server", "wirecore", "x-trace", "on"];
    roundTrip(e, d, fields);
    const second = roundTrip(e, d, fields);
    // content-type went in first, so it is the oldest: 64; server 63; x-trace 62.
    expect(toHex(second)).toBe("88 c0 bf be");
  });

  it("matches the doc example", () => {
    expect(toHex(new HpackEncoder().encodeBlock([":status", "200", "content-type", "text/plain"]))).toBe(
      "88 5f 87 49 7c a5 8a e8 19 aa",
    );
  });

  for (
    const [name, value] of [
      ["authorization", "Bearer abc.def.ghi"],
      ["proxy-authorization", "Basic dXNlcjpwYXNz"],
      ["set-cookie", "id=a3fWa; Max-Age=2592000; HttpOnly; Secure"],
      ["cookie", "sid=1234567890"],
    ] as const
  ) {
    it(`never indexes ${name} (literal never indexed, §6.2.3)`, () => {
      const e = new HpackEncoder({ huffman: "never" });
      const d = new HpackDecoder();
      const block = roundTrip(e, d, [name, value]);
      expect(block[0]! & 0xf0).toBe(0x10);
      expect(e.table.length).toBe(0);
      expect(d.sensitive).toEqual([0]);
      // Repeating it does not turn it into an index.
      expect(roundTrip(e, d, [name, value])).toEqual(block);
    });
  }

  it("indexes cookies of 20 octets or more", () => {
    const e = new HpackEncoder();
    const d = new HpackDecoder();
    const cookie = "session=0123456789abcdef0123456789abcdef";
    roundTrip(e, d, ["cookie", cookie]);
    expect(e.table.length).toBe(1);
    expect(toHex(roundTrip(e, d, ["cookie", cookie]))).toBe("be");
  });

  it("never indexes fields the caller marks sensitive, e.g. forwarded from a decoder", () => {
    const e = new HpackEncoder();
    const d = new HpackDecoder();
    const block = e.encodeBlock(["x-api-key", "k1", "x-other", "v"], [0]);
    expect(d.decode(block)).toEqual(["x-api-key", "k1", "x-other", "v"]);
    expect(d.sensitive).toEqual([0]);
    expect(e.table.length).toBe(1);
    expect(e.table.name(1)).toBe("x-other");
  });

  it("does not index per-message values: content-length, etag, :path with a query", () => {
    const e = new HpackEncoder({ huffman: "never" });
    const d = new HpackDecoder();
    const block = roundTrip(e, d, [
      "content-length",
      "1234",
      "etag",
      '"abc"',
      ":path",
      "/search?q=1",
      ":path",
      "/search",
    ]);
    expect(block[0]).toBe(0x0f); // without indexing, static name 28 (15 + 13)
    expect(e.table.length).toBe(1);
    expect(e.table.value(1)).toBe("/search");
  });

  it("does not index an entry larger than half the table", () => {
    const e = new HpackEncoder({ maxTableSize: 256 });
    const d = new HpackDecoder({ maxTableSize: 256 });
    roundTrip(e, d, ["x-big", "v".repeat(100)]); // 137 octets
    expect(e.table.length).toBe(0);
    roundTrip(e, d, ["x-small", "v".repeat(50)]); // 89 octets
    expect(e.table.length).toBe(1);
  });

  it("names a dynamic entry for a new value of an indexed name", () => {
    const e = new HpackEncoder({ huffman: "never" });
    const d = new HpackDecoder();
    roundTrip(e, d, ["x-a", "1"]);
    const block = roundTrip(e, d, ["x-a", "2"]);
    expect(toHex(block)).toBe("7e 01 32"); // incremental indexing, name index 62
    expect(toHex(roundTrip(e, d, ["x-a", "1", "x-a", "2"]))).toBe("bf be");
  });

  it("prefers the static table and the newest dynamic entry", () => {
    const e = new HpackEncoder({ huffman: "never" });
    const d = new HpackDecoder();
    roundTrip(e, d, [":method", "GET", "content-type", "a", "content-type", "b"]);
    expect(toHex(roundTrip(e, d, ["content-type", "b", "content-type", "c"]))).toBe("be 5f 01 63");
  });

  it("rejects characters above U+00FF", () => {
    expect(() => new HpackEncoder().encodeBlock(["x", "\u20ac"])).toThrow(TypeError);
    expect(() => new HpackEncoder({ huffman: "never" }).encodeBlock(["x", "\u20ac"])).toThrow(TypeError);
    expect(new HpackDecoder().decode(new HpackEncoder().encodeBlock(["x", "caf\u00e9"]))).toEqual(["x", "caf\u00e9"]);
  });
});

describe("encoder: Huffman (RFC 7541 §5.2)", () => {
  it("codes a literal only when that is shorter by default", () => {
    const e = new HpackEncoder();
    // "307" codes to 3 octets too: sent raw. "302" codes to 2: Huffman.
    expect(toHex(e.encodeBlock([":status", "307"]))).toBe("48 03 33 30 37");
    expect(toHex(e.encodeBlock([":status", "302"]))).toBe("48 82 64 02");
    // Octets with long codes are longer in Huffman: sent raw.
    expect(toHex(e.encodeBlock(["server", "\u00fe\u00fe\u00fe"]))).toBe("76 03 fe fe fe");
  });

  it("never codes with huffman: never, always codes with huffman: always", () => {
    expect(toHex(new HpackEncoder({ huffman: "never" }).encodeBlock([":status", "302"]))).toBe("48 03 33 30 32");
    expect(toHex(new HpackEncoder({ huffman: "always" }).encodeBlock([":status", "307"]))).toBe("48 83 64 0e ff");
  });
});

describe("encoder: table size updates (RFC 7541 §4.2, §6.3)", () => {
  it("signals a new size at the start of the next block only", () => {
    const e = new HpackEncoder();
    const d = new HpackDecoder();
    roundTrip(e, d, ["x-a", "1"]);
    e.setMaxTableSize(0);
    d.setMaxTableSize(0);
    expect(e.table.length).toBe(0);
    expect(toHex(roundTrip(e, d, [":method", "GET"]))).toBe("20 82");
    expect(toHex(roundTrip(e, d, [":method", "GET"]))).toBe("82");
  });

  it("signals the smallest size since the last block, then the final one", () => {
    const e = new HpackEncoder();
    const d = new HpackDecoder();
    roundTrip(e, d, ["x-a", "1"]);
    e.setMaxTableSize(0);
    e.setMaxTableSize(4096);
    d.setMaxTableSize(0);
    d.setMaxTableSize(4096);
    expect(toHex(roundTrip(e, d, ["x-a", "1"]).subarray(0, 4))).toBe("20 3f e1 1f");
    expect(e.table.length).toBe(1);
  });

  it("sends nothing when the size in effect does not change", () => {
    const e = new HpackEncoder();
    e.setMaxTableSize(4096);
    e.setMaxTableSize(65536); // above tableSizeLimit: still 4096
    expect(toHex(e.encodeBlock([":method", "GET"]))).toBe("82");
    const big = new HpackEncoder({ tableSizeLimit: 65536 });
    big.setMaxTableSize(65536);
    expect(toHex(big.encodeBlock([":method", "GET"]))).toBe("3f e1 ff 03 82");
  });

  it("announces a table smaller than the peer allows in its first block", () => {
    const e = new HpackEncoder({ maxTableSize: 4096, tableSizeLimit: 1024 });
    expect(toHex(e.encodeBlock([":method", "GET"]))).toBe("3f e1 07 82");
    expect(e.table.maxSize).toBe(1024);
  });
});

describe("encoder: output buffer", () => {
  it("appends after what the buffer holds and grows as needed", () => {
    const e = new HpackEncoder();
    const out = new BlockBuffer(4);
    out.ensure(9);
    out.bytes.fill(0xaa, 0, 9);
    out.length = 9; // a frame header, filled in later
    const fields = ["x-long", "y".repeat(1000), ":status", "200"];
    e.encode(fields, out);
    expect(out.bytes.subarray(0, 9).every((b) => b === 0xaa)).toBe(true);
    expect(new HpackDecoder().decode(out.view().subarray(9))).toEqual(fields);
  });
});
