// The HTTP/2 server connection over a fake transport: frames in each stream state, and the
// stream and connection errors they cause (RFC 9113 §5.1, §5.4): bytes in → frames out.
import { describe, expect, it } from "vitest";
import { ErrorCode } from "../../http2/errors.ts";
import { FLAG_END_HEADERS, FRAME_PUSH_PROMISE } from "../../http2/frame-types.ts";
import { Gate } from "../../../test/support/h2-test-app.ts";
import { frame, settle, type TestPeer } from "../../../test/support/h2-test-peer.ts";
import { peer, t } from "../../../test/support/h2-connection-peer.ts";

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
    // Reset by the very next frame, the request never reached the app (Rapid Reset defence).
    (p) => [p.headers(1, p.request("GET", "/")), p.rst(1, ErrorCode.CANCEL), p.data(1, "x")],
    ["RST_STREAM 1 STREAM_CLOSED"],
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
    ["RST_STREAM 1 STREAM_CLOSED"],
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
