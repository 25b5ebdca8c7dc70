// Defences against abusive HTTP/2 peers, each over a fake transport (RFC 9113 §10.5 and the
// advisories named in each case).
import { describe, expect, it } from "vitest";
import { ErrorCode, errorCodeName } from "../../http2/errors.ts";
import { FloodBudget } from "./defences.ts";
import { LINGER_BYTES } from "../linger.ts";
import { FRAME_DATA } from "../../http2/frame-types.ts";
import { SETTINGS_INITIAL_WINDOW_SIZE } from "../../http2/settings.ts";
import { Gate, testApp } from "../../../test/support/h2-test-app.ts";
import { bodyOf, frame, type OutFrame, settle, TestPeer, trace } from "../../../test/support/h2-test-peer.ts";

const t = (frames: OutFrame[]): string[] => trace(frames, errorCodeName);

function peer(gate = new Gate(), options = {}): TestPeer {
  return new TestPeer(testApp(gate), options);
}

describe("FloodBudget", () => {
  it("allows `limit` events per window and refills over time", () => {
    const b = new FloodBudget(3, 1000, 0);
    expect([b.spend(0), b.spend(0), b.spend(0), b.spend(0)]).toEqual([true, true, true, false]);
    expect(b.spend(334)).toBe(true); // a third of the window refills one token
    expect(b.spend(334)).toBe(false);
    expect(b.spend(5000)).toBe(true);
    expect(b.remaining).toBe(2);
  });
});

describe("max concurrent streams (RFC 9113 §5.1.2)", () => {
  it("refuses the 101st open stream with REFUSED_STREAM and accepts again once one ends", async () => {
    const gate = new Gate();
    const p = peer(gate);
    p.handshake();
    for (let id = 1; id <= 199; id += 2) p.send(p.get(id, "/slow"));
    expect(t(p.frames())).toEqual([]);
    p.send(p.get(201, "/slow"));
    expect(t(p.frames())).toEqual(["RST_STREAM 201 REFUSED_STREAM"]);
    gate.release();
    await settle();
    p.frames();
    p.send(p.get(203));
    expect(t(p.frames())).toEqual(["HEADERS 203 200", "DATA 203 13 es"]);
  });

  it("counts reset streams whose handler still runs (Rapid Reset, CVE-2023-44487)", async () => {
    const gate = new Gate();
    const p = peer(gate, { http2: { maxConcurrentStreams: 2 } });
    p.handshake();
    // Each reset in a read of its own: the handlers have started by then.
    for (const id of [1, 3]) {
      p.send(p.get(id, "/slow"));
      p.send(p.rst(id, ErrorCode.CANCEL));
    }
    await settle();
    expect(gate.waiting).toBe(2);
    p.send(p.get(5));
    expect(t(p.frames())).toEqual(["RST_STREAM 5 REFUSED_STREAM"]);
    gate.release();
    await settle();
    p.send(p.get(7));
    expect(t(p.frames())).toEqual(["HEADERS 7 200", "DATA 7 13 es"]);
  });
});

