import { describe, expect, it } from "vitest";
import { bytes, replay } from "../../test/support/replay.ts";
import { type MultipartEvent, traceMultipart } from "../../test/support/multipart-trace.ts";
import type { MultipartLimits } from "./limits.ts";
import { MultipartParser } from "./parser.ts";
import { HttpError } from "../http/http-error.ts";

const CD = "Content-Disposition: form-data; ";

interface Case {
  name: string;
  boundary?: string;
  input: string;
  limits?: MultipartLimits;
  expected: MultipartEvent[];
}

const field = (name: string) => ({ part: { name, filename: undefined, type: "text/plain" } });
const error = (status: number, code: string) => ({ error: { status, code } });

/** Valid bodies: each replayed whole, split at every offset and byte by byte. */
const VALID: Case[] = [
  {
    name: "one field (RFC 7578 §4.1)",
    input: `--b\r\n${CD}name="a"\r\n\r\nvalue\r\n--b--`,
    expected: [field("a"), { body: "value" }, { partEnd: true }, { done: true }],
  },
  {
    name: "a field and a file with its type, CRLF and epilogue after the close delimiter",
    input: `--XyZ\r\n${CD}name="title"\r\n\r\nhello\r\n--XyZ\r\n${CD}name="f"; filename="a.bin"\r\n` +
      `Content-Type: application/octet-stream\r\n\r\n\x00\x01\r\n\xff\r\n--XyZ--\r\nepilogue\r\n`,
    boundary: "XyZ",
    expected: [
      field("title"),
      { body: "hello" },
      { partEnd: true },
      { part: { name: "f", filename: "a.bin", type: "application/octet-stream" } },
      { body: "\x00\x01\r\n\xff" },
      { partEnd: true },
      { done: true },
    ],
  },
  {
    name: "a preamble is ignored, even one that looks like part of a delimiter (RFC 2046 §5.1.1)",
    input: `preamble\r\n-b\r\n--\r\n--b\r\n${CD}name="a"\r\n\r\n1\r\n--b--`,
    expected: [field("a"), { body: "1" }, { partEnd: true }, { done: true }],
  },
  {
    name: "an empty preamble line before the first delimiter",
    input: `\r\n--b\r\n${CD}name="a"\r\n\r\n1\r\n--b--`,
    expected: [field("a"), { body: "1" }, { partEnd: true }, { done: true }],
  },
  {
    name: "the boundary inside content, not after CRLF, is content",
    input: `--b\r\n${CD}name="a"\r\n\r\nx--b\r\n-b--b\n--b\r\r\n-\r\n--\r\n--c\r\n--b--`,
    expected: [field("a"), { body: "x--b\r\n-b--b\n--b\r\r\n-\r\n--\r\n--c" }, { partEnd: true }, { done: true }],
  },
  {
    name: "transport padding after a delimiter (RFC 2046 §5.1.1)",
    input: `--b \t\r\n${CD}name="a"\r\n\r\n1\r\n--b\t\r\n${CD}name="b"\r\n\r\n\r\n--b--  \r\n`,
    expected: [field("a"), { body: "1" }, { partEnd: true }, field("b"), { partEnd: true }, { done: true }],
  },
  {
    name: "empty content and a part that is only CRLFs",
    input: `--b\r\n${CD}name="e"\r\n\r\n\r\n--b\r\n${CD}name="c"\r\n\r\n\r\n\r\n\r\n--b--`,
    expected: [field("e"), { partEnd: true }, field("c"), { body: "\r\n\r\n" }, { partEnd: true }, { done: true }],
  },
  {
    name: "no parts: only the close delimiter (an empty form)",
    input: "--b--\r\n",
    expected: [{ done: true }],
  },
  {
    name: "header names are case-insensitive; unknown headers are kept, not interpreted",
    input: `--b\r\ncontent-disposition:form-data;name=tok\r\nX-Other: 1\r\nCONTENT-TYPE: text/csv\r\n\r\na,b\r\n--b--`,
    expected: [{ part: { name: "tok", filename: undefined, type: "text/csv" } }, { body: "a,b" }, { partEnd: true }, {
      done: true,
    }],
  },
  {
    name: "a boundary of 70 characters with every bchar, quoted in Content-Type",
    boundary: "'()+_,-./:=? 0123456789abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUV",
    input: "--'()+_,-./:=? 0123456789abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUV\r\n" +
      `${CD}name="a"\r\n\r\nz\r\n--'()+_,-./:=? 0123456789abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUV--`,
    expected: [field("a"), { body: "z" }, { partEnd: true }, { done: true }],
  },
  {
    name: "a header section longer than the first buffer (a 1000-byte file name)",
    input: `--b\r\n${CD}name="f"; filename="${"n".repeat(1000)}"\r\n\r\nx\r\n--b--`,
    expected: [{ part: { name: "f", filename: "n".repeat(1000), type: "text/plain" } }, { body: "x" }, {
      partEnd: true,
    }, { done: true }],
  },
  {
    name: "a prefix of the delimiter at the end of content, then the real one",
    input: `--bound\r\n${CD}name="a"\r\n\r\nx\r\n--boun\r\n--bound--`,
    boundary: "bound",
    expected: [field("a"), { body: "x\r\n--boun" }, { partEnd: true }, { done: true }],
  },
];

