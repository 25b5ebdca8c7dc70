import { describe, it } from "vitest";
import { type Case, check, H, reject } from "../../test/support/request-parser-cases.ts";

const invalid: Case[] = [
  // ── line endings ──
  {
    name: "bare LF ending the request line (RFC 9112 §2.2)",
    input: "GET / HTTP/1.1\nHost: h\r\n\r\n",
    events: reject(400, "BARE_LF"),
  },
  {
    name: "bare LF ending a field line (RFC 9112 §2.2)",
    input: "GET / HTTP/1.1\r\nHost: h\nX: y\r\n\r\n",
    events: reject(400, "BARE_LF"),
  },
  {
    name: "bare LF ending the head (RFC 9112 §2.2)",
    input: "GET / HTTP/1.1\r\nHost: h\r\n\n",
    events: reject(400, "BARE_LF"),
  },
  {
    name: "bare LF before the request line (RFC 9112 §2.2)",
    input: "\nGET / HTTP/1.1\r\nHost: h\r\n\r\n",
    events: reject(400, "BARE_LF"),
  },
  {
    name: "bare CR before the request line (RFC 9112 §2.2)",
    input: "\rGET / HTTP/1.1\r\nHost: h\r\n\r\n",
    events: reject(400, "BARE_CR"),
  },
  {
    name: "bare CR in the request line (RFC 9112 §2.2)",
    input: "GET /\r HTTP/1.1\r\nHost: h\r\n\r\n",
    events: reject(400, "BARE_CR"),
  },
  {
    name: "bare CR before CRLF of the request line (RFC 9112 §2.2)",
    input: "GET / HTTP/1.1\r\r\nHost: h\r\n\r\n",
    events: reject(400, "BARE_CR"),
  },
  {
    name: "bare CR in a field value (RFC 9112 §2.2)",
    input: "GET / HTTP/1.1\r\nHost: h\r\nX: a\rb\r\n\r\n",
    events: reject(400, "BARE_CR"),
  },
  {
    name: "bare CR in a field name (RFC 9112 §2.2)",
    input: "GET / HTTP/1.1\r\nHost: h\r\nX\r: a\r\n\r\n",
    events: reject(400, "BARE_CR"),
  },
  {
    name: "bare LF in a chunk size line (RFC 9112 §7.1)",
    input: `POST / HTTP/1.1\r\n${H}Transfer-Encoding: chunked\r\n\r\n5\nhello\r\n0\r\n\r\n`,
    events: [{ head: {} }, { error: { status: 400, code: "BARE_LF" } }],
  },
  {
    name: "bare LF in a chunk extension (RFC 9112 §7.1)",
    input: `POST / HTTP/1.1\r\n${H}Transfer-Encoding: chunked\r\n\r\n5;a=b\nhello\r\n0\r\n\r\n`,
    events: [{ head: {} }, { error: { status: 400, code: "BARE_LF" } }],
  },
  {
    name: "bare CR in a chunk size line (RFC 9112 §7.1)",
    input: `POST / HTTP/1.1\r\n${H}Transfer-Encoding: chunked\r\n\r\n5\rhello\r\n0\r\n\r\n`,
    events: [{ head: {} }, { error: { status: 400, code: "BARE_CR" } }],
  },
  {
    name: "bare LF in the trailer section (RFC 9112 §7.1.2)",
    input: `POST / HTTP/1.1\r\n${H}Transfer-Encoding: chunked\r\n\r\n0\r\nX: y\n\r\n`,
    events: [{ head: {} }, { error: { status: 400, code: "BARE_LF" } }],
  },

  // ── field lines ──
  {
    name: "space before colon (RFC 9112 §5.1)",
    input: "GET / HTTP/1.1\r\nHost : h\r\n\r\n",
    events: reject(400, "SPACE_BEFORE_COLON"),
  },
  {
    name: "tab before colon (RFC 9112 §5.1)",
    input: "GET / HTTP/1.1\r\nHost: h\r\nX-A\t: 1\r\n\r\n",
    events: reject(400, "SPACE_BEFORE_COLON"),
  },
  {
    name: "space before colon in Transfer-Encoding (RFC 9112 §5.1, smuggling)",
    input: `POST / HTTP/1.1\r\n${H}Transfer-Encoding : chunked\r\nContent-Length: 3\r\n\r\nabc`,
    events: reject(400, "SPACE_BEFORE_COLON"),
  },
  {
    name: "obs-fold with SP (RFC 9112 §5.2)",
    input: "GET / HTTP/1.1\r\nHost: h\r\nX: a\r\n b\r\n\r\n",
    events: reject(400, "OBS_FOLD"),
  },
  {
    name: "obs-fold with HTAB (RFC 9112 §5.2)",
    input: "GET / HTTP/1.1\r\nHost: h\r\nX: a\r\n\tb\r\n\r\n",
    events: reject(400, "OBS_FOLD"),
  },
  {
    name: "first field line starts with SP (RFC 9112 §2.2)",
    input: "GET / HTTP/1.1\r\n Host: h\r\n\r\n",
    events: reject(400, "OBS_FOLD"),
  },
  {
    name: "NUL in a field value (RFC 9110 §5.5)",
    input: "GET / HTTP/1.1\r\nHost: h\r\nX: a\x00b\r\n\r\n",
    events: reject(400, "INVALID_HEADER_VALUE"),
  },
  {
    name: "NUL at the end of a field value (RFC 9110 §5.5)",
    input: "GET / HTTP/1.1\r\nHost: h\r\nX: ab\x00\r\n\r\n",
    events: reject(400, "INVALID_HEADER_VALUE"),
  },
  {
    name: "CTL 0x01 in a field value (RFC 9110 §5.5)",
    input: "GET / HTTP/1.1\r\nHost: h\r\nX: \x01\r\n\r\n",
    events: reject(400, "INVALID_HEADER_VALUE"),
  },
  {
    name: "DEL in a field value (RFC 9110 §5.5)",
    input: "GET / HTTP/1.1\r\nHost: h\r\nX: a\x7f\r\n\r\n",
    events: reject(400, "INVALID_HEADER_VALUE"),
  },
  {
    name: "separator in a field name (RFC 9110 §5.1)",
    input: "GET / HTTP/1.1\r\nHost: h\r\nX(y): 1\r\n\r\n",
    events: reject(400, "INVALID_HEADER_NAME"),
  },
  {
    name: "quote in a field name (RFC 9110 §5.1)",
    input: 'GET / HTTP/1.1\r\nHost: h\r\n"x": 1\r\n\r\n',
    events: reject(400, "INVALID_HEADER_NAME"),
  },
  {
    name: "non-ASCII in a field name (RFC 9110 §5.1)",
    input: "GET / HTTP/1.1\r\nHost: h\r\nX\xe9: 1\r\n\r\n",
    events: reject(400, "INVALID_HEADER_NAME"),
  },
  {
    name: "space inside a field name (RFC 9110 §5.1)",
    input: "GET / HTTP/1.1\r\nHost: h\r\nX Y: 1\r\n\r\n",
    events: reject(400, "INVALID_HEADER_NAME"),
  },
  {
    name: "empty field name (RFC 9110 §5.1)",
    input: "GET / HTTP/1.1\r\nHost: h\r\n: 1\r\n\r\n",
    events: reject(400, "INVALID_HEADER_NAME"),
  },
  {
    name: "field line without colon (RFC 9112 §5)",
    input: "GET / HTTP/1.1\r\nHost: h\r\nNoColon\r\n\r\n",
    events: reject(400, "INVALID_HEADER"),
  },

  // ── limits ──
  {
    name: "request line over maxRequestLineSize → 414 (RFC 9112 §3)",
    input: "GET /aaaaaaaaaaaaaaaaaaaaaaaa HTTP/1.1\r\nHost: h\r\n\r\n",
    limits: { maxRequestLineSize: 16 },
    events: reject(414, "REQUEST_LINE_TOO_LONG"),
  },
  {
    name: "request line one over maxRequestLineSize → 414 (RFC 9112 §3)",
    input: "GET /123456 HTTP/1.1\r\nHost: h\r\n\r\n",
    limits: { maxRequestLineSize: 19 },
    events: reject(414, "REQUEST_LINE_TOO_LONG"),
  },
  {
    name: "unterminated request line over the limit → 414 (RFC 9112 §3)",
    input: "GET /" + "a".repeat(100),
    limits: { maxRequestLineSize: 32 },
    events: reject(414, "REQUEST_LINE_TOO_LONG"),
  },
  // Regressions (found by request-parser.fuzz.test.ts): a head that arrived whole was judged by
  // its first bad line end even when that lay past a limit; split, the limit failed first.
  {
    name: "bare LF past maxHeaderSize → 431, as when the bytes come one at a time (RFC 6585 §5)",
    input: "GET / HTTP/1.1\r\nHost: h\r\nX: " + "v".repeat(40) + "\n\r\n",
    limits: { maxHeaderSize: 48 },
    events: reject(431, "HEADERS_TOO_LARGE"),
  },
  {
    name: "request line over maxRequestLineSize ending in a bare LF → 414 (RFC 9112 §3)",
    input: "GET /" + "a".repeat(30) + " HTTP/1.1\nHost: h\r\n\r\n",
    limits: { maxRequestLineSize: 20 },
    events: reject(414, "REQUEST_LINE_TOO_LONG"),
  },
  {
    name: "header section over maxHeaderSize → 431 (RFC 6585 §5)",
    input: "GET / HTTP/1.1\r\nHost: h\r\nX: " + "v".repeat(100) + "\r\n\r\n",
    limits: { maxHeaderSize: 64 },
    events: reject(431, "HEADERS_TOO_LARGE"),
  },
  {
    name: "header section one over maxHeaderSize → 431 (RFC 6585 §5)",
    input: "GET /12345 HTTP/1.1\r\nHost: abc\r\nA: xyz\r\n\r\n",
    limits: { maxHeaderSize: 41 },
    events: reject(431, "HEADERS_TOO_LARGE"),
  },
  {
    name: "more fields than maxHeaders → 431 (RFC 6585 §5)",
    input: "GET / HTTP/1.1\r\nHost: h\r\nA: 1\r\nB: 2\r\n\r\n",
    limits: { maxHeaders: 2 },
    events: reject(431, "TOO_MANY_HEADERS"),
  },
  {
    name: "trailer section over maxHeaderSize → 431 (RFC 9112 §7.1.2)",
    input: `POST / HTTP/1.1\r\n${H}Transfer-Encoding: chunked\r\n\r\n0\r\nX: ${"t".repeat(100)}\r\n\r\n`,
    limits: { maxHeaderSize: 80 },
    events: [{ head: {} }, { error: { status: 431, code: "TRAILERS_TOO_LARGE" } }],
  },
  {
    name: "more trailers than maxHeaders → 431 (RFC 9112 §7.1.2)",
    input: `POST / HTTP/1.1\r\n${H}Transfer-Encoding: chunked\r\n\r\n0\r\nA: 1\r\nB: 2\r\nC: 3\r\n\r\n`,
    limits: { maxHeaders: 2 },
    events: [{ head: {} }, { error: { status: 431, code: "TOO_MANY_TRAILERS" } }],
  },
  {
    name: "Content-Length over maxBodySize → 413 (RFC 9110 §15.5.14)",
    input: `POST / HTTP/1.1\r\n${H}Content-Length: 5\r\n\r\nhello`,
    limits: { maxBodySize: 4 },
    events: reject(413, "BODY_TOO_LARGE"),
  },
  {
    name: "chunked total over maxBodySize → 413 at the chunk size (RFC 9110 §15.5.14)",
    input: `POST / HTTP/1.1\r\n${H}Transfer-Encoding: chunked\r\n\r\n3\r\nabc\r\n2\r\nde\r\n0\r\n\r\n`,
    limits: { maxBodySize: 4 },
    events: [{ head: {} }, { body: "abc" }, { error: { status: 413, code: "BODY_TOO_LARGE" } }],
  },
  {
    name: "huge chunk size over maxBodySize → 413 (RFC 9110 §15.5.14)",
    input: `POST / HTTP/1.1\r\n${H}Transfer-Encoding: chunked\r\n\r\nffffffff\r\n`,
    limits: { maxBodySize: 1 << 20 },
    events: [{ head: {} }, { error: { status: 413, code: "BODY_TOO_LARGE" } }],
  },
];

describe("RequestParser: rejections", () => {
  for (const c of invalid) it(c.name, () => check(c));
});
