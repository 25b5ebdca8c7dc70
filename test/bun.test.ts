/**
 * The contract suite on Bun, run by `bun test` against the bun adapter (DESIGN.md §4).
 * `bun test ./test/bun.test.ts`
 */
import { afterAll, beforeAll, describe, expect, it } from "bun:test";
import { connect } from "node:net";
import { getConnInfo, upgradeWebSocket, websocket } from "hono/bun";
import { serve } from "../adapters/bun/mod.ts";
import type { HonoAdapter, NativeHandler, Runtime, TestApi } from "./contract/harness.ts";
import { contractSuite } from "./contract/suite.ts";

interface BunServeApi {
  version: string;
  serve(options: {
    port: number;
    hostname: string;
    fetch: NativeHandler;
    websocket?: unknown;
    error?: (error: unknown) => Response;
  }): { port: number; stop(closeActiveConnections?: boolean): Promise<void> | void };
}
const bun = (globalThis as { Bun?: BunServeApi }).Bun;
if (bun === undefined) throw new Error("test/bun.test.ts must run on Bun (`bun test ./test/bun.test.ts`)");
console.log(`wirecore contract suite: RUNTIME = bun ${bun.version} (bun test, adapters/bun)`);

const api: TestApi = {
  describe: (name, body) => describe(name, body),
  it: (name, body, timeoutMs) => it(name, body, timeoutMs),
  beforeAll: (body) => beforeAll(body),
  afterAll: (body) => afterAll(body),
};
const runtime: Runtime = {
  name: "bun",
  serve,
  hono: {
    name: "hono/bun",
    getConnInfo: getConnInfo as HonoAdapter["getConnInfo"],
    upgradeWebSocket: upgradeWebSocket as unknown as HonoAdapter["upgradeWebSocket"],
    websocket,
  },
  nativeName: "Bun.serve",
  nativeServe: (handler, websocket) => {
    // Bun.serve needs `websocket` handlers whenever a handler may call server.upgrade().
    const server = bun.serve({
      port: 0,
      hostname: "127.0.0.1",
      fetch: handler,
      websocket: websocket ?? { message() {} },
      // An error Bun.serve meets is the case's finding, not a failure of bun test's run.
      error: () => new Response("Internal Server Error", { status: 500 }),
    });
    return Promise.resolve({ port: server.port, close: async () => await server.stop(true) });
  },
};

describe(`contract suite on bun ${bun.version}`, () => {
  contractSuite(api, runtime);
});

// The bun adapter declares `freshReads` (the core keeps views of reads, not copies): that holds only
// while Bun.listen gives each `data` callback a buffer of its own that it never writes again.
describe(`Bun.listen reads on bun ${bun.version}`, () => {
  it("hands each data callback a new buffer, never reused or overwritten", async () => {
    const kept: Uint8Array[] = [];
    const copies: Uint8Array[] = [];
    const listener = Bun.listen({
      hostname: "127.0.0.1",
      port: 0,
      socket: {
        data(_socket, chunk) {
          kept.push(chunk);
          copies.push(new Uint8Array(chunk));
        },
      },
    });
    const client = connect(listener.port, "127.0.0.1");
    await new Promise((resolve) => client.on("connect", resolve));
    for (let i = 0; i < 100; i++) {
      client.write(new Uint8Array(500 + (i % 7) * 9_000).fill(i));
      await new Promise((resolve) => setTimeout(resolve, 2));
    }
    await new Promise((resolve) => setTimeout(resolve, 100));
    client.destroy();
    void listener.stop(true);
    expect(kept.length).toBeGreaterThan(50);
    expect(new Set(kept.map((chunk) => chunk.buffer)).size).toBe(kept.length);
    expect(kept.every((chunk, i) => chunk.every((byte, j) => byte === copies[i]![j]))).toBe(true);
  });
});

// The bun adapter declares `writesSettled` while its queue is empty (the core then writes its next batch over the
// memory of the last one): that holds only while Bun.listen's `socket.write` copies what it takes and keeps nothing.
describe(`Bun.listen writes on bun ${bun.version}`, () => {
  it("copies what write() takes: overwriting the array afterwards changes nothing the peer gets", async () => {
    const received: Uint8Array[] = [];
    const client = await new Promise<ReturnType<typeof connect>>((resolve) => {
      const listener = Bun.listen({
        hostname: "127.0.0.1",
        port: 0,
        socket: {
          data() {},
          open(socket) {
            // One array, refilled after every write Bun took whole; a partial write stops the round.
            const slab = new Uint8Array(16 * 1024);
            for (let round = 0; round < 200; round++) {
              slab.fill(round % 251);
              if (socket.write(slab) !== slab.length) break;
            }
            slab.fill(255);
            socket.end();
            void listener.stop();
          },
        },
      });
      const socket = connect(listener.port, "127.0.0.1", () => resolve(socket));
      socket.on("data", (chunk: Uint8Array) => received.push(new Uint8Array(chunk)));
    });
    await new Promise((resolve) => client.on("close", resolve));
    const bytes = Buffer.concat(received);
    const rounds = Math.floor(bytes.length / (16 * 1024));
    expect(rounds).toBeGreaterThan(3);
    for (let round = 0; round < rounds; round++) {
      const part = bytes.subarray(round * 16 * 1024, (round + 1) * 16 * 1024);
      expect(part.every((byte) => byte === round % 251)).toBe(true);
    }
  });
});
