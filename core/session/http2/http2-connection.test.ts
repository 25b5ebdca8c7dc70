// The HTTP/2 server connection over a fake transport: bytes in → frames out (RFC 9113).
import { describe, expect, it } from "vitest";
import { App } from "../../app/app.ts";
import { FakeTransport } from "../../../test/support/fake-transport.ts";
import { createServerCore } from "../../app/serve-target.ts";
import { ErrorCode, errorCodeName } from "../../http2/errors.ts";
import {
  CLIENT_PREFACE,
  FLAG_END_HEADERS,
  FLAG_END_STREAM,
  FRAME_CONTINUATION,
  FRAME_DATA,
  FRAME_HEADERS,
  FRAME_PUSH_PROMISE,
} from "../../http2/frame-types.ts";
import { Http2Connection } from "./http2-connection.ts";
import {
  SETTINGS_INITIAL_WINDOW_SIZE,
  SETTINGS_MAX_CONCURRENT_STREAMS,
  SETTINGS_MAX_FRAME_SIZE,
  SETTINGS_MAX_HEADER_LIST_SIZE,
} from "../../http2/settings.ts";
import { Gate, testApp } from "../../../test/support/h2-test-app.ts";
import {
  bodyOf,
  concat,
  enc,
  field,
  frame,
  type OutFrame,
  settle,
  TestPeer,
  trace,
} from "../../../test/support/h2-test-peer.ts";

const t = (frames: OutFrame[]): string[] => trace(frames, errorCodeName);

function peer(gate = new Gate(), options = {}): TestPeer {
  return new TestPeer(testApp(gate), options);
}

describe("connection preface and SETTINGS (RFC 9113 §3.4, §6.5)", () => {
  it("answers the preface with SETTINGS and opens the connection window, then ACKs the client's SETTINGS", () => {
    const p = peer();
    const frames = p.handshake();
    expect(t(frames)).toEqual(["SETTINGS", `WINDOW_UPDATE 0 ${1024 * 1024 - 65535}`, "SETTINGS ack"]);
    expect(frames[0]!.settings).toEqual([[SETTINGS_MAX_CONCURRENT_STREAMS, 100], [
      SETTINGS_MAX_HEADER_LIST_SIZE,
      65536,
    ]]);
  });

  it("advertises non-default windows and frame sizes", () => {
    const p = peer(new Gate(), { http2: { initialWindowSize: 1000, maxFrameSize: 32768 } });
    const frames = p.handshake();
    expect(frames[0]!.settings).toContainEqual([SETTINGS_INITIAL_WINDOW_SIZE, 1000]);
    expect(frames[0]!.settings).toContainEqual([SETTINGS_MAX_FRAME_SIZE, 32768]);
  });

  it("serves a request fed one byte at a time, and at every split point", () => {
    const reference = peer();
    const script = (p: TestPeer): Uint8Array => concat(CLIENT_PREFACE, p.settings([]), p.get(1), p.ping());
    const whole = script(reference);
    reference.send(whole);
    const expected = t(reference.frames());
    expect(expected).toEqual([
      "SETTINGS",
      `WINDOW_UPDATE 0 ${1024 * 1024 - 65535}`,
      "SETTINGS ack",
      "HEADERS 1 200",
      "DATA 1 13 es",
      "PING ack",
    ]);
    for (let split = 1; split < whole.length; split++) {
      const p = peer();
      const bytes = script(p);
      p.send(bytes.subarray(0, split));
      p.send(bytes.subarray(split));
      expect(t(p.frames()), `split at ${split}`).toEqual(expected);
    }
    const bytewise = peer();
    const bytes = script(bytewise);
    for (let i = 0; i < bytes.length; i++) bytewise.send(bytes.subarray(i, i + 1));
    expect(t(bytewise.frames())).toEqual(expected);
  });

  it("refuses an invalid preface with GOAWAY PROTOCOL_ERROR (§3.4)", () => {
    const transport = new FakeTransport();
    const server = createServerCore(testApp());
    const conn = new Http2Connection(transport, server);
    transport.handler = conn;
    conn.data(enc.encode("PRI * HTTP/2.0\r\n\r\nXX\r\n\r\n"));
    const p = new TestPeer(testApp()); // only to decode what the connection wrote
    p.transport.writes.push(...transport.writes);
    expect(t(p.frames()).at(-1)).toBe("GOAWAY 0 PROTOCOL_ERROR");
    expect(transport.ended).toBe(true);
  });

  it("requires SETTINGS as the first frame (§3.4)", () => {
    const p = peer();
    p.send(CLIENT_PREFACE, p.ping());
    expect(t(p.frames()).at(-1)).toBe("GOAWAY 0 PROTOCOL_ERROR");
  });

  it("times out a peer that never acknowledges our SETTINGS (§6.5.3)", () => {
    const p = peer();
    p.send(CLIENT_PREFACE, p.settings([]));
    p.frames();
    p.tick(10_001);
    expect(t(p.frames())).toEqual(["GOAWAY 0 SETTINGS_TIMEOUT"]);
  });
});

