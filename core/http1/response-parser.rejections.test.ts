import { describe, it } from "vitest";
import { type Case, check, OK, reject } from "../../test/support/response-parser-cases.ts";

const invalid: Case[] = [
  { name: "not HTTP (RFC 9112 §4)", input: "HTTX/1.1 200 OK\r\n\r\n", events: reject("INVALID_VERSION") },
  {
    name: "HTTP/2 version in a status line (RFC 9112 §2.3)",
    input: "HTTP/2.0 200 OK\r\n\r\n",
    events: reject("UNSUPPORTED_VERSION"),
  },
  {
    name: "lowercase http (RFC 9112 §2.3: case-sensitive)",
    input: "http/1.1 200 OK\r\n\r\n",
    events: reject("INVALID_VERSION"),
  },
  { name: "two-digit status (RFC 9112 §4)", input: "HTTP/1.1 20 OK\r\n\r\n", events: reject("INVALID_STATUS") },
  { name: "four-digit status", input: "HTTP/1.1 2000 OK\r\n\r\n", events: reject("INVALID_STATUS") },
  { name: "status below 100 (RFC 9110 §15)", input: "HTTP/1.1 099 Low\r\n\r\n", events: reject("INVALID_STATUS") },
  { name: "status above 599 (RFC 9110 §15)", input: "HTTP/1.1 600 High\r\n\r\n", events: reject("INVALID_STATUS") },
  {
    name: "missing SP after status (RFC 9112 §4)",
    input: "HTTP/1.1 200\r\nContent-Length: 0\r\n\r\n",
    events: reject("INVALID_STATUS_LINE"),
  },
  {
    name: "two spaces after version (RFC 9112 §4)",
    input: "HTTP/1.1  200 OK\r\n\r\n",
    events: reject("INVALID_STATUS"),
  },
  {
    name: "CTL in reason phrase (RFC 9112 §4)",
    input: "HTTP/1.1 200 O\x01K\r\n\r\n",
    events: reject("INVALID_REASON"),
  },
  {
    name: "empty line instead of a status line",
    input: "\r\nHTTP/1.1 200 OK\r\n\r\n",
    events: reject("INVALID_STATUS_LINE"),
  },
  {
    name: "bare LF in status line (RFC 9112 §2.2)",
    input: "HTTP/1.1 200 OK\nContent-Length: 0\r\n\r\n",
    events: reject("BARE_LF"),
  },
  { name: "bare LF ending the head (RFC 9112 §2.2)", input: OK + "Content-Length: 0\r\n\n", events: reject("BARE_LF") },
  { name: "bare CR in status line (RFC 9112 §2.2)", input: "HTTP/1.1 200 O\rK\r\n\r\n", events: reject("BARE_CR") },
  { name: "bare CR in field value (RFC 9112 §2.2)", input: OK + "X: a\rb\r\n\r\n", events: reject("BARE_CR") },
  {
    name: "whitespace before colon (RFC 9112 §5.1)",
    input: OK + "Content-Length : 0\r\n\r\n",
    events: reject("SPACE_BEFORE_COLON"),
  },
  { name: "whitespace in field name", input: OK + "X Y: 1\r\n\r\n", events: reject("INVALID_HEADER_NAME") },
  { name: "empty field name (RFC 9110 §5.1)", input: OK + ": v\r\n\r\n", events: reject("INVALID_HEADER_NAME") },
  { name: "field line without colon", input: OK + "NoColon\r\n\r\n", events: reject("INVALID_HEADER") },
  { name: "obs-fold (RFC 9112 §5.2)", input: OK + "X-A: one\r\n two\r\n\r\n", events: reject("OBS_FOLD") },
  {
    name: "NUL in field value (RFC 9110 §5.5)",
    input: OK + "X-A: a\x00b\r\n\r\n",
    events: reject("INVALID_HEADER_VALUE"),
  },
  {
    name: "malformed Content-Length (RFC 9110 §8.6)",
    input: OK + "Content-Length: 1x\r\n\r\n",
    events: reject("INVALID_CONTENT_LENGTH"),
  },
  {
    name: "negative Content-Length",
    input: OK + "Content-Length: -1\r\n\r\n",
    events: reject("INVALID_CONTENT_LENGTH"),
  },
  {
    name: "differing Content-Length values (RFC 9112 §6.3 rule 5)",
    input: OK + "Content-Length: 1\r\nContent-Length: 2\r\n\r\n",
    events: reject("CONFLICTING_CONTENT_LENGTH"),
  },
  {
    name: "Content-Length with Transfer-Encoding (RFC 9112 §6.3 rule 3)",
    input: OK + "Content-Length: 3\r\nTransfer-Encoding: chunked\r\n\r\n",
    events: reject("CONTENT_LENGTH_AND_TRANSFER_ENCODING"),
  },
  {
    name: "Transfer-Encoding in HTTP/1.0 (RFC 9112 §6.1)",
    input: "HTTP/1.0 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n",
    events: reject("TRANSFER_ENCODING_IN_HTTP10"),
  },
  {
    name: "chunked twice (RFC 9112 §6.1)",
    input: OK + "Transfer-Encoding: chunked, chunked\r\n\r\n",
    events: reject("INVALID_TRANSFER_ENCODING"),
  },
  {
    name: "empty Transfer-Encoding",
    input: OK + "Transfer-Encoding: ,\r\n\r\n",
    events: reject("INVALID_TRANSFER_ENCODING"),
  },
  {
    name: "chunk size not hex (RFC 9112 §7.1)",
    input: OK + "Transfer-Encoding: chunked\r\n\r\nzz\r\n",
    events: reject("INVALID_CHUNK_SIZE", [{ head: {} }]),
  },
  {
    name: "chunk size too many digits",
    input: OK + "Transfer-Encoding: chunked\r\n\r\n00000000000000001\r\n",
    events: reject("INVALID_CHUNK_SIZE", [{ head: {} }]),
  },
  {
    name: "bare LF after chunk size",
    input: OK + "Transfer-Encoding: chunked\r\n\r\n1\nx\r\n",
    events: reject("BARE_LF", [{ head: {} }]),
  },
  {
    name: "chunk data longer than its size",
    input: OK + "Transfer-Encoding: chunked\r\n\r\n1\r\nxy\r\n0\r\n\r\n",
    events: reject("INVALID_CHUNK_DATA_END", [{ head: {} }, { body: "x" }]),
  },
  {
    name: "bare CR after chunk data",
    input: OK + "Transfer-Encoding: chunked\r\n\r\n1\r\nx\rz",
    events: reject("BARE_CR", [{ head: {} }, { body: "x" }]),
  },
  {
    name: "CTL in chunk extension",
    input: OK + "Transfer-Encoding: chunked\r\n\r\n1;a\x01\r\nx\r\n",
    events: reject("INVALID_CHUNK_EXTENSION", [{ head: {} }]),
  },
  {
    name: "101 without Upgrade (RFC 9110 §7.8)",
    input: "HTTP/1.1 101 Switching Protocols\r\n\r\n",
    events: reject("INVALID_UPGRADE"),
  },
  {
    name: "end of stream inside a head (RFC 9112 §8)",
    input: OK + "Content-Len",
    eof: true,
    events: reject("INCOMPLETE_RESPONSE"),
  },
  {
    name: "end of stream inside a Content-Length body (RFC 9112 §8)",
    input: OK + "Content-Length: 5\r\n\r\nabc",
    eof: true,
    events: reject("INCOMPLETE_RESPONSE", [{ head: {} }, { body: "abc" }]),
  },
  {
    name: "end of stream inside a chunked body (RFC 9112 §8)",
    input: OK + "Transfer-Encoding: chunked\r\n\r\n3\r\nabc\r\n",
    eof: true,
    events: reject("INCOMPLETE_RESPONSE", [{ head: {} }, { body: "abc" }]),
  },
  {
    name: "header section over the limit (fields)",
    input: OK + "X: " + "a".repeat(200) + "\r\n\r\n",
    options: { maxHeaderSize: 128 },
    events: reject("HEADERS_TOO_LARGE"),
  },
  {
    name: "too many header fields",
    input: OK + "A: 1\r\nB: 2\r\nC: 3\r\n\r\n",
    options: { maxHeaders: 2 },
    events: reject("TOO_MANY_HEADERS"),
  },
  {
    name: "Content-Length over maxBodySize",
    input: OK + "Content-Length: 100\r\n\r\n",
    options: { maxBodySize: 10 },
    events: reject("BODY_TOO_LARGE"),
  },
  {
    name: "chunked body over maxBodySize",
    input: OK + "Transfer-Encoding: chunked\r\n\r\n8\r\n12345678\r\n8\r\n",
    options: { maxBodySize: 10 },
    events: reject("BODY_TOO_LARGE", [{ head: {} }, { body: "12345678" }]),
  },
  {
    name: "trailer section over the limit",
    input: OK + "Transfer-Encoding: chunked\r\n\r\n0\r\nX: " + "a".repeat(200) + "\r\n\r\n",
    options: { maxHeaderSize: 128 },
    events: reject("TRAILERS_TOO_LARGE", [{ head: {} }]),
  },
  {
    name: "obs-fold in trailers (RFC 9112 §5.2)",
    input: OK + "Transfer-Encoding: chunked\r\n\r\n0\r\nX: a\r\n b\r\n\r\n",
    events: reject("OBS_FOLD", [{ head: {} }]),
  },
  {
    name: "a malformed second pipelined response leaves the first intact",
    input: OK + "Content-Length: 1\r\n\r\nx" + "HTTP/1.1 200 OK\r\nBad Name: 1\r\n\r\n",
    events: reject("INVALID_HEADER_NAME", [{ head: {} }, { body: "x" }, { complete: null }]),
  },
];

describe("ResponseParser: rejections", () => {
  for (const c of invalid) it(c.name, () => check(c));
});
