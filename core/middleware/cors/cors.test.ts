/**
 * `cors()` through `app.request()`: preflights answered before the routes, simple requests,
 * every kind of `origin`, credentials, denied origins, errors and `Vary: Origin`.
 */
import { describe, expect, it } from "vitest";
import { App } from "../../app/app.ts";
import { HttpError } from "../../http/http-error.ts";
import { cors, type CorsOptions, type CorsOrigin } from "./cors.ts";

const SITE = "https://app.example";

function appWith(options: CorsOptions = {}): App & { reached: string[] } {
  const reached: string[] = [];
  const app = new App().use(cors(options)) as App & { reached: string[] };
  app.reached = reached;
  app.configure(1024 * 1024, () => {});
  app.get("/items", (c) => (reached.push("GET /items"), c.json([1, 2])));
  app.on("OPTIONS", "/options", (c) => (reached.push("OPTIONS /options"), c.text("own")));
  app.get("/fail", () => {
    throw new HttpError(409, "conflict");
  });
  app.get("/crash", () => {
    throw new Error("boom");
  });
  app.get("/response", () => new Response("r", { headers: { vary: "Accept-Language" } }));
  return app;
}

function preflight(app: App, origin: string, method = "PUT", headers?: string, path = "/items"): Promise<Response> {
  const fields: Record<string, string> = { origin, "access-control-request-method": method };
  if (headers !== undefined) fields["access-control-request-headers"] = headers;
  return app.request(path, { method: "OPTIONS", headers: fields });
}

function get(app: App, path: string, origin?: string): Promise<Response> {
  return app.request(path, { headers: origin === undefined ? {} : { origin } });
}

describe("cors() preflight", () => {
  it("answers 204 with methods, echoed headers and max-age, without reaching the route (only GET routed)", async () => {
    const app = appWith({ origin: SITE, maxAge: 600 });
    const response = await preflight(app, SITE, "DELETE", "X-Token, Content-Type");
    expect(response.status).toBe(204);
    expect(response.headers.get("access-control-allow-origin")).toBe(SITE);
    expect(response.headers.get("access-control-allow-methods")).toBe("GET, HEAD, PUT, POST, DELETE, PATCH");
    expect(response.headers.get("access-control-allow-headers")).toBe("X-Token, Content-Type");
    expect(response.headers.get("access-control-max-age")).toBe("600");
    expect(response.headers.get("access-control-allow-credentials")).toBe(null);
    expect(response.headers.get("vary")).toBe("Origin, Access-Control-Request-Headers");
    expect(await response.text()).toBe("");
    expect(app.reached).toEqual([]);
  });

  it("configured methods and headers are sent as given, not echoed", async () => {
    const app = appWith({ methods: ["GET", "POST"], allowHeaders: ["x-a", "x-b"] });
    const response = await preflight(app, SITE, "POST", "x-c");
    expect(response.headers.get("access-control-allow-methods")).toBe("GET, POST");
    expect(response.headers.get("access-control-allow-headers")).toBe("x-a, x-b");
    expect(response.headers.get("access-control-allow-origin")).toBe("*");
    expect(response.headers.get("vary")).toBe(null);
  });

  it("a denied origin's preflight gets 204 with no CORS fields, still Vary: Origin", async () => {
    const app = appWith({ origin: [SITE] });
    const response = await preflight(app, "https://evil.example", "PUT", "x-a");
    expect(response.status).toBe(204);
    expect(response.headers.get("access-control-allow-origin")).toBe(null);
    expect(response.headers.get("access-control-allow-methods")).toBe(null);
    expect(response.headers.get("access-control-allow-headers")).toBe(null);
    expect(response.headers.get("vary")).toContain("Origin");
    expect(app.reached).toEqual([]);
  });

  it("an OPTIONS without Access-Control-Request-Method, or without Origin, reaches the app", async () => {
    const app = appWith();
    const plain = await app.request("/options", { method: "OPTIONS", headers: { origin: SITE } });
    expect(await plain.text()).toBe("own");
    const noOrigin = await app.request("/options", {
      method: "OPTIONS",
      headers: { "access-control-request-method": "GET" },
    });
    expect(await noOrigin.text()).toBe("own");
    expect(app.reached).toEqual(["OPTIONS /options", "OPTIONS /options"]);
    const unrouted = await app.request("/items", { method: "OPTIONS" });
    expect(unrouted.status).toBe(405);
  });
});

