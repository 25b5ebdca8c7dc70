/**
 * Shared harness of the FrameParser tests (frame-parser.*.test.ts): frame builders, the event
 * trace runner and the replay check, and the inputs several cases share.
 * @module
 */
import { expect } from "vitest";
import { FrameParser, type FrameParserOptions } from "../../core/ws/frame-parser.ts";
import { splitPoints } from "./replay.ts";

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

export interface Case {
  name: string;
  input: number[];
  options?: FrameParserOptions;
  events: Event[];
  /** The error must already be reported once this many bytes have been pushed. */
  failsBy?: number;
}

/** One char per byte. */
export function latin1(b: Uint8Array): string {
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

export function utf8(s: string): string {
  return latin1(new TextEncoder().encode(s));
}

export const KEY = [0x37, 0xfa, 0x21, 0x3d];

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
export function frame(spec: FrameSpec): number[] {
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

export const text = (payload: string, more: Partial<FrameSpec> = {}): number[] =>
  frame({ opcode: 1, payload, ...more });
export const binary = (payload: string, more: Partial<FrameSpec> = {}): number[] =>
  frame({ opcode: 2, payload, ...more });
export const cont = (payload: string, more: Partial<FrameSpec> = {}): number[] =>
  frame({ opcode: 0, payload, ...more });
export const ping = (payload = "", more: Partial<FrameSpec> = {}): number[] => frame({ opcode: 9, payload, ...more });
export const pong = (payload = "", more: Partial<FrameSpec> = {}): number[] => frame({ opcode: 10, payload, ...more });
export const closeFrame = (payload = "", more: Partial<FrameSpec> = {}): number[] =>
  frame({ opcode: 8, payload, ...more });
/** A close body: 2-byte code then the reason (latin1). */
export const closeBody = (code: number, reason = ""): string => String.fromCharCode(code >>> 8, code & 0xff) + reason;

export const msg = (opcode: number, data: string, compressed = false): Event => ({
  message: { opcode, data, compressed },
});
export const fail = (closeCode: number, code: string): Event => ({ error: { closeCode, code } });

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

export function check(c: Case): void {
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

export const HELLO_MASKED = [0x81, 0x85, 0x37, 0xfa, 0x21, 0x3d, 0x7f, 0x9f, 0x4d, 0x51, 0x58];
export const A256 = "a".repeat(256);
export const B65535 = "b".repeat(65535);
export const C65536 = "c".repeat(65536);
export const EURO = utf8("€"); // e2 82 ac
export const DEFLATE = { perMessageDeflate: true };
