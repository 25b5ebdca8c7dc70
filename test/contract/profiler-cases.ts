/**
 * The `profiler()` handler over a real socket, on each runtime's own profiler provider (the one
 * its adapter's `serve()` sets as `c.services.profiler`), over HTTP/1.1, h2c and HTTP/2 over TLS:
 * the token guard (401/403), a CPU profile in the `.cpuprofile` format, one profile at a time
 * (409), and a heap snapshot in the `.heapsnapshot` format (over HTTP/1.1 and h2c only: a snapshot
 * of the suite's heap takes seconds, and HTTP/2 over TLS runs the same session code).
 */
import assert from "node:assert/strict";
import process from "node:process";
import { App, profiler } from "../../mod.ts";
import type { Server } from "../../core/server/server.ts";
import { type Runtime, start, type TestApi } from "./harness.ts";
import type { HttpClient } from "./http-client.ts";
import { PROTOCOLS } from "./semantics-setup.ts";
import { cert, key } from "./tls-fixture.ts";

const TOKEN = "contract-suite-profiler-token";
const AUTH: [string, string] = ["authorization", `Bearer ${TOKEN}`];

/**
 * Busy work while a profile runs, so its samples see JavaScript frames: `ms` of CPU time, not of
 * wall time, so that a loaded machine that deschedules the process still gets samples of it.
 */
function spin(ms: number): number {
  let x = 0;
  const until = process.cpuUsage().user + ms * 1000;
  while (process.cpuUsage().user < until) for (let i = 0; i < 100_000; i++) x += Math.sqrt(x + i);
  return x;
}

function createProfilerApp(): App {
  const app = new App();
  app.get("/debug/profile", profiler({ token: TOKEN, maxSeconds: 5 }));
  app.get("/spin", (c) => c.text(String(spin(40))));
  return app;
}

/** Register the profiler cases for one runtime. */
export function profilerCases(t: TestApi, runtime: Runtime): void {
  for (const under of PROTOCOLS) {
    t.describe(`profiler over ${under.name}`, () => {
      let server: Server | null = null;
      let client: HttpClient | null = null;
      t.beforeAll(async () => {
        server = await start(runtime, createProfilerApp(), under.tls ? { tls: { cert, key } } : {});
        client = await under.connect(server.address.port);
      });
      t.afterAll(async () => {
        await client?.close();
        await server?.close();
      });
      const http = (): HttpClient => client ?? assert.fail("client not connected");

      t.it("answers 401 with a Bearer challenge without a token, 403 with a wrong one", async () => {
        const none = await http().request({ path: "/debug/profile?seconds=1" });
        assert.equal(none.status, 401);
        assert.match(none.headers.get("www-authenticate") ?? "", /^Bearer /);
        const wrong = await http().request({
          path: "/debug/profile?seconds=1",
          headers: [["authorization", `Bearer ${TOKEN}x`]],
        });
        assert.equal(wrong.status, 403);
        const basic = await http().request({ path: "/debug/profile", headers: [["authorization", `Basic ${TOKEN}`]] });
        assert.equal(basic.status, 401, "another scheme is no bearer token");
      });

      t.it("answers 400 for a bad seconds or type, before any profiling", async () => {
        for (
          const query of ["seconds=0", "seconds=6", "seconds=abc", "seconds=1.5", "seconds=", "type=cpu&seconds=-1"]
        ) {
          const response = await http().request({ path: `/debug/profile?${query}`, headers: [AUTH] });
          assert.equal(response.status, 400, query);
        }
        const type = await http().request({ path: "/debug/profile?type=disk", headers: [AUTH] });
        assert.equal(type.status, 400);
      });

      t.it(
        "returns a CPU profile of the asked length in the .cpuprofile format; a second one meanwhile gets 409",
        async () => {
          const started = performance.now();
          const pending = http().request({ path: "/debug/profile?seconds=1", headers: [AUTH] });
          // Requests while it runs: the work shows up in the profile, and a second profile is refused.
          await http().request({ path: "/spin" });
          const busy = await http().request({ path: "/debug/profile?seconds=1", headers: [AUTH] });
          assert.equal(busy.status, 409);
          assert.ok(busy.headers.get("retry-after"));
          await http().request({ path: "/spin" });
          const response = await pending;
          const elapsed = performance.now() - started;
          assert.equal(response.status, 200);
          assert.match(response.headers.get("content-type") ?? "", /^application\/json/);
          assert.match(response.headers.get("content-disposition") ?? "", /\.cpuprofile"$/);
          assert.equal(response.headers.get("cache-control"), "no-store");
          assert.ok(elapsed >= 950, `took ${elapsed} ms for a 1 s profile`);
          const profile = response.json() as Record<string, unknown>;
          assert.ok(Array.isArray(profile.nodes) && profile.nodes.length > 0, "nodes");
          assert.ok(Array.isArray(profile.samples), "samples");
          assert.equal(typeof profile.startTime, "number");
          assert.equal(typeof profile.endTime, "number");
          const span = (profile.endTime as number) - (profile.startTime as number);
          if (runtime.name === "bun") {
            // JavaScriptCore samples only while JavaScript runs: Bun's startTime and endTime are
            // its first and last samples, not the start and stop of the profile (measured, Bun 1.4.5).
            assert.ok(span > 0 && span <= elapsed * 1000, `profile spans ${span} µs`);
          } else {
            assert.ok(span >= 900_000 && span <= elapsed * 1000, `profile spans ${span} µs of ${elapsed} ms`);
          }
          // The work done meanwhile shows as frames of this file (spin() itself, or the handler it
          // was inlined into).
          const urls = (profile.nodes as { callFrame: { url: string } }[]).map((n) => n.callFrame.url);
          assert.ok(urls.some((url) => url.includes("profiler-cases")), `no frame of this file in: ${urls}`);
          const ids = new Set((profile.nodes as { id: number }[]).map((node) => node.id));
          for (const sample of profile.samples as number[]) assert.ok(ids.has(sample), `sample ${sample} names a node`);
          // Free again once done.
          const after = await http().request({ path: "/debug/profile?type=bogus", headers: [AUTH] });
          assert.equal(after.status, 400);
        },
        15_000,
      );

      // A snapshot of the suite's whole heap takes seconds (5 s on Deno, whose TLS path then takes
      // 10 s more for its tens of MB): once over HTTP/1.1 and once over HTTP/2 (h2c) is enough.
      if (under.protocol === "h2") return;
      t.it("streams a heap snapshot in the .heapsnapshot format", async () => {
        const response = await http().request({ path: "/debug/profile?type=heap", headers: [AUTH] });
        assert.equal(response.status, 200);
        assert.match(response.headers.get("content-disposition") ?? "", /\.heapsnapshot"$/);
        const snapshot = response.json() as { snapshot: { meta: { node_fields: string[] } }; nodes: number[] };
        assert.ok(Array.isArray(snapshot.snapshot.meta.node_fields), "snapshot.meta.node_fields");
        assert.ok(Array.isArray(snapshot.nodes) && snapshot.nodes.length > 0, "nodes");
        assert.equal(snapshot.nodes.length % snapshot.snapshot.meta.node_fields.length, 0, "whole nodes");
        // The next profile may start: the snapshot released the lock when it was sent.
        const next = await http().request({ path: "/debug/profile?type=heap&seconds=x", headers: [AUTH] });
        assert.equal(next.status, 400);
      }, 60_000);
    });
  }
}
