import { afterEach, describe, expect, it } from "vitest";
import { createServer as createHttpServer } from "node:http";
import { createServer, type Server, type Socket } from "node:net";
import { WebSocketServer } from "ws";
import { computeAccept } from "../../core/ws/handshake.ts";
import { FrameParser } from "../../core/ws/frame-parser.ts";
import { encodeCloseFrame, encodeFrame } from "../../core/ws/frame-writer.ts";
import { type DataOpcode, OPCODE_BINARY, OPCODE_TEXT } from "../../core/ws/opcodes.ts";
import { serve } from "../../adapters/node/mod.ts";
import { createApp } from "../../examples/app.ts";
import { PerMessageCodec } from "../../core/ws/permessage-codec.ts";
import type { PerMessageDeflateParams } from "../../core/ws/permessage-deflate.ts";
import { zlibDeflateProvider } from "../../adapters/zlib-deflate.ts";
import { runWsLoad } from "./ws-engine.ts";
import { messagePayload, WS_ERROR_UNCOMPRESSED, type WsLoadOptions } from "./ws-run.ts";

const closers: (() => Promise<void>)[] = [];
afterEach(async () => {
  while (closers.length > 0) await closers.pop()!();
});

function listen(server: Server | ReturnType<typeof createHttpServer>): Promise<number> {
  return new Promise((resolve) =>
    server.listen(0, "127.0.0.1", () => {
      const a = server.address();
      resolve(typeof a === "object" && a !== null ? a.port : 0);
    })
  );
}

/**
 * A small WebSocket server for misbehaving on purpose: the core's own handshake accept and
 * frame parser, and `answer(n, opcode, payload)` deciding what goes back for message n.
 */
async function fakeWsServer(
  answer: (n: number, opcode: DataOpcode, payload: Uint8Array, socket: Socket) => Uint8Array | null,
  accept: (key: string) => string = computeAccept,
  extensions = "",
): Promise<number> {
  let n = 0;
  const server = createServer((socket) => {
    socket.on("error", () => {});
    let head = "";
    let parser: FrameParser | null = null;
    socket.on("data", (chunk: Buffer) => {
      if (parser === null) {
        head += chunk.toString("latin1");
        const end = head.indexOf("\r\n\r\n");
        if (end < 0) return;
        const key = /sec-websocket-key: *(\S+)/i.exec(head)![1]!;
        const ext = extensions === "" ? "" : `sec-websocket-extensions: ${extensions}\r\n`;
        socket.write(
          `HTTP/1.1 101 Switching Protocols\r\nupgrade: websocket\r\nconnection: Upgrade\r\nsec-websocket-accept: ${
            accept(key)
          }\r\n${ext}\r\n`,
        );
        parser = new FrameParser({
          onMessage: (opcode, payload) => {
            const out = answer(n++, opcode, payload, socket);
            if (out !== null && !socket.destroyed) socket.write(out);
          },
          onPing() {},
          onPong() {},
          onClose() {},
        }, { perMessageDeflate: extensions !== "" });
        const rest = Buffer.from(head.slice(end + 4), "latin1");
        if (rest.length > 0) parser.push(new Uint8Array(rest));
        return;
      }
      parser.push(new Uint8Array(chunk));
    });
  });
  const port = await listen(server);
  closers.push(() => new Promise((r) => server.close(() => r())));
  return port;
}

function options(port: number, extra: Partial<WsLoadOptions> = {}): WsLoadOptions {
  return {
    host: "127.0.0.1",
    port,
    authority: `127.0.0.1:${port}`,
    target: "/ws",
    connections: 4,
    inflight: 4,
    messageSize: 13,
    binary: false,
    deflate: false,
    durationMs: 300,
    timeoutMs: 5_000,
    ...extra,
  };
}

const echo = (_n: number, opcode: DataOpcode, payload: Uint8Array): Uint8Array => encodeFrame(opcode, payload);

