import { describe, expect, it } from "vitest";
import { RequestParser } from "./request-parser.ts";
import type { ParserLimits, RequestHead } from "../http/request-head.ts";
import { bytes, replay, text, traceBody, type TraceEvent } from "../../test/support/replay.ts";

// Bytes in → events out, each case replayed at every split point (test/support/replay.ts).

type Event = TraceEvent<RequestHead>;
/** What a case expects: heads as subsets of RequestHead. */
type Expected = TraceEvent<Partial<RequestHead>>;

interface Case {
  name: string;
  input: string;
  limits?: Partial<ParserLimits>;
  /** Stop after this many completed messages and report the unparsed bytes as `rest`. */
  stopAfter?: number;
  events: Expected[];
}

/** Feed the pieces in order, looping on each as execute returns after every message. */
function run(pieces: Uint8Array[], limits?: Partial<ParserLimits>, stopAfter = Infinity): Event[] {
  const trace: Event[] = [];
  let completed = 0;
  const parser = new RequestParser(
    {
      onHead(head) {
        trace.push({ head });
      },
      onBody(chunk) {
        traceBody(trace, chunk);
      },
      onMessageComplete(trailers) {
        trace.push({ complete: trailers });
        completed++;
      },
    },
    limits,
  );
  for (let i = 0; i < pieces.length; i++) {
    let piece = pieces[i]!;
    while (piece.length > 0) {
      if (completed >= stopAfter) {
        let rest = text(piece);
        for (let j = i + 1; j < pieces.length; j++) rest += text(pieces[j]!);
        trace.push({ rest });
        return trace;
      }
      const n = parser.execute(piece);
      if (n < 0) {
        expect(parser.error).not.toBeNull();
        trace.push({ error: { status: parser.error!.status, code: parser.error!.code } });
        // A dead parser stays dead.
        expect(parser.execute(bytes("GET / HTTP/1.1\r\n"))).toBe(-1);
        return trace;
      }
      if (n === 0) throw new Error("execute consumed nothing");
      piece = piece.subarray(n);
    }
  }
  if (completed >= stopAfter) trace.push({ rest: "" });
  return trace;
}

function check(c: Case): void {
  replay(c.input, (pieces) => run(pieces, c.limits, c.stopAfter), c.events);
}

function reject(status: number, code: string): Expected[] {
  return [{ error: { status, code } }];
}

const GET_HEAD: Partial<RequestHead> = {
  method: "GET",
  target: "/",
  path: "/",
  query: "",
  versionMinor: 1,
  headers: ["host", "example.com"],
  host: "example.com",
  contentLength: -1,
  chunked: false,
  keepAlive: true,
  expectContinue: false,
  upgrade: "",
};

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

