/**
 * The contract suite on Node.js, run by vitest against the node adapter (DESIGN.md §4).
 * `npx vitest run test/node.test.ts`
 */
import process from "node:process";
import { type AddressInfo, connect, createServer } from "node:net";
import { serve as nodeServerServe } from "@hono/node-server";
import { getConnInfo } from "@hono/node-server/conninfo";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { serve } from "../adapters/node/mod.ts";
import type { HonoAdapter, NativeServer, Runtime, TestApi } from "./contract/harness.ts";
import { contractSuite } from "./contract/suite.ts";

// Refuse to run anywhere else: a wrong runtime would test the wrong adapter and pass silently.
const versions = process.versions as Record<string, string | undefined>;
if (
  versions.bun !== undefined || versions.deno !== undefined ||
  typeof (globalThis as { Deno?: unknown }).Deno !== "undefined"
) {
  throw new Error(
    "test/node.test.ts must run on Node.js (vitest); use test/bun.test.ts or test/deno.test.ts for the other runtimes",
  );
}
console.log(`wirecore contract suite: RUNTIME = node ${process.version} (vitest, adapters/node)`);

const api: TestApi = {
  describe: (name, body) => describe(name, body),
  it: (name, body, timeoutMs) => it(name, body, timeoutMs),
  beforeAll: (body) => beforeAll(body),
  afterAll: (body) => afterAll(body),
};
const runtime: Runtime = {
  name: "node",
  serve,
  hono: {
    name: "@hono/node-server",
    getConnInfo: getConnInfo as HonoAdapter["getConnInfo"],
    upgradeWebSocket: {
      missing: "@hono/node-server's upgradeWebSocket needs node:http's upgrade event and a ws server of its own",
    },
  },
  // Node has no fetch server of its own: @hono/node-server (node:http with a fetch bridge) is the
  // reference. overrideGlobalObjects: false keeps the global Request/Response the runtime's own.
  nativeName: "@hono/node-server",
  nativeServe: (handler) =>
    new Promise<NativeServer>((resolve) => {
      const server = nodeServerServe(
        {
          fetch: handler as (request: Request) => Response,
          port: 0,
          hostname: "127.0.0.1",
          overrideGlobalObjects: false,
        },
        (info: AddressInfo) =>
          resolve({
            port: info.port,
            close: () =>
              new Promise<void>((done) => {
                server.close(() => done());
                (server as { closeAllConnections?: () => void }).closeAllConnections?.();
              }),
          }),
      );
    }),
};

describe(`contract suite on node ${process.version}`, () => {
  contractSuite(api, runtime);
});

// The node adapter declares `writesSettled` while `writableLength` is 0 (the core then writes its next batch over the
// memory of the last one): that holds only while a write the kernel took at once leaves nothing holding the array.
describe(`node:net writes on node ${process.version}`, () => {
  it("a write taken whole (writableLength 0) holds nothing: overwriting the array changes nothing the peer gets", async () => {
    const size = 16 * 1024;
    const received: Buffer[] = [];
    let settledRounds = 0;
    const server = createServer((socket) => {
      // One array, refilled after each write; a round that left bytes queued ends the test's rounds.
      const slab = new Uint8Array(size);
      for (let round = 0; round < 200; round++) {
        slab.fill(round % 251);
        socket.write(slab);
        if (socket.writableLength !== 0) break;
        settledRounds++;
      }
      slab.fill(255);
      socket.end();
    });
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    const { port } = server.address() as AddressInfo;
    const client = connect(port, "127.0.0.1");
    client.on("data", (chunk: Buffer) => received.push(chunk));
    await new Promise((resolve) => client.on("close", resolve));
    server.close();
    const bytes = Buffer.concat(received);
    expect(settledRounds).toBeGreaterThan(3);
    for (let round = 0; round < settledRounds; round++) {
      const part = bytes.subarray(round * size, (round + 1) * size);
      expect(part.length).toBe(size);
      expect(part.every((byte) => byte === round % 251)).toBe(true);
    }
  });
});
