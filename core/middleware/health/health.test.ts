import { describe, expect, it } from "vitest";
import { App } from "../../app/app.ts";
import { health } from "./health.ts";

describe("health()", () => {
  it("answers /healthz and /readyz, and lets other requests through", async () => {
    const app = new App().use(health()).get("/", (c) => c.text("app"));
    const live = await app.request("/healthz");
    expect([live.status, await live.text(), live.headers.get("cache-control")]).toEqual([200, "ok", "no-store"]);
    const ready = await app.request("/readyz");
    expect([ready.status, await ready.text()]).toEqual([200, "ready"]);
    expect(await (await app.request("/")).text()).toBe("app");
    expect((await app.request("/readyz", { method: "POST" })).status).toBe(404);
    expect((await app.request("/healthz", { method: "HEAD" })).status).toBe(200);
  });

  it("answers 503 when a readiness check fails or throws", async () => {
    let state: boolean | "throw" = false;
    const app = new App().use(health({
      readyPath: "/ready",
      ready: () => {
        if (state === "throw") throw new Error("db down");
        return Promise.resolve(state);
      },
    }));
    expect((await app.request("/ready")).status).toBe(503);
    state = true;
    expect((await app.request("/ready")).status).toBe(200);
    state = "throw";
    const failed = await app.request("/ready");
    expect([failed.status, await failed.text()]).toEqual([503, "not ready"]);
  });
});