describe("reset floods", () => {
  it("Rapid Reset (CVE-2023-44487): streams opened and reset at once end in GOAWAY ENHANCE_YOUR_CALM", () => {
    const p = peer();
    p.handshake();
    let id = 1;
    for (let i = 0; i < 200; i++, id += 2) p.send(p.headers(id, p.request("GET", "/")), p.rst(id, ErrorCode.CANCEL));
    expect(t(p.frames()).filter((s) => s.startsWith("GOAWAY"))).toEqual([]);
    p.send(p.headers(id, p.request("GET", "/")), p.rst(id, ErrorCode.CANCEL));
    expect(t(p.frames()).at(-1)).toBe(`GOAWAY ${id} ENHANCE_YOUR_CALM`);
    expect(p.transport.ended).toBe(true);
  });

  it("resets of streams already answered count too (a reset flood of fast requests)", () => {
    const p = peer(undefined, { http2: { maxResets: 3 } });
    p.handshake();
    for (const id of [1, 3, 5, 7]) {
      p.send(p.get(id));
      p.send(p.rst(id, ErrorCode.CANCEL));
    }
    const lines = t(p.frames());
    expect(lines.filter((line) => line.startsWith("HEADERS"))).toHaveLength(4);
    expect(lines.at(-1)).toBe("GOAWAY 7 ENHANCE_YOUR_CALM");
  });

  it("a stream reset by the very next frame never reaches the app, and its reset counts", async () => {
    const gate = new Gate();
    const p = peer(gate, { http2: { maxResets: 3 } });
    p.handshake();
    for (const id of [1, 3, 5, 7]) p.send(p.get(id, "/slow"), p.rst(id, ErrorCode.CANCEL));
    await settle();
    expect(gate.waiting).toBe(0);
    expect(t(p.frames())).toEqual(["GOAWAY 7 ENHANCE_YOUR_CALM"]);
  });

  it("after GOAWAY the peer's bytes are read and dropped up to LINGER_BYTES, then the connection is cut", () => {
    for (
      const [what, setup] of [
        ["ENHANCE_YOUR_CALM", (p: TestPeer) => {
          for (const id of [1, 3]) p.send(p.get(id), p.rst(id, ErrorCode.CANCEL));
        }],
        ["PROTOCOL_ERROR", (p: TestPeer) => p.send(frame(FRAME_DATA, 0, 0, new Uint8Array(1)))],
      ] as const
    ) {
      const p = peer(undefined, { http2: { maxResets: 1 } });
      p.handshake();
      setup(p);
      expect(t(p.frames()).at(-1), what).toMatch(new RegExp(`^GOAWAY \\d+ ${what}$`));
      expect([p.transport.ended, p.transport.closed], what).toEqual([true, false]);
      const chunk = new Uint8Array(64 * 1024);
      for (let i = 0; i < LINGER_BYTES / chunk.length; i++) p.send(chunk);
      expect(p.transport.closed, what).toBe(false);
      p.send(new Uint8Array(1));
      expect(p.transport.closed, what).toBe(true);
    }
  });

  it("a request followed by any other frame in the same read is served before that frame", () => {
    const p = peer();
    p.handshake();
    p.send(p.get(1), p.ping(), p.get(3), p.rst(1, ErrorCode.CANCEL));
    expect(t(p.frames())).toEqual(["HEADERS 1 200", "DATA 1 13 es", "PING ack", "HEADERS 3 200", "DATA 3 13 es"]);
  });

  it("refills the reset budget over time", () => {
    const p = peer();
    p.handshake();
    let id = 1;
    for (let round = 0; round < 3; round++) {
      for (let i = 0; i < 150; i++, id += 2) p.send(p.headers(id, p.request("GET", "/")), p.rst(id, ErrorCode.CANCEL));
      p.server.now += 10_000;
    }
    expect(t(p.frames()).filter((s) => s.startsWith("GOAWAY"))).toEqual([]);
  });

  it("MadeYouReset (CVE-2025-8671): streams the server resets for the client's errors count too", () => {
    const p = peer();
    p.handshake();
    let id = 1;
    for (let i = 0; i < 200; i++, id += 2) {
      p.send(p.headers(id, p.request("GET", "/", ["X-Bad", "1"]), { endStream: true }));
    }
    const frames = t(p.frames());
    expect(frames.length).toBe(200);
    expect(frames.every((s) => s.endsWith("PROTOCOL_ERROR") && s.startsWith("RST_STREAM"))).toBe(true);
    p.send(p.headers(id, p.request("GET", "/", ["X-Bad", "1"]), { endStream: true }));
    // None of those streams was processed: the GOAWAY's Last-Stream-ID is 0 (§6.8).
    expect(t(p.frames())).toEqual([`RST_STREAM ${id} PROTOCOL_ERROR`, "GOAWAY 0 ENHANCE_YOUR_CALM"]);
  });

  it("MadeYouReset through frames on open streams (WINDOW_UPDATE of 0)", () => {
    const p = peer(new Gate(), { http2: { maxResets: 5 } });
    p.handshake();
    let id = 1;
    for (let i = 0; i < 6; i++, id += 2) p.send(p.headers(id, p.request("GET", "/")), p.windowUpdate(id, 0));
    expect(t(p.frames()).at(-1)).toMatch(/^GOAWAY \d+ ENHANCE_YOUR_CALM$/);
  });
});

