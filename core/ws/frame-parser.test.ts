import { describe, expect, it } from "vitest";
import { FrameParser, type FrameParserOptions } from "./frame-parser.ts";
import { splitPoints } from "../../test/support/replay.ts";

// Bytes in → events out. Every case is replayed whole, split in two at every offset (sampled for
// long inputs), one byte at a time, and in random pieces; every replay must give the same trace,
// and that trace must match the expectation. The parser unmasks in place, so each replay gets a
// fresh copy of the input.

type Event =
  | { message: { opcode: number; data: string; compressed: boolean } }
  | { ping: string }
  | { pong: string }
  | { close: { code: number | undefined; reason: string } }
  | { error: { closeCode: number; code: string } };

interface Case {
  name: string;
  input: number[];
  options?: FrameParserOptions;
  events: Event[];
  /** The error must already be reported once this many bytes have been pushed. */
  failsBy?: number;
}

/** One char per byte. */
function latin1(b: Uint8Array): string {
  let s = "";
  for (let i = 0; i < b.length; i++) s += String.fromCharCode(b[i]!);
  return s;
}

function bytesOf(s: string): number[] {
  return Array.from(s, (c) => {
    const code = c.charCodeAt(0);
    if (code > 255) throw new Error("test payloads are latin1; encode UTF-8 first");
    return code;
  });
}

function utf8(s: string): string {
  return latin1(new TextEncoder().encode(s));
}

const KEY = [0x37, 0xfa, 0x21, 0x3d];

interface FrameSpec {
  opcode: number;
  /** latin1: one char per byte. */
  payload?: string;
  fin?: boolean;
  /** RSV bits as they sit in byte 0: 0x40 RSV1, 0x20 RSV2, 0x10 RSV3. */
  rsv?: number;
  masked?: boolean;
  /** Force a length form (7, 16 or 64 bits) regardless of the payload size. */
  form?: 7 | 16 | 64;
  key?: number[];
}

/** A client frame, masked with a naive XOR independent of mask.ts. */
function frame(spec: FrameSpec): number[] {
  const payload = bytesOf(spec.payload ?? "");
  const n = payload.length;
  const masked = spec.masked ?? true;
  const key = spec.key ?? KEY;
  const form = spec.form ?? (n < 126 ? 7 : n < 0x10000 ? 16 : 64);
  const out: number[] = [((spec.fin ?? true) ? 0x80 : 0) | (spec.rsv ?? 0) | spec.opcode];
  const maskBit = masked ? 0x80 : 0;
  if (form === 7) out.push(maskBit | n);
  else if (form === 16) out.push(maskBit | 126, n >>> 8, n & 0xff);
  else {
    const high = Math.floor(n / 2 ** 32);
    out.push(maskBit | 127, high >>> 24, (high >>> 16) & 0xff, (high >>> 8) & 0xff, high & 0xff);
    out.push(n >>> 24, (n >>> 16) & 0xff, (n >>> 8) & 0xff, n & 0xff);
  }
  if (masked) out.push(...key);
  for (let i = 0; i < n; i++) out.push(masked ? payload[i]! ^ key[i & 3]! : payload[i]!);
  return out;
}

const text = (payload: string, more: Partial<FrameSpec> = {}): number[] => frame({ opcode: 1, payload, ...more });
const binary = (payload: string, more: Partial<FrameSpec> = {}): number[] => frame({ opcode: 2, payload, ...more });
const cont = (payload: string, more: Partial<FrameSpec> = {}): number[] => frame({ opcode: 0, payload, ...more });
const ping = (payload = "", more: Partial<FrameSpec> = {}): number[] => frame({ opcode: 9, payload, ...more });
const pong = (payload = "", more: Partial<FrameSpec> = {}): number[] => frame({ opcode: 10, payload, ...more });
const closeFrame = (payload = "", more: Partial<FrameSpec> = {}): number[] => frame({ opcode: 8, payload, ...more });
/** A close body: 2-byte code then the reason (latin1). */
const closeBody = (code: number, reason = ""): string => String.fromCharCode(code >>> 8, code & 0xff) + reason;