describe("requests and responses (RFC 9113 §8.1)", () => {
  it("serves GET with :status, content-type, content-length and date", () => {
    const p = peer();
    p.handshake();
    p.send(p.get(1));
    const frames = p.frames();
    expect(t(frames)).toEqual(["HEADERS 1 200", "DATA 1 13 es"]);
    const fields = frames[0]!.fields!;
    expect(field(fields, "content-type")).toBe("text/plain; charset=utf-8");
    expect(field(fields, "content-length")).toBe("13");
    expect(Number.isNaN(Date.parse(field(fields, "date")!))).toBe(false);
    expect(bodyOf(frames, 1)).toBe("Hello, World!");
  });

  it("sends no body for HEAD, 204 and 304 (RFC 9110 §6.4.1)", () => {
    const p = peer();
    p.handshake();
    p.send(p.headers(1, p.request("HEAD", "/"), { endStream: true }), p.get(3, "/status/204"), p.get(5, "/status/304"));
    const frames = p.frames();
    expect(t(frames)).toEqual(["HEADERS 1 200 es", "HEADERS 3 204 es", "HEADERS 5 304 es"]);
    expect(field(frames[0]!.fields, "content-length")).toBe("13");
    expect(field(frames[1]!.fields, "content-length")).toBeUndefined();
  });

  it("echoes a request body sent in DATA frames", async () => {
    const p = peer();
    p.handshake();
    p.send(p.headers(1, p.request("POST", "/echo")), p.data(1, "hello "), p.data(1, "world", true));
    await settle();
    const frames = p.frames();
    expect(frames[0]!.type).toBe(FRAME_HEADERS);
    expect(field(frames[0]!.fields, ":status")).toBe("200");
    expect(bodyOf(frames, 1)).toBe("hello world");
    expect(frames.at(-1)!.flags & FLAG_END_STREAM).toBe(FLAG_END_STREAM);
  });

  it("accepts padded DATA and padded, prioritised HEADERS (§6.1, §6.2)", async () => {
    const p = peer();
    p.handshake();
    p.send(
      p.headers(1, p.request("POST", "/len"), { pad: 5, priority: [0, 200, true] }),
      p.data(1, "abc", false, 4),
      p.data(1, "de", true, 0),
    );
    await settle();
    expect(bodyOf(p.frames(), 1)).toBe("5");
  });

  it("assembles a field block from HEADERS and CONTINUATION frames (§6.10)", () => {
    const p = peer();
    p.handshake();
    const block = p.block(p.request("GET", "/", ["x-long", "y".repeat(3000)]));
    p.send(
      p.headers(1, block.subarray(0, 10), { endStream: true, endHeaders: false }),
      p.continuation(1, block.subarray(10, 20), false),
      p.continuation(1, block.subarray(20)),
    );
    expect(t(p.frames())).toEqual(["HEADERS 1 200", "DATA 1 13 es"]);
  });

  it("receives request trailers (§8.1)", async () => {
    const p = peer();
    p.handshake();
    p.send(
      p.headers(1, p.request("POST", "/trailers-echo")),
      p.data(1, "payload"),
      p.headers(1, ["x-sum", "7"], { endStream: true }),
    );
    await settle();
    expect(JSON.parse(bodyOf(p.frames(), 1))).toEqual({ body: "payload", trailers: ["x-sum", "7"] });
  });

  it("sends response trailers after the body (§8.1)", () => {
    const p = peer();
    p.handshake();
    p.send(p.get(1, "/trailers"));
    const frames = p.frames();
    expect(t(frames)).toEqual(["HEADERS 1 200", "DATA 1 4", "HEADERS 1 - es"]);
    expect(frames[2]!.fields).toEqual(["x-checksum", "42", "x-upper", "ok"]);
  });

  it("sends trailers computed once a streamed body is done", async () => {
    const p = peer();
    p.handshake();
    p.send(p.get(1, "/trailers-late"));
    await settle();
    const frames = p.frames();
    expect(bodyOf(frames, 1)).toBe("abc");
    expect(frames.at(-1)!.fields).toEqual(["x-count", "3"]);
    expect(frames.at(-1)!.flags & FLAG_END_STREAM).toBe(FLAG_END_STREAM);
  });

  it("streams a response body", async () => {
    const p = peer();
    p.handshake();
    p.send(p.get(1, "/stream"));
    await settle();
    const frames = p.frames();
    expect(bodyOf(frames, 1)).toBe("abcd");
    expect(field(frames[0]!.fields, "content-length")).toBeUndefined();
  });

  it("answers a failing handler with 500 and keeps the connection", () => {
    const p = peer();
    p.handshake();
    p.send(p.get(1, "/fail"), p.get(3));
    const frames = p.frames();
    expect(t(frames)).toEqual(["HEADERS 1 500", "DATA 1 21 es", "HEADERS 3 200", "DATA 3 13 es"]);
  });

  it("answers a response with an invalid header with 500 (no CR/LF reaches the wire)", () => {
    const p = peer();
    p.handshake();
    p.send(p.get(1, "/bad-header"));
    expect(t(p.frames())).toEqual(["HEADERS 1 500", "DATA 1 21 es"]);
  });

  it("resets only the stream when a streamed body fails midway", async () => {
    const p = peer();
    p.handshake();
    p.send(p.get(1, "/fail-midway"));
    await settle();
    p.send(p.get(3));
    expect(t(p.frames())).toEqual([
      "HEADERS 1 200",
      "DATA 1 7",
      "RST_STREAM 1 INTERNAL_ERROR",
      "HEADERS 3 200",
      "DATA 3 13 es",
    ]);
  });

  it("serves many streams concurrently and interleaves their answers", async () => {
    const gate = new Gate();
    const p = peer(gate);
    p.handshake();
    p.send(p.get(1, "/slow"), p.get(3), p.get(5, "/slow"));
    expect(t(p.frames())).toEqual(["HEADERS 3 200", "DATA 3 13 es"]);
    gate.release();
    await settle();
    expect(t(p.frames())).toEqual(["HEADERS 1 200", "DATA 1 4 es", "HEADERS 5 200", "DATA 5 4 es"]);
  });

  it("coalesces the answers produced by one read into one write", () => {
    const p = peer();
    p.handshake();
    const before = p.transport.writes.length;
    p.send(p.get(1), p.get(3), p.get(5), p.ping());
    expect(p.transport.writes.length).toBe(before + 1);
  });

  it("serves a fetch-style handler (Request in, Response out)", async () => {
    const p = new TestPeer(async (request: Request) => {
      const url = new URL(request.url);
      const body = request.method === "POST" ? await request.text() : "";
      return new Response(`${request.method} ${url.host}${url.pathname}${url.search} ${body}`, {
        headers: { "x-seen": request.headers.get("x-in") ?? "" },
      });
    });
    p.handshake();
    p.send(p.headers(1, p.request("POST", "/f?q=1", ["x-in", "yes"])), p.data(1, "data", true));
    for (let i = 0; i < 5; i++) await settle();
    const frames = p.frames();
    expect(field(frames[0]!.fields, "x-seen")).toBe("yes");
    expect(bodyOf(frames, 1)).toBe("POST test.local/f?q=1 data");
  });

  it("splits a large response head into HEADERS and CONTINUATION at the peer's frame size", () => {
    const app = testApp();
    app.get("/many", (c) => {
      for (let i = 0; i < 30; i++) c.header(`x-h${i}`, String(i).repeat(1000));
      return c.text("m");
    });
    const p = new TestPeer(app);
    p.handshake();
    p.send(p.get(1, "/many"));
    const frames = p.frames();
    expect(frames.map((f) => f.type)).toEqual([FRAME_HEADERS, FRAME_CONTINUATION, FRAME_CONTINUATION, FRAME_DATA]);
    expect(frames.map((f) => f.payload.length <= 16384)).toEqual([true, true, true, true]);
    expect(frames[2]!.flags & FLAG_END_HEADERS).toBe(FLAG_END_HEADERS);
    expect(field(frames[0]!.fields, "x-h29")).toBe("29".repeat(1000));
  });
});

