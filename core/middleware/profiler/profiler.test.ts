/**
 * `profiler()` with a fake provider, through `app.request()`: the token guard, the query checks,
 * one profile at a time, and the 501s. The real providers run in test/contract/profiler-cases.ts.
 */
import { describe, expect, it } from "vitest";
import { App } from "../../app/app.ts";
import type { CpuProfile, ProfilerProvider } from "../../providers/profiler-provider.ts";
import { profiler, type ProfilerOptions } from "./profiler.ts";
import { bearerToken, SecretToken } from "./token.ts";

const TOKEN = "0123456789abcdef-token";
const AUTH = { authorization: `Bearer ${TOKEN}` };
const PROFILE: CpuProfile = {
  nodes: [{ id: 1, callFrame: { functionName: "(root)", scriptId: "0", url: "", lineNumber: -1, columnNumber: -1 } }],
  startTime: 0,
  endTime: 1000,
  samples: [1],
  timeDeltas: [0],
};

/** A provider whose CPU profiles last until `finish()` is called (or their signal aborts). */
class FakeProvider implements ProfilerProvider {
  readonly runtime = "fake";
  readonly asked: number[] = [];
  signal: AbortSignal | null = null;
  #finish: (() => void) | null = null;

  cpuProfile(durationMs: number, signal: AbortSignal): Promise<CpuProfile> {
    this.asked.push(durationMs);
    this.signal = signal;
    return new Promise((resolve, reject) => {
      this.#finish = () => resolve(PROFILE);
      signal.addEventListener("abort", () => reject(signal.reason));
    });
  }

  heapSnapshot(): ReadableStream<Uint8Array> {
    const parts = ['{"snapshot":{"meta":{}},', '"nodes":[1,2]}'];
    return new ReadableStream({
      pull(controller) {
        const part = parts.shift();
        if (part === undefined) controller.close();
        else controller.enqueue(new TextEncoder().encode(part));
      },
    });
  }

  finish(): void {
    this.#finish?.();
  }
}

function appWith(options: Partial<ProfilerOptions> = {}): App {
  const app = new App();
  app.configure(1024 * 1024, () => {});
  return app.get("/profile", profiler({ token: TOKEN, ...options }));
}

/** Wait until the fake provider has been asked for a profile. */
async function started(provider: FakeProvider, count: number): Promise<void> {
  for (let i = 0; i < 100 && provider.asked.length < count; i++) await new Promise((r) => setTimeout(r, 1));
  expect(provider.asked.length).toBe(count);
}