const H = "Host: h\r\n";

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

  // ── request line ──
  {
    name: "separator in the method (RFC 9110 §9.1)",
    input: "GE(T / HTTP/1.1\r\nHost: h\r\n\r\n",
    events: reject(400, "INVALID_METHOD"),
  },
  {
    name: "NUL in the method (RFC 9110 §9.1)",
    input: "G\x00T / HTTP/1.1\r\nHost: h\r\n\r\n",
    events: reject(400, "INVALID_METHOD"),
  },
  {
    name: "empty method (RFC 9112 §3)",
    input: " / HTTP/1.1\r\nHost: h\r\n\r\n",
    events: reject(400, "INVALID_METHOD"),
  },
  {
    name: "request line without target (RFC 9112 §3)",
    input: "GET\r\nHost: h\r\n\r\n",
    events: reject(400, "INVALID_REQUEST_LINE"),
  },
  {
    name: "HTTP/0.9-style request line (RFC 9112 §3)",
    input: "GET /\r\nHost: h\r\n\r\n",
    events: reject(400, "INVALID_REQUEST_LINE"),
  },
  {
    name: "two spaces after the method (RFC 9112 §3)",
    input: "GET  / HTTP/1.1\r\nHost: h\r\n\r\n",
    events: reject(400, "INVALID_REQUEST_LINE"),
  },
  {
    name: "space inside the target (RFC 9112 §3.2)",
    input: "GET /a b HTTP/1.1\r\nHost: h\r\n\r\n",
    events: reject(400, "INVALID_REQUEST_LINE"),
  },
  {
    name: "trailing space after the version (RFC 9112 §3)",
    input: "GET / HTTP/1.1 \r\nHost: h\r\n\r\n",
    events: reject(400, "INVALID_REQUEST_LINE"),
  },
  {
    name: "HTAB as separator (RFC 9112 §3)",
    input: "GET\t/ HTTP/1.1\r\nHost: h\r\n\r\n",
    events: reject(400, "INVALID_METHOD"),
  },
  {
    name: "CTL in the target (RFC 9112 §3.2)",
    input: "GET /a\x01b HTTP/1.1\r\nHost: h\r\n\r\n",
    events: reject(400, "INVALID_TARGET"),
  },
  {
    name: "DEL in the target (RFC 9112 §3.2)",
    input: "GET /\x7f HTTP/1.1\r\nHost: h\r\n\r\n",
    events: reject(400, "INVALID_TARGET"),
  },
  {
    name: "byte >= 0x80 in the target (RFC 3986 §2)",
    input: "GET /caf\xe9 HTTP/1.1\r\nHost: h\r\n\r\n",
    events: reject(400, "INVALID_TARGET"),
  },
  {
    name: "target not starting with '/' (RFC 9112 §3.2.1)",
    input: "GET a/b HTTP/1.1\r\nHost: h\r\n\r\n",
    events: reject(400, "INVALID_TARGET"),
  },
  {
    name: "asterisk-form with GET (RFC 9112 §3.2.4)",
    input: "GET * HTTP/1.1\r\nHost: h\r\n\r\n",
    events: reject(400, "INVALID_TARGET"),
  },
  {
    name: "authority-form with GET (RFC 9112 §3.2.3)",
    input: "GET example.com:80 HTTP/1.1\r\nHost: h\r\n\r\n",
    events: reject(400, "INVALID_TARGET"),
  },
  {
    name: 'Host with a second port (RFC 9110 §7.2: uri-host [ ":" port ])',
    input: "GET / HTTP/1.1\r\nHost: host:80:extra\r\n\r\n",
    events: reject(400, "INVALID_HOST"),
  },
  {
    name: "Host with a bad percent-encoding (RFC 3986 §2.1)",
    input: "GET / HTTP/1.1\r\nHost: a%zz\r\n\r\n",
    events: reject(400, "INVALID_HOST"),
  },
  {
    name: "absolute-form with a second port (RFC 9112 §3.2.2, RFC 3986 §3.2)",
    input: "GET http://a:1:2/ HTTP/1.1\r\nHost: a\r\n\r\n",
    events: reject(400, "INVALID_TARGET"),
  },
  {
    name: "CONNECT with origin-form (RFC 9112 §3.2.3)",
    input: "CONNECT / HTTP/1.1\r\nHost: h\r\n\r\n",
    events: reject(400, "INVALID_TARGET"),
  },
  {
    name: "CONNECT without port (RFC 9112 §3.2.3)",
    input: "CONNECT example.com HTTP/1.1\r\nHost: h\r\n\r\n",
    events: reject(400, "INVALID_TARGET"),
  },
  {
    name: "absolute-form with another scheme (RFC 9112 §3.2.2)",
    input: "GET ftp://example.com/ HTTP/1.1\r\nHost: h\r\n\r\n",
    events: reject(400, "INVALID_TARGET"),
  },
  {
    name: "absolute-form with empty authority (RFC 9110 §4.2.1)",
    input: "GET http:///p HTTP/1.1\r\nHost: h\r\n\r\n",
    events: reject(400, "INVALID_TARGET"),
  },
  {
    name: "absolute-form with userinfo (RFC 9110 §4.2.4)",
    input: "GET http://user@example.com/ HTTP/1.1\r\nHost: h\r\n\r\n",
    events: reject(400, "INVALID_TARGET"),
  },

  // ── version ──
  ...["HTTP/2.0", "HTTP/0.9", "HTTP/3.0"].map((v): Case => ({
    name: `${v} is not supported (RFC 9110 §2.5, RFC 9112 §2.3)`,
    input: `GET / ${v}\r\nHost: h\r\n\r\n`,
    events: reject(505, "HTTP_VERSION_NOT_SUPPORTED"),
  })),
  ...["HTTP/1", "HTTP/1.10", "http/1.1", "HTTP/1.x", "HTTP/11", "HTTPS/1.1", "HTTP/1.1.1"].map((v): Case => ({
    name: `malformed version ${v} (RFC 9112 §2.3)`,
    input: `GET / ${v}\r\nHost: h\r\n\r\n`,
    events: reject(400, "INVALID_VERSION"),
  })),

  // ── Host ──
  {
    name: "HTTP/1.1 without Host (RFC 9112 §3.2)",
    input: "GET / HTTP/1.1\r\nAccept: */*\r\n\r\n",
    events: reject(400, "MISSING_HOST"),
  },
  {
    name: "HTTP/1.1 absolute-form without Host (RFC 9112 §3.2)",
    input: "GET http://a/ HTTP/1.1\r\n\r\n",
    events: reject(400, "MISSING_HOST"),
  },
  {
    name: "two Host fields (RFC 9112 §3.2)",
    input: "GET / HTTP/1.1\r\nHost: a\r\nhost: a\r\n\r\n",
    events: reject(400, "DUPLICATE_HOST"),
  },
  {
    name: "two Host fields in HTTP/1.0 (RFC 9112 §3.2)",
    input: "GET / HTTP/1.0\r\nHost: a\r\nHost: b\r\n\r\n",
    events: reject(400, "DUPLICATE_HOST"),
  },
  {
    name: "space inside Host (RFC 9112 §3.2)",
    input: "GET / HTTP/1.1\r\nHost: a b\r\n\r\n",
    events: reject(400, "INVALID_HOST"),
  },
  {
    name: "'/' in Host (RFC 9112 §3.2)",
    input: "GET / HTTP/1.1\r\nHost: a/b\r\n\r\n",
    events: reject(400, "INVALID_HOST"),
  },
  {
    name: "'@' in Host (RFC 9110 §4.2.4)",
    input: "GET / HTTP/1.1\r\nHost: u@a\r\n\r\n",
    events: reject(400, "INVALID_HOST"),
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

  // ── an error in a later pipelined request leaves the earlier one intact ──
  {
    name: "second pipelined request is malformed (RFC 9112 §9.3.2)",
    input: "GET /1 HTTP/1.1\r\nHost: h\r\n\r\nGET /2 HTTP/1.1\r\nHost : h\r\n\r\n",
    events: [{ head: { path: "/1" } }, { complete: null }, { error: { status: 400, code: "SPACE_BEFORE_COLON" } }],
  },
];