describe("runWsLoad verifies every echo", () => {
  it("counts good echoes, with no errors, from an honest server", async () => {
    const port = await fakeWsServer(echo);
    const r = await runWsLoad(options(port, { binary: true, messageSize: 300 }));
    expect(r.messages).toBeGreaterThan(50);
    expect(r.errors).toEqual({});
    expect(r.mbps).toBeCloseTo((r.messagesPerSecond * 300) / 1e6, 6);
    expect(r.connections).toBe(4);
  });

  it("counts a wrong type, a wrong length and changed bytes as errors, not messages", async () => {
    const port = await fakeWsServer((n, opcode, payload) => {
      if (n % 10 === 3) return encodeFrame(OPCODE_BINARY, payload); // text turned binary
      if (n % 10 === 5) return encodeFrame(opcode, payload.subarray(1)); // one byte short
      if (n % 10 === 6) return encodeFrame(opcode, new Uint8Array([...payload, 0x21])); // one byte long
      if (n % 10 === 7) {
        const changed = payload.slice();
        changed[4] = 0x5a;
        return encodeFrame(opcode, changed);
      }
      return encodeFrame(opcode, payload);
    });
    const r = await runWsLoad(options(port));
    expect(r.errors["message type"]).toBeGreaterThan(0);
    expect(r.errors["message length"]).toBeGreaterThan(0);
    expect(r.errors["message content"]).toBeGreaterThan(0);
    const bad = r.errors["message type"]! + r.errors["message length"]! + r.errors["message content"]!;
    // 4 of every 10 echoes are wrong; none of them counted.
    expect(bad / (bad + r.messages)).toBeGreaterThan(0.3);
    expect(bad / (bad + r.messages)).toBeLessThan(0.5);
  });

  it("checks the bytes of large binary echoes split over many reads", async () => {
    const port = await fakeWsServer((n, opcode, payload) => {
      if (n % 4 !== 1) return encodeFrame(opcode, payload);
      const changed = payload.slice();
      changed[70_000]! ^= 1;
      return encodeFrame(opcode, changed);
    });
    const r = await runWsLoad(options(port, { binary: true, messageSize: 100_000, connections: 2, inflight: 2 }));
    expect(r.messages).toBeGreaterThan(3);
    expect(Object.keys(r.errors)).toEqual(["message content"]);
  });

  it("fails a handshake whose Sec-WebSocket-Accept does not match the key", async () => {
    const port = await fakeWsServer(echo, () => computeAccept("dGhlIHNhbXBsZSBub25jZQ=="));
    const r = await runWsLoad(options(port, { connections: 2 }));
    expect(r.messages).toBe(0);
    expect(r.connections).toBe(0);
    expect(r.errors).toEqual({ handshake: 2 });
    expect(r.errorExamples.handshake).toMatch(/Sec-WebSocket-Accept/);
  });

  it("fails a handshake answered with 200", async () => {
    const server = createServer((socket) => {
      socket.on("error", () => {});
      socket.resume(); // read on, so the client's close ends this socket too
      socket.end("HTTP/1.1 200 OK\r\ncontent-length: 2\r\n\r\nno");
    });
    const port = await listen(server);
    closers.push(() => new Promise((r) => server.close(() => r())));
    const r = await runWsLoad(options(port, { connections: 1 }));
    expect(r.errors).toEqual({ "handshake status 200": 1 });
  });

  it("counts messages lost to a Close from the server, and a masked server frame, then reconnects", async () => {
    const port = await fakeWsServer((n, opcode, payload, socket) => {
      if (n === 40) {
        socket.end(encodeCloseFrame(1011, "oops"));
        return null;
      }
      if (n === 80) {
        const masked = encodeFrame(opcode, payload);
        masked[1]! |= 0x80; // a server must never mask (§5.1); garbage key follows
        return masked;
      }
      return encodeFrame(opcode, payload);
    });
    const r = await runWsLoad(options(port, { connections: 1 }));
    expect(r.errors["close 1011"]).toBeGreaterThan(0);
    expect(r.errors["frame MASKED_FRAME"]).toBeGreaterThan(0);
    expect(r.reconnects).toBeGreaterThanOrEqual(2);
    expect(r.messages).toBeGreaterThan(40);
  });

  it("charges each message the time it queued behind the others in flight", async () => {
    // One connection, 4 in flight, each echo 10 ms after the previous one.
    let last = Promise.resolve();
    const port = await fakeWsServer((_n, opcode, payload, socket) => {
      const frame = encodeFrame(opcode, payload.slice());
      last = last.then(() => new Promise((r) => setTimeout(() => (socket.write(frame), r()), 10)));
      return null;
    });
    const r = await runWsLoad(options(port, { connections: 1, inflight: 4, durationMs: 500 }));
    expect(r.messages).toBeGreaterThan(10);
    // Steady state: 4 queued, one answered every 10 ms → about 40 ms each.
    expect(r.latency.p50).toBeGreaterThan(30);
    expect(r.latency.p50).toBeLessThan(80);
  });

  /**
   * A fake server that inflates every message with a codec per connection (its `params`) and
   * echoes it compressed, or uncompressed when `compressEcho(n)` says no; closers release the codecs.
   */
  async function deflatingServer(
    params: Omit<PerMessageDeflateParams, "serverMaxWindowBits" | "clientMaxWindowBits">,
    extensions: string,
    compressEcho: (n: number) => boolean,
  ): Promise<number> {
    const codecs = new Map<Socket, PerMessageCodec>();
    const agreed = { ...params, serverMaxWindowBits: 15, clientMaxWindowBits: 15 };
    closers.push(() => {
      for (const c of codecs.values()) c.close();
      return Promise.resolve();
    });
    return await fakeWsServer(
      (n, opcode, payload, socket) => {
        let codec = codecs.get(socket);
        if (codec === undefined) codecs.set(socket, codec = new PerMessageCodec(zlibDeflateProvider, agreed));
        const message = codec.decompress(payload, 1 << 20, opcode === OPCODE_TEXT);
        return compressEcho(n)
          ? encodeFrame(opcode, codec.compress(message), true, true)
          : encodeFrame(opcode, message);
      },
      computeAccept,
      extensions,
    );
  }

  it("inflates echoes from a server that keeps its compression context across messages", async () => {
    // The server ignores the offered server_no_context_takeover (wrong, but a client must still
    // read it right): one long-lived compressor per connection, answered without the parameter.
    const port = await deflatingServer(
      { serverNoContextTakeover: false, clientNoContextTakeover: true },
      "permessage-deflate; client_no_context_takeover",
      () => true,
    );
    const r = await runWsLoad(options(port, { deflate: true, messageSize: 4096, connections: 2 }));
    expect(r.errors).toEqual({});
    expect(r.messages).toBeGreaterThan(20);
    expect(r.extensions).toBe("permessage-deflate; client_no_context_takeover");
  });

  it("counts echoes a server sent uncompressed although deflate was agreed", async () => {
    // Every other echo compressed: the row must show that the server skipped half the work.
    const port = await deflatingServer(
      { serverNoContextTakeover: true, clientNoContextTakeover: true },
      "permessage-deflate; server_no_context_takeover; client_no_context_takeover",
      (n) => n % 2 === 0,
    );
    const r = await runWsLoad(options(port, { deflate: true, messageSize: 4096, connections: 2 }));
    const uncompressed = r.errors[WS_ERROR_UNCOMPRESSED] ?? 0;
    expect(r.messages).toBeGreaterThan(20);
    expect(uncompressed).toBeGreaterThan(r.messages / 4);
    expect(uncompressed).toBeLessThan(r.messages);
  });

  it("fails a handshake whose extensions were not asked for", async () => {
    const port = await fakeWsServer(echo, computeAccept, "permessage-deflate");
    const r = await runWsLoad(options(port, { connections: 1 }));
    expect(r.errors).toEqual({ handshake: 1 });
    expect(r.errorExamples.handshake).toMatch(/unexpected Sec-WebSocket-Extensions/);
  });
});

