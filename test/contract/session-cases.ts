/**
 * Sessions end to end, over HTTP/1.1, h2c and h2 over TLS, with each store: the in-process
 * MemorySessionStore and RedisSessionStore (wirecore/redis) against a real redis-server
 * (test/support/redis-server.ts) through the npm `redis` client — on Node, Bun and Deno alike.
 * Visit counter, cookie attributes, tampering, regenerate, destroy, expiry and rolling expiry.
 */
import assert from "node:assert/strict";
import { createClient } from "redis";
import { App } from "../../core/app/app.ts";
import type { Context, Reply } from "../../core/app/context.ts";
import { getSession, session } from "../../core/middleware/session/session-middleware.ts";
import { MemorySessionStore } from "../../core/middleware/session/memory-store.ts";
import type { SessionStore } from "../../core/middleware/session/session-store.ts";
import { RedisSessionStore } from "../../integrations/redis/mod.ts";
import { findRedisServer, pingOnce, REDIS_INSTALL_COMMAND, RedisServer } from "../support/redis-server.ts";
import { type Runtime, sleep, type TestApi } from "./harness.ts";
import type { HttpClient } from "./http-client.ts";
import { PROTOCOLS } from "./semantics-setup.ts";
import { useProtocolEndpoint } from "./protocol-endpoint.ts";

const KEYS = ["session-contract-secret-32-bytes"];
/** Seconds: short, so expiry is observable; the waits below are fractions of it. */
const TTL = 1;

type RedisClient = ReturnType<typeof createClient>;

/** `/visit` counts, `/peek` reads, `/login` regenerates, `/logout` destroys; `/rolling/*` is a rolling session. */
function createSessionApp(store: SessionStore): App {
  const fixed = session({ store, keys: KEYS, ttl: TTL });
  const rolling = session({ store, keys: KEYS, ttl: TTL, rolling: true, cookieName: "rsid" });
  const app = new App();
  app.use((c, next) => (c.req.path.startsWith("/rolling/") ? rolling(c, next) : fixed(c, next)));
  const visit = (c: Context): Reply => {
    const s = getSession<{ visits: number }>(c);
    const visits = (s.get("visits") ?? 0) + 1;
    s.set("visits", visits);
    return c.json({ visits, isNew: s.isNew });
  };
  app.get("/visit", visit);
  app.get("/rolling/visit", visit);
  app.get("/peek", (c) => c.json({ visits: getSession<{ visits: number }>(c).get("visits") ?? 0 }));
  app.get("/rolling/peek", (c) => c.json({ visits: getSession<{ visits: number }>(c).get("visits") ?? 0 }));
  app.post("/login", (c) => {
    const s = getSession<{ user: string }>(c);
    s.regenerate();
    s.set("user", "alice");
    return c.json({ user: "alice" });
  });
  app.get("/me", (c) => c.json({ user: getSession<{ user: string }>(c).get("user") ?? null }));
  app.post("/logout", (c) => {
    getSession(c).destroy();
    return c.text("bye");
  });
  return app;
}

/** The Set-Cookie fields of a response, and the `name=value` of the one named `name`. */
function cookie(headers: Headers, name = "sid"): { field: string; pair: string } | undefined {
  const field = headers.getSetCookie().find((one) => one.startsWith(name + "="));
  return field === undefined ? undefined : { field, pair: field.split(";")[0]! };
}

async function get(client: HttpClient, path: string, pair?: string, method = "GET") {
  return await client.request({ method, path, headers: pair === undefined ? [] : [["cookie", pair]] });
}

