/**
 * Many idle connections do not slow the server for everyone else: with 5 000 keep-alive
 * connections open and silent, a fresh client's requests are answered as fast as before (p99
 * under 200 ms, scaled on slow runs), and the idle ones are still open afterwards. The clients run
 * in a Node process of their own (test/support/idle-load.ts), so only the server is measured.
 */
import assert from "node:assert/strict";
import { execFile } from "node:child_process";
import { start, type TestApi } from "../harness.ts";
import { TIME_SCALE } from "./environment.ts";
import { createBaseApp, type StressSuite } from "./fixture.ts";

const IDLE = 5_000;
const REQUESTS = 200;
const path = (relative: string): string => decodeURIComponent(new URL(relative, import.meta.url).pathname);
const NODE = path("../../../node_modules/.bin/node");
const LOAD = path("../../support/idle-load.ts");

interface LoadResult {
  p50: number;
  p99: number;
  max: number;
  idleOpen: number;
}

function runLoad(port: number): Promise<LoadResult> {
  return new Promise((resolve, reject) => {
    execFile(
      NODE,
      [LOAD, String(port), String(IDLE), String(REQUESTS)],
      { timeout: 50_000 },
      (error, stdout, stderr) => {
        if (error !== null) reject(new Error(`idle-load failed: ${error.message}\n${stderr}`));
        else resolve(JSON.parse(stdout) as LoadResult);
      },
    );
  });
}

export function idleConnectionCases(t: TestApi, s: StressSuite): void {
  t.it(`${IDLE} idle connections: a fresh client's p99 stays under 200 ms`, async () => {
    // A server of its own whose keep-alive timeout outlasts the case, so no idle one is dropped.
    const server = await start(s.runtime, createBaseApp(), { keepAliveTimeout: 120_000 });
    try {
      const result = await runLoad(server.address.port);
      const figures = `p50 ${result.p50.toFixed(1)} ms, p99 ${result.p99.toFixed(1)} ms, max ${
        result.max.toFixed(1)
      } ms`;
      assert.ok(result.p99 < 200 * TIME_SCALE, `${figures} with ${IDLE} idle connections`);
      assert.equal(result.idleOpen, IDLE, "every idle connection is still open");
    } finally {
      await server.close();
    }
  }, 60_000);
}