/** After the handshake, `script` sends frames; `expected` is the trace of what comes back. */
type Case = [section: string, name: string, script: (p: TestPeer) => Uint8Array[], expected: string[]];

const states: Case[] = [
  ["§5.1", "DATA on an idle stream", (p) => [p.data(1, "x")], ["GOAWAY 0 PROTOCOL_ERROR"]],
  ["§6.4", "RST_STREAM on an idle stream", (p) => [p.rst(1, ErrorCode.CANCEL)], ["GOAWAY 0 PROTOCOL_ERROR"]],
  ["§5.1", "WINDOW_UPDATE on an idle stream", (p) => [p.windowUpdate(1, 100)], ["GOAWAY 0 PROTOCOL_ERROR"]],
  ["§6.10", "CONTINUATION without HEADERS", (p) => [p.continuation(1, p.block(p.request("GET", "/")))], [
    "GOAWAY 0 PROTOCOL_ERROR",
  ]],
  ["§5.1.1", "HEADERS on an even stream", (p) => [p.get(2)], ["GOAWAY 0 PROTOCOL_ERROR"]],
  ["§5.1.1", "a stream id below the last one", (p) => [p.get(5), p.get(3)], [
    "HEADERS 5 200",
    "DATA 5 13 es",
    "GOAWAY 5 PROTOCOL_ERROR",
  ]],
  ["§5.1", "DATA on a closed stream", (p) => [p.get(1), p.data(1, "x")], [
    "HEADERS 1 200",
    "DATA 1 13 es",
    "GOAWAY 1 STREAM_CLOSED",
  ]],
  ["§5.1", "HEADERS on a closed stream", (p) => [p.get(1), p.get(1)], [
    "HEADERS 1 200",
    "DATA 1 13 es",
    "GOAWAY 1 STREAM_CLOSED",
  ]],
  [
    "§5.1",
    "WINDOW_UPDATE, RST_STREAM, PRIORITY on a closed stream are ignored",
    (p) => [p.get(1), p.windowUpdate(1, 5), p.rst(1, 0), p.priority(1, 0), p.ping()],
    ["HEADERS 1 200", "DATA 1 13 es", "PING ack"],
  ],
  ["§5.1", "DATA in half-closed (remote)", (p) => [p.get(1, "/slow"), p.data(1, "x")], ["RST_STREAM 1 STREAM_CLOSED"]],
  [
    "§5.1",
    "HEADERS in half-closed (remote)",
    (p) => [p.get(1, "/slow"), p.headers(1, ["x-a", "1"], { endStream: true })],
    ["RST_STREAM 1 STREAM_CLOSED"],
  ],
  [
    "§5.1",
    "DATA after the client's RST_STREAM",
    (p) => [p.headers(1, p.request("GET", "/")), p.rst(1, ErrorCode.CANCEL), p.data(1, "x")],
    ["HEADERS 1 200", "DATA 1 13 es", "RST_STREAM 1 STREAM_CLOSED"],
  ],
  [
    "§5.1",
    "HEADERS after the client's RST_STREAM",
    (
      p,
    ) => [
      p.headers(1, p.request("GET", "/")),
      p.rst(1, ErrorCode.CANCEL),
      p.headers(1, ["x-a", "1"], { endStream: true }),
    ],
    ["HEADERS 1 200", "DATA 1 13 es", "RST_STREAM 1 STREAM_CLOSED"],
  ],
  [
    "§8.1",
    "a second HEADERS without END_STREAM",
    (p) => [p.headers(1, p.request("POST", "/hold")), p.headers(1, ["x-a", "1"])],
    ["RST_STREAM 1 PROTOCOL_ERROR"],
  ],
  [
    "§8.1",
    "pseudo-header fields in trailers",
    (p) => [p.headers(1, p.request("POST", "/hold")), p.headers(1, [":path", "/"], { endStream: true })],
    ["RST_STREAM 1 PROTOCOL_ERROR"],
  ],
  [
    "§8.1.1",
    "fewer DATA octets than content-length",
    (p) => [p.headers(1, p.request("POST", "/hold", ["content-length", "4"])), p.data(1, "abc", true)],
    ["RST_STREAM 1 PROTOCOL_ERROR"],
  ],
  [
    "§8.1.1",
    "more DATA octets than content-length",
    (p) => [p.headers(1, p.request("POST", "/hold", ["content-length", "2"])), p.data(1, "abc", true)],
    ["RST_STREAM 1 PROTOCOL_ERROR"],
  ],
  [
    "§8.1.1",
    "content-length mismatch after an early response",
    (p) => [p.headers(1, p.request("POST", "/ignore", ["content-length", "1"])), p.data(1, "abcd", true)],
    ["HEADERS 1 200", "DATA 1 7 es", "RST_STREAM 1 PROTOCOL_ERROR"],
  ],
  [
    "§8.1.1",
    "content-length with END_STREAM on HEADERS",
    (p) => [p.headers(1, p.request("POST", "/hold", ["content-length", "2"]), { endStream: true })],
    ["RST_STREAM 1 PROTOCOL_ERROR"],
  ],
  [
    "§8.2.1",
    "an uppercase field name",
    (p) => [p.headers(1, p.request("GET", "/", ["X-Up", "1"]), { endStream: true }), p.get(3)],
    ["RST_STREAM 1 PROTOCOL_ERROR", "HEADERS 3 200", "DATA 3 13 es"],
  ],
  ["§8.3.1", "no :path", (p) => [p.headers(1, [":method", "GET", ":scheme", "http"], { endStream: true })], [
    "RST_STREAM 1 PROTOCOL_ERROR",
  ]],
  [
    "§5.3.1",
    "HEADERS depending on itself (HPACK stays in step)",
    (
      p,
    ) => [
      p.headers(1, p.request("GET", "/", ["x-new", "v"]), { endStream: true, priority: [1, 16, false] }),
      p.get(3, "/", ["x-new", "v"]),
    ],
    ["RST_STREAM 1 PROTOCOL_ERROR", "HEADERS 3 200", "DATA 3 13 es"],
  ],
  ["§5.3.1", "PRIORITY depending on itself", (p) => [p.priority(3, 3)], ["RST_STREAM 3 PROTOCOL_ERROR"]],
  ["§6.3", "PRIORITY of the wrong length", () => [frame(2, 0, 3, [0, 0, 0, 1])], ["RST_STREAM 3 FRAME_SIZE_ERROR"]],
  ["§5.1", "PRIORITY on an idle stream, then a lower stream opens", (p) => [p.priority(9, 0), p.get(3)], [
    "HEADERS 3 200",
    "DATA 3 13 es",
  ]],
  [
    "§6.10",
    "a PRIORITY frame inside a field block",
    (p) => [p.headers(1, p.request("GET", "/"), { endHeaders: false, endStream: true }), p.priority(1, 0)],
    ["GOAWAY 0 PROTOCOL_ERROR"],
  ],
  ["§6.10", "CONTINUATION on another stream", (p) => {
    const block = p.block(p.request("GET", "/"));
    return [
      p.headers(1, block.subarray(0, 3), { endHeaders: false, endStream: true }),
      p.continuation(3, block.subarray(3)),
    ];
  }, ["GOAWAY 0 PROTOCOL_ERROR"]],
  ["§6.10", "CONTINUATION after END_HEADERS", (p) => [p.get(1), p.continuation(1, Uint8Array.of(0x82))], [
    "HEADERS 1 200",
    "DATA 1 13 es",
    "GOAWAY 1 PROTOCOL_ERROR",
  ]],
  [
    "§5.5",
    "an unknown frame inside a field block",
    (p) => [p.headers(1, p.request("GET", "/"), { endHeaders: false, endStream: true }), frame(0x20, 0, 1, [1])],
    ["GOAWAY 0 PROTOCOL_ERROR"],
  ],
  ["§5.5", "unknown frame types are ignored", (p) => [frame(0x20, 0, 0, [1, 2, 3]), p.ping()], ["PING ack"]],
  ["§8.4", "PUSH_PROMISE from the client", () => [frame(FRAME_PUSH_PROMISE, FLAG_END_HEADERS, 1, [0, 0, 0, 2, 0x82])], [
    "GOAWAY 0 PROTOCOL_ERROR",
  ]],
  ["§4.2", "a frame over SETTINGS_MAX_FRAME_SIZE", (p) => [p.data(1, new Uint8Array(16385))], [
    "GOAWAY 0 FRAME_SIZE_ERROR",
  ]],
  ["§4.3", "an undecodable field block", (p) => [p.headers(1, Uint8Array.of(0x80), { endStream: true })], [
    "GOAWAY 0 COMPRESSION_ERROR",
  ]],
  ["§6.7", "PING with ACK is not answered", (p) => [p.ping([1, 1, 1, 1, 1, 1, 1, 1], true), p.ping()], ["PING ack"]],
  ["§6.5", "a SETTINGS ACK is not answered", () => [frame(4, 1, 0)], []],
  ["§6.9", "WINDOW_UPDATE of 0 on a stream", (p) => [p.get(1, "/slow"), p.windowUpdate(1, 0)], [
    "RST_STREAM 1 PROTOCOL_ERROR",
  ]],
  ["§6.9", "WINDOW_UPDATE of 0 on the connection", (p) => [p.windowUpdate(0, 0)], ["GOAWAY 0 PROTOCOL_ERROR"]],
  ["§7", "RST_STREAM and GOAWAY with unknown error codes", (p) => [p.get(1, "/slow"), p.rst(1, 0xff), p.ping()], [
    "PING ack",
  ]],
  [
    "§8.1",
    "an early answer drains a small rest of the request",
    (p) => [p.headers(1, p.request("POST", "/ignore", ["content-length", "3"])), p.data(1, "abc", true), p.ping()],
    ["HEADERS 1 200", "DATA 1 7 es", "PING ack"],
  ],
  [
    "§8.1",
    "an early answer resets a large rest with NO_ERROR",
    (p) => [p.headers(1, p.request("POST", "/ignore", ["content-length", "1000000"]))],
    ["HEADERS 1 200", "DATA 1 7 es", "RST_STREAM 1 NO_ERROR"],
  ],
];

