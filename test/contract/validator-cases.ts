/**
 * validator() with the three Standard Schema libraries (zod 4, valibot 1, arktype 2) over
 * HTTP/1.1, h2c and h2 on this runtime: the same routes and the same expected answers for each
 * library. The types `c.req.valid()` infers from each library are checked by tsc here too.
 * Core imports none of them: they are dev dependencies used by this file only.
 */
import assert from "node:assert/strict";
import { type } from "arktype";
import * as v from "valibot";
import { z } from "zod";
import { App, type StandardSchemaV1, validator } from "../../mod.ts";
import { type Runtime, start, type TestApi } from "./harness.ts";
import type { HttpClient } from "./http-client.ts";
import { PROTOCOLS } from "./semantics-setup.ts";
import { cert, key } from "./tls-fixture.ts";
import type { Server } from "../../core/server/server.ts";

type Equal<A, B> = (<T>() => T extends A ? 1 : 2) extends (<T>() => T extends B ? 1 : 2) ? true : false;
function assertType<T extends true>(): T | undefined {
  return undefined;
}

/** The schemas of one library: the same rules written in its own words. */
interface Schemas {
  /** `{ id }` from the path, coerced to a positive integer. */
  param: StandardSchemaV1<unknown, { id: number }>;
  /** `{ name: string (1..20 chars), age?: integer ≥ 0 }`. */
  json: StandardSchemaV1<unknown, { name: string; age?: number | undefined }>;
  /** `{ q: string, limit: "1".."100" as a number }`. */
  query: StandardSchemaV1<unknown, { q: string; limit: number }>;
  /** `{ "x-api-key": string of 3+ chars }`. */
  header: StandardSchemaV1<unknown, { "x-api-key": string }>;
}

const zodSchemas = {
  param: z.object({ id: z.coerce.number().int().positive() }),
  json: z.object({ name: z.string().min(1).max(20), age: z.number().int().min(0).optional() }),
  query: z.object({ q: z.string(), limit: z.coerce.number().int().min(1).max(100) }),
  header: z.object({ "x-api-key": z.string().min(3) }),
};

const valibotSchemas = {
  param: v.object({ id: v.pipe(v.string(), v.toNumber(), v.integer(), v.minValue(1)) }),
  json: v.object({
    name: v.pipe(v.string(), v.minLength(1), v.maxLength(20)),
    age: v.optional(v.pipe(v.number(), v.integer(), v.minValue(0))),
  }),
  query: v.object({
    q: v.string(),
    limit: v.pipe(v.string(), v.toNumber(), v.integer(), v.minValue(1), v.maxValue(100)),
  }),
  header: v.object({ "x-api-key": v.pipe(v.string(), v.minLength(3)) }),
};

const arktypeSchemas = {
  param: type({ id: "string.integer.parse" }).pipe((p, ctx) => p.id >= 1 ? p : ctx.error("id must be positive")),
  json: type({ name: "1 <= string <= 20", "age?": "number.integer >= 0" }),
  query: type({ q: "string", limit: "string.integer.parse" }).pipe((p, ctx) =>
    p.limit >= 1 && p.limit <= 100 ? p : ctx.error("limit must be 1 to 100")
  ),
  header: type({ "x-api-key": "string >= 3" }),
};

// Each library's output type is what the handler gets.
assertType<Equal<z.output<typeof zodSchemas.json>, { name: string; age?: number | undefined }>>();
assertType<Equal<v.InferOutput<typeof valibotSchemas.query>, { q: string; limit: number }>>();
assertType<Equal<typeof arktypeSchemas.param.infer, { id: number }>>();

const LIBRARIES: readonly { name: string; schemas: Schemas }[] = [
  { name: "zod", schemas: zodSchemas },
  { name: "valibot", schemas: valibotSchemas },
  { name: "arktype", schemas: arktypeSchemas },
];

function createValidatorApp(): App {
  const app = new App();
  // Typed with zod directly (not through `Schemas`), so inference from a library is checked.
  app.post(
    "/typed/:id",
    validator("param", zodSchemas.param),
    validator("json", zodSchemas.json),
    (c) => {
      const { id } = c.req.valid("param");
      const user = c.req.valid("json");
      assertType<Equal<typeof id, number>>();
      assertType<Equal<typeof user, { name: string; age?: number | undefined }>>();
      // @ts-expect-error the route has no query validator
      if (id < 0) c.req.valid("query");
      return c.json({ id, ...user }, 201);
    },
  );
  for (const { name, schemas } of LIBRARIES) {
    app.post(
      `/${name}/users/:id`,
      validator("param", schemas.param),
      validator("json", schemas.json),
      (c) => c.json({ id: c.req.valid("param").id, ...c.req.valid("json") }, 201),
    );
    app.get(`/${name}/search`, validator("query", schemas.query), (c) => c.json(c.req.valid("query")));
    app.get(`/${name}/me`, validator("header", schemas.header), (c) => c.text(c.req.valid("header")["x-api-key"]));
  }
  return app;
}

