import { describe, expect, it } from "vitest";
import { type ResponseHead, ResponseParser, type ResponseParserOptions } from "./response-parser.ts";
import { bytes, replay, text, traceBody, type TraceEvent } from "../../test/support/replay.ts";

// Bytes in → events out, each case replayed at every split point (test/support/replay.ts).

/** `info`: the status of an interim 1xx response. */
type Event = TraceEvent<ResponseHead> | { info: number };
type Expected = TraceEvent<Partial<ResponseHead>> | { info: number };

interface Case {
  name: string;
  input: string;
  /** Methods of the requests answered, in order; "GET" past the end. */
  methods?: string[];
  options?: ResponseParserOptions;
  /** Call finish() after the last byte (the server closed). */
  eof?: boolean;
  events: Expected[];
}

function run(pieces: Uint8Array[], c: Case): Event[] {
  const trace: Event[] = [];
  const methods = c.methods ?? [];
  let completed = 0;
  const parser = new ResponseParser(
    {
      onHead(head) {
        trace.push({ head });
      },
      onInformational(head) {
        trace.push({ info: head.status });
      },
      onBody(chunk) {
        traceBody(trace, chunk);
      },
      onMessageComplete(trailers) {
        trace.push({ complete: trailers });
        completed++;
        parser.method = methods[completed] ?? "GET";
      },
    },
    c.options,
  );
  parser.method = methods[0] ?? "GET";
  const failed = (): Event[] => {
    expect(parser.error).not.toBeNull();
    trace.push({ error: { status: parser.error!.status, code: parser.error!.code } });
    // A dead parser stays dead.
    expect(parser.execute(bytes("HTTP/1.1 200 OK\r\n"))).toBe(-1);
    return trace;
  };
  for (let i = 0; i < pieces.length; i++) {
    let piece = pieces[i]!;
    while (piece.length > 0) {
      const n = parser.execute(piece);
      if (n < 0) return failed();
      if (parser.upgraded) {
        let rest = text(piece.subarray(n));
        for (let j = i + 1; j < pieces.length; j++) rest += text(pieces[j]!);
        trace.push({ rest });
        return trace;
      }
      if (n === 0) throw new Error("execute consumed nothing");
      piece = piece.subarray(n);
    }
  }
  if (c.eof && !parser.finish()) return failed();
  return trace;
}

function check(c: Case): void {
  replay(c.input, (pieces) => run(pieces, c), c.events);
}

function reject(code: string, before: Expected[] = []): Expected[] {
  return [...before, { error: { status: 502, code } }];
}

const OK = "HTTP/1.1 200 OK\r\n";

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

describe("ResponseParser: valid responses", () => {
  for (const c of valid) it(c.name, () => check(c));
});

describe("ResponseParser: rejections", () => {
  for (const c of invalid) it(c.name, () => check(c));
});

describe("ResponseParser: API behaviour", () => {
  it("returns after each response so the caller can set the next method", () => {
    const one = OK + "Content-Length: 2\r\n\r\nhi";
    const input = bytes(one + one);
    let completions = 0;
    const p = new ResponseParser({ onHead: () => {}, onBody: () => {}, onMessageComplete: () => completions++ });
    expect(p.execute(input)).toBe(one.length);
    expect(completions).toBe(1);
    expect(p.idle).toBe(true);
    expect(p.execute(input.subarray(one.length))).toBe(one.length);
    expect(completions).toBe(2);
    expect(p.execute(new Uint8Array(0))).toBe(0);
  });

  it("passes body bytes as views into the input, never copies (DESIGN §3)", () => {
    const input = bytes(OK + "Content-Length: 5\r\n\r\nhello");
    let chunk: Uint8Array | null = null;
    const p = new ResponseParser({ onHead: () => {}, onBody: (c) => (chunk = c), onMessageComplete: () => {} });
    p.execute(input);
    expect(chunk!.buffer).toBe(input.buffer);
    expect(chunk!.byteOffset).toBe(input.length - 5);
  });

  it("reports inBody and idle while a response is read", () => {
    const p = new ResponseParser({ onHead: () => {}, onBody: () => {}, onMessageComplete: () => {} });
    expect(p.idle).toBe(true);
    p.execute(bytes("HTTP/1.1 2"));
    expect(p.idle).toBe(false);
    expect(p.inBody).toBe(false);
    p.execute(bytes("00 OK\r\nContent-Length: 3\r\n\r\na"));
    expect(p.inBody).toBe(true);
    p.execute(bytes("bc"));
    expect(p.inBody).toBe(false);
    expect(p.idle).toBe(true);
  });

  it("fails a never-ending header line at the limit when fed in small pieces", () => {
    const limit = 1024;
    const p = new ResponseParser({ onHead: () => {}, onBody: () => {}, onMessageComplete: () => {} }, {
      maxHeaderSize: limit,
    });
    let fed = 0;
    const head = bytes(OK + "X-Endless: ");
    let result = p.execute(head);
    fed += head.length;
    const piece = bytes("aaaaaaa");
    while (result >= 0 && fed < 100 * limit) {
      result = p.execute(piece);
      fed += piece.length;
    }
    expect(result).toBe(-1);
    expect(p.error!.code).toBe("HEADERS_TOO_LARGE");
    expect(fed).toBeGreaterThan(limit);
    expect(fed).toBeLessThanOrEqual(limit + piece.length);
  });

  it("rejects data after a close-delimited response has ended", () => {
    const p = new ResponseParser({ onHead: () => {}, onBody: () => {}, onMessageComplete: () => {} });
    p.execute(bytes(OK + "\r\nbody"));
    expect(p.finish()).toBe(true);
    expect(p.execute(bytes("more"))).toBe(-1);
    expect(p.error!.code).toBe("DATA_AFTER_CLOSE");
  });

  it("errors are HttpErrors with status 502, a code and a sentence-case message", () => {
    const p = new ResponseParser({ onHead: () => {}, onBody: () => {}, onMessageComplete: () => {} });
    expect(p.execute(bytes(OK + "Content-Length: 1\r\nContent-Length: 2\r\n\r\n"))).toBe(-1);
    expect(p.error).toMatchObject({
      name: "HttpError",
      status: 502,
      code: "CONFLICTING_CONTENT_LENGTH",
      expose: false,
    });
    expect(p.error!.message).toMatch(/^[A-Z][a-z]/);
  });

  it("parses the serializer's own output (round trip)", async () => {
    const { serializeResponseHead } = await import("./response-serializer.ts");
    const head = serializeResponseHead(200, ["content-type", "text/plain"], "length", 3, true, 1);
    const heads: ResponseHead[] = []!;
    const p = new ResponseParser({ onHead: (h) => heads.push(h), onBody: () => {}, onMessageComplete: () => {} });
    expect(p.execute(bytes(head + "abc"))).toBe(head.length + 3);
    expect(heads[0]).toMatchObject({ status: 200, reason: "OK", contentLength: 3, framing: "length", keepAlive: true });
    expect(heads[0]!.headers.slice(0, 4)).toEqual(["content-type", "text/plain", "content-length", "3"]);
  });
});
