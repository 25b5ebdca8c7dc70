// The HTTP/2 server connection over a fake transport, from the preface to the close: SETTINGS,
// shutdown, timeouts, the client's GOAWAY and half-close, and the shared write buffer (RFC 9113).
import { describe, expect, it } from "vitest";
import { App } from "../../app/app.ts";
import { FakeTransport } from "../../../test/support/fake-transport.ts";
import { createServerCore } from "../../app/serve-target.ts";
import { CLIENT_PREFACE } from "../../http2/frame-types.ts";
import { Http2Connection } from "./http2-connection.ts";
import {
  SETTINGS_INITIAL_WINDOW_SIZE,
  SETTINGS_MAX_CONCURRENT_STREAMS,
  SETTINGS_MAX_FRAME_SIZE,
  SETTINGS_MAX_HEADER_LIST_SIZE,
} from "../../http2/settings.ts";
import { Gate, testApp } from "../../../test/support/h2-test-app.ts";
import { bodyOf, concat, enc, settle, TestPeer } from "../../../test/support/h2-test-peer.ts";
import { peer, t } from "../../../test/support/h2-connection-peer.ts";

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