const msg = (opcode: number, data: string, compressed = false): Event => ({ message: { opcode, data, compressed } });
const fail = (closeCode: number, code: string): Event => ({ error: { closeCode, code } });

function run(pieces: Uint8Array[], options?: FrameParserOptions): Event[] {
  const trace: Event[] = [];
  const parser = new FrameParser(
    {
      onMessage(opcode, payload, compressed) {
        trace.push(msg(opcode, latin1(payload), compressed));
      },
      onPing(payload) {
        trace.push({ ping: latin1(payload) });
      },
      onPong(payload) {
        trace.push({ pong: latin1(payload) });
      },
      onClose(code, reason) {
        trace.push({ close: { code, reason } });
      },
    },
    options,
  );
  for (const piece of pieces) {
    const error = parser.push(piece);
    if (error !== null) {
      trace.push(fail(error.closeCode, error.code));
      // A failed parser stays failed.
      expect(parser.push(new Uint8Array([0x81, 0x80, 0, 0, 0, 0]))).toBe(error);
      return trace;
    }
  }
  return trace;
}

/** A deterministic pseudo-random sequence, so failures replay. */
function prng(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (s * 1664525 + 1013904223) >>> 0;
    return s / 2 ** 32;
  };
}

function check(c: Case): void {
  const input = Uint8Array.from(c.input);
  const fresh = (): Uint8Array => input.slice();
  const whole = run([fresh()], c.options);
  expect(whole).toEqual(c.events);
  for (const at of splitPoints(input.length)) {
    const copy = fresh();
    expect(run([copy.subarray(0, at), copy.subarray(at)], c.options), `split at ${at}`).toEqual(whole);
  }
  if (input.length <= 70_000) {
    const copy = fresh();
    const single: Uint8Array[] = [];
    for (let i = 0; i < copy.length; i++) single.push(copy.subarray(i, i + 1));
    expect(run(single, c.options), "byte at a time").toEqual(whole);
  }
  const random = prng(input.length);
  for (let round = 0; round < 20; round++) {
    const copy = fresh();
    const pieces: Uint8Array[] = [];
    for (let at = 0; at < copy.length;) {
      const size = 1 + Math.floor(random() * Math.min(copy.length, 40));
      pieces.push(copy.subarray(at, at + size));
      at += size;
    }
    expect(run(pieces, c.options), `random pieces ${round}`).toEqual(whole);
  }
  if (c.failsBy !== undefined) {
    const trace = run([fresh().subarray(0, c.failsBy)], c.options);
    expect(trace[trace.length - 1], `fails by byte ${c.failsBy}`).toEqual(c.events[c.events.length - 1]);
  }
}

const HELLO_MASKED = [0x81, 0x85, 0x37, 0xfa, 0x21, 0x3d, 0x7f, 0x9f, 0x4d, 0x51, 0x58];
const A256 = "a".repeat(256);
const B65535 = "b".repeat(65535);
const C65536 = "c".repeat(65536);
const EURO = utf8("€"); // e2 82 ac
const DEFLATE = { perMessageDeflate: true };