describe("stream states and errors (RFC 9113 §5.1, §5.4): bytes in → frames out", () => {
  it.each(states)("%s %s", (_section, _name, script, expected) => {
    const p = peer();
    p.handshake();
    p.send(...script(p));
    expect(t(p.frames())).toEqual(expected);
  });

  it("sends GOAWAY with the error's reason and closes (§5.4.1)", () => {
    const p = peer();
    p.handshake();
    p.send(p.data(1, "x"));
    const goaway = p.frames()[0]!;
    expect(goaway.debug).toMatch(/idle stream 1/);
    expect(p.transport.ended).toBe(true);
    p.send(p.get(3));
    expect(p.frames()).toEqual([]);
  });

  it("aborts the signal of a stream the client resets", async () => {
    const gate = new Gate();
    const p = peer(gate);
    p.handshake();
    p.send(p.get(1, "/slow"));
    await settle();
    p.send(p.rst(1, ErrorCode.CANCEL));
    expect(gate.signals[0]!.aborted).toBe(true);
    gate.release();
    await settle();
    expect(t(p.frames())).toEqual([]);
  });
});

describe("connection lifecycle", () => {
  it("shuts down gracefully: GOAWAY with the last stream, finish it, ignore newer ones, close (§6.8)", async () => {
    const gate = new Gate();
    const p = peer(gate);
    p.handshake();
    p.send(p.get(1, "/slow"));
    await settle();
    void p.server.shutdown();
    await settle();
    expect(t(p.frames())).toEqual(["GOAWAY 1 NO_ERROR"]);
    p.send(p.get(3));
    expect(t(p.frames())).toEqual([]);
    expect(p.transport.ended).toBe(false);
    gate.release();
    await settle();
    expect(t(p.frames())).toEqual(["HEADERS 1 200", "DATA 1 4 es"]);
    expect(p.transport.ended).toBe(true);
  });

  it("closes an idle connection after keepAliveTimeout with GOAWAY NO_ERROR", () => {
    const p = peer(new Gate(), { keepAliveTimeout: 1000 });
    p.handshake();
    p.send(p.get(1));
    p.frames();
    p.tick(500);
    expect(p.transport.ended).toBe(false);
    p.tick(1000);
    expect(t(p.frames())).toEqual(["GOAWAY 1 NO_ERROR"]);
    expect(p.transport.ended).toBe(true);
  });

  it("finishes and closes after the client's GOAWAY", async () => {
    const gate = new Gate();
    const p = peer(gate);
    p.handshake();
    p.send(p.get(1, "/slow"), p.goaway(1, 0));
    expect(p.transport.ended).toBe(false);
    gate.release();
    await settle();
    expect(t(p.frames())).toEqual(["HEADERS 1 200", "DATA 1 4 es"]);
    expect(p.transport.ended).toBe(true);
  });

  it("fails incomplete requests when the client half-closes TCP", async () => {
    const gate = new Gate();
    const p = peer(gate);
    p.handshake();
    p.send(p.headers(1, p.request("POST", "/hold")), p.data(1, "abc"));
    await settle();
    p.transport.handler!.end();
    expect(gate.signals[0]!.aborted).toBe(true);
    expect(p.transport.ended).toBe(true);
  });

  it("aborts complete requests still being answered when the client half-closes TCP, then ends", async () => {
    const gate = new Gate();
    const p = peer(gate);
    p.handshake();
    p.send(p.get(1, "/slow"), p.get(3, "/slow"));
    await settle();
    expect(gate.signals.length).toBe(2);
    p.transport.handler!.end();
    expect(gate.signals.map((s) => s.aborted)).toEqual([true, true]);
    expect(p.transport.ended).toBe(true);
    gate.release();
    await settle();
    expect(t(p.frames())).toEqual([]);
  });

  it("aborts every exchange when the socket closes", async () => {
    const gate = new Gate();
    const p = peer(gate);
    p.handshake();
    p.send(p.get(1, "/slow"), p.get(3, "/slow"));
    await settle();
    p.transport.close();
    expect(gate.signals.map((s) => s.aborted)).toEqual([true, true]);
    expect(p.server.connectionCount).toBe(0);
  });

  it("answers 408 when a request body does not arrive in time", async () => {
    const gate = new Gate();
    const p = peer(gate, { requestTimeout: 1000 });
    p.handshake();
    p.send(p.headers(1, p.request("POST", "/hold")), p.data(1, "abc"));
    await settle();
    p.tick(1001);
    expect(t(p.frames())).toEqual(["HEADERS 1 408", "DATA 1 33 es", "RST_STREAM 1 NO_ERROR"]);
    gate.release();
    await settle();
    expect(t(p.frames())).toEqual([]);
  });

  it("sends 100 Continue when the handler reads a body that expects it", async () => {
    const p = peer();
    p.handshake();
    p.send(p.headers(1, p.request("POST", "/len", ["expect", "100-continue"])));
    await settle();
    expect(t(p.frames())).toEqual(["HEADERS 1 100"]);
    p.send(p.data(1, "abcd", true));
    await settle();
    expect(bodyOf(p.frames(), 1)).toBe("4");
  });
});

describe("shared write buffer", () => {
  it("never lets one connection's DATA reach another connection's socket", () => {
    const size = 1 << 20;
    const app = new App().get("/large", (c) => c.body(new Uint8Array(size).fill(9))).get("/", (c) => c.text("hi"));
    const a = new TestPeer(app);
    a.handshake([[SETTINGS_INITIAL_WINDOW_SIZE, 0x7fffffff]]);
    a.send(a.windowUpdate(0, 0x7fffffff - 65535));
    a.send(a.get(1, "/large"));
    const b = new TestPeer(app);
    b.handshake();
    b.send(b.get(1, "/"));
    expect(bodyOf(a.frames(), 1).length).toBe(size);
    const bFrames = b.frames();
    expect(t(bFrames)).toEqual(["HEADERS 1 200", "DATA 1 2 es"]);
    expect(bodyOf(bFrames, 1)).toBe("hi");
  });
});
