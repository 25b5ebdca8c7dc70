/**
 * Property-based tests of the WebSocket frame parser (RFC 6455 §5), with fast-check: valid
 * client frame sequences (fragmented messages, control frames between fragments, a closing
 * handshake, every length form) parse to what was sent at every split; random bytes and
 * mutations end in messages and/or one failure with a close code (1002, 1007, 1009), the same at
 * every split, and the parser never throws. Settings: test/support/fuzz.ts.
 */
import { describe, expect, it } from "vitest";
import fc from "fast-check";
import { FrameParser, type FrameParserOptions } from "./frame-parser.ts";
import { WsError } from "./ws-error.ts";
import { check, cuts, join, mutated, randomBytes, split, utf8Bytes } from "../../test/support/fuzz.ts";

/** Payloads as latin1 strings (one char per byte): cheap to compare and to print. */
type Event =
  | { message: [number, string] }
  | { ping: string }
  | { pong: string }
  | { close: [number | undefined, string] }
  | { error: [number, string] };

function latin1(bytes: Uint8Array): string {
  let out = "";
  for (let i = 0; i < bytes.length; i += 4096) {
    out += String.fromCharCode(...bytes.subarray(i, i + 4096));
  }
  return out;
}

/** Push `pieces` (copied: the parser unmasks in place) and trace what comes out. */
function run(pieces: readonly Uint8Array[], options?: FrameParserOptions): Event[] {
  const trace: Event[] = [];
  const parser = new FrameParser({
    onMessage: (opcode, payload) => void trace.push({ message: [opcode, latin1(payload)] }),
    onPing: (payload) => void trace.push({ ping: latin1(payload) }),
    onPong: (payload) => void trace.push({ pong: latin1(payload) }),
    onClose: (code, reason) => void trace.push({ close: [code, reason] }),
  }, options);
  for (const piece of pieces) {
    const error = parser.push(piece.slice());
    if (error !== null) {
      if (!(error instanceof WsError) || ![1002, 1007, 1009].includes(error.closeCode)) {
        throw new Error(`unexpected failure ${String(error)}`);
      }
      trace.push({ error: [error.closeCode, error.code] });
      if (parser.push(Uint8Array.of(0x81, 0x80, 0, 0, 0, 0)) !== error) throw new Error("a failed parser came back");
      return trace;
    }
  }
  return trace;
}

/** A client frame: FIN, opcode, masked with `key`, the length in its shortest form. */
function frame(fin: boolean, opcode: number, payload: Uint8Array, key: Uint8Array): Uint8Array {
  const n = payload.length;
  const head = [(fin ? 0x80 : 0) | opcode];
  if (n < 126) head.push(0x80 | n);
  else if (n < 0x10000) head.push(0x80 | 126, n >>> 8, n & 0xff);
  else head.push(0x80 | 127, 0, 0, 0, 0, n >>> 24, (n >>> 16) & 0xff, (n >>> 8) & 0xff, n & 0xff);
  const masked = payload.map((byte, i) => byte ^ key[i & 3]!);
  return join([Uint8Array.from(head), key, masked]);
}

const key = fc.uint8Array({ minLength: 4, maxLength: 4 });
const control = fc.record({
  opcode: fc.constantFrom(9, 10),
  payload: fc.uint8Array({ maxLength: 125 }),
  key,
});
/** Where a message is cut into fragments, as fractions of its length. */
const fragments = fc.array(fc.double({ min: 0, max: 1, noNaN: true }), { maxLength: 3 });

const messageOf = (big: boolean) =>
  fc.record({
    text: fc.boolean(),
    // Every length form: 7-bit, 16-bit, and now and then 64-bit (RFC 6455 §5.2).
    data: fc.oneof(
      { arbitrary: fc.string({ unit: "grapheme", maxLength: 40 }).map(utf8Bytes), weight: 10 },
      { arbitrary: fc.uint8Array({ maxLength: 300 }), weight: 10 },
      {
        arbitrary: fc.integer({ min: 65536, max: 65600 }).map((n) => new Uint8Array(n).fill(0x61)),
        weight: big ? 1 : 0,
      },
    ),
    fragments,
    controls: fc.array(control, { maxLength: 2 }),
    key,
  });

const strictUtf8 = new TextDecoder("utf-8", { fatal: true, ignoreBOM: true });

function isUtf8(bytes: Uint8Array): boolean {
  try {
    strictUtf8.decode(bytes);
    return true;
  } catch {
    return false;
  }
}

interface Stream {
  bytes: Uint8Array;
  events: Event[];
}

/** Messages (each maybe fragmented, with control frames between its fragments), then maybe a Close. */
const streamOf = (big: boolean): fc.Arbitrary<Stream> =>
  fc.record({
    messages: fc.array(messageOf(big), { maxLength: 3 }),
    close: fc.option(
      fc.record({
        code: fc.constantFrom(1000, 1001, 1003, 1011, 3000, 4999),
        reason: fc.string({ maxLength: 20 }),
        key,
      }),
      { nil: undefined },
    ),
  }).map(({ messages, close }) => {
    const frames: Uint8Array[] = [];
    const events: Event[] = [];
    for (const m of messages) {
      // Text only when the bytes are UTF-8 (the grapheme strings are); binary for anything.
      const opcode = m.text && isUtf8(m.data) ? 1 : 2;
      const pieces = split(m.data, m.fragments);
      // Control frames go between the first two fragments (RFC 6455 §5.4), or before an unfragmented message.
      const at = pieces.length > 1 ? 1 : 0;
      pieces.forEach((piece, i) => {
        if (i === at) {
          for (const c of m.controls) {
            frames.push(frame(true, c.opcode, c.payload, c.key));
            events.push(c.opcode === 9 ? { ping: latin1(c.payload) } : { pong: latin1(c.payload) });
          }
        }
        frames.push(frame(i === pieces.length - 1, i === 0 ? opcode : 0, piece, m.key));
      });
      events.push({ message: [opcode, latin1(m.data)] });
    }
    if (close !== undefined) {
      const reason = utf8Bytes(close.reason).subarray(0, 100);
      const text = new TextDecoder().decode(reason);
      const body = join([Uint8Array.of(close.code >>> 8, close.code & 0xff), utf8Bytes(text)]);
      frames.push(frame(true, 8, body, close.key));
      events.push({ close: [close.code, text] });
    }
    return { bytes: join(frames), events };
  });

describe("WebSocket frame parser, property-based", () => {
  it("parses valid client frames to what was sent, at every split", () => {
    check(fc.tuple(streamOf(true), cuts), ([{ bytes, events }, at]) => {
      const whole = run([bytes]);
      expect(whole).toEqual(events);
      expect(run(split(bytes, at))).toEqual(whole);
    }, 40);
  });

  it("answers random bytes with events or a close code, the same at every split", () => {
    check(fc.tuple(randomBytes, cuts), ([bytes, at]) => {
      expect(run(split(bytes, at))).toEqual(run([bytes]));
    }, 150);
  });

  it("answers mutated frames with events or a close code, the same at every split", () => {
    const options = { maxMessageSize: 1000 };
    check(fc.tuple(mutated(streamOf(false).map((s) => s.bytes)), cuts), ([bytes, at]) => {
      expect(run(split(bytes, at), options)).toEqual(run([bytes], options));
    }, 120);
  });
});
