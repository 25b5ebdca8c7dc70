/**
 * Property-based tests of the HTTP/1.1 request parser (RFC 9112), with fast-check: random
 * bytes, mutations of valid requests and random splits. Whatever the input, the parser never
 * throws, never spins (test/support/http1-fuzz-run.ts), and ends in complete requests and/or one
 * rejection with a 4xx/5xx status; the verdict does not depend on how the bytes are split; a
 * valid request parses to exactly what was sent. Settings: test/support/fuzz.ts (`npm run fuzz`
 * for long runs).
 */
import { describe, expect, it } from "vitest";
import fc from "fast-check";
import {
  bytewise,
  check,
  cuts,
  fieldValue,
  join,
  latin1Bytes,
  mutated,
  randomBytes,
  split,
  token,
} from "../../test/support/fuzz.ts";
import { type ParsedRequest, parseRequests } from "../../test/support/http1-fuzz-run.ts";

/** Field names the generator leaves out: they frame or route the message and have rules of their own. */
const SPECIAL = new Set([
  "host",
  "content-length",
  "transfer-encoding",
  "connection",
  "expect",
  "upgrade",
  "te",
  "trailer",
]);
const fieldName = token.filter((name) => !SPECIAL.has(name.toLowerCase()));

const segment = fc.stringMatching(/^[A-Za-z0-9._~!$&'()*+,;=:@%-]{0,8}$/).map((s) => s.replace(/%/g, "%25"));
const target = fc.tuple(fc.array(segment, { maxLength: 4 }), fc.option(segment, { nil: undefined })).map((
  [segments, query],
) => "/" + segments.join("/") + (query === undefined ? "" : `?${query}`));

/** A body framing and its bytes. */
type Body =
  | { kind: "none" }
  | { kind: "length"; bytes: Uint8Array }
  | { kind: "chunked"; chunks: Uint8Array[]; ext: string[]; upper: boolean; trailers: [string, string][] };

const body: fc.Arbitrary<Body> = fc.oneof(
  fc.constant<Body>({ kind: "none" }),
  fc.uint8Array({ maxLength: 64 }).map((bytes): Body => ({ kind: "length", bytes })),
  fc.record({
    kind: fc.constant("chunked" as const),
    chunks: fc.array(fc.uint8Array({ minLength: 1, maxLength: 40 }), { maxLength: 4 }),
    ext: fc.array(fc.constantFrom("", ";a", ";a=b", ';name="v a"', " ; x=1"), { minLength: 5, maxLength: 5 }),
    upper: fc.boolean(),
    trailers: fc.array(fc.tuple(fieldName, fieldValue), { maxLength: 2 }),
  }),
);

/** A valid request, its bytes and what the parser must report for it. */
interface Generated {
  bytes: Uint8Array;
  expected: ParsedRequest;
}

const request: fc.Arbitrary<Generated> = fc.record({
  method: fc.constantFrom("GET", "POST", "PUT", "DELETE", "PATCH", "OPTIONS", "HEAD", "PROPFIND"),
  target,
  fields: fc.array(fc.tuple(fieldName, fieldValue), { maxLength: 5 }),
  ows: fc.constantFrom("", " ", "\t", "  "),
  body,
}).map(({ method, target, fields, ows, body }) => {
  const lines = [`${method} ${target} HTTP/1.1`, `Host:${ows}example.test${ows}`];
  const headers = ["host", "example.test"];
  for (const [name, value] of fields) {
    lines.push(`${name}:${ows}${value}${ows}`);
    headers.push(name.toLowerCase(), value);
  }
  const parts: Uint8Array[] = [];
  let expectedBody: Uint8Array = new Uint8Array(0);
  let trailers: string[] | null = null;
  if (body.kind === "length") {
    lines.push(`Content-Length: ${body.bytes.length}`);
    headers.push("content-length", String(body.bytes.length));
    expectedBody = body.bytes;
    parts.push(body.bytes);
  } else if (body.kind === "chunked") {
    lines.push("Transfer-Encoding: chunked");
    headers.push("transfer-encoding", "chunked");
    body.chunks.forEach((chunk, i) => {
      const size = chunk.length.toString(16);
      parts.push(
        latin1Bytes(`${body.upper ? size.toUpperCase() : size}${body.ext[i]}\r\n`),
        chunk,
        latin1Bytes("\r\n"),
      );
    });
    parts.push(latin1Bytes(`0${body.ext[4]}\r\n`));
    for (const [name, value] of body.trailers) parts.push(latin1Bytes(`${name}: ${value}\r\n`));
    parts.push(latin1Bytes("\r\n"));
    expectedBody = join(body.chunks);
    trailers = body.trailers.length === 0
      ? null
      : body.trailers.flatMap(([name, value]) => [name.toLowerCase(), value]);
  }
  const head = latin1Bytes(lines.join("\r\n") + "\r\n\r\n");
  return {
    bytes: join([head, ...parts]),
    expected: { method, target, headers, body: [...expectedBody], trailers },
  };
});

/** One to three requests on one connection (pipelined), optionally after empty lines (RFC 9112 §2.2). */
const pipeline: fc.Arbitrary<{ bytes: Uint8Array; expected: ParsedRequest[] }> = fc.tuple(
  fc.array(request, { minLength: 1, maxLength: 3 }),
  fc.constantFrom("", "\r\n"),
).map(([requests, lead]) => ({
  bytes: join([latin1Bytes(lead), ...requests.map((r) => r.bytes)]),
  expected: requests.map((r) => r.expected),
}));

describe("HTTP/1.1 request parser, property-based", () => {
  it("parses a valid pipeline to exactly what was sent, at every split", () => {
    check(fc.tuple(pipeline, cuts), ([{ bytes, expected }, at]) => {
      const whole = parseRequests([bytes]);
      expect(whole).toEqual({ requests: expected, partial: false, error: null });
      expect(parseRequests(split(bytes, at))).toEqual(whole);
    }, 120);
  });

  it("gives the same verdict a byte at a time", () => {
    check(pipeline, ({ bytes }) => {
      expect(parseRequests(bytewise(bytes))).toEqual(parseRequests([bytes]));
    }, 25);
  });

  it("answers random bytes with requests or a 4xx/5xx rejection, the same at every split", () => {
    check(fc.tuple(randomBytes, cuts), ([bytes, at]) => {
      expect(parseRequests(split(bytes, at))).toEqual(parseRequests([bytes]));
    }, 150);
  });

  it("answers mutated requests with requests or a 4xx/5xx rejection, the same at every split", () => {
    check(fc.tuple(mutated(pipeline.map((p) => p.bytes)), cuts), ([bytes, at]) => {
      expect(parseRequests(split(bytes, at))).toEqual(parseRequests([bytes]));
    }, 250);
  });

  it("keeps its verdict under tight limits", () => {
    const limits = { maxRequestLineSize: 24, maxHeaderSize: 96, maxHeaders: 3, maxBodySize: 16 };
    check(
      fc.tuple(fc.oneof(pipeline.map((p) => p.bytes), mutated(pipeline.map((p) => p.bytes))), cuts),
      ([bytes, at]) => {
        const whole = parseRequests([bytes], limits);
        if (whole.error !== null) expect([400, 413, 414, 431, 501, 505]).toContain(whole.error.status);
        expect(parseRequests(split(bytes, at), limits)).toEqual(whole);
      },
      120,
    );
  });
});