describe("CONTINUATION flood", () => {
  it("caps the CONTINUATION frames of one field block", () => {
    const p = peer();
    p.handshake();
    p.send(p.headers(1, Uint8Array.of(0x82), { endHeaders: false, endStream: true }));
    for (let i = 0; i < 64; i++) p.send(p.continuation(1, Uint8Array.of(0x82), false));
    expect(t(p.frames())).toEqual([]);
    p.send(p.continuation(1, Uint8Array.of(0x82), false));
    expect(t(p.frames())).toEqual(["GOAWAY 0 ENHANCE_YOUR_CALM"]);
  });

  it("caps the octets of one field block at twice SETTINGS_MAX_HEADER_LIST_SIZE", () => {
    const p = peer(new Gate(), { http2: { maxHeaderListSize: 16384 } });
    p.handshake();
    p.send(p.headers(1, new Uint8Array(16384), { endHeaders: false, endStream: true }));
    p.send(p.continuation(1, new Uint8Array(16384), false));
    expect(t(p.frames())).toEqual([]);
    p.send(p.continuation(1, new Uint8Array(1), false));
    expect(t(p.frames())).toEqual(["GOAWAY 0 ENHANCE_YOUR_CALM"]);
  });

  it("counts empty CONTINUATION frames as control frames", () => {
    const p = peer(new Gate(), { http2: { maxControlFrames: 10, maxContinuationFrames: 1000 } });
    p.handshake();
    p.send(p.headers(1, Uint8Array.of(0x82), { endHeaders: false, endStream: true }));
    for (let i = 0; i < 11; i++) p.send(p.continuation(1, new Uint8Array(0), false));
    expect(t(p.frames())).toEqual(["GOAWAY 0 ENHANCE_YOUR_CALM"]);
  });

  it("bounds the time a field block may stay open", () => {
    const p = peer(new Gate(), { headersTimeout: 1000 });
    p.handshake();
    p.send(p.headers(1, Uint8Array.of(0x82), { endHeaders: false, endStream: true }));
    p.tick(1001);
    expect(t(p.frames())).toEqual(["GOAWAY 0 ENHANCE_YOUR_CALM"]);
  });
});