describe("profiler()", () => {
  it("refuses a short or missing token and out-of-range limits when made", () => {
    expect(() => profiler({ token: "short" })).toThrow(TypeError);
    expect(() => profiler({} as ProfilerOptions)).toThrow(TypeError);
    expect(() => profiler({ token: TOKEN, maxSeconds: 0 })).toThrow(RangeError);
    expect(() => profiler({ token: TOKEN, maxSeconds: 1.5 })).toThrow(RangeError);
    expect(() => profiler({ token: TOKEN, maxSeconds: 5, defaultSeconds: 6 })).toThrow(RangeError);
  });

  it("answers 401 with a challenge without a bearer token, 403 with a wrong one", async () => {
    const provider = new FakeProvider();
    const app = appWith({ provider });
    const none = await app.request("/profile");
    expect(none.status).toBe(401);
    expect(none.headers.get("www-authenticate")).toBe('Bearer realm="profiler"');
    expect(none.headers.get("cache-control")).toBe("no-store");
    expect((await app.request("/profile", { headers: { authorization: TOKEN } })).status).toBe(401);
    for (const wrong of [`${TOKEN}x`, TOKEN.slice(0, -1), "x", TOKEN.toUpperCase()]) {
      const response = await app.request("/profile", { headers: { authorization: `Bearer ${wrong}` } });
      expect(response.status).toBe(403);
    }
    expect(provider.asked).toEqual([]);
  });

  it("answers 400 for a malformed or out-of-range seconds and an unknown type", async () => {
    const provider = new FakeProvider();
    const app = appWith({ provider, maxSeconds: 30 });
    for (
      const query of ["seconds=0", "seconds=31", "seconds=1e1", "seconds=+5", "seconds=", "seconds=99999", "type=x"]
    ) {
      const response = await app.request(`/profile?${query}`, { headers: AUTH });
      expect(response.status, query).toBe(400);
    }
    expect(provider.asked).toEqual([]);
  });

  it("profiles for the asked seconds (the default when none), one at a time", async () => {
    const provider = new FakeProvider();
    const app = appWith({ provider, maxSeconds: 30, defaultSeconds: 7 });
    const first = app.request("/profile?seconds=30", { headers: AUTH });
    await started(provider, 1);
    const busy = await app.request("/profile?type=heap", { headers: AUTH });
    expect(busy.status).toBe(409);
    expect(busy.headers.get("retry-after")).toBe("30");
    provider.finish();
    const response = await first;
    expect(response.status).toBe(200);
    expect(response.headers.get("content-disposition")).toMatch(/^attachment; filename="cpu-.*\.cpuprofile"$/);
    expect(await response.json()).toEqual(PROFILE);
    const second = app.request("/profile", { headers: AUTH });
    await started(provider, 2);
    provider.finish();
    expect((await second).status).toBe(200);
    expect(provider.asked).toEqual([30_000, 7_000]);
  });

  it("stops the profile when the client leaves, and is free again", async () => {
    const provider = new FakeProvider();
    const app = appWith({ provider });
    const controller = new AbortController();
    const pending = app.request("/profile?seconds=5", { headers: AUTH, signal: controller.signal });
    await started(provider, 1);
    controller.abort();
    await pending.catch(() => {});
    expect(provider.signal?.aborted).toBe(true);
    const next = app.request("/profile?seconds=1", { headers: AUTH });
    await started(provider, 2);
    provider.finish();
    expect((await next).status).toBe(200);
  });

  it("streams a heap snapshot and stays busy until it has been read", async () => {
    const provider = new FakeProvider();
    const app = appWith({ provider });
    const response = await app.request("/profile?type=heap", { headers: AUTH });
    expect(response.status).toBe(200);
    expect(response.headers.get("content-type")).toBe("application/json");
    expect(response.headers.get("content-disposition")).toMatch(/\.heapsnapshot"$/);
    expect((await app.request("/profile?type=heap", { headers: AUTH })).status).toBe(409);
    expect(await response.json()).toEqual({ snapshot: { meta: {} }, nodes: [1, 2] });
    const again = await app.request("/profile?type=heap", { headers: AUTH });
    expect(again.status).toBe(200);
    await again.body?.cancel();
    expect((await app.request("/profile?type=x", { headers: AUTH })).status).toBe(400);
    const third = await app.request("/profile?type=heap", { headers: AUTH });
    expect(third.status, "a cancelled snapshot frees the lock").toBe(200);
    await third.text();
  });

  it("answers 501 without a provider, and for what the provider cannot do", async () => {
    const none = await appWith().request("/profile", { headers: AUTH });
    expect(none.status).toBe(501);
    expect(await none.text()).toMatch(/profiler\(\{ provider \}\)/);
    const cpuOnly: ProfilerProvider = { runtime: "somewhere", cpuProfile: () => Promise.resolve(PROFILE) };
    const heap = await appWith({ provider: cpuOnly }).request("/profile?type=heap", { headers: AUTH });
    expect(heap.status).toBe(501);
    expect(await heap.text()).toBe("Heap snapshots are not available on somewhere");
  });
});

describe("bearer tokens", () => {
  it("reads the credentials of a Bearer field, whatever the scheme's case", () => {
    expect(bearerToken(undefined)).toBe(null);
    expect(bearerToken("Bearer abc")).toBe("abc");
    expect(bearerToken("bearer  abc ")).toBe("abc");
    expect(bearerToken("BEARER a.b-c~")).toBe("a.b-c~");
    expect(bearerToken("Basic abc")).toBe(null);
    expect(bearerToken("Bearer")).toBe(null);
    expect(bearerToken("Bearer a b")).toBe(null);
  });

  it("matches only the secret itself", async () => {
    const secret = new SecretToken("s3cret-value");
    expect(await secret.matches("s3cret-value")).toBe(true);
    for (const other of ["", "s3cret-valu", "s3cret-value!", "S3cret-value", "x".repeat(1000)]) {
      expect(await secret.matches(other)).toBe(false);
    }
  });
});
