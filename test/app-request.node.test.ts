/**
 * The same handler code behaves the same with no socket as over one: each case runs through
 * `app.request()` and through a real server (the Node adapter, `fetch` as client), and the two
 * answers must match — status, every field but the connection's own (date, connection,
 * keep-alive, transfer-encoding), and the body byte for byte. Each case also states the status it
 * expects, so two equally wrong answers do not pass.
 * `npx vitest run test/app-request.node.test.ts`
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { App, HttpError, type Server } from "../mod.ts";
import { serve } from "../adapters/node/mod.ts";

const encoder = new TextEncoder();

function createApp(): App {
  const app = new App();
  app.use(async (c, next) => {
    c.header("access-control-allow-origin", "*");
    await next();
    c.header("x-outcome", c.error === undefined ? "ok" : "error");
  });
  app.get("/", (c) => c.text("Hello, World!"));
  app.get("/users/:id", (c) => c.json({ id: c.params.id, tags: c.req.query.getAll("tag") }));
  app.get("/url", (c) => c.text(`${c.req.method} ${c.req.url} ${c.req.header("host")}`));
  app.get("/header", (c) => c.text(c.req.header("x-test") ?? "none"));
  app.get("/cookies", (c) => c.header("set-cookie", "a=1; Path=/").header("set-cookie", "b=2").text("cookies", 201));
  app.get("/empty", (c) => c.body(null, 204));
  app.get("/cached", (c) => c.header("etag", '"v1"').body("never sent", 304));
  app.get("/redirect", (c) => c.redirect("/elsewhere", 307));
  app.get("/stream", (c) =>
    c.header("content-type", "text/plain").body((async function* () {
      yield "one,";
      yield encoder.encode("two,");
      yield "three";
    })()));
  app.get("/declared", (c) => c.header("content-length", "6").body(new Blob(["abcdef"]).stream()));
  app.get("/web", () => new Response("from a Response", { status: 202, headers: { "x-web": "yes" } }));
  app.post(
    "/echo",
    async (c) => c.header("content-type", c.req.header("content-type") ?? "none").text(await c.req.text()),
  );
  app.post("/json", async (c) => c.json({ got: await c.req.json() }));
  app.post("/small", { bodyLimit: 4 }, async (c) => c.text(await c.req.text()));
  app.get("/teapot", () => {
    throw new HttpError(418, "I'm a teapot");
  });
  app.get("/boom", () => {
    throw new Error("boom (expected by the test)");
  });
  app.get("/none", () => {});
  app.get("/status/:n", (c) => c.status(Number(c.params.n)).text("odd"));
  app.get("/bad-header", (c) => c.header("x-bad", "a\r\nb").text("never"));
  app.get("/trailers", (c) => c.setTrailers(["x-sum", "1"]).text("trailed"));
  return app;
}

interface Case {
  name: string;
  path: string;
  init?: RequestInit;
  status: number;
}

const CASES: Case[] = [
  { name: "text", path: "/", status: 200 },
  { name: "params and a repeated query", path: "/users/7?tag=a&tag=b", status: 200 },
  { name: "the URL and Host the handler sees", path: "/url", status: 200 },
  { name: "a request field", path: "/header", init: { headers: { "x-test": "hello" } }, status: 200 },
  { name: "two Set-Cookie fields", path: "/cookies", status: 201 },
  { name: "204 without a body", path: "/empty", status: 204 },
  { name: "304 without a body", path: "/cached", status: 304 },
  { name: "a redirect", path: "/redirect", init: { redirect: "manual" }, status: 307 },
  { name: "a streamed body", path: "/stream", status: 200 },
  { name: "a streamed body with its declared length", path: "/declared", status: 200 },
  { name: "a returned web Response", path: "/web", status: 202 },
  { name: "HEAD of a GET route", path: "/", init: { method: "HEAD" }, status: 200 },
  { name: "404", path: "/nowhere", status: 404 },
  { name: "405 with Allow", path: "/", init: { method: "DELETE" }, status: 405 },
  {
    name: "a text body echoed",
    path: "/echo",
    init: { method: "POST", body: "héllo wörld", headers: { "content-type": "text/x-test" } },
    status: 200,
  },
  { name: "a JSON body", path: "/json", init: { method: "POST", body: '{"a":[1,2]}' }, status: 200 },
  { name: "invalid JSON: 400", path: "/json", init: { method: "POST", body: "{oops" }, status: 400 },
  {
    name: "a declared body over the route's limit: 413",
    path: "/small",
    init: { method: "POST", body: "too long" },
    status: 413,
  },
  { name: "a thrown HttpError", path: "/teapot", status: 418 },
  { name: "a thrown Error: 500", path: "/boom", status: 500 },
  { name: "no response: 500", path: "/none", status: 500 },
  { name: "status 1000: 500", path: "/status/1000", status: 500 },
  { name: "status 99: 500", path: "/status/99", status: 500 },
  { name: "an invalid header value: 500", path: "/bad-header", status: 500 },
  { name: "trailers to a client that did not ask for them", path: "/trailers", status: 200 },
];

/** What must match: status, fields (minus the connection's own), body. */
async function normalize(response: Response): Promise<{ status: number; fields: string[]; body: string }> {
  const fields: string[] = [];
  response.headers.forEach((value, name) => {
    if (name === "set-cookie" || name === "date" || name === "connection" || name === "keep-alive") return;
    if (name === "transfer-encoding") return;
    fields.push(`${name}: ${value}`);
  });
  for (const cookie of response.headers.getSetCookie()) fields.push(`set-cookie: ${cookie}`);
  fields.sort();
  const body = Buffer.from(await response.arrayBuffer()).toString("latin1");
  return { status: response.status, fields, body };
}

describe("app.request() answers as the same app over a socket does", () => {
  const app = createApp();
  let server: Server;
  beforeAll(async () => {
    server = serve(app, { port: 0, hostname: "127.0.0.1", onError: () => {} });
    await server.ready;
  });
  afterAll(() => server.close());

  for (const c of CASES) {
    it(c.name, async () => {
      const url = `${server.url}${c.path}`;
      const overSocket = await normalize(await fetch(url, c.init));
      const noSocket = await normalize(await app.request(url, c.init));
      expect(overSocket.status).toBe(c.status);
      expect(noSocket).toEqual(overSocket);
    });
  }
});
