/**
 * The contract suite on Bun, run by `bun test` against the bun adapter (DESIGN.md §4).
 * `bun test ./test/bun.test.ts`
 */
import { afterAll, beforeAll, describe, it } from "bun:test";
import { serve } from "../adapters/bun/mod.ts";
import type { FetchHost, Runtime, TestApi } from "./contract/harness.ts";
import { contractSuite } from "./contract/suite.ts";

/** The part of Bun.serve (https://bun.sh/docs/api/http) the fetch-host cases use. */
interface BunServe {
  version: string;
  serve(options: {
    port: number;
    hostname: string;
    fetch: (request: Request, server: unknown) => Promise<Response>;
  }): { port: number; stop(closeActiveConnections?: boolean): Promise<void> };
}
const bun = (globalThis as { Bun?: BunServe }).Bun;
if (bun === undefined) throw new Error("test/bun.test.ts must run on Bun (`bun test ./test/bun.test.ts`)");
console.log(`wirecore contract suite: RUNTIME = bun ${bun.version} (bun test, adapters/bun)`);

const api: TestApi = {
  describe: (name, body) => describe(name, body),
  it: (name, body, timeoutMs) => it(name, body, timeoutMs),
  beforeAll: (body) => beforeAll(body),
  afterAll: (body) => afterAll(body),
};
/** Bun.serve, which passes its `server` beside the request. */
const fetchHost: FetchHost = {
  name: "Bun.serve",
  serve: (fetch) => {
    const server = bun.serve({
      port: 0,
      hostname: "127.0.0.1",
      fetch: (request, info) => fetch(request, info as never),
    });
    return Promise.resolve({ port: server.port, close: () => server.stop(true) });
  },
};
const runtime: Runtime = { name: "bun", serve, fetchHost };

describe(`contract suite on bun ${bun.version}`, () => {
  contractSuite(api, runtime);
});
