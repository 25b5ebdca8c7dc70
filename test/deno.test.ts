/**
 * The contract suite on Deno, run by `deno test` against the deno adapter (DESIGN.md §4).
 * `deno test -A test/deno.test.ts`
 *
 * Deno runs `node:test`'s describe/it/before/after natively (nested suites and hooks included),
 * so the runner-neutral cases need no Deno.test adaptation. One gap is closed here: node:test on
 * Deno drops errors that escape a test, so each test runs guarded (support/escaped-errors.ts).
 */
import { after, before, describe, it } from "node:test";
import { getConnInfo, upgradeWebSocket } from "hono/deno";
import { serve } from "../adapters/deno/mod.ts";
import { serve as serveNode } from "../adapters/node/mod.ts";
import { App } from "../core/app/app.ts";
import assert from "node:assert/strict";
import { connectionLimitCases } from "./contract/connection-limit-cases.ts";
import { RawClient } from "./contract/harness.ts";
import type { HonoAdapter, NativeHandler, NativeServer, Runtime, TestApi } from "./contract/harness.ts";
import { contractSuite } from "./contract/suite.ts";
import { checkNothingEscaped, guarded, watchEscapedErrors } from "./support/escaped-errors.ts";

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

watchEscapedErrors();
const api: TestApi = {
  describe: (name, body) => void describe(name, body),
  it: (name, body, timeoutMs) =>
    void it(name, timeoutMs === undefined ? {} : { timeout: timeoutMs }, () => guarded(name, body)),
  beforeAll: (body) => void before(async () => await body()),
  afterAll: (body) => void after(async () => await body()),
};
const runtime: Runtime = {
  name: "deno",
  serve,
  hono: {
    name: "hono/deno",
    getConnInfo: getConnInfo as HonoAdapter["getConnInfo"],
    upgradeWebSocket: upgradeWebSocket as unknown as HonoAdapter["upgradeWebSocket"],
  },
  nativeName: "Deno.serve",
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

// README "Operations": the Node adapter runs on Deno as it is, over Deno's `node:net` (fairer under thousands of busy
// connections than `Deno.listen`'s `read()`).
describe(`the Node adapter on deno ${deno.version.deno} (node:net)`, () => {
  it("serves fetch, keep-alive and pipelined HTTP/1.1", async () => {
    const server = serveNode(new App().get("/", (c) => c.text("ok")), { port: 0, hostname: "127.0.0.1" });
    try {
      await server.ready;
      const { port } = server.address;
      assert.equal(await (await fetch(`http://127.0.0.1:${port}/`)).text(), "ok");
      const client = await RawClient.open(port);
      const get = "GET / HTTP/1.1\r\nHost: test\r\n\r\n";
      await client.write(get + get);
      await client.until((text) => text.split("\r\n\r\nok").length === 3);
      await client.write(get);
      await client.until((text) => text.split("\r\n\r\nok").length === 4);
      client.close();
    } finally {
      await server.close();
    }
  });
  connectionLimitCases(api, { ...runtime, serve: serveNode });
});
checkNothingEscaped();