describe("control frame floods", () => {
  // The budget is 1000 per 10 s; the handshake's SETTINGS spent one.
  it("SETTINGS flood (CVE-2019-9515)", () => {
    const p = peer();
    p.handshake();
    for (let i = 0; i < 998; i++) p.send(p.settings([]));
    expect(t(p.frames()).length).toBe(998);
    p.send(p.settings([]), p.settings([]));
    expect(t(p.frames())).toEqual(["SETTINGS ack", "GOAWAY 0 ENHANCE_YOUR_CALM"]);
  });

  it("PING flood (CVE-2019-9512)", () => {
    const p = peer();
    p.handshake();
    for (let i = 0; i < 999; i++) p.send(p.ping());
    expect(t(p.frames()).length).toBe(999);
    p.send(p.ping());
    expect(t(p.frames())).toEqual(["GOAWAY 0 ENHANCE_YOUR_CALM"]);
  });

  it("PING flood towards a peer that does not read: the connection is cut", () => {
    const p = peer(new Gate(), { http2: { maxControlFrames: 1e9 } });
    p.handshake();
    p.transport.full = true;
    for (let i = 0; i < 1002 && !p.transport.closed; i++) p.send(p.ping());
    expect(p.transport.closed).toBe(true);
  });

  it("PRIORITY flood (CVE-2019-9513)", () => {
    const p = peer(new Gate(), { http2: { maxControlFrames: 10 } });
    p.handshake();
    for (let i = 0; i < 11; i++) p.send(p.priority(3, 1));
    expect(t(p.frames())).toEqual(["GOAWAY 0 ENHANCE_YOUR_CALM"]);
  });

  it("empty DATA frames flood (CVE-2019-9518)", () => {
    const p = peer(new Gate(), { http2: { maxControlFrames: 10 } });
    p.handshake();
    p.send(p.headers(1, p.request("POST", "/hold")));
    for (let i = 0; i < 11; i++) p.send(p.data(1, new Uint8Array(0)));
    expect(t(p.frames())).toEqual(["GOAWAY 1 ENHANCE_YOUR_CALM"]);
  });

  it("unknown extension frames flood", () => {
    const p = peer(new Gate(), { http2: { maxControlFrames: 10 } });
    p.handshake();
    for (let i = 0; i < 11; i++) p.send(frame(0x77, 0, 0, [1]));
    expect(t(p.frames())).toEqual(["GOAWAY 0 ENHANCE_YOUR_CALM"]);
  });

  it("data dribble (CVE-2019-9511): tiny WINDOW_UPDATEs are budgeted", () => {
    const p = peer(new Gate(), { http2: { maxControlFrames: 10 } });
    p.handshake([[SETTINGS_INITIAL_WINDOW_SIZE, 0]]);
    p.send(p.get(1, "/big"));
    p.frames();
    for (let i = 0; i < 9; i++) p.send(p.windowUpdate(1, 1)); // + the handshake's SETTINGS = 10
    expect(t(p.frames())).toEqual(Array(9).fill("DATA 1 1"));
    p.send(p.windowUpdate(1, 1));
    expect(t(p.frames())).toEqual(["GOAWAY 1 ENHANCE_YOUR_CALM"]);
  });
});

describe("header defences", () => {
  it("HPACK bomb: the decoded size is capped by SETTINGS_MAX_HEADER_LIST_SIZE → 431, connection kept", () => {
    const p = peer();
    p.handshake();
    const big = "b".repeat(1900);
    // The first request puts `x-bomb` in the dynamic table; the second names it 40 times
    // (one octet each on the wire, ~78 KB decoded).
    p.send(p.get(1, "/", ["x-bomb", big]));
    const bomb: string[] = [];
    for (let i = 0; i < 40; i++) bomb.push("x-bomb", big);
    const block = p.block(p.request("GET", "/", bomb));
    expect(block.length).toBeLessThan(200);
    p.send(p.headers(3, block, { endStream: true }), p.get(5));
    const frames = p.frames();
    expect(t(frames)).toEqual([
      "HEADERS 1 200",
      "DATA 1 13 es",
      "HEADERS 3 431",
      "DATA 3 31 es",
      "HEADERS 5 200",
      "DATA 5 13 es",
    ]);
    expect(bodyOf(frames, 3)).toBe("Request header fields too large");
  });

  it("HPACK bombs on every request: after maxOversizedHeaders 431s, GOAWAY ENHANCE_YOUR_CALM", () => {
    const p = peer(undefined, { http2: { maxOversizedHeaders: 3 } });
    p.handshake();
    const big = "b".repeat(1900);
    p.send(p.get(1, "/", ["x-bomb", big]));
    const bomb: string[] = [];
    for (let i = 0; i < 40; i++) bomb.push("x-bomb", big);
    for (const id of [3, 5, 7, 9]) p.send(p.headers(id, p.block(p.request("GET", "/", bomb)), { endStream: true }));
    const lines = t(p.frames());
    expect(lines.filter((line) => line.endsWith(" 431"))).toEqual(["HEADERS 3 431", "HEADERS 5 431", "HEADERS 7 431"]);
    expect(lines.at(-1)).toBe("GOAWAY 7 ENHANCE_YOUR_CALM");
  });

  it("thousands of empty fields: 431 without building them, then the connection is cut", () => {
    const p = peer(undefined, { maxHeaders: 100, http2: { maxOversizedHeaders: 2 } });
    p.handshake();
    // 2 000 fields of one-letter name and empty value fit in 65 536 octets (33 each) but not in
    // maxHeaders: each block is refused, and the third such request ends the connection.
    const empty: string[] = [];
    for (let i = 0; i < 2000; i++) empty.push("x", "");
    for (const id of [1, 3, 5]) p.send(p.headers(id, p.block(p.request("GET", "/", empty)), { endStream: true }));
    const lines = t(p.frames());
    expect(lines.filter((line) => line.endsWith(" 431"))).toEqual(["HEADERS 1 431", "HEADERS 3 431"]);
    expect(lines.at(-1)).toBe("GOAWAY 3 ENHANCE_YOUR_CALM");
  });

  it("zero-length header names are malformed (CVE-2019-9516)", () => {
    const p = peer();
    p.handshake();
    p.send(p.get(1, "/", ["", "v"]));
    expect(t(p.frames())).toEqual(["RST_STREAM 1 PROTOCOL_ERROR"]);
  });
});

