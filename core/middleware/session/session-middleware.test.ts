import { describe, expect, it } from "vitest";
import { App } from "../../app/app.ts";
import { MemorySessionStore } from "./memory-store.ts";
import { getSession, session, type SessionOptions } from "./session-middleware.ts";
import type { SessionData, SessionStore } from "./session-store.ts";

const KEYS = ["session-secret-of-32-bytes-long!"];

/** A memory store that counts its calls. */
class CountingStore implements SessionStore {
  readonly inner: MemorySessionStore;
  calls = { get: 0, set: 0, delete: 0, touch: 0 };
  constructor(now?: () => number) {
    this.inner = new MemorySessionStore(now ? { now } : {});
  }
  get(id: string): SessionData | undefined {
    this.calls.get++;
    return this.inner.get(id);
  }
  set(id: string, data: SessionData, ttl: number): void {
    this.calls.set++;
    this.inner.set(id, data, ttl);
  }
  delete(id: string): void {
    this.calls.delete++;
    this.inner.delete(id);
  }
  touch(id: string, ttl: number): void {
    this.calls.touch++;
    this.inner.touch(id, ttl);
  }
}

function makeApp(store: SessionStore, options: Partial<SessionOptions> = {}): App {
  const app = new App();
  app.use(session({ store, keys: KEYS, ...options }));
  app.get("/visit", (c) => {
    const s = getSession<{ visits: number }>(c);
    const visits = (s.get("visits") ?? 0) + 1;
    s.set("visits", visits);
    return c.json({ visits, id: s.id, isNew: s.isNew });
  });
  app.get("/peek", (c) => {
    const s = getSession<{ visits: number }>(c);
    return c.json({ visits: s.get("visits") ?? 0, isNew: s.isNew });
  });
  app.post("/login", (c) => {
    const s = getSession<{ user: string }>(c);
    const before = s.id;
    s.regenerate();
    s.set("user", "alice");
    return c.json({ before, after: s.id });
  });
  app.post("/logout", (c) => {
    getSession(c).destroy();
    return c.text("bye");
  });
  app.get("/nested", (c) => {
    const s = getSession<{ list: number[] }>(c);
    const list = s.get("list");
    if (list === undefined) s.set("list", [1]);
    else list.push(list.length + 1); // changed in place: still saved
    return c.json(s.get("list"));
  });
  return app;
}

/** The `name=value` part of the response's only Set-Cookie, and the whole field. */
function cookieOf(response: Response): { pair: string; field: string } | undefined {
  const fields = response.headers.getSetCookie();
  if (fields.length === 0) return undefined;
  expect(fields.length).toBe(1);
  return { pair: fields[0]!.split(";")[0]!, field: fields[0]! };
}

async function visit(app: App, path: string, cookie?: string, method = "GET"): Promise<Response> {
  return await app.request(path, { method, headers: cookie === undefined ? {} : { cookie } });
}