/** The session cases for one store, once per protocol. */
function sessionCasesWith(t: TestApi, runtime: Runtime, storeName: string, store: () => SessionStore): void {
  for (const under of PROTOCOLS) {
    t.describe(`sessions (${storeName}) over ${under.name}`, () => {
      const server = useProtocolEndpoint(t, runtime, under, () => createSessionApp(store()));

      t.it("a visit counter in a signed, HttpOnly, SameSite=Lax session cookie", async () => {
        const first = await get(server.client, "/visit");
        assert.deepEqual(first.json(), { visits: 1, isNew: true });
        const sid = cookie(first.headers)!;
        assert.match(
          sid.field,
          /^sid=[A-Za-z0-9_-]{32}\.[A-Za-z0-9_-]{43}; Path=\/; Max-Age=1; HttpOnly; SameSite=Lax$/,
        );
        assert.deepEqual((await get(server.client, "/visit", sid.pair)).json(), { visits: 2, isNew: false });
        const third = await get(server.client, "/visit", sid.pair);
        assert.deepEqual(third.json(), { visits: 3, isNew: false });
        assert.deepEqual(third.headers.getSetCookie(), []); // same id, not rolling: no new cookie
      });

      t.it("an untouched session sends no cookie; a tampered cookie starts anew", async () => {
        const peek = await get(server.client, "/peek");
        assert.deepEqual(peek.json(), { visits: 0 });
        assert.deepEqual(peek.headers.getSetCookie(), []);
        const sid = cookie((await get(server.client, "/visit")).headers)!;
        const tampered = sid.pair.replace(/=(.)/, (_m, ch: string) => "=" + (ch === "A" ? "B" : "A"));
        assert.deepEqual((await get(server.client, "/visit", tampered)).json(), { visits: 1, isNew: true });
      });

      t.it("regenerate() on login: a new id carries the data, the old id is dead", async () => {
        const old = cookie((await get(server.client, "/visit")).headers)!;
        const login = await get(server.client, "/login", old.pair, "POST");
        const fresh = cookie(login.headers)!;
        assert.notEqual(fresh.pair, old.pair);
        assert.deepEqual((await get(server.client, "/me", fresh.pair)).json(), { user: "alice" });
        assert.deepEqual((await get(server.client, "/peek", fresh.pair)).json(), { visits: 1 });
        assert.deepEqual((await get(server.client, "/me", old.pair)).json(), { user: null });
      });

      t.it("destroy() on logout: the cookie is cleared and the session gone", async () => {
        const sid = cookie((await get(server.client, "/visit")).headers)!;
        const logout = await get(server.client, "/logout", sid.pair, "POST");
        assert.match(cookie(logout.headers)!.field, /^sid=; Path=\/; Max-Age=0; Expires=Thu, 01 Jan 1970 00:00:00 GMT/);
        assert.deepEqual((await get(server.client, "/visit", sid.pair)).json(), { visits: 1, isNew: true });
      });

      t.it("expiry after ttl; a rolling session lives on while used", async () => {
        const fixed = cookie((await get(server.client, "/visit")).headers)!;
        const rolled = cookie((await get(server.client, "/rolling/visit")).headers, "rsid")!;
        await sleep(600);
        assert.deepEqual((await get(server.client, "/peek", fixed.pair)).json(), { visits: 1 });
        const touched = await get(server.client, "/rolling/peek", rolled.pair);
        assert.deepEqual(touched.json(), { visits: 1 });
        assert.match(cookie(touched.headers, "rsid")!.field, /Max-Age=1;/); // re-sent on every request
        await sleep(600); // 1.2 s after the start: past the fixed ttl, 0.6 s after the rolling touch
        assert.deepEqual((await get(server.client, "/visit", fixed.pair)).json(), { visits: 1, isNew: true });
        assert.deepEqual((await get(server.client, "/rolling/visit", rolled.pair)).json(), { visits: 2, isNew: false });
      });
    });
  }
}

/** Register the session cases: memory store, then Redis (a real redis-server for the block). */
export function sessionCases(t: TestApi, runtime: Runtime): void {
  sessionCasesWith(t, runtime, "MemorySessionStore", () => new MemorySessionStore());

  t.describe("RedisSessionStore on a real redis-server", () => {
    let redis: RedisServer | null = null;
    let client: RedisClient | null = null;
    t.beforeAll(async () => {
      redis = await RedisServer.start();
      client = createClient({ url: redis.url });
      client.on("error", () => {}); // reconnects are expected (the restart case); commands report failures
      await client.connect();
    });
    t.afterAll(async () => {
      client?.destroy();
      await redis?.stop();
    });
    const store = (): RedisSessionStore => new RedisSessionStore({ client: client!, prefix: `sess:${runtime.name}:` });

    t.it("the test helper: a missing binary names its install command; stop() stops", async () => {
      assert.throws(() => findRedisServer(["/nonexistent-dir"]), new RegExp(REDIS_INSTALL_COMMAND));
      const other = await RedisServer.start();
      assert.notEqual(other.port, redis!.port);
      await pingOnce(other.port);
      await other.stop();
      await assert.rejects(pingOnce(other.port, 300));
      await other.stop(); // idempotent
    });

    t.it("set/get/touch/delete with expiry in Redis itself (PX, PEXPIRE)", async () => {
      const s = store();
      await s.set("a", { n: 1, list: ["x"] }, 10);
      assert.deepEqual(await s.get("a"), { n: 1, list: ["x"] });
      const ttl = await client!.pTTL(`sess:${runtime.name}:a`);
      assert.ok(ttl > 9_000 && ttl <= 10_000, `PTTL ${ttl}`);
      await s.touch("a", 0.2);
      assert.ok((await client!.pTTL(`sess:${runtime.name}:a`)) <= 200);
      await sleep(300);
      assert.equal(await s.get("a"), undefined);
      await s.set("b", {}, 10);
      await s.delete("b");
      assert.equal(await s.get("b"), undefined);
      await client!.set(`sess:${runtime.name}:junk`, "not json");
      await client!.set(`sess:${runtime.name}:array`, "[1]");
      assert.equal(await s.get("junk"), undefined);
      assert.equal(await s.get("array"), undefined);
    });

    sessionCasesWith(t, runtime, "RedisSessionStore", store);

    t.describe("after a Redis restart (no persistence)", () => {
      const server = useProtocolEndpoint(t, runtime, PROTOCOLS[0]!, () => createSessionApp(store()));
      t.it("old sessions are gone and requests go on once the client reconnects", async () => {
        const sid = cookie((await get(server.client, "/visit")).headers)!;
        assert.deepEqual((await get(server.client, "/visit", sid.pair)).json(), { visits: 2, isNew: false });
        const port = redis!.port;
        await redis!.restart();
        assert.equal(redis!.port, port);
        assert.deepEqual((await get(server.client, "/visit", sid.pair)).json(), { visits: 1, isNew: true });
      });
    });
  });
}
