import { describe, expect, it } from "vitest";
import { ByteSink } from "../bytes/byte-sink.ts";
import {
  appendFrame,
  appendTextFrame,
  encodeCloseFrame,
  encodeFrame,
  encodePingFrame,
  encodePongFrame,
  encodeTextFrame,
  frameHeaderSize,
  truncateUtf8,
  writeFrameHeader,
} from "./frame-writer.ts";
import { FrameParser } from "./frame-parser.ts";

const hex = (b: Uint8Array): string => Array.from(b, (x) => x.toString(16).padStart(2, "0")).join(" ");
const ascii = (s: string): Uint8Array => new TextEncoder().encode(s);

describe("frame encoding (RFC 6455 §5.2, §5.7 examples)", () => {
  const table: [string, () => Uint8Array, string][] = [
    ["§5.7 a single-frame unmasked text message", () => encodeTextFrame("Hello"), "81 05 48 65 6c 6c 6f"],
    ["§5.7 first fragment of a text message", () => encodeFrame(0x1, ascii("Hel"), false), "01 03 48 65 6c"],
    ["§5.7 last fragment of a text message", () => encodeFrame(0x0, ascii("lo"), true), "80 02 6c 6f"],
    ["§5.7 an unmasked ping", () => encodePingFrame(ascii("Hello")), "89 05 48 65 6c 6c 6f"],
    ["§5.7 an unmasked pong", () => encodePongFrame(ascii("Hello")), "8a 05 48 65 6c 6c 6f"],
    ["§5.5.2 an empty ping", () => encodePingFrame(), "89 00"],
    ["§5.2 an empty text message", () => encodeTextFrame(""), "81 00"],
    [
      "RFC 7692 §7.2.3.1 RSV1 marks a compressed message",
      () => encodeFrame(0x1, Uint8Array.of(0xf2, 0x48, 0xcd, 0xc9, 0xc9, 0x07, 0x00), true, true),
      "c1 07 f2 48 cd c9 c9 07 00",
    ],
    ["§5.5.1 a close without a body", () => encodeCloseFrame(), "88 00"],
    ["§5.5.1 a close with a code", () => encodeCloseFrame(1000), "88 02 03 e8"],
    ["§5.5.1 a close with a code and a reason", () => encodeCloseFrame(1001, "bye"), "88 05 03 e9 62 79 65"],
    ["§5.6 UTF-8 text", () => encodeTextFrame("€𝄞"), "81 07 e2 82 ac f0 9d 84 9e"],
    ["§5.6 a lone surrogate becomes U+FFFD", () => encodeTextFrame("a\ud800"), "81 04 61 ef bf bd"],
  ];
  for (const [name, make, expected] of table) it(name, () => expect(hex(make())).toBe(expected));

  it("§5.7 256 bytes use the 16-bit length", () => {
    const frame = encodeFrame(0x2, new Uint8Array(256));
    expect(hex(frame.subarray(0, 4))).toBe("82 7e 01 00");
    expect(frame.length).toBe(260);
  });

  it("§5.7 64 KiB use the 64-bit length", () => {
    const frame = encodeFrame(0x2, new Uint8Array(65536));
    expect(hex(frame.subarray(0, 10))).toBe("82 7f 00 00 00 00 00 01 00 00");
    expect(frame.length).toBe(65546);
  });

  it("§5.2 minimal length encodings at every boundary", () => {
    const table: [number, number, string][] = [
      [0, 2, "82 00"],
      [125, 2, "82 7d"],
      [126, 4, "82 7e 00 7e"],
      [65535, 4, "82 7e ff ff"],
      [65536, 10, "82 7f 00 00 00 00 00 01 00 00"],
      [2 ** 32 + 5, 10, "82 7f 00 00 00 01 00 00 00 05"],
      [2 ** 53 - 1, 10, "82 7f 00 1f ff ff ff ff ff ff"],
    ];
    for (const [length, size, expected] of table) {
      expect(frameHeaderSize(length)).toBe(size);
      const target = new Uint8Array(12);
      expect(writeFrameHeader(target, 1, 0x2, length)).toBe(1 + size);
      expect(hex(target.subarray(1, 1 + size))).toBe(expected);
    }
  });

  it("§5.6 text lengths count UTF-8 bytes, across the 7/16-bit boundary", () => {
    const text = "é".repeat(63); // 126 bytes
    const frame = encodeTextFrame(text);
    expect(hex(frame.subarray(0, 4))).toBe("81 7e 00 7e");
    expect(new TextDecoder().decode(frame.subarray(4))).toBe(text);
  });

  it("§5.6 text encoded into a sink matches TextEncoder at every length class, ASCII or not", () => {
    const reference = (text: string): Uint8Array => {
      const payload = new TextEncoder().encode(text);
      const out = new Uint8Array(frameHeaderSize(payload.length) + payload.length);
      out.set(payload, writeFrameHeader(out, 0, 0x1, payload.length));
      return out;
    };
    const texts = ["", "a", "Hello, world!", "x".repeat(64), "x".repeat(65), "x".repeat(125), "x".repeat(126)];
    for (const units of [41, 42, 63, 64, 65, 100, 125, 126, 21845, 21846, 30000, 65535, 65536, 70000]) {
      texts.push("é".repeat(units), "€".repeat(units), "a".repeat(units - 1) + "€");
    }
    // Surrogate pairs, lone surrogates (U+FFFD, 3 bytes), non-ASCII after an ASCII run.
    texts.push("𝄞".repeat(40), "a\ud800", "\udc00b", "ab\ud83d", "abc€def", "x".repeat(63) + "é");
    const sink = new ByteSink();
    const expected = new ByteSink();
    sink.writeLatin1("pre");
    expected.writeLatin1("pre");
    const same = (a: Uint8Array, b: Uint8Array): boolean => a.length === b.length && a.every((x, i) => x === b[i]);
    for (const text of texts) {
      const want = reference(text);
      expect(same(encodeTextFrame(text), want), `${text.length} units: ${text.slice(0, 8)}`).toBe(true);
      appendTextFrame(sink, text);
      expected.writeBytes(want);
    }
    appendTextFrame(sink, "frag", false);
    appendFrame(sink, 0x2, Uint8Array.of(1, 2, 3), true, true);
    expected.writeBytes(Uint8Array.of(0x01, 4, 0x66, 0x72, 0x61, 0x67, 0xc2, 3, 1, 2, 3));
    expect(same(sink.take(), expected.take())).toBe(true);
  });

  it("§5.5 control payloads over 125 bytes throw", () => {
    expect(() => encodePingFrame(new Uint8Array(126))).toThrow(RangeError);
    expect(() => encodePongFrame(new Uint8Array(126))).toThrow(RangeError);
    expect(encodePingFrame(new Uint8Array(125))).toHaveLength(127);
  });

  it("§7.4 codes that may not be sent throw", () => {
    for (const code of [0, 999, 1004, 1005, 1006, 1015, 1016, 2999, 5000]) {
      expect(() => encodeCloseFrame(code), `code ${code}`).toThrow(RangeError);
    }
    expect(hex(encodeCloseFrame(4999))).toBe("88 02 13 87");
  });

  it("§5.5.1 a long reason is cut to 123 bytes on a character boundary", () => {
    const two = encodeCloseFrame(1000, "é".repeat(100)); // 200 bytes → 122
    expect(two[1]).toBe(2 + 122);
    expect(new TextDecoder("utf-8", { fatal: true }).decode(two.subarray(4))).toBe("é".repeat(61));
    const three = encodeCloseFrame(1000, "a" + "€".repeat(50)); // 1 + 40 × 3 = 121
    expect(three[1]).toBe(2 + 121);
    const four = encodeCloseFrame(1000, "𝄞".repeat(40)); // 30 × 4 = 120
    expect(four[1]).toBe(2 + 120);
    const exact = encodeCloseFrame(1000, "r".repeat(123));
    expect(exact[1]).toBe(125);
    expect(truncateUtf8("abc", 2)).toEqual(ascii("ab"));
  });
});

