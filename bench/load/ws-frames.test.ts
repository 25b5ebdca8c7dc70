import { describe, expect, it } from "vitest";
import {
  buildFramePool,
  type ClientFrameEvents,
  ClientFrameReader,
  clientFrameSize,
  encodeClientFrame,
} from "./ws-frames.ts";
import { FrameParser } from "../../core/ws/frame-parser.ts";
import {
  encodeCloseFrame,
  encodeFrame,
  encodePingFrame,
  encodePongFrame,
  encodeTextFrame,
} from "../../core/ws/frame-writer.ts";
import { OPCODE_BINARY, OPCODE_CONTINUATION, OPCODE_PING, OPCODE_TEXT } from "../../core/ws/opcodes.ts";
import type { WsError } from "../../core/ws/ws-error.ts";

const utf8 = new TextEncoder();
const bytes = (...parts: (number[] | Uint8Array)[]): Uint8Array => {
  const out: number[] = [];
  for (const p of parts) out.push(...p);
  return new Uint8Array(out);
};
const payloadOf = (n: number): Uint8Array => Uint8Array.from({ length: n }, (_, i) => (i * 7 + 3) & 0xff);

/** What the core's server-side parser sees in client frames. */
function serverParse(
  wire: Uint8Array,
): { messages: [number, Uint8Array][]; pings: Uint8Array[]; error: WsError | null } {
  const messages: [number, Uint8Array][] = [];
  const pings: Uint8Array[] = [];
  const parser = new FrameParser({
    onMessage: (opcode, payload) => void messages.push([opcode, payload.slice()]),
    onPing: (p) => void pings.push(p.slice()),
    onPong: () => {},
    onClose: () => {},
  });
  const error = parser.push(wire.slice()); // the parser unmasks in place: keep the original
  return { messages, pings, error };
}

describe("encodeClientFrame", () => {
  it("masks: the core's server parser reads back the payload, the wire does not show it", () => {
    for (const n of [0, 1, 13, 125, 126, 4096, 65535, 65536, 70_000]) {
      const payload = payloadOf(n);
      const frame = encodeClientFrame(OPCODE_BINARY, payload);
      expect(frame.length).toBe(clientFrameSize(n));
      expect(frame[1]! & 0x80).toBe(0x80); // MASK
      const r = serverParse(frame);
      expect(r.error).toBeNull();
      expect(r.messages).toHaveLength(1);
      expect(r.messages[0]![0]).toBe(OPCODE_BINARY);
      expect(r.messages[0]![1]).toEqual(payload);
      expect(payload).toEqual(payloadOf(n)); // the caller's payload is untouched
    }
  });

  it("uses the given key (RFC 6455 §5.7: a masked 'Hello')", () => {
    const frame = encodeClientFrame(OPCODE_TEXT, utf8.encode("Hello"), new Uint8Array([0x37, 0xfa, 0x21, 0x3d]));
    expect([...frame]).toEqual([0x81, 0x85, 0x37, 0xfa, 0x21, 0x3d, 0x7f, 0x9f, 0x4d, 0x51, 0x58]);
  });

  it("sets RSV1 and clears FIN when asked", () => {
    const frame = encodeClientFrame(OPCODE_TEXT, utf8.encode("x"), undefined, false, true);
    expect(frame[0]).toBe(0x40 | OPCODE_TEXT);
  });

  it("gives every frame a fresh key", () => {
    const keys = new Set<string>();
    for (let i = 0; i < 50; i++) keys.add(encodeClientFrame(OPCODE_TEXT, utf8.encode("x")).subarray(2, 6).join(","));
    expect(keys.size).toBeGreaterThan(45);
  });
});

describe("buildFramePool", () => {
  it("lays out distinct masked frames, then the first window-1 again, so any run is one view", () => {
    const payload = utf8.encode("Hello, World!");
    const pool = buildFramePool(OPCODE_TEXT, payload, 8, 4);
    expect(pool.frameSize).toBe(2 + 4 + 13);
    expect(pool.bytes.length).toBe((8 + 3) * pool.frameSize);
    const frame = (i: number) => pool.bytes.subarray(i * pool.frameSize, (i + 1) * pool.frameSize);
    for (let i = 8; i < 11; i++) expect(frame(i)).toEqual(frame(i - 8));
    const keys = new Set(Array.from({ length: 8 }, (_, i) => frame(i).subarray(2, 6).join(",")));
    expect(keys.size).toBeGreaterThan(6);
    // A run of 4 frames starting at the last distinct one wraps around in one contiguous view.
    const run = pool.bytes.subarray(7 * pool.frameSize, 11 * pool.frameSize);
    const r = serverParse(run);
    expect(r.error).toBeNull();
    expect(r.messages.map(([op, p]) => [op, new TextDecoder().decode(p)])).toEqual(
      Array(4).fill([OPCODE_TEXT, "Hello, World!"]),
    );
  });

  it("marks compressed payloads with RSV1", () => {
    const pool = buildFramePool(OPCODE_BINARY, new Uint8Array([1, 2]), 2, 1, true);
    expect(pool.bytes[0]).toBe(0x80 | 0x40 | OPCODE_BINARY);
  });
});

