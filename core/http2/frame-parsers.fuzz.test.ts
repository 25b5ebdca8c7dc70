/**
 * Property-based tests of the HTTP/2 frame parsers (RFC 9113 §4.1, §6), with fast-check: any
 * frame header and payload either parses to content bounds inside its payload or throws the
 * codec's own {@link ConnectionError} or {@link StreamError} with an HTTP/2 error code — nothing
 * else. The connection-level properties (frames split across reads, HPACK blocks across
 * CONTINUATION) are in core/session/http2/frame-reader.fuzz.test.ts. Settings: test/support/fuzz.ts.
 */
import { describe, expect, it } from "vitest";
import fc from "fast-check";
import { ConnectionError, ErrorCode, StreamError } from "./errors.ts";
import { newFrame, readFrameHeader } from "./frame-header.ts";
import { parseFrame } from "./frame-parsers.ts";
import { FLAG_PADDED, FRAME_DATA, FRAME_HEADER_LENGTH } from "./frame-types.ts";
import { check, join, randomBytes } from "../../test/support/fuzz.ts";

const CODES = new Set<number>(Object.values(ErrorCode));

/** Parse the frames of `bytes` one after another, as the frame reader would; the outcome of each. */
function parseAll(bytes: Uint8Array): string[] {
  const outcomes: string[] = [];
  const f = newFrame();
  let at = 0;
  while (bytes.length - at >= FRAME_HEADER_LENGTH) {
    readFrameHeader(bytes, at, f);
    const p = at + FRAME_HEADER_LENGTH;
    if (bytes.length - p < f.length) break;
    try {
      parseFrame(f, bytes, p);
      // Content lies inside the payload; a DATA frame's padding is within its length (§6.1).
      if (!(p <= f.start && f.start <= f.end && f.end <= p + f.length)) {
        throw new Error(`content ${f.start}..${f.end} outside payload ${p}..${p + f.length}`);
      }
      if (f.type === FRAME_DATA && (f.flags & FLAG_PADDED) !== 0 && f.padding > f.length) {
        throw new Error(`padding ${f.padding} over length ${f.length}`);
      }
      outcomes.push(f.deferred === null ? "ok" : `deferred ${f.deferred.code}`);
    } catch (error) {
      if (error instanceof ConnectionError || error instanceof StreamError) {
        if (!CODES.has(error.code)) throw new Error(`unknown error code ${error.code}`);
        outcomes.push(`${error.name} ${error.code}`);
      } else throw error;
    }
    at = p + f.length;
  }
  return outcomes;
}

/** A frame of any type (known and extension), any flags, a small stream id and a payload. */
const anyFrame = fc.record({
  type: fc.integer({ min: 0, max: 12 }),
  flags: fc.integer({ min: 0, max: 255 }),
  streamId: fc.oneof(fc.integer({ min: 0, max: 5 }), fc.integer({ min: 0, max: 0x7fffffff })),
  reserved: fc.boolean(),
  payload: fc.uint8Array({ maxLength: 48 }),
}).map(({ type, flags, streamId, reserved, payload }) => {
  const n = payload.length;
  const head = Uint8Array.of(
    n >>> 16,
    (n >>> 8) & 0xff,
    n & 0xff,
    type,
    flags,
    ((streamId >>> 24) & 0x7f) | (reserved ? 0x80 : 0),
    (streamId >>> 16) & 0xff,
    (streamId >>> 8) & 0xff,
    streamId & 0xff,
  );
  return join([head, payload]);
});

describe("HTTP/2 frame parsers, property-based", () => {
  it("parse any frame or throw a ConnectionError/StreamError with an HTTP/2 error code", () => {
    check(fc.array(anyFrame, { minLength: 1, maxLength: 8 }), (frames) => {
      expect(parseAll(join(frames)).length).toBe(frames.length);
    }, 400);
  });

  it("parse random bytes as frames without any other exception", () => {
    check(randomBytes, (bytes) => void parseAll(bytes), 200);
  });
});
