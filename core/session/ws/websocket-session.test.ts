import { describe, expect, it } from "vitest";
import { FakeTransport } from "../../../test/support/fake-transport.ts";
import { sharedSink } from "../../bytes/byte-sink.ts";
import { type WebSocketHost, WebSocketSession } from "./websocket-session.ts";
import { resolveWebSocketOptions, type WebSocketHandlers } from "./websocket-options.ts";
import { PubSub } from "./pubsub.ts";
import { encodeFrame, encodeTextFrame } from "../../ws/frame-writer.ts";
import type { ServerWebSocket } from "./server-websocket.ts";

/** A client frame: masked (RFC 6455 §5.3) with a fixed key. */
function clientFrame(opcode: number, payload: Uint8Array | string): Uint8Array {
  const bytes = typeof payload === "string" ? new TextEncoder().encode(payload) : payload;
  const server = encodeFrame(opcode, bytes);
  const header = server.length - bytes.length;
  const out = new Uint8Array(server.length + 4);
  out.set(server.subarray(0, header));
  out[1]! |= 0x80;
  const key = [0x37, 0xfa, 0x21, 0x3d];
  out.set(key, header);
  for (let i = 0; i < bytes.length; i++) out[header + 4 + i] = bytes[i]! ^ key[i & 3]!;
  return out;
}

function concat(parts: Uint8Array[]): Uint8Array {
  const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
  let at = 0;
  for (const p of parts) {
    out.set(p, at);
    at += p.length;
  }
  return out;
}

function session(handlers: WebSocketHandlers<unknown>, pubsub = new PubSub(), maxBackpressure?: number) {
  const transport = new FakeTransport();
  const host: WebSocketHost = {
    now: 1,
    pubsub,
    forget() {},
    options: {
      onError: (e) => {
        throw e;
      },
    },
  };
  const options = resolveWebSocketOptions({ ...handlers, maxBackpressure }, null);
  const s = new WebSocketSession(transport, host, options, handlers, null, undefined, "", "");
  transport.handler = s;
  return { transport, session: s };
}