describe("session middleware", () => {
  it("counts visits in a signed HttpOnly SameSite=Lax cookie; saves only on change", async () => {
    const store = new CountingStore();
    const app = makeApp(store);
    const first = await visit(app, "/visit");
    expect(await first.json()).toMatchObject({ visits: 1, isNew: true });
    const cookie = cookieOf(first)!;
    expect(cookie.field).toMatch(
      /^sid=[A-Za-z0-9_-]{32}\.[A-Za-z0-9_-]{43}; Path=\/; Max-Age=86400; HttpOnly; SameSite=Lax$/,
    );
    expect(store.calls).toEqual({ get: 0, set: 1, delete: 0, touch: 0 });

    const second = await visit(app, "/visit", cookie.pair);
    expect(await second.json()).toMatchObject({ visits: 2, isNew: false });
    expect(cookieOf(second)).toBeUndefined(); // not rolling: the cookie is not re-sent
    expect(store.calls.set).toBe(2);

    const peek = await visit(app, "/peek", cookie.pair);
    expect(await peek.json()).toEqual({ visits: 2, isNew: false });
    expect(store.calls.set).toBe(2); // unchanged: not saved
    expect(cookieOf(peek)).toBeUndefined();
  });

  it("an untouched new session stores nothing and sends no cookie", async () => {
    const store = new CountingStore();
    const response = await visit(makeApp(store), "/peek");
    expect(await response.json()).toEqual({ visits: 0, isNew: true });
    expect(cookieOf(response)).toBeUndefined();
    expect(store.calls).toEqual({ get: 0, set: 0, delete: 0, touch: 0 });
  });

  it("in-place changes of nested values are saved too", async () => {
    const app = makeApp(new MemorySessionStore());
    const first = await visit(app, "/nested");
    const pair = cookieOf(first)!.pair;
    expect(await (await visit(app, "/nested", pair)).json()).toEqual([1, 2]);
    expect(await (await visit(app, "/nested", pair)).json()).toEqual([1, 2, 3]);
  });

  it("a tampered, foreign or unsigned cookie starts a new session without asking the store", async () => {
    const store = new CountingStore();
    const app = makeApp(store);
    const pair = cookieOf(await visit(app, "/visit"))!.pair;
    const [name, value] = pair.split("=") as [string, string];
    const forged = [
      `${name}=${value.slice(0, 5)}${value[5] === "A" ? "B" : "A"}${value.slice(6)}`,
      `${name}=${value.split(".")[0]}`,
      `${name}=${value.slice(0, -1)}`,
    ];
    for (const cookie of forged) {
      expect(await (await visit(app, "/visit", cookie)).json()).toMatchObject({ visits: 1, isNew: true });
    }
    expect(store.calls.get).toBe(0);
    const other = makeApp(new MemorySessionStore(), { keys: ["another-secret-of-32-bytes-long!"] });
    expect(await (await visit(other, "/peek", pair)).json()).toEqual({ visits: 0, isNew: true });
  });

  it("regenerate() moves the data to a new id and deletes the old one", async () => {
    const store = new CountingStore();
    const app = makeApp(store);
    const old = cookieOf(await visit(app, "/visit"))!.pair;
    const login = await visit(app, "/login", old, "POST");
    const { before, after } = (await login.json()) as { before: string; after: string };
    expect(after).not.toBe(before);
    expect(store.inner.get(before)).toBeUndefined();
    expect(store.inner.get(after)).toEqual({ visits: 1, user: "alice" });
    const fresh = cookieOf(login)!.pair;
    expect(fresh).not.toBe(old);
    expect(await (await visit(app, "/peek", old)).json()).toEqual({ visits: 0, isNew: true });
    expect(await (await visit(app, "/visit", fresh)).json()).toMatchObject({ visits: 2, id: after });
  });

  it("destroy() deletes the data and clears the cookie", async () => {
    const store = new CountingStore();
    const app = makeApp(store);
    const pair = cookieOf(await visit(app, "/visit"))!.pair;
    const logout = await visit(app, "/logout", pair, "POST");
    expect(cookieOf(logout)!.field).toBe(
      "sid=; Path=/; Max-Age=0; Expires=Thu, 01 Jan 1970 00:00:00 GMT; HttpOnly; SameSite=Lax",
    );
    expect(store.inner.size).toBe(0);
    expect(await (await visit(app, "/peek", pair)).json()).toEqual({ visits: 0, isNew: true });
  });

  it("expires after ttl; rolling sessions live on while used", async () => {
    let now = 0;
    const fixed = makeApp(new MemorySessionStore({ now: () => now }), { ttl: 10 });
    const pair = cookieOf(await visit(fixed, "/visit"))!.pair;
    now += 6_000;
    await visit(fixed, "/peek", pair);
    now += 6_000;
    expect(await (await visit(fixed, "/visit", pair)).json()).toMatchObject({ visits: 1, isNew: true });

    now = 0;
    const store = new CountingStore(() => now);
    const rolling = makeApp(store, { ttl: 10, rolling: true });
    const rolled = cookieOf(await visit(rolling, "/visit"))!.pair;
    for (let i = 0; i < 3; i++) {
      now += 6_000;
      const response = await visit(rolling, "/peek", rolled);
      expect(await response.json()).toEqual({ visits: 1, isNew: false });
      expect(cookieOf(response)!.field).toMatch(/Max-Age=10;/); // re-sent with a fresh Max-Age
    }
    expect(store.calls.touch).toBe(3);
    expect(store.calls.set).toBe(1);
  });

  it("custom cookie name and attributes; prefixes are checked when the middleware is made", async () => {
    const app = makeApp(new MemorySessionStore(), {
      cookieName: "__Host-sess",
      cookie: { secure: true, sameSite: "Strict" },
    });
    expect(cookieOf(await visit(app, "/visit"))!.field).toMatch(
      /^__Host-sess=\S+; Path=\/; Max-Age=86400; HttpOnly; Secure; SameSite=Strict$/,
    );
    expect(() => session({ store: new MemorySessionStore(), keys: KEYS, cookieName: "__Host-sess" })).toThrow(
      /needs secure: true/,
    );
    expect(() => session({ store: new MemorySessionStore(), keys: [] })).toThrow(/keys must be a non-empty array/);
    expect(() => session({ store: new MemorySessionStore(), keys: KEYS, ttl: 0 })).toThrow(/ttl must be/);
    expect(() => session({ store: new MemorySessionStore(), keys: KEYS, cookieName: "a b" })).toThrow(TypeError);
  });

  it("getSession() without the middleware is a clear 500, not a crash", async () => {
    const app = new App();
    let message = "";
    app.onError((error, c) => {
      message = (error as Error).message;
      return c.text("failed", 500);
    });
    app.get("/", (c) => c.json(getSession(c).id));
    expect((await app.request("/")).status).toBe(500);
    expect(message).toMatch(/no session on this request/);
  });

  it("ids are 192 random bits, distinct", async () => {
    const app = makeApp(new MemorySessionStore());
    const ids = new Set<string>();
    for (let i = 0; i < 200; i++) ids.add(((await (await visit(app, "/visit")).json()) as { id: string }).id);
    expect(ids.size).toBe(200);
    for (const id of ids) expect(id).toMatch(/^[A-Za-z0-9_-]{32}$/);
  });
});
