/**
 * The contract suite on Deno, run by `deno test` against the deno adapter (DESIGN.md §4).
 * `deno test -A --no-check test/deno.test.ts`
 *
 * Deno runs `node:test`'s describe/it/before/after natively (nested suites and hooks included),
 * so the runner-neutral cases need no Deno.test adaptation.
 */
import { after, before, describe, it } from "node:test";
import { getConnInfo, upgradeWebSocket } from "hono/deno";
import { serve } from "../adapters/deno/mod.ts";
import type { HonoAdapter, NativeHandler, NativeServer, Runtime, TestApi } from "./contract/harness.ts";
import { contractSuite } from "./contract/suite.ts";

interface DenoServeApi {
  version: { deno: string };
  serve(
    options: { port: number; hostname: string; onListen(addr: { port: number }): void },
    handler: NativeHandler,
  ): { shutdown(): Promise<void> };
}
const deno = (globalThis as { Deno?: DenoServeApi }).Deno;
if (deno === undefined) throw new Error("test/deno.test.ts must run on Deno (`deno test -A test/deno.test.ts`)");
console.log(`wirecore contract suite: RUNTIME = deno ${deno.version.deno} (deno test + node:test, adapters/deno)`);

const api: TestApi = {
  describe: (name, body) => void describe(name, body),
  it: (name, body, timeoutMs) =>
    void it(name, timeoutMs === undefined ? {} : { timeout: timeoutMs }, async () => await body()),
  beforeAll: (body) => void before(async () => await body()),
  afterAll: (body) => void after(async () => await body()),
};
const runtime: Runtime = {
  name: "deno",
  serve,
  hono: {
    name: "hono/deno",
    getConnInfo: getConnInfo as HonoAdapter["getConnInfo"],
    upgradeWebSocket: upgradeWebSocket as HonoAdapter["upgradeWebSocket"],
  },
  nativeServe: (handler) =>
    new Promise<NativeServer>((resolve) => {
      const server = deno.serve({
        port: 0,
        hostname: "127.0.0.1",
        onListen: (addr) => resolve({ port: addr.port, close: () => server.shutdown() }),
      }, handler);
    }),
};

describe(`contract suite on deno ${deno.version.deno}`, () => {
  contractSuite(api, runtime);
});