describe("cors() on requests", () => {
  it('origin "*": Allow-Origin * with or without Origin, no Vary', async () => {
    const app = appWith({ exposeHeaders: ["x-total"] });
    const response = await get(app, "/items", SITE);
    expect(response.headers.get("access-control-allow-origin")).toBe("*");
    expect(response.headers.get("access-control-expose-headers")).toBe("x-total");
    expect(response.headers.get("vary")).toBe(null);
    expect(await response.json()).toEqual([1, 2]);
    expect((await get(app, "/items")).headers.get("access-control-allow-origin")).toBe("*");
  });

  it('credentials with "*" echo the origin, never *, and vary on it', async () => {
    const app = appWith({ credentials: true });
    const response = await get(app, "/items", SITE);
    expect(response.headers.get("access-control-allow-origin")).toBe(SITE);
    expect(response.headers.get("access-control-allow-credentials")).toBe("true");
    expect(response.headers.get("vary")).toBe("Origin");
    const none = await get(app, "/items");
    expect(none.headers.get("access-control-allow-origin")).toBe(null);
    expect(none.headers.get("vary")).toBe("Origin");
  });

  it("a single origin, a list and a RegExp allow what they name and deny the rest", async () => {
    const cases: [CorsOrigin, string, boolean][] = [
      [SITE, SITE, true],
      [SITE, "https://app.example.evil", false],
      [["https://a.example", /^https:\/\/[a-z]+\.b\.example$/], "https://x.b.example", true],
      [["https://a.example"], "https://b.example", false],
      [/^https:\/\/(?:www\.)?site\.example$/g, "https://www.site.example", true],
      [/^https:\/\/(?:www\.)?site\.example$/g, "https://site.example", true],
      [/^https:\/\/site\.example$/, "https://site.example.evil", false],
    ];
    for (const [origin, from, allowed] of cases) {
      const response = await get(appWith({ origin }), "/items", from);
      expect(response.headers.get("access-control-allow-origin"), `${String(origin)} ${from}`)
        .toBe(allowed ? from : null);
      expect(response.headers.get("vary")).toBe("Origin");
      expect(response.status).toBe(200);
    }
  });

  it("a sync or async function decides, and may answer with a string", async () => {
    const sync = appWith({ origin: (o) => o.endsWith(".example") });
    expect((await get(sync, "/items", SITE)).headers.get("access-control-allow-origin")).toBe(SITE);
    expect((await get(sync, "/items", "https://x.test")).headers.get("access-control-allow-origin")).toBe(null);
    const async = appWith({
      origin: async (o, c) => {
        await new Promise((resolve) => setTimeout(resolve, 1));
        return c.req.path === "/items" && o === SITE ? "https://canonical.example" : null;
      },
      credentials: true,
    });
    const response = await get(async, "/items", SITE);
    expect(response.headers.get("access-control-allow-origin")).toBe("https://canonical.example");
    expect(response.headers.get("access-control-allow-credentials")).toBe("true");
    const star = appWith({ origin: () => "*", credentials: true });
    expect((await get(star, "/items", SITE)).headers.get("access-control-allow-origin")).toBe(SITE);
  });

  it("errors thrown by routes keep the CORS fields", async () => {
    const app = appWith({ origin: [SITE], exposeHeaders: ["x-id"] });
    for (const [path, status] of [["/fail", 409], ["/crash", 500]] as const) {
      const response = await get(app, path, SITE);
      expect(response.status).toBe(status);
      expect(response.headers.get("access-control-allow-origin")).toBe(SITE);
      expect(response.headers.get("access-control-expose-headers")).toBe("x-id");
      expect(response.headers.get("vary")).toBe("Origin");
    }
  });

  it("a handler's Response keeps its own Vary and gains Origin", async () => {
    const response = await get(appWith({ origin: [SITE] }), "/response", SITE);
    expect(response.headers.get("vary")).toBe("Accept-Language, Origin");
    expect(response.headers.get("access-control-allow-origin")).toBe(SITE);
  });

  it("rejects bad options when the middleware is made", () => {
    expect(() => cors({ maxAge: -1 })).toThrow(TypeError);
    expect(() => cors({ methods: ["GET\r\nX: y"] })).toThrow(TypeError);
    expect(() => cors({ allowHeaders: ["a b"] })).toThrow(TypeError);
  });
});