describe("encoded frames parse back (masked as a client would)", () => {
  /** Turns a server frame into a client frame: MASK bit, key after the length, payload XORed. */
  function maskFrame(frame: Uint8Array, key: number[]): Uint8Array {
    const length7 = frame[1]! & 0x7f;
    const headerSize = length7 === 127 ? 10 : length7 === 126 ? 4 : 2;
    const out = new Uint8Array(frame.length + 4);
    out.set(frame.subarray(0, headerSize));
    out[1]! |= 0x80;
    out.set(key, headerSize);
    for (let i = headerSize; i < frame.length; i++) out[i + 4] = frame[i]! ^ key[(i - headerSize) & 3]!;
    return out;
  }

  it("text and binary of every length class round-trip", () => {
    for (const length of [0, 1, 125, 126, 127, 65535, 65536, 100_000]) {
      const payload = Uint8Array.from({ length }, (_, i) => (i * 7) & 0x7f);
      const got: [number, Uint8Array][] = [];
      const parser = new FrameParser({
        onMessage: (opcode, data) => got.push([opcode, data.slice()]),
        onPing() {},
        onPong() {},
        onClose() {},
      });
      const text = encodeTextFrame(new TextDecoder().decode(payload));
      const bin = encodeFrame(0x2, payload);
      expect(parser.push(maskFrame(text, [1, 2, 3, 4]))).toBeNull();
      expect(parser.push(maskFrame(bin, [0xff, 0, 0x80, 0x7f]))).toBeNull();
      expect(got.map(([op]) => op)).toEqual([1, 2]);
      expect(got[0]![1]).toEqual(payload);
      expect(got[1]![1]).toEqual(payload);
    }
  });

  it("close frames round-trip with their code and reason", () => {
    let seen: [number | undefined, string] | undefined;
    const parser = new FrameParser({
      onMessage() {},
      onPing() {},
      onPong() {},
      onClose: (code, reason) => (seen = [code, reason]),
    });
    expect(parser.push(maskFrame(encodeCloseFrame(3001, "é".repeat(100)), [9, 8, 7, 6]))).toBeNull();
    expect(seen).toEqual([3001, "é".repeat(61)]);
  });
});
