/**
 * Typed route params: `tsc` (npm run typecheck) and `deno check` check this file; each
 * `@ts-expect-error` fails the type check when the line under it stops being an error. The
 * `it` blocks then run the same routes, so the types describe what the router really gives.
 */
import { describe, expect, it } from "vitest";
import { App } from "./app.ts";
import type { Context } from "./context.ts";
import type { Handler, Middleware } from "./handler.ts";
import type { PathParams } from "../router/path-params.ts";

/** `true` only when A and B are the same type (not merely assignable). */
type Equal<A, B> = (<T>() => T extends A ? 1 : 2) extends (<T>() => T extends B ? 1 : 2) ? true : false;
function assertType<T extends true>(): T | undefined {
  return undefined;
}

// PathParams, read from the pattern.
assertType<Equal<PathParams<"/">, Record<never, never>>>();
assertType<Equal<PathParams<"/users/:id">, { id: string }>>();
assertType<Equal<PathParams<"/orgs/:org/repos/:repo">, { org: string; repo: string }>>();
assertType<Equal<PathParams<"/users/:id/posts/:post?">, { id: string; post?: string | undefined }>>();
assertType<Equal<PathParams<"/files/*">, { "*": string }>>();
assertType<Equal<PathParams<"/u/:id/*">, { id: string; "*": string }>>();
assertType<Equal<PathParams<string>, Record<string, string>>>();
// @ts-expect-error a required param is not optional
assertType<Equal<PathParams<"/users/:id">, { id?: string }>>();

describe("typed route params", () => {
  it("types c.params from the path and rejects unknown keys", async () => {
    const seen: unknown[] = [];
    const app = new App()
      .get("/users/:id", (c) => {
        assertType<Equal<typeof c.params, { id: string }>>();
        // @ts-expect-error no such param in the path
        seen.push(c.params.name);
        return c.text(c.params.id.toUpperCase());
      })
      .get("/static", (c) => {
        // @ts-expect-error a static path has no params
        seen.push(c.params.id);
        return c.text("static");
      })
      .get("/posts/:id/:slug?", (c) => {
        const slug: string | undefined = c.params.slug;
        // @ts-expect-error an optional param may be absent
        const strict: string = c.params.slug;
        seen.push(strict);
        return c.json({ id: c.params.id, slug: slug ?? null });
      })
      .get("/files/*", (c) => c.text(c.params["*"]))
      .post("/limited/:n", { bodyLimit: 10 }, async (c) => c.text(`${c.params.n} ${(await c.req.text()).length}`))
      .on("PUT", "/things/:thing", (c) => c.text(`put ${c.params.thing}`))
      .all("/any/:x", (c) => c.text(`${c.req.method} ${c.params.x}`));

    expect(await (await app.request("/users/ada")).text()).toBe("ADA");
    expect(await (await app.request("/static")).text()).toBe("static");
    expect(await (await app.request("/posts/7/hello")).json()).toEqual({ id: "7", slug: "hello" });
    expect(await (await app.request("/posts/7")).json()).toEqual({ id: "7", slug: null });
    expect(await (await app.request("/files/a/b.txt")).text()).toBe("a/b.txt");
    expect(await (await app.request("/limited/3", { method: "POST", body: "x" })).text()).toBe("3 1");
    expect((await app.request("/limited/3", { method: "POST", body: "x".repeat(11) })).status).toBe(413);
    expect(await (await app.request("/things/t", { method: "PUT" })).text()).toBe("put t");
    expect(await (await app.request("/any/1", { method: "DELETE" })).text()).toBe("DELETE 1");
    expect(seen).toEqual([undefined, undefined, "hello", undefined]);
  });

  it("keeps untyped handlers, middleware and mounted apps working", async () => {
    const untyped: Handler = (c) => c.text(c.params.id ?? "none");
    const stamp: Middleware = async (c, next) => {
      await next();
      c.header("x-stamp", "1");
    };
    const wide = (c: Context) => c.text(Object.keys(c.params).join(","));
    const sub = new App().get("/:id", untyped).get("/", (c) => c.text("root"));
    const path: string = "/dynamic/:a"; // not a literal: Record<string, string>
    const app = new App()
      .use(stamp)
      .get("/u/:id", untyped)
      .get("/w/:a/:b", wide)
      .get(path, (c) => c.text(c.params.a ?? ""))
      .route("/sub", sub);
    const u = await app.request("/u/9");
    expect([u.headers.get("x-stamp"), await u.text()]).toEqual(["1", "9"]);
    expect(await (await app.request("/w/1/2")).text()).toBe("a,b");
    expect(await (await app.request("/dynamic/z")).text()).toBe("z");
    expect(await (await app.request("/sub/5")).text()).toBe("5");
    expect(await (await app.request("/sub")).text()).toBe("root");
  });

  it("runs route middleware in order between the app's middleware and the handler", async () => {
    const order: string[] = [];
    const app = new App()
      .use(async (_c, next) => {
        order.push("app");
        await next();
      })
      .get(
        "/r/:id",
        async (c, next) => {
          order.push(`m1 ${c.params.id}`);
          await next();
          c.header("x-after", "m1");
        },
        (_c, next) => {
          order.push("m2");
          return next();
        },
        (c) => {
          order.push("handler");
          return c.text(c.params.id);
        },
      )
      .get("/deny", (c) => c.text("denied", 403), (c) => c.text("never"))
      .post("/big", { bodyLimit: 4 }, async (c, next) => {
        order.push(`read ${(await c.req.text()).length}`);
        await next();
      }, (c) => c.text("ok"));
    const r = await app.request("/r/1");
    expect([await r.text(), r.headers.get("x-after")]).toEqual(["1", "m1"]);
    expect(order).toEqual(["app", "m1 1", "m2", "handler"]);
    expect(await (await app.request("/deny")).text()).toBe("denied");
    // The route's bodyLimit answers before its middleware read the body.
    order.length = 0;
    const declared = { method: "POST", body: "12345", headers: { "content-length": "5" } };
    expect((await app.request("/big", declared)).status).toBe(413);
    expect(order).toEqual(["app"]);
    expect(await (await app.request("/big", { method: "POST", body: "1234" })).text()).toBe("ok");
  });

  it("names the route when its arguments do not fit", () => {
    const app = new App();
    // @ts-expect-error a route needs a handler
    expect(() => app.get("/x")).toThrow("Route GET /x has no handler");
    // @ts-expect-error options come first, not after the handler
    expect(() => app.get("/x", () => undefined, {})).toThrow("Route GET /x: expected");
  });
});