describe("runWsLoad against real servers", () => {
  it("wirecore's reference app on Node: text and binary echoes, with and without permessage-deflate", async () => {
    for (const deflate of [false, true]) {
      const server = serve(createApp(), {
        port: 0,
        hostname: "127.0.0.1",
        ...(deflate ? { websocket: { perMessageDeflate: true } } : {}),
      });
      await server.ready;
      const port = Number(new URL(server.url).port);
      for (const [binary, size] of [[false, 13], [true, 4096], [false, 4096]] as const) {
        const r = await runWsLoad(options(port, { binary, messageSize: size, deflate, durationMs: 200 }));
        expect(r.errors, `deflate ${deflate}, ${binary ? "binary" : "text"} ${size}`).toEqual({});
        expect(r.messages).toBeGreaterThan(20);
        expect(r.extensions).toBe(
          deflate ? "permessage-deflate; server_no_context_takeover; client_no_context_takeover" : "",
        );
      }
      await server.close();
    }
  });

  it("the ws package (the Node peer): text and binary echoes, with and without permessage-deflate", async () => {
    for (const deflate of [false, true]) {
      const http = createHttpServer();
      const wss = new WebSocketServer({
        server: http,
        path: "/ws",
        perMessageDeflate: deflate ? { threshold: 0 } : false,
      });
      wss.on("connection", (s) => s.on("message", (data, isBinary) => s.send(data as Buffer, { binary: isBinary })));
      const port = await listen(http);
      for (const [binary, size] of [[false, 13], [true, 4096]] as const) {
        const r = await runWsLoad(options(port, { binary, messageSize: size, deflate, durationMs: 200 }));
        expect(r.errors, `deflate ${deflate}, ${binary ? "binary" : "text"} ${size}`).toEqual({});
        expect(r.messages).toBeGreaterThan(20);
        if (deflate) expect(r.extensions).toMatch(/^permessage-deflate/);
      }
      for (const c of wss.clients) c.terminate();
      await new Promise<void>((r) => wss.close(() => r()));
      await new Promise<void>((r) => http.close(() => r()));
    }
  });
});

describe("messagePayload", () => {
  it("is printable ASCII for text and covers every byte value for binary", () => {
    const text = messagePayload(1000, false);
    expect(text.every((b) => b >= 0x20 && b < 0x7f)).toBe(true);
    expect(new Set(messagePayload(256, true)).size).toBe(256);
    expect(OPCODE_TEXT).toBe(1);
  });
});
