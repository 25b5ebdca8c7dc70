/**
 * `rateLimit()` (docs/rate-limit.md) on this runtime's adapter, over HTTP/1.1 (`fetch`), HTTP/2
 * h2c and HTTP/2 over TLS (`node:http2`): a burst past the limit gets 429 with Retry-After and the
 * IETF RateLimit fields, the bucket refills with time, and the default key is the client's address.
 */
import assert from "node:assert/strict";
import { App } from "../../core/app/app.ts";
import { rateLimit } from "../../core/middleware/rate-limit/rate-limit.ts";
import type { Server } from "../../core/server/server.ts";
import { type Runtime, start, type TestApi } from "./harness.ts";
import type { ClientResponse, HttpClient } from "./http-client.ts";
import { PROTOCOLS } from "./semantics-setup.ts";
import { cert, key } from "./tls-fixture.ts";

/**
 * The limiter's clock: it stands still unless a case moves it, so a burst that takes longer than
 * a fifth of a second on a loaded machine still meets a full bucket and no refill (5 per second).
 */
const clock = { ms: Date.now() };
const now = (): number => clock.ms;

function createRateLimitApp(): App {
  // Cases share one server: each names its own client in x-client, so buckets stay apart.
  const perClient = rateLimit({ limit: 5, windowMs: 1000, now, key: (c) => c.req.header("x-client") ?? "" });
  // The default key: the peer's address (127.0.0.1 for every case, so one case uses it).
  const byAddress = rateLimit({ limit: 5, windowMs: 1000, now });
  return new App()
    .use((c, next) => (c.req.path === "/by-ip" ? byAddress(c, next) : perClient(c, next)))
    .get("/limited", (c) => c.text("ok"))
    .get("/by-ip", (c) => c.text(c.req.remoteAddress));
}

function clientId(): string {
  return Math.random().toString(36).slice(2, 12);
}

/** Six requests at once: the burst a limit of 5 per second must cut. */
function burst(client: HttpClient, path: string, id: string, count = 6): Promise<ClientResponse[]> {
  return Promise.all(Array.from({ length: count }, () => client.request({ path, headers: [["x-client", id]] })));
}

function check429(denied: ClientResponse): void {
  assert.equal(denied.status, 429);
  assert.equal(denied.text(), "Too Many Requests");
  assert.equal(denied.headers.get("retry-after"), "1");
  assert.equal(denied.headers.get("ratelimit-policy"), '"default";q=5;w=1');
  assert.equal(denied.headers.get("ratelimit"), '"default";r=0;t=1');
}

/** Register the rate-limit cases once per protocol. */
export function rateLimitCases(t: TestApi, runtime: Runtime): void {
  for (const under of PROTOCOLS) {
    t.describe(`rate limit over ${under.name}`, () => {
      let server: Server;
      let client: HttpClient;
      t.beforeAll(async () => {
        server = await start(runtime, createRateLimitApp(), under.tls ? { tls: { cert, key } } : {});
        client = await under.connect(server.address.port);
      });
      t.afterAll(async () => {
        await client?.close();
        await server?.close();
      });

      t.it("the 6th request within a second gets 429 with Retry-After and RateLimit fields", async () => {
        const responses = await burst(client, "/limited", clientId());
        const allowed = responses.filter((r) => r.status === 200);
        const denied = responses.filter((r) => r.status !== 200);
        assert.equal(allowed.length, 5, `statuses: ${responses.map((r) => r.status)}`);
        assert.equal(denied.length, 1);
        check429(denied[0]!);
        // Allowed answers carry the fields too, each with what was left after it.
        const left = allowed.map((r) => {
          assert.equal(r.headers.get("ratelimit-policy"), '"default";q=5;w=1');
          assert.equal(r.headers.get("retry-after"), null);
          const match = /^"default";r=(\d);t=1$/.exec(r.headers.get("ratelimit") ?? "");
          assert.ok(match !== null, `RateLimit: ${r.headers.get("ratelimit")}`);
          return Number(match[1]);
        });
        assert.deepEqual(left.sort(), [0, 1, 2, 3, 4]);
      });

      t.it("after waiting, the bucket has refilled", async () => {
        const id = clientId();
        const responses = await burst(client, "/limited", id);
        assert.equal(responses.filter((r) => r.status === 429).length, 1);
        clock.ms += 1100; // Retry-After said 1 s; a whole window refills the whole bucket
        const again = await client.request({ path: "/limited", headers: [["x-client", id]] });
        assert.equal(again.status, 200);
        assert.equal(again.headers.get("ratelimit"), '"default";r=4;t=1');
        // Other clients were never limited by this one.
        assert.equal((await client.request({ path: "/limited", headers: [["x-client", clientId()]] })).status, 200);
      });

      t.it("by default the key is the client's address", async () => {
        const responses = await Promise.all(Array.from({ length: 6 }, () => client.request({ path: "/by-ip" })));
        assert.deepEqual(responses.map((r) => r.status).sort(), [200, 200, 200, 200, 200, 429]);
        assert.equal(responses.find((r) => r.status === 200)!.text(), "127.0.0.1");
        check429(responses.find((r) => r.status === 429)!);
      });
    });
  }
}
