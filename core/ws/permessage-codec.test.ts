import { describe, expect, it } from "vitest";
import { PerMessageCodec } from "./permessage-codec.ts";
import type { DeflateProvider, RawDeflater, RawInflater } from "./deflate-provider.ts";
import type { PerMessageDeflateParams } from "./permessage-deflate.ts";
import { WsError } from "./ws-error.ts";

// A provider that speaks real DEFLATE, restricted to stored (uncompressed) blocks (RFC 1951
// §3.2.4): enough to check the RFC 7692 §7.2 framing rules byte for byte, with no zlib in core.

interface Log {
  created: string[];
  resets: string[];
  closed: string[];
  inflateInputs: number[][];
}

function storedProvider(log: Log, broken = false): DeflateProvider {
  return {
    createDeflate(windowBits: number, _level?: number, contextTakeover?: boolean): RawDeflater {
      log.created.push(`deflate ${windowBits}${contextTakeover === false ? " fresh" : ""}`);
      return {
        deflate(data) {
          const out: number[] = [];
          if (data.length > 0) {
            // BFINAL 0, BTYPE 00, then LEN and NLEN little-endian, then the bytes.
            out.push(
              0x00,
              data.length & 0xff,
              data.length >>> 8,
              ~data.length & 0xff,
              (~data.length >>> 8) & 0xff,
              ...data,
            );
          }
          if (!broken) out.push(0x00, 0x00, 0x00, 0xff, 0xff); // sync flush: an empty stored block
          return Uint8Array.from(out);
        },
        reset: () => log.resets.push("deflate"),
        close: () => log.closed.push("deflate"),
      };
    },
    createInflate(windowBits: number, contextTakeover?: boolean): RawInflater {
      log.created.push(`inflate ${windowBits}${contextTakeover === false ? " fresh" : ""}`);
      let pending: number[] = [];
      return {
        inflate(data, maxOutput) {
          log.inflateInputs.push(Array.from(data));
          // One call is one message without its sync-flush tail: what is left over is padding.
          pending = Array.from(data);
          const out: number[] = [];
          for (;;) {
            if (pending.length < 5) break;
            if ((pending[0]! & 0x06) !== 0) throw new Error("only stored blocks");
            const len = pending[1]! | (pending[2]! << 8);
            const nlen = pending[3]! | (pending[4]! << 8);
            if ((len ^ 0xffff) !== nlen) throw new Error("invalid stored block length");
            if (pending.length < 5 + len) break;
            out.push(...pending.slice(5, 5 + len));
            if (out.length > maxOutput) return null;
            pending = pending.slice(5 + len);
          }
          return Uint8Array.from(out);
        },
        reset() {
          log.resets.push("inflate");
          pending = [];
        },
        close: () => log.closed.push("inflate"),
      };
    },
  };
}

const PARAMS: PerMessageDeflateParams = {
  serverNoContextTakeover: false,
  clientNoContextTakeover: false,
  serverMaxWindowBits: 12,
  clientMaxWindowBits: 10,
};
const newLog = (): Log => ({ created: [], resets: [], closed: [], inflateInputs: [] });
const ascii = (s: string): Uint8Array => new TextEncoder().encode(s);
const hex = (b: Uint8Array): string => Array.from(b, (x) => x.toString(16).padStart(2, "0")).join(" ");
/** RFC 7692 §7.2.3.4: "Hello" in a stored block, as sent (trailer removed). */
const HELLO_STORED = Uint8Array.from([0x00, 0x05, 0x00, 0xfa, 0xff, 0x48, 0x65, 0x6c, 0x6c, 0x6f, 0x00]);

function wsError(fn: () => unknown): WsError {
  try {
    fn();
  } catch (error) {
    expect(error).toBeInstanceOf(WsError);
    return error as WsError;
  }
  throw new Error("expected a WsError");
}