describe("RequestParser: valid requests", () => {
  for (const c of valid) it(c.name, () => check(c));
});

describe("RequestParser: rejections", () => {
  for (const c of invalid) it(c.name, () => check(c));
});

describe("RequestParser: API behaviour", () => {
  it("returns after each pipelined request so the caller loops (RFC 9112 §9.3.2)", () => {
    const one = "GET /x HTTP/1.1\r\nHost: h\r\n\r\n";
    const withBody = "POST /y HTTP/1.1\r\nHost: h\r\nContent-Length: 2\r\n\r\nok";
    const input = bytes(one + withBody + one);
    const seen: string[] = [];
    const p = new RequestParser({
      onHead: (h) => seen.push(h.path),
      onBody: () => {},
      onMessageComplete: () => seen.push("done"),
    });
    const n1 = p.execute(input);
    expect(n1).toBe(one.length);
    expect(seen).toEqual(["/x", "done"]);
    const n2 = p.execute(input.subarray(n1));
    expect(n2).toBe(withBody.length);
    expect(p.execute(input.subarray(n1 + n2))).toBe(one.length);
    expect(seen).toEqual(["/x", "done", "/y", "done", "/x", "done"]);
    expect(p.execute(new Uint8Array(0))).toBe(0);
  });

  it("passes body bytes as views into the input, never copies (DESIGN §3)", () => {
    const input = bytes("POST / HTTP/1.1\r\nHost: h\r\nContent-Length: 5\r\n\r\nhello");
    let chunk: Uint8Array | null = null;
    const p = new RequestParser({
      onHead: () => {},
      onBody: (c) => {
        chunk = c;
      },
      onMessageComplete: () => {},
    });
    p.execute(input);
    expect(chunk!.buffer).toBe(input.buffer);
    expect(chunk!.byteOffset).toBe(input.length - 5);
  });

  it("reports inBody and bodyRemaining while a body is read (RFC 9112 §6.2)", () => {
    const states: [string, boolean, number][] = [];
    const p = new RequestParser({
      onHead: () => states.push(["head", p.inBody, p.bodyRemaining]),
      onBody: (c) => states.push([text(c), p.inBody, p.bodyRemaining]),
      onMessageComplete: () => states.push(["done", p.inBody, p.bodyRemaining]),
    });
    p.execute(bytes("POST / HTTP/1.1\r\nHost: h\r\nContent-Length: 5\r\n\r\nhe"));
    p.execute(bytes("llo"));
    expect(states).toEqual([
      ["head", true, 5],
      ["he", true, 3],
      ["llo", true, 0],
      ["done", false, -1],
    ]);
    expect(p.inBody).toBe(false);
    states.length = 0;
    p.execute(bytes("POST / HTTP/1.1\r\nHost: h\r\nTransfer-Encoding: chunked\r\n\r\n2\r\nab\r\n0\r\n"));
    expect(p.inBody).toBe(true);
    expect(p.bodyRemaining).toBe(-1);
    p.execute(bytes("\r\n"));
    expect(p.inBody).toBe(false);
    expect(states.map((s) => s[0])).toEqual(["head", "ab", "done"]);
  });

  it("fails a never-terminated header line at the limit when fed in small pieces (RFC 6585 §5)", () => {
    const limit = 1024;
    const p = new RequestParser(
      { onHead: () => {}, onBody: () => {}, onMessageComplete: () => {} },
      { maxHeaderSize: limit },
    );
    let fed = 0;
    let result = 0;
    const head = bytes("GET / HTTP/1.1\r\nHost: h\r\nX-Endless: ");
    result = p.execute(head);
    fed += head.length;
    const piece = bytes("aaaaaaa");
    while (result >= 0 && fed < 100 * limit) {
      result = p.execute(piece);
      fed += piece.length;
    }
    expect(result).toBe(-1);
    expect(p.error!.status).toBe(431);
    expect(p.error!.code).toBe("HEADERS_TOO_LARGE");
    expect(fed).toBeGreaterThan(limit);
    expect(fed).toBeLessThanOrEqual(limit + piece.length);
  });

  it("fails a never-terminated request line at the limit when fed byte by byte (RFC 9112 §3)", () => {
    const p = new RequestParser(
      { onHead: () => {}, onBody: () => {}, onMessageComplete: () => {} },
      { maxRequestLineSize: 256 },
    );
    let fed = 0;
    let result = p.execute(bytes("GET /"));
    fed += 5;
    const a = bytes("a");
    while (result >= 0 && fed < 10_000) {
      result = p.execute(a);
      fed++;
    }
    expect(p.error!.status).toBe(414);
    expect(fed).toBe(257);
  });

  it("errors carry a status, a code and a sentence-case message", () => {
    const p = new RequestParser({ onHead: () => {}, onBody: () => {}, onMessageComplete: () => {} });
    expect(p.execute(bytes("GET / HTTP/1.1\r\nHost: a\r\nHost: b\r\n\r\n"))).toBe(-1);
    expect(p.error).toMatchObject({ name: "HttpError", status: 400, code: "DUPLICATE_HOST", expose: true });
    expect(p.error!.message).toMatch(/^[A-Z][a-z]/);
  });

  it("interns common methods and header names", () => {
    const heads: RequestHead[] = []!;
    const p = new RequestParser({ onHead: (h) => heads.push(h), onBody: () => {}, onMessageComplete: () => {} });
    const input = bytes("GET / HTTP/1.1\r\nHost: h\r\nAccept-Encoding: gzip\r\nX-Custom: 1\r\n\r\n");
    p.execute(input);
    p.execute(input);
    expect(heads[0]!.method).toBe("GET");
    expect(heads[0]!.headers).toEqual(["host", "h", "accept-encoding", "gzip", "x-custom", "1"]);
    expect(heads[0]!.headers).toEqual(heads[1]!.headers);
  });
});
