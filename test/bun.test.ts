/**
 * The contract suite on Bun, run by `bun test` against the bun adapter (DESIGN.md §4).
 * `bun test ./test/bun.test.ts`
 */
import { afterAll, beforeAll, describe, it } from "bun:test";
import { serve } from "../adapters/bun/mod.ts";
import type { Runtime, TestApi } from "./contract/harness.ts";
import { contractSuite } from "./contract/suite.ts";

const bun = (globalThis as { Bun?: { version: string } }).Bun;
if (bun === undefined) throw new Error("test/bun.test.ts must run on Bun (`bun test ./test/bun.test.ts`)");
console.log(`wirecore contract suite: RUNTIME = bun ${bun.version} (bun test, adapters/bun)`);

const api: TestApi = {
  describe: (name, body) => describe(name, body),
  it: (name, body, timeoutMs) => it(name, body, timeoutMs),
  beforeAll: (body) => beforeAll(body),
  afterAll: (body) => afterAll(body),
};
const runtime: Runtime = { name: "bun", serve };

describe(`contract suite on bun ${bun.version}`, () => {
  contractSuite(api, runtime);
});
