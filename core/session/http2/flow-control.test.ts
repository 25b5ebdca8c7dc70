// Flow control both ways (RFC 9113 §5.2, §6.9): windows, WINDOW_UPDATE as the app consumes,
// SETTINGS_INITIAL_WINDOW_SIZE changes on open streams (negative windows), overflow errors.
import { describe, expect, it } from "vitest";
import { errorCodeName } from "../../http2/errors.ts";
import { InboundWindow } from "./flow-control.ts";
import { CLIENT_PREFACE, FLAG_ACK, FRAME_DATA, FRAME_SETTINGS } from "../../http2/frame-types.ts";
import { SETTINGS_INITIAL_WINDOW_SIZE, SETTINGS_MAX_FRAME_SIZE } from "../../http2/settings.ts";
import { Gate, testApp } from "../../../test/support/h2-test-app.ts";
import { bodyOf, frame, type OutFrame, settle, TestPeer, trace } from "../../../test/support/h2-test-peer.ts";

const t = (frames: OutFrame[]): string[] => trace(frames, errorCodeName);

function peer(gate = new Gate(), options = {}): TestPeer {
  return new TestPeer(testApp(gate), options);
}

function dataLengths(frames: OutFrame[], streamId: number): number[] {
  return frames.filter((f) => f.type === FRAME_DATA && f.streamId === streamId).map((f) => f.payload.length);
}

describe("InboundWindow", () => {
  it("accepts up to the window and refuses more", () => {
    const w = new InboundWindow(100);
    expect(w.receive(60)).toBe(true);
    expect(w.receive(41)).toBe(false);
    expect(w.receive(40)).toBe(true);
    expect(w.available).toBe(0);
  });
  it("gives credit back once half the window is consumed", () => {
    const w = new InboundWindow(100);
    w.receive(100);
    expect(w.consume(49)).toBe(0);
    expect(w.consume(1)).toBe(50);
    expect(w.available).toBe(50);
    expect(w.consume(10)).toBe(0);
    expect(w.release()).toBe(10);
  });
  it("shifts by the delta when our initial window changes, possibly below zero (§6.9.2)", () => {
    const w = new InboundWindow(65535);
    w.receive(5000);
    w.resize(1000);
    expect(w.available).toBe(-4000);
    expect(w.receive(1)).toBe(false);
  });
});