const valid: Case[] = [
  { name: "§5.7 a single-frame masked text message", input: HELLO_MASKED, events: [msg(1, "Hello")] },
  { name: "§5.6 a binary message", input: binary("\x00\x01\xfe\xff"), events: [msg(2, "\x00\x01\xfe\xff")] },
  {
    name: "§5.2 empty text and binary messages",
    input: [...text(""), ...binary("")],
    events: [msg(1, ""), msg(2, "")],
  },
  { name: "§5.2 7-bit length 125", input: binary("x".repeat(125)), events: [msg(2, "x".repeat(125))] },
  { name: "§5.2 16-bit length 126", input: binary("y".repeat(126)), events: [msg(2, "y".repeat(126))] },
  { name: "§5.7 16-bit length 256", input: binary(A256), events: [msg(2, A256)] },
  { name: "§5.2 16-bit length 65535", input: binary(B65535), events: [msg(2, B65535)] },
  { name: "§5.7 64-bit length 65536", input: binary(C65536), events: [msg(2, C65536)] },
  {
    name: "§5.2 many frames in one read",
    input: [...text("one"), ...ping("p"), ...binary("two"), ...pong("q"), ...text("three")],
    events: [msg(1, "one"), { ping: "p" }, msg(2, "two"), { pong: "q" }, msg(1, "three")],
  },
  {
    name: "§5.4 a fragmented text message",
    input: [...text("Hel", { fin: false }), ...cont("lo")],
    events: [msg(1, "Hello")],
  },
  {
    name: "§5.4 a binary message in three fragments, the last empty",
    input: [...binary("ab", { fin: false }), ...cont("cd", { fin: false }), ...cont("")],
    events: [msg(2, "abcd")],
  },
  {
    name: "§5.4 empty fragments",
    input: [...text("", { fin: false }), ...cont("", { fin: false }), ...cont("x", { fin: false }), ...cont("")],
    events: [msg(1, "x")],
  },
  {
    name: "§5.4 a message of empty fragments only",
    input: [...binary("", { fin: false }), ...cont("")],
    events: [msg(2, "")],
  },
  {
    name: "§5.4 control frames interleaved between fragments",
    input: [
      ...text("a", { fin: false }),
      ...ping("1"),
      ...cont("b", { fin: false }),
      ...pong("2"),
      ...ping(""),
      ...cont("c"),
    ],
    events: [{ ping: "1" }, { pong: "2" }, { ping: "" }, msg(1, "abc")],
  },
  {
    name: "§5.4 fragments of 64 KiB each",
    input: [...binary(C65536, { fin: false }), ...cont(B65535)],
    events: [msg(2, C65536 + B65535)],
  },
  {
    name: "§8.1 a character split across fragments",
    input: [
      ...text("a" + EURO.slice(0, 1), { fin: false }),
      ...cont(EURO.slice(1, 2), { fin: false }),
      ...cont(EURO.slice(2) + "b"),
    ],
    events: [msg(1, "a" + EURO + "b")],
  },
  {
    name: "§8.1 multi-byte UTF-8 of every length",
    input: text(utf8("κόσμε ∑ 𝄞 \u{10ffff} \u{7f} \u{80}")),
    events: [msg(1, utf8("κόσμε ∑ 𝄞 \u{10ffff} \u{7f} \u{80}"))],
  },
  { name: "§5.5.2 a ping with a payload", input: ping("Hello"), events: [{ ping: "Hello" }] },
  { name: "§5.5.2 a ping of 125 bytes", input: ping("z".repeat(125)), events: [{ ping: "z".repeat(125) }] },
  { name: "§5.5.3 an unsolicited pong", input: pong("x"), events: [{ pong: "x" }] },
  {
    name: "§5.5.1 a close without a body",
    input: closeFrame(""),
    events: [{ close: { code: undefined, reason: "" } }],
  },
  {
    name: "§5.5.1 a close with a code",
    input: closeFrame(closeBody(1000)),
    events: [{ close: { code: 1000, reason: "" } }],
  },
  {
    name: "§5.5.1 a close with a UTF-8 reason",
    input: closeFrame(closeBody(1001, utf8("bye ∑"))),
    events: [{ close: { code: 1001, reason: "bye ∑" } }],
  },
  {
    name: "§5.5.1 a close reason of 123 bytes",
    input: closeFrame(closeBody(4000, "r".repeat(123))),
    events: [{ close: { code: 4000, reason: "r".repeat(123) } }],
  },
  ...[1000, 1001, 1002, 1003, 1007, 1008, 1009, 1010, 1011, 1012, 1013, 1014, 3000, 3999, 4000, 4999].map(
    (code): Case => ({
      name: `§7.4 close code ${code} is valid`,
      input: closeFrame(closeBody(code)),
      events: [{ close: { code, reason: "" } }],
    }),
  ),
  {
    name: "§5.5.1 bytes after a close are ignored, even garbage",
    input: [...text("a"), ...closeFrame(closeBody(1000)), ...text("b"), 0xff, 0xff, 0x00],
    events: [msg(1, "a"), { close: { code: 1000, reason: "" } }],
  },
  {
    name: "§5.5.1 a close between fragments ends parsing",
    input: [...text("a", { fin: false }), ...closeFrame(""), ...cont("b")],
    events: [{ close: { code: undefined, reason: "" } }],
  },
  {
    name: "§5.3 any masking key, including zero",
    input: [...text("zero", { key: [0, 0, 0, 0] }), ...text("ones", { key: [0xff, 0xff, 0xff, 0xff] })],
    events: [msg(1, "zero"), msg(1, "ones")],
  },
  {
    name: "RFC 7692 §6 RSV1 on the first frame with permessage-deflate: delivered compressed",
    input: [...text("\xf2\x48\xcd\xc9\xc9\x07\x00", { rsv: 0x40 }), ...binary("raw")],
    options: DEFLATE,
    events: [msg(1, "\xf2\x48\xcd\xc9\xc9\x07\x00", true), msg(2, "raw")],
  },
  {
    name: "RFC 7692 §6.1 a compressed fragmented message: RSV1 on the first frame only",
    input: [...text("\xf2\x48", { rsv: 0x40, fin: false }), ...ping("p"), ...cont("\xcd\xc9\xc9\x07\x00")],
    options: DEFLATE,
    events: [{ ping: "p" }, msg(1, "\xf2\x48\xcd\xc9\xc9\x07\x00", true)],
  },
  {
    name: "§8.1 a compressed text message is not checked as UTF-8 before inflating",
    input: text("\xff\xfe", { rsv: 0x40 }),
    options: DEFLATE,
    events: [msg(1, "\xff\xfe", true)],
  },
  {
    name: "§5.2 a non-minimal 16-bit length, allowed by the lenient flag",
    input: binary("abc", { form: 16 }),
    options: { allowNonMinimalLength: true },
    events: [msg(2, "abc")],
  },
  {
    name: "§5.2 a non-minimal 64-bit length, allowed by the lenient flag",
    input: binary("abc", { form: 64 }),
    options: { allowNonMinimalLength: true },
    events: [msg(2, "abc")],
  },
  {
    name: "max message size: exactly the limit passes",
    input: [...binary("12345", { fin: false }), ...cont("67890")],
    options: { maxMessageSize: 10 },
    events: [msg(2, "1234567890")],
  },
  {
    name: "max message size: control frames do not count",
    input: [...binary("12345", { fin: false }), ...ping("x".repeat(100)), ...cont("67890")],
    options: { maxMessageSize: 10 },
    events: [{ ping: "x".repeat(100) }, msg(2, "1234567890")],
  },
];

