import { describe, it } from "vitest";
import { type Case, check, H, reject } from "../../test/support/request-parser-cases.ts";

const invalid: Case[] = [
  // ── framing: Content-Length and Transfer-Encoding ──
  {
    name: "Content-Length with Transfer-Encoding (RFC 9112 §6.1)",
    input: `POST / HTTP/1.1\r\n${H}Content-Length: 5\r\nTransfer-Encoding: chunked\r\n\r\n`,
    events: reject(400, "CONTENT_LENGTH_AND_TRANSFER_ENCODING"),
  },
  {
    name: "Transfer-Encoding then Content-Length (RFC 9112 §6.1)",
    input: `POST / HTTP/1.1\r\n${H}Transfer-Encoding: chunked\r\nContent-Length: 5\r\n\r\n`,
    events: reject(400, "CONTENT_LENGTH_AND_TRANSFER_ENCODING"),
  },
  {
    name: "Content-Length 0 with chunked (RFC 9112 §6.1)",
    input: `POST / HTTP/1.1\r\n${H}Content-Length: 0\r\nTransfer-Encoding: chunked\r\n\r\n0\r\n\r\n`,
    events: reject(400, "CONTENT_LENGTH_AND_TRANSFER_ENCODING"),
  },
  {
    name: "differing Content-Length values in one line (RFC 9112 §6.3)",
    input: `POST / HTTP/1.1\r\n${H}Content-Length: 5, 6\r\n\r\n`,
    events: reject(400, "CONFLICTING_CONTENT_LENGTH"),
  },
  {
    name: "differing Content-Length field lines (RFC 9112 §6.3)",
    input: `POST / HTTP/1.1\r\n${H}Content-Length: 5\r\nContent-Length: 6\r\n\r\nhello`,
    events: reject(400, "CONFLICTING_CONTENT_LENGTH"),
  },
  {
    name: "differing Content-Length late in a list (RFC 9112 §6.3)",
    input: `POST / HTTP/1.1\r\n${H}Content-Length: 5,5\r\nContent-Length: 5, 50\r\n\r\n`,
    events: reject(400, "CONFLICTING_CONTENT_LENGTH"),
  },
  ...["", "+5", "-1", "5a", "0x5", "5 5", "5,", ",5", "9007199254740992", "1e3"].map((v): Case => ({
    name: `malformed Content-Length ${JSON.stringify(v)} (RFC 9110 §8.6)`,
    input: `POST / HTTP/1.1\r\n${H}Content-Length: ${v}\r\n\r\n`,
    events: reject(400, "INVALID_CONTENT_LENGTH"),
  })),
  {
    name: "Transfer-Encoding in HTTP/1.0 (RFC 9112 §6.1)",
    input: "POST / HTTP/1.0\r\nTransfer-Encoding: chunked\r\n\r\n0\r\n\r\n",
    events: reject(400, "TRANSFER_ENCODING_IN_HTTP10"),
  },
  {
    name: "chunked not the final coding (RFC 9112 §6.3)",
    input: `POST / HTTP/1.1\r\n${H}Transfer-Encoding: chunked, gzip\r\n\r\n`,
    events: reject(400, "INVALID_TRANSFER_ENCODING"),
  },
  {
    name: "chunked twice in one line (RFC 9112 §6.1)",
    input: `POST / HTTP/1.1\r\n${H}Transfer-Encoding: chunked, chunked\r\n\r\n`,
    events: reject(400, "INVALID_TRANSFER_ENCODING"),
  },
  {
    name: "chunked twice over two lines (RFC 9112 §6.1)",
    input: `POST / HTTP/1.1\r\n${H}Transfer-Encoding: chunked\r\nTransfer-Encoding: chunked\r\n\r\n`,
    events: reject(400, "INVALID_TRANSFER_ENCODING"),
  },
  {
    name: "chunked then gzip over two lines (RFC 9112 §6.3)",
    input: `POST / HTTP/1.1\r\n${H}Transfer-Encoding: chunked\r\nTransfer-Encoding: gzip\r\n\r\n`,
    events: reject(400, "INVALID_TRANSFER_ENCODING"),
  },
  {
    name: "chunked with a parameter (RFC 9112 §7)",
    input: `POST / HTTP/1.1\r\n${H}Transfer-Encoding: chunked;q=1\r\n\r\n`,
    events: reject(400, "INVALID_TRANSFER_ENCODING"),
  },
  {
    name: "empty Transfer-Encoding (RFC 9112 §6.1)",
    input: `POST / HTTP/1.1\r\n${H}Transfer-Encoding:\r\n\r\n`,
    events: reject(400, "INVALID_TRANSFER_ENCODING"),
  },
  {
    name: "Transfer-Encoding with a non-token (RFC 9112 §6.1)",
    input: `POST / HTTP/1.1\r\n${H}Transfer-Encoding: "chunked"\r\n\r\n`,
    events: reject(400, "INVALID_TRANSFER_ENCODING"),
  },
  {
    name: "gzip, chunked is not implemented (RFC 9112 §6.1)",
    input: `POST / HTTP/1.1\r\n${H}Transfer-Encoding: gzip, chunked\r\n\r\n`,
    events: reject(501, "UNSUPPORTED_TRANSFER_ENCODING"),
  },
  {
    name: "gzip then chunked over two lines (RFC 9112 §6.1)",
    input: `POST / HTTP/1.1\r\n${H}Transfer-Encoding: gzip\r\nTransfer-Encoding: chunked\r\n\r\n`,
    events: reject(501, "UNSUPPORTED_TRANSFER_ENCODING"),
  },
  {
    name: "Transfer-Encoding: gzip is not implemented (RFC 9112 §6.1)",
    input: `POST / HTTP/1.1\r\n${H}Transfer-Encoding: gzip\r\n\r\n`,
    events: reject(501, "UNSUPPORTED_TRANSFER_ENCODING"),
  },
  {
    name: "Transfer-Encoding: identity is not implemented (RFC 9112 §6.1)",
    input: `POST / HTTP/1.1\r\n${H}Transfer-Encoding: identity\r\n\r\n`,
    events: reject(501, "UNSUPPORTED_TRANSFER_ENCODING"),
  },

  // ── chunked framing ──
  ...[
    ["empty chunk size", "\r\nhello\r\n0\r\n\r\n"],
    ["chunk size with only an extension", ";a\r\nhello\r\n0\r\n\r\n"],
    ["non-hex chunk size", "g\r\n"],
    ["negative chunk size", "-5\r\nhello\r\n"],
    ["0x prefix", "0x5\r\nhello\r\n"],
    ["garbage after chunk size", "5 x\r\nhello\r\n"],
    ["chunk size past MAX_SAFE_INTEGER", "20000000000000\r\n"],
    ["17 hex digits", "00000000000000005\r\nhello\r\n"],
    ["16+ hex digits of f", "ffffffffffffffffff\r\n"],
  ].map(([what, body]): Case => ({
    name: `${what} (RFC 9112 §7.1)`,
    input: `POST / HTTP/1.1\r\n${H}Transfer-Encoding: chunked\r\n\r\n${body}`,
    // Unlimited body size, so the size's syntax and range are what is checked (not the 413).
    limits: { maxBodySize: Number.POSITIVE_INFINITY },
    events: [{ head: { chunked: true } }, { error: { status: 400, code: "INVALID_CHUNK_SIZE" } }],
  })),
  {
    name: "garbage after chunk data (RFC 9112 §7.1)",
    input: `POST / HTTP/1.1\r\n${H}Transfer-Encoding: chunked\r\n\r\n5\r\nhelloXX\r\n0\r\n\r\n`,
    events: [{ head: {} }, { body: "hello" }, { error: { status: 400, code: "INVALID_CHUNK_DATA_END" } }],
  },
  {
    name: "chunk data longer than its size (RFC 9112 §7.1)",
    input: `POST / HTTP/1.1\r\n${H}Transfer-Encoding: chunked\r\n\r\n3\r\nhello\r\n0\r\n\r\n`,
    events: [{ head: {} }, { body: "hel" }, { error: { status: 400, code: "INVALID_CHUNK_DATA_END" } }],
  },
  {
    name: "LF only after chunk data (RFC 9112 §7.1)",
    input: `POST / HTTP/1.1\r\n${H}Transfer-Encoding: chunked\r\n\r\n5\r\nhello\n0\r\n\r\n`,
    events: [{ head: {} }, { body: "hello" }, { error: { status: 400, code: "INVALID_CHUNK_DATA_END" } }],
  },
  {
    name: "CR without LF after chunk data (RFC 9112 §7.1)",
    input: `POST / HTTP/1.1\r\n${H}Transfer-Encoding: chunked\r\n\r\n5\r\nhello\rX`,
    events: [{ head: {} }, { body: "hello" }, { error: { status: 400, code: "BARE_CR" } }],
  },
  {
    name: "control char in a chunk extension (RFC 9112 §7.1.1)",
    input: `POST / HTTP/1.1\r\n${H}Transfer-Encoding: chunked\r\n\r\n5;a=\x01\r\nhello\r\n0\r\n\r\n`,
    events: [{ head: {} }, { error: { status: 400, code: "INVALID_CHUNK_EXTENSION" } }],
  },
  {
    name: "chunk extensions over 4 KiB (RFC 9112 §7.1.1, slow-drip guard)",
    input: `POST / HTTP/1.1\r\n${H}Transfer-Encoding: chunked\r\n\r\n5;${"a".repeat(5000)}\r\nhello\r\n0\r\n\r\n`,
    events: [{ head: {} }, { error: { status: 400, code: "CHUNK_EXTENSIONS_TOO_LONG" } }],
  },
  {
    name: "BWS after chunk size over 4 KiB (RFC 9112 §7.1.1, slow-drip guard)",
    input: `POST / HTTP/1.1\r\n${H}Transfer-Encoding: chunked\r\n\r\n5${" ".repeat(5000)}\r\n`,
    events: [{ head: {} }, { error: { status: 400, code: "CHUNK_EXTENSIONS_TOO_LONG" } }],
  },
  {
    name: "invalid trailer field (RFC 9112 §7.1.2)",
    input: `POST / HTTP/1.1\r\n${H}Transfer-Encoding: chunked\r\n\r\n1\r\na\r\n0\r\nX : y\r\n\r\n`,
    events: [{ head: {} }, { body: "a" }, { error: { status: 400, code: "SPACE_BEFORE_COLON" } }],
  },
  {
    name: "NUL in a trailer value (RFC 9112 §7.1.2)",
    input: `POST / HTTP/1.1\r\n${H}Transfer-Encoding: chunked\r\n\r\n0\r\nX: \x00\r\n\r\n`,
    events: [{ head: {} }, { error: { status: 400, code: "INVALID_HEADER_VALUE" } }],
  },

  // ── an error in a later pipelined request leaves the earlier one intact ──
  {
    name: "second pipelined request is malformed (RFC 9112 §9.3.2)",
    input: "GET /1 HTTP/1.1\r\nHost: h\r\n\r\nGET /2 HTTP/1.1\r\nHost : h\r\n\r\n",
    events: [{ head: { path: "/1" } }, { complete: null }, { error: { status: 400, code: "SPACE_BEFORE_COLON" } }],
  },
];

describe("RequestParser: rejections", () => {
  for (const c of invalid) it(c.name, () => check(c));
});
