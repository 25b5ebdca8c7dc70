/** `rateLimit()` in an app, on a fake clock: 429 with Retry-After and the IETF RateLimit fields. */
import { describe, expect, it } from "vitest";
import { App } from "../../app/app.ts";
import { rateLimit } from "./rate-limit.ts";
import { MemoryStore } from "./memory-store.ts";
import type { RateLimitStore } from "./store.ts";

function setup(options: Partial<Parameters<typeof rateLimit>[0]> = {}) {
  const clock = { now: 0 };
  let ran = 0;
  const app = new App()
    .use(
      rateLimit({
        limit: 5,
        ...(options.refillPerSecond === undefined ? { windowMs: 1000 } : {}),
        key: (c) => c.req.header("x-client") ?? "anon",
        now: () => clock.now,
        ...options,
      }),
    )
    .get("/", (c) => {
      ran++;
      return c.text("ok");
    });
  app.configure(1024, () => {});
  const get = (client = "a") => app.request("/", { headers: { "x-client": client } });
  return { app, clock, get, ran: () => ran };
}

describe("rateLimit()", () => {
  it("allows 5 requests in a second with RateLimit fields, and answers the 6th with 429", async () => {
    const { get, clock, ran } = setup();
    for (let i = 0; i < 5; i++) {
      clock.now = i * 10;
      const response = await get();
      expect(response.status).toBe(200);
      expect(response.headers.get("ratelimit-policy")).toBe('"default";q=5;w=1');
      expect(response.headers.get("ratelimit")).toBe(`"default";r=${4 - i};t=1`);
      expect(response.headers.get("retry-after")).toBe(null);
    }
    clock.now = 50;
    const denied = await get();
    expect(denied.status).toBe(429);
    expect(await denied.text()).toBe("Too Many Requests");
    expect(denied.headers.get("retry-after")).toBe("1");
    expect(denied.headers.get("ratelimit")).toBe('"default";r=0;t=1');
    expect(denied.headers.get("ratelimit-policy")).toBe('"default";q=5;w=1');
    expect(ran()).toBe(5); // the handler did not run for the 429
  });

  it("refills: one token after 200 ms, the whole bucket after a second", async () => {
    const { get, clock } = setup();
    for (let i = 0; i < 5; i++) await get();
    expect((await get()).status).toBe(429);
    clock.now = 199;
    expect((await get()).status).toBe(429);
    clock.now = 400; // two tokens refilled since the burst (the 199 ms request was denied: it took none)
    expect((await get()).status).toBe(200);
    expect((await get()).status).toBe(200);
    expect((await get()).status).toBe(429);
    clock.now = 5000;
    const full = await get();
    expect(full.status).toBe(200);
    expect(full.headers.get("ratelimit")).toBe('"default";r=4;t=1');
  });

  it("keeps clients apart by key", async () => {
    const { get } = setup();
    for (let i = 0; i < 5; i++) await get("a");
    expect((await get("a")).status).toBe(429);
    expect((await get("b")).status).toBe(200);
  });

  it("keys by the peer's address by default", async () => {
    const app = new App().use(rateLimit({ limit: 1, now: () => 0 })).get("/", (c) => c.text(c.req.remoteAddress));
    const info = { remoteAddress: "192.0.2.7", remotePort: 1, tls: false };
    expect((await app.fetch(new Request("http://x/"), info)).status).toBe(200);
    expect((await app.fetch(new Request("http://x/"), info)).status).toBe(429);
    expect((await app.fetch(new Request("http://x/"), { ...info, remoteAddress: "192.0.2.8" })).status).toBe(200);
  });

  it("a slow policy says so in Retry-After and the window", async () => {
    const { get } = setup({ limit: 2, windowMs: 60_000, name: "per-minute" });
    const first = await get();
    expect(first.headers.get("ratelimit-policy")).toBe('"per-minute";q=2;w=60');
    expect(first.headers.get("ratelimit")).toBe('"per-minute";r=1;t=30');
    await get();
    const denied = await get();
    expect(denied.status).toBe(429);
    expect(denied.headers.get("retry-after")).toBe("30");
    expect(denied.headers.get("ratelimit")).toBe('"per-minute";r=0;t=30');
  });

  it("takes a refill rate instead of a window", async () => {
    const { get, clock } = setup({ limit: 10, refillPerSecond: 2 });
    const first = await get();
    expect(first.headers.get("ratelimit-policy")).toBe('"default";q=10;w=5');
    for (let i = 0; i < 9; i++) await get();
    expect((await get()).status).toBe(429);
    clock.now = 500; // 2 per second: one token
    expect((await get()).status).toBe(200);
  });

  it("waits for an async store, and a failing store answers 500", async () => {
    const memory = new MemoryStore();
    const store: RateLimitStore = { take: (key, policy, now) => Promise.resolve(memory.take(key, policy, now)) };
    const { get } = setup({ limit: 1, store });
    expect((await get()).status).toBe(200);
    expect((await get()).status).toBe(429);
    const broken: RateLimitStore = { take: () => Promise.reject(new Error("store down")) };
    expect((await setup({ store: broken }).get()).status).toBe(500);
  });

  it("refuses options it cannot honour", () => {
    expect(() => rateLimit({ limit: 0 })).toThrow(RangeError);
    expect(() => rateLimit({ limit: 1.5 })).toThrow(RangeError);
    expect(() => rateLimit({ limit: 5, windowMs: 0 })).toThrow(RangeError);
    expect(() => rateLimit({ limit: 5, refillPerSecond: -1 })).toThrow(RangeError);
    expect(() => rateLimit({ limit: 5, windowMs: 1000, refillPerSecond: 5 })).toThrow(TypeError);
    expect(() => rateLimit({ limit: 5, name: "bad\n" })).toThrow(TypeError);
  });

  it("escapes the policy name as a Structured Fields String", async () => {
    const { get } = setup({ name: 'a"b\\c' });
    expect((await get()).headers.get("ratelimit-policy")).toBe('"a\\"b\\\\c";q=5;w=1');
  });
});
