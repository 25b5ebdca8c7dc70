/**
 * An App runs on any fetch host: `app.fetch` served by the runtime's own server (Bun.serve on
 * Bun, Deno.serve on Deno, @hono/node-server on Node — `runtime.nativeServe`), checked with the
 * runtime's `fetch` as client. Routing, middleware, errors, fields, bodies both ways, streaming,
 * bodiless answers, the peer's address from the host's `info`, and the request signal when the
 * client leaves — the same cases on every host.
 */
import assert from "node:assert/strict";
import { App, HttpError } from "../../mod.ts";
import { type NativeServer, type Runtime, type TestApi, waitFor } from "./harness.ts";

const encoder = new TextEncoder();

/** What the handlers saw, per id the case chose. */
const seen = { aborted: new Set<string>(), streaming: new Set<string>() };
/** `/gate/:id` holds its second chunk until released. */
const gates = new Map<string, () => void>();

function createHostedApp(): App {
  const app = new App();
  app.use(async (c, next) => {
    c.header("x-middleware", "before");
    await next();
    c.header("x-after", c.error === undefined ? "ok" : "error");
  });
  app.get("/", (c) => c.text("Hello, World!"));
  app.get("/users/:id", (c) => c.json({ id: c.params.id, q: c.req.query.get("q") }));
  app.post("/echo", (c) => c.header("content-type", c.req.header("content-type") ?? "none").body(c.req.body));
  app.post("/length", async (c) => c.text(String((await c.req.bytes()).length)));
  app.get("/cookies", (c) => c.header("set-cookie", "a=1; Path=/").header("set-cookie", "b=2; HttpOnly").text("c"));
  app.get("/empty", (c) => c.body(null, 204));
  app.get("/cached", (c) => c.header("etag", '"v1"').body("not sent", 304));
  app.get("/teapot", () => {
    throw new HttpError(418, "I'm a teapot");
  });
  app.get("/peer", (c) => c.text(c.req.remoteAddress));
  app.get("/gate/:id", (c) => {
    const id = c.params.id!;
    const released = new Promise<void>((resolve) => gates.set(id, resolve));
    return c.body((async function* () {
      yield encoder.encode("first;");
      await released;
      yield encoder.encode("second;");
    })());
  });
  app.get("/endless/:id", (c) => {
    const id = c.params.id!;
    c.req.signal.addEventListener("abort", () => seen.aborted.add(id));
    seen.streaming.add(id);
    return c.body(new ReadableStream<Uint8Array>({ pull: (ctl) => ctl.enqueue(new Uint8Array(1024)) }));
  });
  return app;
}

async function readFirst(reader: ReadableStreamDefaultReader<Uint8Array>): Promise<string> {
  const next = await reader.read();
  return next.done ? "" : new TextDecoder().decode(next.value);
}

/** Register the fetch-host cases for one runtime. */
export function appFetchHostCases(t: TestApi, runtime: Runtime): void {
  t.describe(`app.fetch on ${runtime.nativeName}`, () => {
    let hosted: NativeServer | null = null;
    const url = (path: string): string => {
      if (hosted === null) throw new Error("host not started");
      return `http://127.0.0.1:${hosted.port}${path}`;
    };
    t.beforeAll(async () => {
      const app = createHostedApp();
      hosted = await runtime.nativeServe((request, info) => app.fetch(request, info as never));
    });
    t.afterAll(async () => {
      await hosted?.close();
    });

    t.it("routes, runs middleware and answers with the status, fields and body of the handler", async () => {
      const response = await fetch(url("/users/7?q=x"));
      assert.equal(response.status, 200);
      assert.equal(response.headers.get("content-type"), "application/json");
      assert.equal(response.headers.get("x-middleware"), "before");
      assert.equal(response.headers.get("x-after"), "ok");
      assert.deepEqual(await response.json(), { id: "7", q: "x" });
      const text = await fetch(url("/"));
      assert.equal(text.headers.get("content-length"), "13");
      assert.equal(await text.text(), "Hello, World!");
    });

    t.it("answers 404 and 405 (with Allow) as over wirecore's own server (RFC 9110 §15.5.5, §15.5.6)", async () => {
      const missing = await fetch(url("/nowhere"));
      assert.equal(missing.status, 404);
      assert.equal(await missing.text(), "Not Found");
      const wrong = await fetch(url("/"), { method: "DELETE" });
      assert.equal(wrong.status, 405);
      assert.equal(wrong.headers.get("allow"), "GET, HEAD");
      await wrong.body?.cancel();
    });

    t.it("sends a thrown HttpError back through the middleware", async () => {
      const response = await fetch(url("/teapot"));
      assert.equal(response.status, 418);
      assert.equal(await response.text(), "I'm a teapot");
      assert.equal(response.headers.get("x-middleware"), "before");
      assert.equal(response.headers.get("x-after"), "error");
    });

    t.it("streams the request body into the handler and back", async () => {
      const data = new Uint8Array(256 * 1024).map((_, i) => i * 7);
      const response = await fetch(url("/echo"), {
        method: "POST",
        body: data,
        headers: { "content-type": "application/x-test" },
      });
      assert.equal(response.headers.get("content-type"), "application/x-test");
      const back = new Uint8Array(await response.arrayBuffer());
      assert.equal(back.length, data.length);
      assert.ok(back.every((byte, i) => byte === data[i]), "the same bytes came back");
      const length = await fetch(url("/length"), { method: "POST", body: "x".repeat(1000) });
      assert.equal(await length.text(), "1000");
    });

    t.it("keeps several Set-Cookie fields apart (RFC 6265 §3)", async () => {
      const response = await fetch(url("/cookies"));
      assert.deepEqual(response.headers.getSetCookie(), ["a=1; Path=/", "b=2; HttpOnly"]);
      await response.body?.cancel();
    });

    t.it("sends no body for HEAD, 204 and 304 (RFC 9110 §6.4.1)", async () => {
      const head = await fetch(url("/"), { method: "HEAD" });
      assert.equal(head.status, 200);
      assert.equal(await head.text(), "");
      const empty = await fetch(url("/empty"));
      assert.equal(empty.status, 204);
      assert.equal(await empty.text(), "");
      const cached = await fetch(url("/cached"));
      assert.equal(cached.status, 304);
      assert.equal(cached.headers.get("etag"), '"v1"');
      assert.equal(await cached.text(), "");
    });

    t.it("sends the first chunk of a streamed body before the rest exists", async () => {
      const id = `${runtime.name}-gate`;
      const response = await fetch(url(`/gate/${id}`));
      const reader = response.body!.getReader();
      assert.equal(await readFirst(reader), "first;");
      gates.get(id)!();
      let rest = "";
      for (let next = await reader.read(); !next.done; next = await reader.read()) {
        rest += new TextDecoder().decode(next.value);
      }
      assert.equal(rest, "second;");
    });

    t.it("reads the peer's address from what the host passes beside the request", async () => {
      const response = await fetch(url("/peer"));
      assert.match(await response.text(), /^(127\.0\.0\.1|::ffff:127\.0\.0\.1)$/);
    });

    t.it("aborts c.req.signal when the client goes away", async () => {
      const id = `${runtime.name}-leave`;
      const leave = new AbortController();
      const response = await fetch(url(`/endless/${id}`), { signal: leave.signal });
      await response.body!.getReader().read();
      assert.ok(seen.streaming.has(id));
      leave.abort();
      await waitFor(() => seen.aborted.has(id), "the request signal to abort");
    });
  });
}
