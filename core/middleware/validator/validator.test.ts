/**
 * validator(): each target, Standard Schema results (sync and async), function validators,
 * failures and their statuses, and the types `c.req.valid()` gets (checked by tsc / deno check:
 * each `@ts-expect-error` must stay an error). The schema libraries themselves (zod, valibot,
 * arktype) are exercised over HTTP in test/contract/validator-cases.ts; core imports none.
 */
import { describe, expect, it } from "vitest";
import { App } from "../../app/app.ts";
import { HttpError } from "../../http/http-error.ts";
import type { StandardSchemaIssue, StandardSchemaV1 } from "./standard-schema.ts";
import { validator } from "./validator.ts";

type Equal<A, B> = (<T>() => T extends A ? 1 : 2) extends (<T>() => T extends B ? 1 : 2) ? true : false;
function assertType<T extends true>(): T | undefined {
  return undefined;
}

/** A hand-made Standard Schema: `check` returns the output or the issues. */
function schema<Out>(
  check: (value: unknown) => Out | StandardSchemaIssue[],
  async = false,
): StandardSchemaV1<unknown, Out> {
  return {
    "~standard": {
      version: 1,
      vendor: "test",
      validate: (value) => {
        const out = check(value);
        const result = Array.isArray(out) ? { issues: out } : { value: out };
        return async ? Promise.resolve(result) : result;
      },
    },
  };
}

const Named = schema((v) => {
  const name = (v as { name?: unknown } | null)?.name;
  return typeof name === "string" ? { name } : [{ message: "name must be a string", path: [{ key: "name" }] }];
});
const Page = schema((v) => {
  const page = Number((v as Record<string, unknown>).page);
  return Number.isInteger(page) ? { page } : [{ message: "page must be an integer", path: ["page"] }];
}, true);

const json = (body: string, type = "application/json"): RequestInit => ({
  method: "POST",
  body,
  headers: { "content-type": type },
});

