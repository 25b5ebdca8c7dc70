// The HTTP/2 server connection over a fake transport: requests in, responses out, with bodies,
// trailers, CONTINUATION and concurrent streams (RFC 9113 §8.1).
import { describe, expect, it } from "vitest";
import {
  FLAG_END_HEADERS,
  FLAG_END_STREAM,
  FRAME_CONTINUATION,
  FRAME_DATA,
  FRAME_HEADERS,
} from "../../http2/frame-types.ts";
import { Gate, testApp } from "../../../test/support/h2-test-app.ts";
import { bodyOf, field, settle, TestPeer } from "../../../test/support/h2-test-peer.ts";
import { peer, t } from "../../../test/support/h2-connection-peer.ts";

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
