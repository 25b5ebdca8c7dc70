import { describe, it } from "vitest";
import { type Case, check, GET_HEAD } from "../../test/support/request-parser-cases.ts";

const valid: Case[] = [
  {
    name: "simple GET (RFC 9112 §3)",
    input: "GET / HTTP/1.1\r\nHost: example.com\r\n\r\n",
    events: [{ head: GET_HEAD }, { complete: null }],
  },
  {
    name: "leading empty lines are skipped (RFC 9112 §2.2)",
    input: "\r\n\r\nGET / HTTP/1.1\r\nHost: example.com\r\n\r\n",
    events: [{ head: GET_HEAD }, { complete: null }],
  },
  {
    name: "path and query split at the first '?' (RFC 9112 §3.2.1)",
    input: "GET /a/b?x=1?y=/z HTTP/1.1\r\nHost: h\r\n\r\n",
    events: [{ head: { target: "/a/b?x=1?y=/z", path: "/a/b", query: "x=1?y=/z" } }, { complete: null }],
  },
  {
    name: "empty query (RFC 9112 §3.2.1)",
    input: "GET /p? HTTP/1.1\r\nHost: h\r\n\r\n",
    events: [{ head: { target: "/p?", path: "/p", query: "" } }, { complete: null }],
  },
  {
    name: "names lowercased, values trimmed of OWS, empty value kept (RFC 9112 §5, RFC 9110 §5.5)",
    input: "GET / HTTP/1.1\r\nHOST: h\r\nX-Custom-Thing: \t value  with\tinner space \t\r\nAccept:\r\n" +
      "User-Agent: curl/8.5\r\nX-lower: ok\r\n\r\n",
    events: [
      {
        head: {
          headers: [
            "host",
            "h",
            "x-custom-thing",
            "value  with\tinner space",
            "accept",
            "",
            "user-agent",
            "curl/8.5",
            "x-lower",
            "ok",
          ],
        },
      },
      { complete: null },
    ],
  },
  {
    name: "obs-text in a value is kept as latin1 (RFC 9110 §5.5)",
    input: "GET / HTTP/1.1\r\nHost: h\r\nX-Name: caf\xe9 \x80\xff\r\n\r\n",
    events: [{ head: { headers: ["host", "h", "x-name", "caf\xe9 \x80\xff"] } }, { complete: null }],
  },
  {
    name: "extension methods are case-sensitive tokens (RFC 9110 §9.1)",
    input:
      "M-SEARCH /x HTTP/1.1\r\nHost: h\r\n\r\nPROPFIND /d HTTP/1.1\r\nHost: h\r\n\r\nget /e HTTP/1.1\r\nHost: h\r\n\r\n",
    events: [
      { head: { method: "M-SEARCH", path: "/x" } },
      { complete: null },
      { head: { method: "PROPFIND", path: "/d" } },
      { complete: null },
      { head: { method: "get", path: "/e" } },
      { complete: null },
    ],
  },
  {
    name: "Content-Length body (RFC 9112 §6.2)",
    input: "POST /form HTTP/1.1\r\nHost: h\r\nContent-Length: 11\r\nContent-Type: text/plain\r\n\r\nhello world",
    events: [
      {
        head: {
          method: "POST",
          contentLength: 11,
          chunked: false,
          headers: ["host", "h", "content-length", "11", "content-type", "text/plain"],
        },
      },
      { body: "hello world" },
      { complete: null },
    ],
  },
  {
    name: "Content-Length 0 completes after the head (RFC 9112 §6.3)",
    input: "POST / HTTP/1.1\r\nHost: h\r\nContent-Length: 0\r\n\r\n",
    events: [{ head: { contentLength: 0 } }, { complete: null }],
  },
  {
    name: "identical Content-Length values in one field line (RFC 9112 §6.3)",
    input: "POST / HTTP/1.1\r\nHost: h\r\nContent-Length: 5, 5,5\r\n\r\nhello",
    events: [{ head: { contentLength: 5 } }, { body: "hello" }, { complete: null }],
  },
  {
    name: "identical Content-Length in several field lines (RFC 9112 §6.3)",
    input: "POST / HTTP/1.1\r\nHost: h\r\nContent-Length: 5\r\ncontent-length: 005\r\n\r\nhello",
    events: [{ head: { contentLength: 5 } }, { body: "hello" }, { complete: null }],
  },
  {
    name: "chunked body with extensions and trailers (RFC 9112 §7.1, §7.1.1, §7.1.2)",
    input: "POST /up HTTP/1.1\r\nHost: h\r\nTransfer-Encoding: chunked\r\n\r\n" +
      "5;name=value\r\nhello\r\n" +
      '6 ; a = "q;x\\"y" ;b\r\n world\r\n' +
      "A;last\r\n0123456789\r\n" +
      "0\r\nX-Trailer: yes\r\nX-Checksum:  abc \r\n\r\n",
    events: [
      { head: { chunked: true, contentLength: -1, headers: ["host", "h", "transfer-encoding", "chunked"] } },
      { body: "hello world0123456789" },
      { complete: ["x-trailer", "yes", "x-checksum", "abc"] },
    ],
  },
  {
    name: "chunked without trailers, hex in both cases, leading zeros (RFC 9112 §7.1)",
    input:
      "POST / HTTP/1.1\r\nHost: h\r\nTransfer-Encoding: Chunked\r\n\r\n000b\r\nhello world\r\nA\r\n0123456789\r\n00\r\n\r\n",
    events: [{ head: { chunked: true } }, { body: "hello world0123456789" }, { complete: null }],
  },
  {
    name: "chunked after empty list elements (RFC 9110 §5.6.1.2)",
    input: "POST / HTTP/1.1\r\nHost: h\r\nTransfer-Encoding: , chunked ,\r\n\r\n0\r\n\r\n",
    events: [{ head: { chunked: true } }, { complete: null }],
  },
  {
    name: "Expect: 100-continue sets the flag (RFC 9110 §10.1.1)",
    input: "PUT /f HTTP/1.1\r\nHost: h\r\nExpect: 100-Continue\r\nContent-Length: 2\r\n\r\nhi",
    events: [{ head: { method: "PUT", expectContinue: true } }, { body: "hi" }, { complete: null }],
  },
  {
    name: "other Expect values are left to the caller (RFC 9110 §10.1.1)",
    input: "GET / HTTP/1.1\r\nHost: h\r\nExpect: something\r\n\r\n",
    events: [{ head: { expectContinue: false, headers: ["host", "h", "expect", "something"] } }, { complete: null }],
  },
  {
    name: "100-continue in HTTP/1.0 is ignored (RFC 9110 §10.1.1)",
    input: "GET / HTTP/1.0\r\nExpect: 100-continue\r\n\r\n",
    events: [{ head: { expectContinue: false, versionMinor: 0 } }, { complete: null }],
  },
  {
    name: "HTTP/1.0 closes by default, Host optional (RFC 9112 §9.3, §3.2)",
    input: "GET / HTTP/1.0\r\n\r\n",
    events: [{ head: { versionMinor: 0, keepAlive: false, host: "", headers: [] } }, { complete: null }],
  },
  {
    name: "HTTP/1.0 with keep-alive persists (RFC 9112 §9.3)",
    input: "GET / HTTP/1.0\r\nConnection: Keep-Alive\r\n\r\n",
    events: [{ head: { versionMinor: 0, keepAlive: true } }, { complete: null }],
  },
  {
    name: "HTTP/1.0 with keep-alive and close does not persist (RFC 9112 §9.3)",
    input: "GET / HTTP/1.0\r\nConnection: keep-alive\r\nConnection: close\r\n\r\n",
    events: [{ head: { keepAlive: false } }, { complete: null }],
  },
  {
    name: "HTTP/1.1 Connection: close (RFC 9112 §9.6)",
    input: "GET / HTTP/1.1\r\nHost: h\r\nConnection: close\r\n\r\n",
    events: [{ head: { keepAlive: false } }, { complete: null }],
  },
  {
    name: "Connection is a case-insensitive token list (RFC 9110 §7.6.1)",
    input: "GET / HTTP/1.1\r\nHost: h\r\nConnection: foo , CLOSE,bar\r\n\r\n",
    events: [{ head: { keepAlive: false } }, { complete: null }],
  },
  {
    name: "close must be a whole token (RFC 9110 §7.6.1)",
    input: "GET / HTTP/1.1\r\nHost: h\r\nConnection: closer, x-close\r\n\r\n",
    events: [{ head: { keepAlive: true } }, { complete: null }],
  },
  {
    name: "HTTP/1.2 is served as HTTP/1.1 (RFC 9110 §2.5)",
    input: "GET / HTTP/1.2\r\nHost: h\r\n\r\n",
    events: [{ head: { versionMinor: 1, keepAlive: true } }, { complete: null }],
  },
  {
    name: "absolute-form: host from the authority (RFC 9112 §3.2.2)",
    input: "GET http://example.com:8080/p/q?x=1 HTTP/1.1\r\nHost: ignored\r\n\r\n",
    events: [
      { head: { target: "http://example.com:8080/p/q?x=1", host: "example.com:8080", path: "/p/q", query: "x=1" } },
      { complete: null },
    ],
  },
  {
    name: "absolute-form with case-insensitive https scheme and empty path (RFC 9112 §3.2.2, RFC 9110 §4.2.3)",
    input: "GET HTTPS://Example.com HTTP/1.1\r\nHost: example.com\r\n\r\n",
    events: [{ head: { host: "Example.com", path: "/", query: "" } }, { complete: null }],
  },
  {
    name: "absolute-form with query and no path (RFC 9112 §3.2.2)",
    input: "GET http://[::1]:80?a HTTP/1.1\r\nHost: x\r\n\r\n",
    events: [{ head: { host: "[::1]:80", path: "/", query: "a" } }, { complete: null }],
  },
  {
    name: "OPTIONS * (RFC 9112 §3.2.4)",
    input: "OPTIONS * HTTP/1.1\r\nHost: h\r\n\r\n",
    events: [{ head: { method: "OPTIONS", target: "*", path: "*", query: "" } }, { complete: null }],
  },
  {
    name: "CONNECT authority-form (RFC 9112 §3.2.3)",
    input: "CONNECT example.com:443 HTTP/1.1\r\nHost: example.com:443\r\n\r\n",
    events: [{ head: { method: "CONNECT", target: "example.com:443", path: "", host: "example.com:443" } }, {
      complete: null,
    }],
  },
  {
    name: "empty Host is allowed (RFC 9112 §3.2)",
    input: "GET / HTTP/1.1\r\nHost:\r\n\r\n",
    events: [{ head: { host: "", headers: ["host", ""] } }, { complete: null }],
  },
  {
    name: "upgrade completes after the head and leaves the rest (RFC 9110 §7.8)",
    input: "GET /chat HTTP/1.1\r\nHost: h\r\nConnection: keep-alive, Upgrade\r\nUpgrade: websocket\r\n" +
      "Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Version: 13\r\n\r\n\x81\x85\x37\xfa\x21\x3d\x7f\x9f\x4d\x51\x58",
    stopAfter: 1,
    events: [
      {
        head: {
          upgrade: "websocket",
          headers: [
            "host",
            "h",
            "connection",
            "keep-alive, Upgrade",
            "upgrade",
            "websocket",
            "sec-websocket-key",
            "dGhlIHNhbXBsZSBub25jZQ==",
            "sec-websocket-version",
            "13",
          ],
        },
      },
      { complete: null },
      { rest: "\x81\x85\x37\xfa\x21\x3d\x7f\x9f\x4d\x51\x58" },
    ],
  },
  {
    name: "Upgrade without Connection: upgrade is not an upgrade (RFC 9110 §7.8)",
    input: "GET / HTTP/1.1\r\nHost: h\r\nUpgrade: websocket\r\n\r\n",
    events: [{ head: { upgrade: "" } }, { complete: null }],
  },
  {
    // Regression (found by request-parser.fuzz.test.ts): the trailers of a chunked request were
    // reported again with the Content-Length request after it.
    name: "a request after a chunked one with trailers has no trailers of its own (RFC 9112 §7.1.2)",
    input: "POST /1 HTTP/1.1\r\nHost: h\r\nTransfer-Encoding: chunked\r\n\r\n0\r\nX-Sum: 1\r\n\r\n" +
      "POST /2 HTTP/1.1\r\nHost: h\r\nContent-Length: 1\r\n\r\nx",
    events: [
      { head: { path: "/1" } },
      { complete: ["x-sum", "1"] },
      { head: { path: "/2" } },
      { body: "x" },
      { complete: null },
    ],
  },
  {
    name: "pipelined requests in one buffer (RFC 9112 §9.3.2)",
    input: "GET /1 HTTP/1.1\r\nHost: h\r\n\r\n" +
      "POST /2 HTTP/1.1\r\nHost: h\r\nContent-Length: 3\r\n\r\nabc" +
      "POST /3 HTTP/1.1\r\nHost: h\r\nTransfer-Encoding: chunked\r\n\r\n2\r\nde\r\n0\r\n\r\n" +
      "\r\n" + // a stray CRLF after a body (RFC 9112 §2.2)
      "DELETE /4 HTTP/1.1\r\nHost: h\r\n\r\n" +
      "HEAD /5 HTTP/1.1\r\nHost: h\r\nConnection: close\r\n\r\n",
    events: [
      { head: { method: "GET", path: "/1" } },
      { complete: null },
      { head: { method: "POST", path: "/2" } },
      { body: "abc" },
      { complete: null },
      { head: { method: "POST", path: "/3" } },
      { body: "de" },
      { complete: null },
      { head: { method: "DELETE", path: "/4" } },
      { complete: null },
      { head: { method: "HEAD", path: "/5", keepAlive: false } },
      { complete: null },
    ],
  },
  {
    name: "a typical browser GET (RFC 9112 §3, §5)",
    input: "GET /search?q=wirecore HTTP/1.1\r\nHost: www.example.com\r\n" +
      "User-Agent: Mozilla/5.0 (X11; Linux x86_64; rv:128.0) Gecko/20100101 Firefox/128.0\r\n" +
      "Accept: text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8\r\n" +
      "Accept-Language: en-US,en;q=0.5\r\nAccept-Encoding: gzip, deflate, br, zstd\r\n" +
      "Connection: keep-alive\r\nCookie: session=abc123; theme=dark\r\nUpgrade-Insecure-Requests: 1\r\n" +
      "Sec-Fetch-Dest: document\r\nSec-Fetch-Mode: navigate\r\nPriority: u=0, i\r\n\r\n",
    events: [
      {
        head: {
          path: "/search",
          query: "q=wirecore",
          host: "www.example.com",
          headers: [
            "host",
            "www.example.com",
            "user-agent",
            "Mozilla/5.0 (X11; Linux x86_64; rv:128.0) Gecko/20100101 Firefox/128.0",
            "accept",
            "text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8",
            "accept-language",
            "en-US,en;q=0.5",
            "accept-encoding",
            "gzip, deflate, br, zstd",
            "connection",
            "keep-alive",
            "cookie",
            "session=abc123; theme=dark",
            "upgrade-insecure-requests",
            "1",
            "sec-fetch-dest",
            "document",
            "sec-fetch-mode",
            "navigate",
            "priority",
            "u=0, i",
          ],
        },
      },
      { complete: null },
    ],
  },
  {
    name: "limits: exactly at maxRequestLineSize, maxHeaders and maxHeaderSize is fine (RFC 9112 §3, RFC 6585 §5)",
    // request line "GET /12345 HTTP/1.1" is 19 bytes; the whole head is 19+2 + 9+2 + 6+2 + 2 = 42.
    input: "GET /12345 HTTP/1.1\r\nHost: abc\r\nA: xyz\r\n\r\n",
    limits: { maxRequestLineSize: 19, maxHeaders: 2, maxHeaderSize: 42 },
    events: [{ head: { path: "/12345" } }, { complete: null }],
  },
  {
    name: "limits: chunked body exactly at maxBodySize is fine (RFC 9112 §7.1)",
    input: "POST / HTTP/1.1\r\nHost: h\r\nTransfer-Encoding: chunked\r\n\r\n3\r\nabc\r\n2\r\nde\r\n0\r\n\r\n",
    limits: { maxBodySize: 5 },
    events: [{ head: {} }, { body: "abcde" }, { complete: null }],
  },
];

describe("RequestParser: valid requests", () => {
  for (const c of valid) it(c.name, () => check(c));
});