// ─── ClientFrameReader ────────────────────────────────────────────────────────────────────────

type Event = [string, ...unknown[]];

/** Feed `wire` in pieces cut at `cuts`; collect events (message data joined per message). */
function read(wire: Uint8Array, cuts: number[] = [], deflate = false): { events: Event[]; error: WsError | null } {
  const events: Event[] = [];
  let data: number[] = [];
  const handlers: ClientFrameEvents = {
    onMessageStart: (opcode, compressed) => {
      data = [];
      events.push(["start", opcode, compressed]);
    },
    onMessageData: (piece) => void data.push(...piece),
    onMessageEnd: () => void events.push(["message", new Uint8Array(data)]),
    onPing: (p) => void events.push(["ping", p.slice()]),
    onPong: (p) => void events.push(["pong", p.slice()]),
    onClose: (code, reason) => void events.push(["close", code, reason]),
  };
  const reader = new ClientFrameReader(handlers, { perMessageDeflate: deflate });
  let error: WsError | null = null;
  let at = 0;
  for (const cut of [...cuts, wire.length]) {
    error = reader.push(wire.subarray(at, cut));
    at = cut;
    if (error !== null) break;
  }
  return { events, error };
}

describe("ClientFrameReader", () => {
  const text = encodeTextFrame("Hello, World!");
  const binary = encodeFrame(OPCODE_BINARY, payloadOf(4096));
  const big = encodeFrame(OPCODE_BINARY, payloadOf(70_000));
  const empty = encodeFrame(OPCODE_TEXT, new Uint8Array(0));
  const ping = encodePingFrame(utf8.encode("are you there"));
  const close = encodeCloseFrame(1001, "bye");
  const wire = bytes(text, binary, empty, ping, big, encodePongFrame(), close);
  const expected: Event[] = [
    ["start", OPCODE_TEXT, false],
    ["message", utf8.encode("Hello, World!")],
    ["start", OPCODE_BINARY, false],
    ["message", payloadOf(4096)],
    ["start", OPCODE_TEXT, false],
    ["message", new Uint8Array(0)],
    ["ping", utf8.encode("are you there")],
    ["start", OPCODE_BINARY, false],
    ["message", payloadOf(70_000)],
    ["pong", new Uint8Array(0)],
    ["close", 1001, "bye"],
  ];

  it("reads many frames from one chunk: 7-, 16- and 64-bit lengths, empty, control, close", () => {
    const r = read(wire);
    expect(r.error).toBeNull();
    expect(r.events).toEqual(expected);
  });

  it("reads the same with the bytes split at every position of the small frames", () => {
    const small = bytes(text, empty, ping, encodeFrame(OPCODE_BINARY, payloadOf(300)), close);
    const want = read(small).events;
    for (let cut = 1; cut < small.length; cut++) {
      const r = read(small, [cut]);
      expect(r.error, `cut at ${cut}`).toBeNull();
      expect(r.events, `cut at ${cut}`).toEqual(want);
    }
  });

  it("reads the same one byte at a time", () => {
    const cuts = Array.from({ length: wire.length - 1 }, (_, i) => i + 1);
    const r = read(wire, cuts);
    expect(r.error).toBeNull();
    expect(r.events).toEqual(expected);
  });

  it("hands out payload pieces as views into the input, without copying", () => {
    const pieces: Uint8Array[] = [];
    const reader = new ClientFrameReader({
      onMessageStart() {},
      onMessageData: (p) => void pieces.push(p),
      onMessageEnd() {},
      onPing() {},
      onPong() {},
      onClose() {},
    });
    const chunk = bytes(binary);
    expect(reader.push(chunk)).toBeNull();
    expect(pieces).toHaveLength(1);
    expect(pieces[0]!.buffer).toBe(chunk.buffer);
    expect(pieces[0]!.byteOffset).toBe(4);
  });

  it("joins a fragmented message, with a ping between its fragments", () => {
    const wire2 = bytes(
      encodeFrame(OPCODE_TEXT, utf8.encode("Hel"), false),
      encodePingFrame(utf8.encode("p")),
      encodeFrame(OPCODE_CONTINUATION, utf8.encode("lo, "), false),
      encodeFrame(OPCODE_CONTINUATION, new Uint8Array(0), false),
      encodeFrame(OPCODE_CONTINUATION, utf8.encode("World!"), true),
      text,
    );
    const r = read(wire2, [5, 9]);
    expect(r.error).toBeNull();
    expect(r.events).toEqual([
      ["start", OPCODE_TEXT, false],
      ["ping", utf8.encode("p")],
      ["message", utf8.encode("Hello, World!")],
      ["start", OPCODE_TEXT, false],
      ["message", utf8.encode("Hello, World!")],
    ]);
  });

  it("reports RSV1 on a message's first frame when permessage-deflate was agreed", () => {
    const r = read(encodeFrame(OPCODE_BINARY, new Uint8Array([0]), true, true), [], true);
    expect(r.error).toBeNull();
    expect(r.events[0]).toEqual(["start", OPCODE_BINARY, true]);
  });

  it("reports a Close without a body as code undefined and ignores what follows", () => {
    const r = read(bytes(encodeCloseFrame(), text));
    expect(r.error).toBeNull();
    expect(r.events).toEqual([["close", undefined, ""]]);
  });

  const bad: [string, Uint8Array, string][] = [
    ["a masked frame (§5.1)", encodeClientFrame(OPCODE_TEXT, utf8.encode("hi")), "MASKED_FRAME"],
    ["RSV2 set", bytes([0x80 | 0x20 | 1, 0]), "RSV_SET"],
    ["RSV3 set", bytes([0x80 | 0x10 | 2, 0]), "RSV_SET"],
    ["RSV1 without an extension", bytes([0x80 | 0x40 | 1, 0]), "RSV_SET"],
    ["RSV1 on a control frame", bytes([0x80 | 0x40 | OPCODE_PING, 0]), "RSV_SET"],
    ["RSV1 on a continuation", bytes([0x01, 1, 0x61, 0x40, 0]), "RSV_SET"],
    ["reserved opcode 0x3", bytes([0x83, 0]), "RESERVED_OPCODE"],
    ["reserved opcode 0xb", bytes([0x8b, 0]), "RESERVED_OPCODE"],
    ["a fragmented ping", bytes([OPCODE_PING, 0]), "FRAGMENTED_CONTROL"],
    ["a control frame of 126 bytes", bytes([0x89, 126, 0, 126], new Uint8Array(126)), "CONTROL_TOO_LONG"],
    ["a continuation without a message", bytes([0x80, 1, 0x61]), "UNEXPECTED_CONTINUATION"],
    ["a new message inside a fragmented one", bytes([0x01, 1, 0x61, 0x81, 1, 0x62]), "EXPECTED_CONTINUATION"],
    ["a 16-bit length below 126", bytes([0x82, 126, 0, 125], new Uint8Array(125)), "NON_MINIMAL_LENGTH"],
    ["a 64-bit length below 65536", bytes([0x82, 127, 0, 0, 0, 0, 0, 0, 0xff, 0xff]), "NON_MINIMAL_LENGTH"],
    ["a 64-bit length with the MSB set", bytes([0x82, 127, 0x80, 0, 0, 0, 0, 0, 0, 0]), "LENGTH_MSB_SET"],
    ["a Close body of one byte", bytes([0x88, 1, 3]), "INVALID_CLOSE_LENGTH"],
  ];
  for (const [name, frame, code] of bad) {
    it(`fails on ${name}: 1002 ${code}, whole or split`, () => {
      for (const cuts of [[], [1], [2]]) {
        const r = read(bytes(frame), cuts.filter((c) => c < frame.length));
        expect(r.error?.code).toBe(code);
        expect(r.error?.closeCode).toBe(1002);
      }
    });
  }

  it("repeats its error on every later push", () => {
    const reader = new ClientFrameReader({
      onMessageStart() {},
      onMessageData() {},
      onMessageEnd() {},
      onPing() {},
      onPong() {},
      onClose() {},
    });
    const first = reader.push(bytes([0x83, 0]));
    expect(first?.code).toBe("RESERVED_OPCODE");
    expect(reader.push(text)).toBe(first);
    expect(reader.error).toBe(first);
  });
});
