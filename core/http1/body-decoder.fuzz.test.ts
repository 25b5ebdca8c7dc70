/**
 * Property-based tests of the chunked body decoder (RFC 9112 §7.1), through the request parser
 * that drives it: valid chunked bodies (sizes in either case with leading zeros, extensions,
 * trailers) decode to the bytes sent at every split; mutated and random chunked bodies end in a
 * complete body or a 400/413, the same at every split. Settings: test/support/fuzz.ts.
 */
import { describe, expect, it } from "vitest";
import fc from "fast-check";
import { check, cuts, fieldValue, join, latin1Bytes, mutated, split, token } from "../../test/support/fuzz.ts";
import { parseRequests } from "../../test/support/http1-fuzz-run.ts";

const HEAD = latin1Bytes("POST /upload HTTP/1.1\r\nHost: h\r\nTransfer-Encoding: chunked\r\n\r\n");

const extension = fc.constantFrom("", ";a", ";a=b", " ;a=b", ";a = b", ';q="x;y\\"z"', ";a;b=c");

interface Chunked {
  bytes: Uint8Array;
  data: number[];
  trailers: string[] | null;
}

/** A valid chunked body and what it decodes to. */
const chunked: fc.Arbitrary<Chunked> = fc.record({
  chunks: fc.array(
    fc.record({
      data: fc.uint8Array({ minLength: 1, maxLength: 300 }),
      zeros: fc.integer({ min: 0, max: 3 }),
      upper: fc.boolean(),
      ext: extension,
    }),
    { maxLength: 5 },
  ),
  lastZeros: fc.integer({ min: 1, max: 3 }),
  lastExt: extension,
  trailers: fc.array(fc.tuple(token, fieldValue), { maxLength: 3 }),
}).map(({ chunks, lastZeros, lastExt, trailers }) => {
  const parts: Uint8Array[] = [];
  for (const { data, zeros, upper, ext } of chunks) {
    const size = "0".repeat(zeros) + data.length.toString(16);
    parts.push(latin1Bytes(`${upper ? size.toUpperCase() : size}${ext}\r\n`), data, latin1Bytes("\r\n"));
  }
  parts.push(latin1Bytes(`${"0".repeat(lastZeros)}${lastExt}\r\n`));
  for (const [name, value] of trailers) parts.push(latin1Bytes(`${name}: ${value}\r\n`));
  parts.push(latin1Bytes("\r\n"));
  const fields = trailers.flatMap(([name, value]) => [name.toLowerCase(), value]);
  return {
    bytes: join(parts),
    data: [...join(chunks.map((c) => c.data))],
    trailers: fields.length === 0 ? null : fields,
  };
});

describe("chunked body decoder, property-based", () => {
  it("decodes a valid chunked body to the bytes and trailers sent, at every split", () => {
    check(fc.tuple(chunked, cuts), ([body, at]) => {
      const input = join([HEAD, body.bytes]);
      const whole = parseRequests([input]);
      expect(whole.error).toBe(null);
      expect(whole.requests.length).toBe(1);
      expect(whole.requests[0]!.body).toEqual(body.data);
      expect(whole.requests[0]!.trailers).toEqual(body.trailers);
      expect(parseRequests(split(input, at))).toEqual(whole);
    }, 80);
  });

  it("ends a mutated chunked body complete or with 400/413, the same at every split", () => {
    check(fc.tuple(mutated(chunked.map((c) => c.bytes)), cuts), ([body, at]) => {
      const input = join([HEAD, body]);
      const whole = parseRequests([input], { maxBodySize: 1024 });
      if (whole.error !== null) expect([400, 413]).toContain(whole.error.status);
      expect(parseRequests(split(input, at), { maxBodySize: 1024 })).toEqual(whole);
    }, 150);
  });

  it("answers 413 once the chunk sizes add up past maxBodySize, before the data arrives", () => {
    check(fc.array(fc.integer({ min: 1, max: 0xfff }), { minLength: 1, maxLength: 6 }), (sizes) => {
      const limit = 2048;
      // Only the size lines and no data: the verdict must come from the sizes alone.
      let total = 0;
      let over = false;
      const parts = [HEAD];
      for (const size of sizes) {
        parts.push(latin1Bytes(`${size.toString(16)}\r\n`));
        total += size;
        if (total > limit) {
          over = true;
          break;
        }
        parts.push(new Uint8Array(size).fill(0x61), latin1Bytes("\r\n"));
      }
      const verdict = parseRequests([join(parts)], { maxBodySize: limit });
      expect(verdict.error?.status ?? null).toBe(over ? 413 : null);
    }, 50);
  });
});