describe("PerMessageCodec (RFC 7692 §7.2)", () => {
  it("§7.2.1 compressing removes the trailing 00 00 ff ff (the §7.2.3.4 bytes)", () => {
    const log = newLog();
    const codec = new PerMessageCodec(storedProvider(log), PARAMS);
    expect(hex(codec.compress(ascii("Hello")))).toBe(hex(HELLO_STORED));
    expect(log.created).toEqual(["deflate 12"]);
  });

  it("§7.2.3.6 an empty message compresses to a single 00", () => {
    const codec = new PerMessageCodec(storedProvider(newLog()), PARAMS);
    expect(hex(codec.compress(new Uint8Array(0)))).toBe("00");
  });

  it("§7.2.1 a provider that does not sync-flush is an error", () => {
    const codec = new PerMessageCodec(storedProvider(newLog(), true), PARAMS);
    expect(() => codec.compress(ascii("x"))).toThrow(/sync flush/);
  });

  it("§7.2.2 decompressing hands the payload as received (tail removed) to the provider in one call", () => {
    const log = newLog();
    const codec = new PerMessageCodec(storedProvider(log), PARAMS);
    expect(new TextDecoder().decode(codec.decompress(HELLO_STORED, 100, true))).toBe("Hello");
    expect(log.created).toEqual(["inflate 10"]);
    expect(log.inflateInputs).toEqual([Array.from(HELLO_STORED)]);
  });

  it("§7.2.3.6 the single byte 00 decompresses to an empty message", () => {
    const codec = new PerMessageCodec(storedProvider(newLog()), PARAMS);
    expect(codec.decompress(Uint8Array.of(0x00), 100, true)).toHaveLength(0);
  });

  it("round trip over several messages", () => {
    const codec = new PerMessageCodec(storedProvider(newLog()), PARAMS);
    for (const text of ["a", "", "κόσμε", "x".repeat(5000)]) {
      const back = codec.decompress(codec.compress(ascii(text)), 1 << 20, true);
      expect(new TextDecoder().decode(back)).toBe(text);
    }
  });

  it("§7.1.1 with context takeover nothing is reset", () => {
    const log = newLog();
    const codec = new PerMessageCodec(storedProvider(log), PARAMS);
    codec.compress(ascii("a"));
    codec.decompress(HELLO_STORED, 100, false);
    expect(log.resets).toEqual([]);
  });

  it("§7.1.1.1/§7.1.1.2 without context takeover each side resets after every message", () => {
    const log = newLog();
    const codec = new PerMessageCodec(storedProvider(log), {
      ...PARAMS,
      serverNoContextTakeover: true,
      clientNoContextTakeover: true,
    });
    codec.compress(ascii("a"));
    codec.compress(ascii("b"));
    codec.decompress(HELLO_STORED, 100, false);
    expect(log.resets).toEqual(["deflate", "deflate", "inflate"]);
    // The provider is told, so it need keep no window (and may end messages with BFINAL).
    expect(log.created).toEqual(["deflate 12 fresh", "inflate 10 fresh"]);
  });

  it("a decompression bomb fails with 1009 and drops the decompressor", () => {
    const log = newLog();
    const codec = new PerMessageCodec(storedProvider(log), PARAMS);
    const error = wsError(() => codec.decompress(HELLO_STORED, 4, false));
    expect(error.closeCode).toBe(1009);
    expect(log.closed).toEqual(["inflate"]);
    // Exactly the limit passes.
    expect(codec.decompress(HELLO_STORED, 5, false)).toHaveLength(5);
  });

  it("§8.1 a compressed text message is validated as UTF-8 after inflating (1007)", () => {
    const codec = new PerMessageCodec(storedProvider(newLog()), PARAMS);
    const bad = codec.compress(Uint8Array.of(0x61, 0xed, 0xa0, 0x80));
    expect(wsError(() => codec.decompress(bad, 100, true)).closeCode).toBe(1007);
    expect(codec.decompress(bad, 100, false)).toHaveLength(4); // binary: no such rule
  });

  it("corrupt compressed data fails with 1007", () => {
    const codec = new PerMessageCodec(storedProvider(newLog()), PARAMS);
    const error = wsError(() => codec.decompress(Uint8Array.of(0x00, 0x05, 0x00, 0x00, 0x00), 100, false));
    expect(error.closeCode).toBe(1007);
    expect(error.code).toBe("INFLATE_FAILED");
  });

  it("close releases both directions", () => {
    const log = newLog();
    const codec = new PerMessageCodec(storedProvider(log), PARAMS);
    codec.compress(ascii("a"));
    codec.decompress(HELLO_STORED, 100, false);
    codec.close();
    expect(log.closed.sort()).toEqual(["deflate", "inflate"]);
  });
});
