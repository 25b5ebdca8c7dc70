import { describe, it } from "vitest";
import { type Case, check, OK } from "../../test/support/response-parser-cases.ts";

const valid: Case[] = [
  {
    name: "Content-Length body (RFC 9112 §6.3 rule 6)",
    input: OK + "Content-Type: text/plain\r\nContent-Length: 13\r\n\r\nHello, World!",
    events: [
      {
        head: {
          status: 200,
          reason: "OK",
          versionMinor: 1,
          headers: ["content-type", "text/plain", "content-length", "13"],
          contentLength: 13,
          framing: "length",
          keepAlive: true,
          upgraded: false,
        },
      },
      { body: "Hello, World!" },
      { complete: null },
    ],
  },
  {
    name: "empty body with Content-Length: 0",
    input: OK + "Content-Length: 0\r\n\r\n",
    events: [{ head: { contentLength: 0, framing: "length" } }, { complete: null }],
  },
  {
    name: "chunked body with extensions and trailers (RFC 9112 §7.1)",
    input: OK +
      'Transfer-Encoding: chunked\r\n\r\n5\r\nhello\r\n6;ext="q"\r\n world\r\n1 ; a=b\r\n!\r\n0\r\nX-Checksum: abc\r\n\r\n',
    events: [
      { head: { framing: "chunked", contentLength: -1, keepAlive: true } },
      { body: "hello world!" },
      { complete: ["x-checksum", "abc"] },
    ],
  },
  {
    name: "chunked with upper-case hex size",
    input: OK + "transfer-encoding: gzip, chunked\r\n\r\nA\r\n0123456789\r\n0\r\n\r\n",
    events: [{ head: { framing: "chunked" } }, { body: "0123456789" }, { complete: null }],
  },
  {
    name: "close-delimited body ends at end of stream (RFC 9112 §6.3 rule 8)",
    input: OK + "Content-Type: text/plain\r\n\r\nall of this until close",
    eof: true,
    events: [{ head: { framing: "close", keepAlive: false } }, { body: "all of this until close" }, { complete: null }],
  },
  {
    name: "chunked not final: body until close (RFC 9112 §6.3 rule 4)",
    input: OK + "Transfer-Encoding: chunked, gzip\r\n\r\nraw",
    eof: true,
    events: [{ head: { framing: "close", keepAlive: false } }, { body: "raw" }, { complete: null }],
  },
  {
    name: "no body for a response to HEAD, whatever Content-Length says (RFC 9110 §9.3.2)",
    input: OK + "Content-Length: 13\r\n\r\n" + OK + "Content-Length: 2\r\n\r\nhi",
    methods: ["HEAD", "GET"],
    events: [
      { head: { contentLength: 13, framing: "none" } },
      { complete: null },
      { head: { contentLength: 2, framing: "length" } },
      { body: "hi" },
      { complete: null },
    ],
  },
  {
    name: "no body for 204 and 304 (RFC 9112 §6.3 rule 1)",
    input:
      "HTTP/1.1 204 No Content\r\nContent-Length: 5\r\n\r\nHTTP/1.1 304 Not Modified\r\nTransfer-Encoding: chunked\r\n\r\n",
    events: [
      { head: { status: 204, framing: "none" } },
      { complete: null },
      { head: { status: 304, reason: "Not Modified", framing: "none" } },
      { complete: null },
    ],
  },
  {
    name: "interim 1xx responses are skipped (RFC 9110 §15.2)",
    input: "HTTP/1.1 100 Continue\r\n\r\nHTTP/1.1 103 Early Hints\r\nLink: </a.css>\r\n\r\n" + OK +
      "Content-Length: 1\r\n\r\nx",
    events: [{ info: 100 }, { info: 103 }, { head: { status: 200 } }, { body: "x" }, { complete: null }],
  },
  {
    name: "101 Switching Protocols stops the parser (RFC 9110 §15.2.2)",
    input: "HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n\r\n\x81\x02hi",
    events: [{ head: { status: 101, upgraded: true, framing: "none", keepAlive: false } }, { complete: null }, {
      rest: "\x81\x02hi",
    }],
  },
  {
    name: "2xx to CONNECT is a tunnel (RFC 9112 §6.3 rule 2)",
    input: OK + "\r\nraw tunnel bytes",
    methods: ["CONNECT"],
    events: [{ head: { status: 200, upgraded: true } }, { complete: null }, { rest: "raw tunnel bytes" }],
  },
  {
    name: "non-2xx to CONNECT is an ordinary response",
    input: "HTTP/1.1 407 Proxy Authentication Required\r\nContent-Length: 2\r\n\r\nno",
    methods: ["CONNECT"],
    events: [{ head: { status: 407, upgraded: false } }, { body: "no" }, { complete: null }],
  },
  {
    name: "pipelined responses, each returned separately",
    input: OK + "Content-Length: 1\r\n\r\na" + OK + "Transfer-Encoding: chunked\r\n\r\n1\r\nb\r\n0\r\n\r\n" + OK +
      "Content-Length: 1\r\n\r\nc",
    events: [
      { head: {} },
      { body: "a" },
      { complete: null },
      { head: { framing: "chunked" } },
      { body: "b" },
      { complete: null },
      { head: {} },
      { body: "c" },
      { complete: null },
    ],
  },
  {
    name: "Connection: close and HTTP/1.0 persistence (RFC 9112 §9.3)",
    input: OK +
      "Connection: keep-alive, close\r\nContent-Length: 0\r\n\r\nHTTP/1.0 200 OK\r\nContent-Length: 0\r\n\r\nHTTP/1.0 200 OK\r\nConnection: Keep-Alive\r\nContent-Length: 0\r\n\r\n",
    events: [
      { head: { keepAlive: false } },
      { complete: null },
      { head: { versionMinor: 0, keepAlive: false } },
      { complete: null },
      { head: { versionMinor: 0, keepAlive: true } },
      { complete: null },
    ],
  },
  {
    name: "empty reason phrase, the SP kept (RFC 9112 §4)",
    input: "HTTP/1.1 404 \r\nContent-Length: 0\r\n\r\n",
    events: [{ head: { status: 404, reason: "" } }, { complete: null }],
  },
  {
    name: "reason phrase with spaces, tabs and obs-text",
    input: "HTTP/1.1 599 Some\tCustom Reason \xe9\r\nContent-Length: 0\r\n\r\n",
    events: [{ head: { status: 599, reason: "Some\tCustom Reason \xe9" } }, { complete: null }],
  },
  {
    name: "obs-text in the reason phrase leaves the field offsets intact (RFC 9110 §5.5)",
    input: "HTTP/1.1 200 Caf\xc3\xa9\r\nX-A: b\r\nContent-Length: 0\r\n\r\n",
    events: [{ head: { reason: "Caf\xc3\xa9", headers: ["x-a", "b", "content-length", "0"] } }, { complete: null }],
  },
  {
    name: "field values trimmed of OWS, obs-text kept as latin1, names lowercased",
    input: OK + "X-A:   padded \t\r\nX-Empty:\r\nX-Latin: caf\xe9\r\nContent-LENGTH: 0\r\n\r\n",
    events: [{ head: { headers: ["x-a", "padded", "x-empty", "", "x-latin", "caf\xe9", "content-length", "0"] } }, {
      complete: null,
    }],
  },
  {
    name: "identical Content-Length values are one (RFC 9112 §6.3 rule 5)",
    input: OK + "Content-Length: 3, 3\r\nContent-Length: 3\r\n\r\nabc",
    events: [{ head: { contentLength: 3 } }, { body: "abc" }, { complete: null }],
  },
  {
    name: "decodeHeaders: false leaves headers empty but still frames",
    input: OK + "Content-Length: 2\r\nX-Y: z\r\n\r\nok",
    options: { decodeHeaders: false },
    events: [{ head: { headers: [], contentLength: 2 } }, { body: "ok" }, { complete: null }],
  },
  {
    name: "a higher HTTP/1.x minor version is accepted (RFC 9112 §2.3)",
    input: "HTTP/1.2 200 OK\r\nContent-Length: 0\r\n\r\n",
    events: [{ head: { versionMinor: 2, keepAlive: true } }, { complete: null }],
  },
  {
    name: "end of stream between responses is clean",
    input: OK + "Content-Length: 1\r\n\r\nx",
    eof: true,
    events: [{ head: {} }, { body: "x" }, { complete: null }],
  },
];

describe("ResponseParser: valid responses", () => {
  for (const c of valid) it(c.name, () => check(c));
});