const P = 1002;
const invalid: Case[] = [
  {
    name: "§5.1 an unmasked client frame",
    input: text("hi", { masked: false }),
    events: [fail(P, "UNMASKED_FRAME")],
    failsBy: 2,
  },
  {
    name: "§5.1 an unmasked control frame",
    input: ping("", { masked: false }),
    events: [fail(P, "UNMASKED_FRAME")],
  },
  {
    name: "§5.2 RSV1 without a negotiated extension",
    input: text("a", { rsv: 0x40 }),
    events: [fail(P, "RSV_SET")],
    failsBy: 2,
  },
  { name: "§5.2 RSV2 set", input: text("a", { rsv: 0x20 }), events: [fail(P, "RSV_SET")] },
  { name: "§5.2 RSV3 set", input: binary("a", { rsv: 0x10 }), events: [fail(P, "RSV_SET")] },
  {
    name: "§5.2 RSV2 set even with permessage-deflate",
    input: text("a", { rsv: 0x20 }),
    options: DEFLATE,
    events: [fail(P, "RSV_SET")],
  },
  {
    name: "RFC 7692 §6.1 RSV1 on a continuation frame",
    input: [...text("a", { fin: false, rsv: 0x40 }), ...cont("b", { rsv: 0x40 })],
    options: DEFLATE,
    events: [fail(P, "RSV_SET")],
  },
  {
    name: "RFC 7692 §6.1 RSV1 on a control frame",
    input: ping("a", { rsv: 0x40 }),
    options: DEFLATE,
    events: [fail(P, "RSV_SET")],
  },
  ...[3, 4, 5, 6, 7, 0xb, 0xc, 0xd, 0xe, 0xf].map(
    (opcode): Case => ({
      name: `§5.2 reserved opcode 0x${opcode.toString(16)}`,
      input: [...text("ok"), ...frame({ opcode, payload: "x" })],
      events: [msg(1, "ok"), fail(P, "RESERVED_OPCODE")],
    }),
  ),
  {
    name: "§5.4 a continuation without a message to continue",
    input: cont("x"),
    events: [fail(P, "UNEXPECTED_CONTINUATION")],
  },
  {
    name: "§5.4 a continuation after a finished message",
    input: [...text("a"), ...cont("b")],
    events: [msg(1, "a"), fail(P, "UNEXPECTED_CONTINUATION")],
  },
  {
    name: "§5.4 a new text frame while a fragmented message is in progress",
    input: [...text("a", { fin: false }), ...text("b")],
    events: [fail(P, "EXPECTED_CONTINUATION")],
  },
  {
    name: "§5.4 a new binary frame while a fragmented message is in progress",
    input: [...binary("a", { fin: false }), ...ping(""), ...binary("b", { fin: false })],
    events: [{ ping: "" }, fail(P, "EXPECTED_CONTINUATION")],
  },
  { name: "§5.5 a fragmented ping", input: ping("a", { fin: false }), events: [fail(P, "FRAGMENTED_CONTROL")] },
  { name: "§5.5 a fragmented close", input: closeFrame("", { fin: false }), events: [fail(P, "FRAGMENTED_CONTROL")] },
  {
    name: "§5.5 a ping of 126 bytes (16-bit length)",
    input: ping("z".repeat(126)),
    events: [fail(P, "CONTROL_TOO_LONG")],
    failsBy: 2,
  },
  {
    name: "§5.5 a pong announcing a 64-bit length",
    input: [0x8a, 0xff, 0, 0, 0, 0, 0, 0, 0, 1],
    events: [fail(P, "CONTROL_TOO_LONG")],
    failsBy: 2,
  },
  {
    name: "§5.5 a close of 126 bytes",
    input: closeFrame(closeBody(1000, "r".repeat(124))),
    events: [fail(P, "CONTROL_TOO_LONG")],
  },
  {
    name: "§5.2 a 64-bit length with the most significant bit set",
    input: [0x82, 0xff, 0x80, 0, 0, 0, 0, 0, 0, 1, ...KEY, 0],
    events: [fail(P, "LENGTH_MSB_SET")],
    failsBy: 10,
  },
  {
    name: "§5.2 a 7-bit length sent in the 16-bit form",
    input: binary("abc", { form: 16 }),
    events: [fail(P, "NON_MINIMAL_LENGTH")],
    failsBy: 4,
  },
  {
    name: "§5.2 a 16-bit length sent in the 64-bit form",
    input: binary("d".repeat(300), { form: 64 }),
    events: [fail(P, "NON_MINIMAL_LENGTH")],
    failsBy: 10,
  },
  {
    name: "§5.5.1 a close body of 1 byte",
    input: closeFrame("\x03"),
    events: [fail(P, "INVALID_CLOSE_LENGTH")],
  },
  ...[0, 1, 999, 1004, 1005, 1006, 1015, 1016, 1100, 2000, 2999, 5000, 65535].map(
    (code): Case => ({
      name: `§7.4 close code ${code} is invalid`,
      input: closeFrame(closeBody(code, "x")),
      events: [fail(P, "INVALID_CLOSE_CODE")],
    }),
  ),
  {
    name: "§5.5.1/§8.1 a close reason that is not UTF-8",
    input: closeFrame(closeBody(1000, "ok\xce\xba\xed\xa0\x80")),
    events: [fail(1007, "INVALID_UTF8")],
  },
  {
    name: "§5.5.1/§8.1 a close reason truncated mid-character",
    input: closeFrame(closeBody(1000, "\xe2\x82")),
    events: [fail(1007, "INVALID_UTF8")],
  },
  {
    name: "§8.1 invalid UTF-8 in a single-frame text message",
    input: text("abc\xc0\xafdef"),
    events: [fail(1007, "INVALID_UTF8")],
  },
  {
    name: "§8.1 fail fast: an invalid byte in the first fragment fails before the rest arrives",
    input: [...text("ok\xf8", { fin: false }), ...cont("more")],
    events: [fail(1007, "INVALID_UTF8")],
    failsBy: 2 + 4 + 3,
  },
  {
    name: "§8.1 fail fast: a surrogate fails mid-frame, at its second byte",
    input: text("ab\xed\xa0\x80" + "x".repeat(200)),
    events: [fail(1007, "INVALID_UTF8")],
    failsBy: 4 + 4 + 4,
  },
  {
    name: "§8.1 fail fast: above U+10FFFF fails at the second byte",
    input: text("\xf4\x90\x80\x80"),
    events: [fail(1007, "INVALID_UTF8")],
    failsBy: 2 + 4 + 2,
  },
  {
    name: "§8.1 a message ending mid-character",
    input: [...text("a\xe2", { fin: false }), ...cont("\x82")],
    events: [fail(1007, "INVALID_UTF8")],
  },
  {
    name: "§8.1 a message ending mid-character in an empty final fragment",
    input: [...text("a\xf0\x9f", { fin: false }), ...cont("")],
    events: [fail(1007, "INVALID_UTF8")],
  },
  {
    name: "§8.1 the validator starts fresh after a valid message",
    input: [...text(EURO), ...text("\x82\xac")],
    events: [msg(1, EURO), fail(1007, "INVALID_UTF8")],
  },
  {
    name: "max message size: one frame over the limit fails at its header",
    input: binary("x".repeat(11)),
    options: { maxMessageSize: 10 },
    events: [fail(1009, "MESSAGE_TOO_BIG")],
    failsBy: 2,
  },
  {
    name: "max message size: fragments adding up past the limit fail at the header of the last",
    input: [...binary("12345", { fin: false }), ...cont("678901")],
    options: { maxMessageSize: 10 },
    events: [fail(1009, "MESSAGE_TOO_BIG")],
    failsBy: 11 + 2,
  },
  {
    name: "max message size: a 64-bit header for 1 GiB fails before any payload",
    input: [0x82, 0xff, 0, 0, 0, 0, 0x40, 0, 0, 0],
    events: [fail(1009, "MESSAGE_TOO_BIG")],
    failsBy: 10,
  },
  {
    name: "§5.2 a length beyond 2^53 - 1 is too big",
    input: [0x82, 0xff, 0x00, 0x20, 0, 0, 0, 0, 0, 0],
    options: { maxMessageSize: Number.POSITIVE_INFINITY },
    events: [fail(1009, "MESSAGE_TOO_BIG")],
    failsBy: 10,
  },
];

describe("FrameParser: valid input (RFC 6455 §5)", () => {
  for (const c of valid) it(c.name, () => check(c));
});

describe("FrameParser: failures and their close codes (RFC 6455 §5, §7.4, §8.1)", () => {
  for (const c of invalid) it(c.name, () => check(c));
});

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
    const assembler = (parser as unknown as { assembler: { buffer: Uint8Array } }).assembler;
    expect(assembler.buffer.length).toBeLessThanOrEqual(128 * 1024);
  });

  it("§5.5.1 the parser reports closed after a Close frame", () => {
    const parser = new FrameParser(events([]));
    expect(parser.closed).toBe(false);
    parser.push(Uint8Array.from(closeFrame("")));
    expect(parser.closed).toBe(true);
    expect(parser.error).toBeNull();
  });
});