/** Hostile or broken bodies: each must end in its error, at every split. */
const REJECTED: Case[] = [
  {
    name: "no close delimiter (RFC 2046 §5.1.1)",
    input: `--b\r\n${CD}name="a"\r\n\r\nvalue\r\n`,
    expected: [field("a"), { body: "value" }, error(400, "MULTIPART_MALFORMED")],
  },
  {
    name: "a partial close delimiter at the end",
    input: `--b\r\n${CD}name="a"\r\n\r\nvalue\r\n--b-`,
    expected: [field("a"), { body: "value" }, { partEnd: true }, error(400, "MULTIPART_MALFORMED")],
  },
  {
    name: "no delimiter at all",
    input: "just some text, --b not at a line start",
    expected: [error(400, "MULTIPART_MALFORMED")],
  },
  {
    name: "LF-only line ends: the delimiter line does not end in CRLF",
    input: `--b\n${CD}name="a"\n\nvalue\n--b--\n`,
    expected: [error(400, "MULTIPART_MALFORMED")],
  },
  {
    name: "LF-only in the part headers",
    input: `--b\r\n${CD}name="a"\n\r\n\r\nvalue\r\n--b--`,
    expected: [error(400, "MULTIPART_INVALID_PART_HEADER")],
  },
  {
    name: "the boundary followed by other text inside content (RFC 2046 §5.1.1: it must not appear)",
    input: `--b\r\n${CD}name="a"\r\n\r\nx\r\n--bx\r\n--b--`,
    expected: [field("a"), { body: "x" }, { partEnd: true }, error(400, "MULTIPART_MALFORMED")],
  },
  {
    name: "a bare CR after the delimiter",
    input: `--b\r${CD}name="a"\r\n\r\nx\r\n--b--`,
    expected: [error(400, "MULTIPART_MALFORMED")],
  },
  {
    name: "text after transport padding",
    input: `--b  x\r\n${CD}name="a"\r\n\r\nx\r\n--b--`,
    expected: [error(400, "MULTIPART_MALFORMED")],
  },
  {
    name: "a part without Content-Disposition (RFC 7578 §4.2)",
    input: `--b\r\nContent-Type: text/plain\r\n\r\nx\r\n--b--`,
    expected: [error(400, "MULTIPART_INVALID_PART_HEADER")],
  },
  {
    name: "Content-Disposition without a name (RFC 7578 §4.2)",
    input: `--b\r\nContent-Disposition: form-data; filename="a"\r\n\r\nx\r\n--b--`,
    expected: [error(400, "MULTIPART_INVALID_PART_HEADER")],
  },
  {
    name: "a folded header line",
    input: `--b\r\n${CD}\r\n name="a"\r\n\r\nx\r\n--b--`,
    expected: [error(400, "MULTIPART_INVALID_PART_HEADER")],
  },
  {
    name: "a header section over maxHeaderSize → 413",
    input: `--b\r\n${CD}name="a"\r\nX-Pad: ${"p".repeat(200)}\r\n\r\nx\r\n--b--`,
    limits: { maxHeaderSize: 100 },
    expected: [error(413, "MULTIPART_HEADERS_TOO_LARGE")],
  },
  {
    name: "a header section that never ends, over maxHeaderSize → 413",
    input: `--b\r\n${CD}name="a"\r\nX-Pad: ${"p\r\n".repeat(100)}`,
    limits: { maxHeaderSize: 100 },
    expected: [error(413, "MULTIPART_HEADERS_TOO_LARGE")],
  },
  {
    name: "more parts than maxParts → 413",
    input: `--b\r\n${CD}name="a"\r\n\r\n1\r\n--b\r\n${CD}name="b"\r\n\r\n2\r\n--b\r\n${CD}name="c"\r\n\r\n3\r\n--b--`,
    limits: { maxParts: 2 },
    expected: [
      field("a"),
      { body: "1" },
      { partEnd: true },
      field("b"),
      { body: "2" },
      { partEnd: true },
      error(413, "MULTIPART_TOO_MANY_PARTS"),
    ],
  },
  {
    name: "a field over maxFieldSize → 413; a file of that size is fine",
    input: `--b\r\n${CD}name="f"; filename="x"\r\n\r\n12345\r\n--b\r\n${CD}name="a"\r\n\r\n12345\r\n--b--`,
    limits: { maxFieldSize: 4 },
    expected: [
      { part: { name: "f", filename: "x", type: "text/plain" } },
      { body: "12345" },
      { partEnd: true },
      field("a"),
      error(413, "MULTIPART_PART_TOO_LARGE"),
    ],
  },
  {
    name: "a file over maxFileSize → 413",
    input: `--b\r\n${CD}name="f"; filename="x"\r\n\r\n12345\r\n--b--`,
    limits: { maxFileSize: 4 },
    expected: [
      { part: { name: "f", filename: "x", type: "text/plain" } },
      error(413, "MULTIPART_PART_TOO_LARGE"),
    ],
  },
];