interface Failure {
  error: string;
  target: string;
  issues: { path: (string | number)[]; message: string }[];
}

/** The failure body: status 400, JSON, and the issues' paths (messages are each library's own). */
function assertFailure(
  response: { status: number; headers: Headers; json(): unknown },
  target: string,
  paths: (string | number)[][],
  status = 400,
): void {
  assert.equal(response.status, status);
  assert.match(response.headers.get("content-type") ?? "", /^application\/json/);
  const body = response.json() as Failure;
  assert.equal(body.target, target);
  assert.deepEqual(body.issues.map((issue) => issue.path), paths, JSON.stringify(body.issues));
  for (const issue of body.issues) assert.ok(typeof issue.message === "string" && issue.message.length > 0);
}

const JSON_FIELDS = [["content-type", "application/json"]] as const;

/** Register the validator cases for one runtime, over every protocol. */
export function validatorCases(t: TestApi, runtime: Runtime): void {
  for (const under of PROTOCOLS) {
    t.describe(`validator() over ${under.name}`, () => {
      let server: Server | null = null;
      let client: HttpClient | null = null;
      t.beforeAll(async () => {
        server = await start(runtime, createValidatorApp(), under.tls ? { tls: { cert, key } } : {});
        client = await under.connect(server.address.port);
      });
      t.afterAll(async () => {
        await client?.close();
        await server?.close();
      });
      const http = (): HttpClient => {
        if (client === null) throw new Error("server not started");
        return client;
      };

      t.it("infers each value's type from zod and hands it to the handler", async () => {
        const response = await http().request({
          method: "POST",
          path: "/typed/7",
          headers: JSON_FIELDS,
          body: '{"name":"Ada","age":36}',
        });
        assert.equal(response.status, 201);
        assert.deepEqual(response.json(), { id: 7, name: "Ada", age: 36 });
      });

      for (const { name } of LIBRARIES) {
        t.it(`${name}: valid params and JSON reach the handler, transformed`, async () => {
          const response = await http().request({
            method: "POST",
            path: `/${name}/users/42`,
            headers: JSON_FIELDS,
            body: '{"name":"Grace"}',
          });
          assert.equal(response.status, 201, response.text());
          assert.deepEqual(response.json(), { id: 42, name: "Grace" });
        });

        t.it(`${name}: a JSON body that breaks the schema answers 400 with each issue's path`, async () => {
          const response = await http().request({
            method: "POST",
            path: `/${name}/users/1`,
            headers: JSON_FIELDS,
            body: '{"name":"","age":-1}',
          });
          assertFailure(response, "json", [["name"], ["age"]]);
        });

        t.it(`${name}: malformed JSON answers 400, another media type 415`, async () => {
          const malformed = await http().request({
            method: "POST",
            path: `/${name}/users/1`,
            headers: JSON_FIELDS,
            body: '{"name":',
          });
          assertFailure(malformed, "json", [[]]);
          const text = await http().request({
            method: "POST",
            path: `/${name}/users/1`,
            headers: [["content-type", "text/plain"]],
            body: '{"name":"x"}',
          });
          assertFailure(text, "json", [[]], 415);
        });

        t.it(`${name}: a bad path parameter answers 400 before the body is read`, async () => {
          const response = await http().request({
            method: "POST",
            path: `/${name}/users/zero`,
            headers: JSON_FIELDS,
            body: '{"name":"x"}',
          });
          assert.equal(response.status, 400);
          assert.equal((response.json() as Failure).target, "param");
        });

        t.it(`${name}: query strings are validated and coerced`, async () => {
          const ok = await http().request({ path: `/${name}/search?q=wire&limit=5` });
          assert.equal(ok.status, 200, ok.text());
          assert.deepEqual(ok.json(), { q: "wire", limit: 5 });
          const missing = await http().request({ path: `/${name}/search?limit=5` });
          assertFailure(missing, "query", [["q"]]);
        });

        t.it(`${name}: header fields are validated by lowercase name`, async () => {
          const ok = await http().request({ path: `/${name}/me`, headers: [["X-API-Key", "secret"]] });
          assert.equal(ok.status, 200, ok.text());
          assert.equal(ok.text(), "secret");
          const short = await http().request({ path: `/${name}/me`, headers: [["x-api-key", "no"]] });
          assertFailure(short, "header", [["x-api-key"]]);
        });
      }
    });
  }
}