describe("stalls and buffering", () => {
  it("a zero window never reopened resets the stream after stallTimeout", () => {
    const p = peer();
    p.handshake([[SETTINGS_INITIAL_WINDOW_SIZE, 0]]);
    p.send(p.get(1));
    expect(t(p.frames())).toEqual(["HEADERS 1 200"]);
    p.tick(29_000);
    expect(t(p.frames())).toEqual([]);
    p.tick(1_001);
    expect(t(p.frames())).toEqual(["RST_STREAM 1 CANCEL"]);
  });

  it("a peer that keeps leaving windows closed loses the connection after maxStalledStreams", () => {
    const p = peer(undefined, { http2: { maxStalledStreams: 2 } });
    p.handshake([[SETTINGS_INITIAL_WINDOW_SIZE, 0]]);
    p.send(p.get(1), p.get(3), p.get(5));
    p.frames();
    p.tick(30_001);
    const lines = t(p.frames());
    expect(lines.slice(0, 2)).toEqual(["RST_STREAM 1 CANCEL", "RST_STREAM 3 CANCEL"]);
    expect(lines.at(-1)).toBe("GOAWAY 5 ENHANCE_YOUR_CALM");
  });

  it("a peer that does not read is cut after stallTimeout (CVE-2019-9517)", () => {
    const p = peer();
    p.handshake();
    p.transport.full = true;
    p.send(p.get(1, "/big"));
    p.tick(29_000);
    expect(p.transport.closed).toBe(false);
    p.tick(1_001);
    expect(p.transport.closed).toBe(true);
  });

  it("a streamed body stops being pulled while its stream cannot send (internal data buffering, CVE-2019-9517)", async () => {
    const gate = new Gate();
    const p = peer(gate);
    p.handshake([[SETTINGS_INITIAL_WINDOW_SIZE, 0]]);
    p.send(p.get(1, "/firehose"));
    for (let i = 0; i < 20; i++) await settle();
    // maxStreamBuffer is 64 KiB: four 16 KiB chunks queued, then the producer waits.
    expect(gate.pulled).toBeLessThanOrEqual(5);
    p.send(p.settings([[SETTINGS_INITIAL_WINDOW_SIZE, 1 << 20]]), p.windowUpdate(0, 1 << 20));
    for (let i = 0; i < 20; i++) await settle();
    expect(gate.pulled).toBeGreaterThan(10);
    const sent = p.frames().filter((f) => f.type === FRAME_DATA).reduce((n, f) => n + f.payload.length, 0);
    expect(sent).toBeLessThanOrEqual((1 << 20) + 65535);
  });

  it("a response stays queued while the socket is above its high-water mark", async () => {
    const p = peer();
    p.handshake();
    p.transport.full = true;
    p.send(p.get(1), p.get(3, "/stream"));
    for (let i = 0; i < 5; i++) await settle();
    // The first write reported the socket full: the streamed body waits for drain().
    expect(t(p.frames())).toEqual(["HEADERS 1 200", "DATA 1 13 es", "HEADERS 3 200"]);
    p.transport.full = false;
    p.transport.handler!.drain();
    for (let i = 0; i < 5; i++) await settle();
    expect(bodyOf(p.frames(), 3)).toBe("abcd");
  });
});