describe("sending: the peer's windows (§6.9)", () => {
  it("sends no more than a window of 1, then the rest after WINDOW_UPDATE", () => {
    const p = peer();
    p.handshake([[SETTINGS_INITIAL_WINDOW_SIZE, 1]]);
    p.send(p.get(1));
    expect(t(p.frames())).toEqual(["HEADERS 1 200", "DATA 1 1"]);
    p.send(p.windowUpdate(1, 5));
    expect(t(p.frames())).toEqual(["DATA 1 5"]);
    p.send(p.windowUpdate(1, 100));
    expect(t(p.frames())).toEqual(["DATA 1 7 es"]);
  });

  it("applies a new SETTINGS_INITIAL_WINDOW_SIZE to open streams (§6.9.2)", () => {
    const p = peer();
    p.handshake([[SETTINGS_INITIAL_WINDOW_SIZE, 0]]);
    p.send(p.get(1));
    expect(t(p.frames())).toEqual(["HEADERS 1 200"]);
    p.send(p.settings([[SETTINGS_INITIAL_WINDOW_SIZE, 1]]));
    expect(t(p.frames())).toEqual(["SETTINGS ack", "DATA 1 1"]);
  });

  it("tracks a window made negative by SETTINGS and sends only once it is positive (§6.9.2)", () => {
    const p = peer();
    p.handshake([[SETTINGS_INITIAL_WINDOW_SIZE, 3]]);
    p.send(p.get(1));
    expect(t(p.frames())).toEqual(["HEADERS 1 200", "DATA 1 3"]);
    p.send(p.settings([[SETTINGS_INITIAL_WINDOW_SIZE, 2]])); // window 3 - 3 - 1 = -1
    expect(t(p.frames())).toEqual(["SETTINGS ack"]);
    p.send(p.windowUpdate(1, 1)); // 0
    expect(t(p.frames())).toEqual([]);
    p.send(p.windowUpdate(1, 2)); // 2
    expect(t(p.frames())).toEqual(["DATA 1 2"]);
  });

  it("stops at the connection window and resumes on WINDOW_UPDATE for stream 0", () => {
    const p = peer();
    p.handshake([[SETTINGS_INITIAL_WINDOW_SIZE, 1 << 20]]);
    p.send(p.get(1, "/big"));
    expect(dataLengths(p.frames(), 1).reduce((a, b) => a + b, 0)).toBe(65535);
    p.send(p.windowUpdate(0, 100_000));
    const rest = p.frames();
    expect(dataLengths(rest, 1).reduce((a, b) => a + b, 0)).toBe(100_000 - 65535);
    expect(t(rest).at(-1)).toMatch(/ es$/);
  });

  it("shares the connection window fairly between streams", () => {
    const p = peer();
    p.handshake([[SETTINGS_INITIAL_WINDOW_SIZE, 1 << 20]]);
    p.send(p.get(1, "/big"), p.get(3, "/big"));
    p.frames();
    p.send(p.windowUpdate(0, 4 * 16384));
    expect(t(p.frames())).toEqual(["DATA 1 16384", "DATA 3 16384", "DATA 1 16384", "DATA 3 16384"]);
  });

  it("respects the peer's SETTINGS_MAX_FRAME_SIZE", () => {
    const p = peer();
    p.handshake([[SETTINGS_INITIAL_WINDOW_SIZE, 1 << 20], [SETTINGS_MAX_FRAME_SIZE, 40000]]);
    p.send(p.windowUpdate(0, 1 << 20), p.get(1, "/big"));
    expect(dataLengths(p.frames(), 1)).toEqual([40000, 40000, 20000]);
  });

  it("refuses a connection window past 2^31-1 with GOAWAY FLOW_CONTROL_ERROR (§6.9.1)", () => {
    const p = peer();
    p.handshake();
    p.send(p.windowUpdate(0, 0x7fffffff));
    expect(t(p.frames())).toEqual(["GOAWAY 0 FLOW_CONTROL_ERROR"]);
  });

  it("refuses a stream window past 2^31-1 with RST_STREAM FLOW_CONTROL_ERROR (§6.9.1)", () => {
    const p = peer();
    p.handshake();
    p.send(p.get(1, "/slow"), p.windowUpdate(1, 0x7fffffff));
    expect(t(p.frames())).toEqual(["RST_STREAM 1 FLOW_CONTROL_ERROR"]);
  });

  it("refuses a SETTINGS_INITIAL_WINDOW_SIZE that takes an open stream past 2^31-1 (§6.9.2)", () => {
    const p = peer();
    p.handshake();
    p.send(p.get(1, "/slow"), p.windowUpdate(1, 0x7fffffff - 65535));
    p.send(p.settings([[SETTINGS_INITIAL_WINDOW_SIZE, 65536]]));
    expect(t(p.frames())).toEqual(["GOAWAY 1 FLOW_CONTROL_ERROR"]);
  });
});