/** The events up to the first error: what every chunking must agree on. */
function runner(c: Case): (pieces: Uint8Array[]) => MultipartEvent[] {
  return (pieces) => traceMultipart(c.boundary ?? "b", pieces, c.limits);
}

describe("multipart parser: valid bodies at every split point", () => {
  it.each(VALID)("$name", (c) => replay(c.input, runner(c), c.expected));
});

describe("multipart parser: hostile bodies", () => {
  // A limit can trip at a different byte depending on the chunking (data is handed on as it
  // comes), so these compare the verdict and the events before it, whole and byte by byte.
  it.each(REJECTED)("$name", (c) => {
    const whole = runner(c)([bytes(c.input)]);
    expect(whole).toEqual(c.expected);
    const input = bytes(c.input);
    for (let at = 1; at < input.length; at++) {
      const split = runner(c)([input.subarray(0, at), input.subarray(at)]);
      expect(split.at(-1), `split at ${at}`).toEqual(c.expected.at(-1));
      expect(split.filter((e) => !("body" in e)), `split at ${at}`).toEqual(c.expected.filter((e) => !("body" in e)));
    }
  });
});

describe("multipart parser: limits on the whole body", () => {
  it("fails with 413 once the body passes maxTotalSize", () => {
    const input = bytes(`--b\r\n${CD}name="a"\r\n\r\n${"x".repeat(100)}\r\n--b--`);
    expect(traceMultipart("b", [input], { maxTotalSize: 50 }).at(-1)).toEqual(error(413, "BODY_TOO_LARGE"));
    expect(traceMultipart("b", [input], { maxTotalSize: input.length }).at(-1)).toEqual({ done: true });
  });

  it("keeps failing with the same error after one", () => {
    const parser = new MultipartParser("b", { part() {}, data() {}, partEnd() {} });
    const input = bytes(`--b\r\nbad\r\n\r\n`);
    let first: unknown;
    try {
      parser.push(input);
    } catch (e) {
      first = e;
    }
    expect(first).toBeInstanceOf(HttpError);
    expect(() => parser.push(input)).toThrow(first as Error);
    expect(() => parser.finish()).toThrow(first as Error);
  });

  it("streams a large part: its content arrives as views into each pushed chunk, not copies", () => {
    const chunk = new Uint8Array(64 * 1024).fill(0x61);
    let seen = 0;
    let views = 0;
    const parser = new MultipartParser("b", {
      part() {},
      data(data) {
        seen += data.length;
        if (data.buffer === chunk.buffer) views++;
      },
      partEnd() {},
    });
    parser.push(bytes(`--b\r\n${CD}name="f"; filename="big"\r\n\r\n`));
    for (let i = 0; i < 64; i++) parser.push(chunk);
    parser.push(bytes("\r\n--b--"));
    parser.finish();
    expect(seen).toBe(64 * chunk.length);
    expect(views).toBe(64);
    expect(parser.done).toBe(true);
  });
});
