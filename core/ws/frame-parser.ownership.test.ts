import { describe, expect, it } from "vitest";
import { FrameParser } from "./frame-parser.ts";
import { binary, closeFrame, cont, KEY, latin1, ping, text } from "../../test/support/ws-frame-cases.ts";

describe("FrameParser: payload ownership", () => {
  const events = (sink: Uint8Array[]) => ({
    onMessage(_opcode: number, payload: Uint8Array) {
      sink.push(payload);
    },
    onPing(payload: Uint8Array) {
      sink.push(payload);
    },
    onPong() {},
    onClose() {},
  });

  it("§5.2 a message whole in one read is a view into it, unmasked in place", () => {
    const seen: Uint8Array[] = [];
    const input = Uint8Array.from([...text("view"), ...ping("pv")]);
    expect(new FrameParser(events(seen)).push(input)).toBeNull();
    expect(seen.map((p) => p.buffer === input.buffer)).toEqual([true, true]);
    expect(latin1(input.subarray(6, 10))).toBe("view");
  });

  it("§5.4 a fragmented message is a copy the caller may keep", () => {
    const seen: Uint8Array[] = []!;
    const input = Uint8Array.from([...text("a", { fin: false }), ...cont("b")]);
    new FrameParser(events(seen)).push(input);
    expect(seen[0]!.buffer === input.buffer).toBe(false);
    expect(latin1(seen[0]!)).toBe("ab");
  });

  it("a frame split across reads is copied once, into an array of its exact size", () => {
    const seen: Uint8Array[] = []!;
    const input = Uint8Array.from(binary("q".repeat(1000)));
    const parser = new FrameParser(events(seen));
    parser.push(input.subarray(0, 500));
    parser.push(input.subarray(500));
    expect(seen[0]!.length).toBe(1000);
    expect(seen[0]!.buffer.byteLength).toBe(1000);
  });

  it("a header announcing a huge frame allocates nothing until its bytes arrive", () => {
    const seen: Uint8Array[] = [];
    const parser = new FrameParser(events(seen), { maxMessageSize: 1 << 30 });
    // 512 MiB announced, 3 bytes sent.
    const head = [0x82, 0xff, 0, 0, 0, 0, 0x20, 0, 0, 0, ...KEY, 1, 2, 3];
    expect(parser.push(Uint8Array.from(head))).toBeNull();
    expect(parser.messageCapacity).toBeLessThanOrEqual(128 * 1024);
  });

  it("§5.5.1 the parser reports closed after a Close frame", () => {
    const parser = new FrameParser(events([]));
    expect(parser.closed).toBe(false);
    parser.push(Uint8Array.from(closeFrame("")));
    expect(parser.closed).toBe(true);
    expect(parser.error).toBeNull();
  });
});