describe("receiving: our windows (§6.9)", () => {
  it("refuses DATA beyond the stream window with RST_STREAM FLOW_CONTROL_ERROR", () => {
    const p = peer();
    p.handshake();
    p.send(p.headers(1, p.request("POST", "/hold")));
    for (let i = 0; i < 3; i++) p.send(p.data(1, new Uint8Array(16384)));
    p.send(p.data(1, new Uint8Array(16383)));
    expect(t(p.frames())).toEqual([]);
    p.send(p.data(1, new Uint8Array(1)));
    expect(t(p.frames())).toEqual(["RST_STREAM 1 FLOW_CONTROL_ERROR"]);
  });

  it("refuses DATA beyond the connection window with GOAWAY FLOW_CONTROL_ERROR", () => {
    const p = peer(new Gate(), { http2: { connectionWindowSize: 65535 } });
    p.handshake();
    p.send(p.headers(1, p.request("POST", "/hold")), p.headers(3, p.request("POST", "/hold")));
    p.send(
      p.data(1, new Uint8Array(16384)),
      p.data(1, new Uint8Array(16384)),
      p.data(3, new Uint8Array(16384)),
      p.data(3, new Uint8Array(16383)),
    );
    expect(t(p.frames())).toEqual([]);
    p.send(p.data(3, new Uint8Array(1)));
    expect(t(p.frames())).toEqual(["GOAWAY 3 FLOW_CONTROL_ERROR"]);
  });

  it("gives credit back as the handler reads the body, not before", async () => {
    const gate = new Gate();
    const p = peer(gate, { http2: { connectionWindowSize: 65535 } });
    p.handshake();
    p.send(p.headers(1, p.request("POST", "/hold")));
    for (let i = 0; i < 3; i++) p.send(p.data(1, new Uint8Array(16384)));
    p.send(p.data(1, new Uint8Array(16383)));
    await settle();
    expect(t(p.frames())).toEqual([]); // the handler has not read: no credit
    gate.release();
    await settle();
    expect(t(p.frames())).toEqual(["WINDOW_UPDATE 0 32768", "WINDOW_UPDATE 1 32768"]);
    p.send(p.data(1, new Uint8Array(100), true));
    await settle();
    expect(bodyOf(p.frames(), 1)).toBe(String(65535 + 100));
  });

  it("uploads far more than the windows when the handler keeps reading", async () => {
    const p = peer();
    p.handshake();
    p.send(p.headers(1, p.request("POST", "/len")));
    let credit = 65535;
    let sent = 0;
    const total = 1_000_000;
    const seen: OutFrame[] = [];
    while (sent < total) {
      const n = Math.min(16384, credit, total - sent);
      if (n > 0) {
        p.send(p.data(1, new Uint8Array(n), sent + n === total));
        sent += n;
        credit -= n;
      }
      await settle();
      for (const f of p.frames()) {
        seen.push(f);
        if (f.type === 8 && f.streamId === 1) credit += f.increment!;
      }
    }
    await settle();
    seen.push(...p.frames());
    expect(t(seen).filter((s) => !s.startsWith("WINDOW_UPDATE"))).toEqual(["HEADERS 1 200", "DATA 1 7 es"]);
    expect(bodyOf(seen, 1)).toBe(String(total));
  });

  it("credits padding at once (§6.1)", () => {
    const p = peer(new Gate(), { http2: { initialWindowSize: 200 } });
    p.handshake();
    p.send(p.headers(1, p.request("POST", "/hold")), p.data(1, "x", false, 150));
    expect(t(p.frames())).toEqual(["WINDOW_UPDATE 1 151"]);
  });

  it("credits a discarded body at once", async () => {
    const p = peer(new Gate(), { http2: { initialWindowSize: 200 } });
    p.handshake();
    p.send(p.headers(1, p.request("POST", "/discard")));
    await settle();
    p.send(p.data(1, new Uint8Array(150)));
    expect(t(p.frames())).toEqual(["WINDOW_UPDATE 1 150"]);
  });

  it("holds the client to a smaller initial window once it acknowledges it (§6.9.2)", () => {
    const p = peer(new Gate(), { http2: { initialWindowSize: 1000 } });
    p.send(CLIENT_PREFACE, p.settings([]));
    p.frames();
    // Before the ACK the client may use the default 65535.
    p.send(p.headers(1, p.request("POST", "/hold")), p.data(1, new Uint8Array(5000)));
    expect(t(p.frames())).toEqual(["SETTINGS ack"].slice(1));
    p.send(frame(FRAME_SETTINGS, FLAG_ACK, 0));
    p.send(p.data(1, new Uint8Array(1)));
    expect(t(p.frames())).toEqual(["RST_STREAM 1 FLOW_CONTROL_ERROR"]);
  });
});