describe("WebSocketSession output", () => {
  it("frames made while handling one read leave in one write, byte for byte as encoded alone", () => {
    const { transport, session: s } = session({ message: (ws, data) => void ws.send(data) });
    const texts = ["hello", "é€𝄞", "x".repeat(200)];
    const binary = Uint8Array.from({ length: 4096 }, (_, i) => i & 0xff);
    s.data(concat([...texts.map((t) => clientFrame(1, t)), clientFrame(2, binary), clientFrame(9, "ping")]));
    expect(transport.writes).toHaveLength(1);
    const expected = concat([
      ...texts.map((t) => encodeTextFrame(t)),
      encodeFrame(2, binary),
      encodeFrame(10, new TextEncoder().encode("ping")),
    ]);
    expect(transport.writes[0]).toEqual(expected);
    expect(sharedSink.owner).toBeNull();
  });

  it("a binary message the handler keeps is not changed by later reads or sends", () => {
    const kept: Uint8Array[] = [];
    const { transport, session: s } = session({
      message: (ws, data) => {
        kept.push(data as Uint8Array);
        ws.send(data);
      },
    });
    const read = concat([clientFrame(2, Uint8Array.of(1, 2, 3)), clientFrame(2, Uint8Array.of(4, 5))]);
    s.data(read);
    read.fill(0xee);
    s.data(clientFrame(2, Uint8Array.of(6)));
    // A message split across reads is assembled into an array of its own.
    const split = clientFrame(2, Uint8Array.of(7, 8, 9, 10));
    s.data(split.subarray(0, 8));
    s.data(split.subarray(8));
    split.fill(0);
    expect(kept).toEqual([Uint8Array.of(1, 2, 3), Uint8Array.of(4, 5), Uint8Array.of(6), Uint8Array.of(7, 8, 9, 10)]);
    expect(transport.writes).toHaveLength(3);
  });

  it("a binary message is alone in its ArrayBuffer, even when the read is a Buffer whose slice() is a view", () => {
    // Node and Bun hand reads over as Buffers; Buffer#slice is a view, so it cannot be the copy.
    class ViewSlicing extends Uint8Array {
      override slice(start?: number, end?: number): Uint8Array<ArrayBuffer> {
        return this.subarray(start, end) as Uint8Array<ArrayBuffer>;
      }
    }
    const kept: Uint8Array[] = [];
    const { session: s } = session({ message: (_ws, data) => void kept.push(data as Uint8Array) });
    const frames = concat([clientFrame(2, Uint8Array.of(1, 2, 3)), clientFrame(2, Uint8Array.of(4, 5))]);
    s.data(new ViewSlicing(frames));
    const split = clientFrame(2, Uint8Array.of(7, 8, 9, 10));
    s.data(new ViewSlicing(split.subarray(0, 8)));
    s.data(new ViewSlicing(split.subarray(8)));
    expect(kept.map((m) => [...new Uint8Array(m.buffer)])).toEqual([[1, 2, 3], [4, 5], [7, 8, 9, 10]]);
  });

  it("send() takes an ArrayBuffer and any view, as Bun's does", () => {
    let socket: ServerWebSocket<unknown> | undefined;
    const { transport, session: s } = session({ open: (ws) => void (socket = ws) });
    s.open();
    const bytes = Uint8Array.of(9, 1, 2, 3, 9);
    socket!.send(bytes.buffer.slice(1, 4));
    socket!.send(new DataView(bytes.buffer, 1, 3));
    expect(transport.writes).toEqual([encodeFrame(2, Uint8Array.of(1, 2, 3)), encodeFrame(2, Uint8Array.of(1, 2, 3))]);
  });

  it("a send outside a batch goes out at once; a batch above 64 KiB goes before the read ends", () => {
    let socket: ServerWebSocket<unknown> | undefined;
    const { transport, session: s } = session({
      open: (ws) => void (socket = ws),
      message: (ws) => {
        for (let i = 0; i < 20; i++) ws.send(new Uint8Array(4096));
      },
    });
    s.open();
    socket!.send("now");
    expect(transport.writes).toEqual([encodeTextFrame("now")]);
    s.data(clientFrame(1, "go"));
    // 20 × 4100 bytes: one write once 64 KiB were batched, one for the rest.
    expect(transport.writes.slice(1).map((w) => w.length)).toEqual([16 * 4100, 4 * 4100]);
  });

  it("send() reports backpressure inside a batch, and maxBackpressure closes with 1008", () => {
    const results: boolean[] = [];
    let closed: number | undefined;
    const { transport, session: s } = session(
      {
        message: (ws) => {
          for (let i = 0; i < 40; i++) results.push(ws.send(new Uint8Array(4096)));
        },
        close: (_ws, code) => void (closed = code),
      },
      new PubSub(),
      50_000,
    );
    transport.full = true;
    s.data(clientFrame(1, "go"));
    // The first 64 KiB go out at the 16th send, which then sees the socket full.
    expect(results.slice(0, 15).every((r) => !r)).toBe(true);
    expect(results[15]).toBe(true);
    expect(closed).toBe(1008);
    expect(transport.closed).toBe(true);
  });

  it("two sessions batching in turn never mix their bytes; pub/sub writes one frame to all", () => {
    const pubsub = new PubSub();
    const a = session({
      message: (ws, data) => {
        ws.send(data);
        ws.publish("t", data);
      },
    }, pubsub);
    const b = session({ message: (ws, data) => void ws.send(data) }, pubsub);
    const c = session({}, pubsub);
    b.session.subscribe("t");
    c.session.subscribe("t");
    a.session.data(concat([clientFrame(1, "one"), clientFrame(1, "two")]));
    expect(a.transport.writes).toEqual([concat([encodeTextFrame("one"), encodeTextFrame("two")])]);
    expect(b.transport.writes).toEqual([encodeTextFrame("one"), encodeTextFrame("two")]);
    expect(c.transport.writes[0]).toBe(b.transport.writes[0]);
    b.session.data(clientFrame(1, "three"));
    expect(b.transport.writes[2]).toEqual(encodeTextFrame("three"));
  });
});

describe("resolveWebSocketOptions", () => {
  it("takes perMessageDeflate level 0–9, a threshold in bytes and window sizes, and refuses others at once", () => {
    const resolved = resolveWebSocketOptions({ perMessageDeflate: { level: 1, threshold: 128 } }, null);
    expect(resolved.perMessageDeflate?.level).toBe(1);
    expect(resolved.deflateThreshold).toBe(128);
    expect(resolveWebSocketOptions({ perMessageDeflate: true }, null).deflateThreshold).toBe(0);
    for (const level of [-1, 10, 1.5, Number.NaN]) {
      expect(() => resolveWebSocketOptions({ perMessageDeflate: { level } }, null)).toThrow(/level must be/);
    }
    for (const threshold of [-1, 0.5, Number.POSITIVE_INFINITY]) {
      expect(() => resolveWebSocketOptions({ perMessageDeflate: { threshold } }, null)).toThrow(/threshold must be/);
    }
    // Window sizes too: a bad one fails at serve(), not at the first upgrade that offers compression.
    expect(() => resolveWebSocketOptions({ perMessageDeflate: { serverMaxWindowBits: 8 } }, null)).toThrow(
      /serverMaxWindowBits must be an integer from 9/,
    );
    expect(() => resolveWebSocketOptions({ perMessageDeflate: { clientMaxWindowBits: 16 } }, null)).toThrow(
      /clientMaxWindowBits must be an integer from 8/,
    );
    expect(resolveWebSocketOptions({ perMessageDeflate: { clientMaxWindowBits: 8 } }, null).perMessageDeflate)
      .toEqual({ clientMaxWindowBits: 8 });
  });
});