describe("validator", () => {
  const app = new App()
    .post("/users", validator("json", Named), (c) => {
      const user = c.req.valid("json");
      assertType<Equal<typeof user, { name: string }>>();
      // @ts-expect-error no query validator on this route
      if (user.name === "never") c.req.valid("query");
      return c.json({ hello: user.name });
    })
    .get("/list/:id", validator("query", Page), validator("param", (p) => ({ id: Number(p.id) })), (c) => {
      const { page } = c.req.valid("query");
      const { id } = c.req.valid("param");
      assertType<Equal<typeof id, number>>();
      return c.json({ page, id });
    })
    .get("/tags", validator("query", (q) => q), (c) => c.json(c.req.valid("query")))
    .get("/h", validator("header", (h) => h["x-token"] ?? new Response("no token", { status: 401 })), (c) => {
      const token = c.req.valid("header");
      assertType<Equal<typeof token, string>>();
      return c.text(token);
    })
    .post(
      "/fn",
      validator("json", (v) => {
        if (typeof v !== "number") throw new Error("expected a number");
        return v * 2;
      }),
      (c) => c.json(c.req.valid("json")),
    )
    .post(
      "/teapot",
      validator("json", () => {
        throw new HttpError(418, "short and stout");
      }),
      (c) => c.text("never"),
    )
    .post(
      "/hook",
      validator("json", Named, (failure, c) => c.json({ custom: failure.issues.length }, 422)),
      (c) => c.text("ok"),
    )
    .post("/limited", { bodyLimit: 16 }, validator("json", Named), (c) => c.text("ok"));

  it("hands the checked JSON to the handler", async () => {
    const response = await app.request("/users", json('{"name":"Ada"}'));
    expect([response.status, await response.json()]).toEqual([200, { hello: "Ada" }]);
    const plusJson = await app.request("/users", json('{"name":"B"}', "application/merge-patch+json; charset=utf-8"));
    expect(plusJson.status).toBe(200);
  });

  it("answers 400 with the issues by path and message", async () => {
    const response = await app.request("/users", json('{"name":1}'));
    expect(response.status).toBe(400);
    expect(response.headers.get("content-type")).toBe("application/json");
    expect(await response.json()).toEqual({
      error: "Validation failed",
      target: "json",
      issues: [{ path: ["name"], message: "name must be a string" }],
    });
  });

  it("answers 400 for invalid or missing JSON and 415 for another media type", async () => {
    const invalid = await app.request("/users", json("{nope"));
    expect(invalid.status).toBe(400);
    const body = await invalid.json() as { error: string; issues: unknown[] };
    expect(body.error).toMatch(/^Request body is not valid JSON/);
    expect(body.issues).toHaveLength(1);
    expect((await app.request("/users", json(""))).status).toBe(400);
    expect((await app.request("/users", json("{}", "text/plain"))).status).toBe(415);
    expect((await app.request("/users", { method: "POST" })).status).toBe(415);
  });

  it("answers 413 past the route's body limit", async () => {
    expect((await app.request("/limited", json('{"name":"a long name"}'))).status).toBe(413);
    expect((await app.request("/limited", json('{"name":"a"}'))).status).toBe(200);
  });

  it("validates query (async schema) and params together", async () => {
    const ok = await app.request("/list/42?page=3");
    expect(await ok.json()).toEqual({ page: 3, id: 42 });
    const bad = await app.request("/list/42?page=x");
    expect([bad.status, await bad.json()]).toEqual([400, {
      error: "Validation failed",
      target: "query",
      issues: [{ path: ["page"], message: "page must be an integer" }],
    }]);
  });

  it("gives repeated query names as arrays and keeps __proto__ as data", async () => {
    const response = await app.request("/tags?t=a&t=b&one=1&__proto__=x");
    const value = await response.json();
    expect(value).toEqual({ t: ["a", "b"], one: "1", ["__proto__"]: "x" });
  });

  it("reads header fields by lowercase name; a function may answer with a Response", async () => {
    expect(await (await app.request("/h", { headers: { "X-Token": "abc" } })).text()).toBe("abc");
    const missing = await app.request("/h");
    expect([missing.status, await missing.text()]).toEqual([401, "no token"]);
  });

  it("turns a throwing function into 400, but keeps an HttpError's status", async () => {
    expect(await (await app.request("/fn", json("21"))).json()).toBe(42);
    const bad = await app.request("/fn", json('"x"'));
    expect([bad.status, await bad.json()]).toEqual([400, {
      error: "Validation failed",
      target: "json",
      issues: [{ path: [], message: "expected a number" }],
    }]);
    expect((await app.request("/teapot", json("1"))).status).toBe(418);
  });

  it("lets a hook answer a failure", async () => {
    const response = await app.request("/hook", json("{}"));
    expect([response.status, await response.json()]).toEqual([422, { custom: 1 }]);
    expect((await app.request("/hook", json('{"name":"x"}'))).status).toBe(200);
  });

  it("takes a callable schema as a schema, not as a function", async () => {
    const callable = Object.assign(() => "called as a function", Named);
    const app = new App().post("/c", validator("json", callable), (c) => c.json(c.req.valid("json")));
    expect(await (await app.request("/c", json('{"name":"x"}'))).json()).toEqual({ name: "x" });
  });

  it("rejects what is neither a schema nor a function, and unknown targets", () => {
    // @ts-expect-error not a schema
    expect(() => validator("json", {})).toThrow("Standard Schema");
    // @ts-expect-error no such target
    expect(() => validator("body", Named)).toThrow('Unknown validation target "body"');
  });

  it("c.req.valid() without a validator names the problem", async () => {
    const bare = new App().get("/", (c) => {
      // @ts-expect-error no validator on this route
      return c.text(String(c.req.valid("json")));
    });
    expect((await bare.request("/")).status).toBe(500);
  });
});
