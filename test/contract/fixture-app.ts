/**
 * The apps the contract suite serves: the reference app of `examples/app.ts` plus test routes,
 * a fetch-style handler, and a Hono app. Runtime-free, like the core.
 *
 * Some routes report what they saw to {@link observed}, a module-level record the cases query
 * (the server runs in the same process as the test).
 */
import { Hono } from "hono";
import { App, HttpError, type Middleware } from "../../mod.ts";
import { createApp } from "../../examples/app.ts";
import { sleep } from "./harness.ts";

/** What handlers observed, keyed by the `:id` the test chose (so cases never collide). */
export const observed: {
  /** `c.req.signal` fired for these ids. */
  aborted: Set<string>;
  /** The streaming source of `/infinite/:id` was cancelled for these ids. */
  cancelled: Set<string>;
  /** The handler of `/watch/:id`, `/infinite/:id` or `/slow?id=` started. */
  started: Set<string>;
} = { aborted: new Set(), cancelled: new Set(), started: new Set() };

const encoder = new TextEncoder();

/** Records its passage in `c.vars.order` before and after `next()`. */
function recorder(name: string, report: boolean): Middleware {
  return async (c, next) => {
    let order = c.vars.get("order") as string[] | undefined;
    if (order === undefined) c.vars.set("order", order = []);
    order.push(`${name}-in`);
    await next();
    order.push(`${name}-out`);
    // The app writes the response after every middleware returns, so a header set here still counts.
    if (report) c.header("x-order", order.join(","));
  };
}

/** The native app under test. */
export function createFixtureApp(): App {
  const app = createApp();
  app.use(recorder("app", true));

  app.get("/async", async (c) => {
    await sleep(1);
    return c.text("async ok");
  });
  app.get("/throw", () => {
    throw new Error("boom (expected by the test)");
  });
  app.get("/throw-async", async () => {
    await sleep(1);
    throw new Error("async boom (expected by the test)");
  });
  app.get("/teapot", () => {
    throw new HttpError(418, "I'm a teapot");
  });
  app.get("/slow", async (c) => {
    const id = c.req.query.get("id");
    if (id !== null) observed.started.add(id);
    await sleep(Number(c.req.query.get("ms") ?? "200"));
    return c.text("slow done");
  });
  app.get("/status/:code", (c) => c.text("this body must not be sent", Number(c.params.code)));
  app.get("/stream/readable", (c) => {
    const parts = ["alpha,", "beta,", "gamma"];
    const stream = new ReadableStream<Uint8Array>({
      async pull(controller) {
        await sleep(1);
        const next = parts.shift();
        if (next === undefined) controller.close();
        else controller.enqueue(encoder.encode(next));
      },
    });
    return c.body(stream);
  });
  app.get("/stream/generator", (c) => {
    async function* gen(): AsyncGenerator<string | Uint8Array> {
      yield "one,";
      await sleep(1);
      yield encoder.encode("two,");
      await sleep(1);
      yield "three";
    }
    return c.header("content-type", "text/plain").body(gen());
  });
  app.post("/limited", { bodyLimit: 1024 }, async (c) => {
    const text = await c.req.text();
    return c.text(`got ${text.length}`);
  });
  app.post("/text", async (c) => c.text(await c.req.text()));
  app.get("/watch/:id", (c) => {
    const id = c.params.id!;
    observed.started.add(id);
    const signal = c.req.signal;
    return new Promise((resolve) => {
      const done = (): void => {
        clearTimeout(timer);
        resolve(c.text("watch finished"));
      };
      const timer = setTimeout(done, 10_000);
      signal.addEventListener("abort", () => {
        observed.aborted.add(id);
        done();
      }, { once: true });
    });
  });
  app.get("/infinite/:id", (c) => {
    const id = c.params.id!;
    observed.started.add(id);
    c.req.signal.addEventListener("abort", () => observed.aborted.add(id), { once: true });
    const chunk = encoder.encode("x".repeat(1024));
    const stream = new ReadableStream<Uint8Array>({
      async pull(controller) {
        await sleep(2);
        controller.enqueue(chunk);
      },
      cancel() {
        observed.cancelled.add(id);
      },
    });
    return c.body(stream);
  });

  const api = new App();
  api.use(recorder("api", false));
  api.get("/", (c) => c.text("api root"));
  api.get("/items/:id", (c) => {
    (c.vars.get("order") as string[]).push("handler");
    return c.json({ item: c.params.id });
  });
  app.route("/api", api);
  app.get("/mw", (c) => {
    (c.vars.get("order") as string[]).push("handler");
    return c.text("mw");
  });
  app.put("/only-put", (c) => c.text("put"));
  return app;
}

/** A web-standard fetch handler, as written for Deno.serve / Bun.serve. */
export async function fetchHandler(request: Request): Promise<Response> {
  const url = new URL(request.url);
  if (url.pathname === "/inspect") {
    const body = request.body === null ? null : await request.text();
    const headers: Record<string, string> = {};
    request.headers.forEach((value, name) => (headers[name] = value));
    return Response.json({ method: request.method, url: request.url, headers, body });
  }
  if (url.pathname === "/stream") {
    let n = 0;
    const stream = new ReadableStream<Uint8Array>({
      async pull(controller) {
        await new Promise((r) => setTimeout(r, 1));
        if (n === 5) controller.close();
        else controller.enqueue(encoder.encode(`chunk${n++};`));
      },
    });
    return new Response(stream, { headers: { "content-type": "text/plain" } });
  }
  if (url.pathname === "/cookies") {
    const headers = new Headers();
    headers.append("set-cookie", "a=1; Path=/");
    headers.append("set-cookie", "b=2; HttpOnly");
    return new Response("cookies", { headers });
  }
  return new Response("not here", { status: 404 });
}

/** An unmodified Hono app. */
export function createHonoApp(): Hono {
  const hono = new Hono();
  hono.get("/", (c) => c.text("hono root"));
  hono.get(
    "/users/:id/posts/:post",
    (c) => c.json({ user: c.req.param("id"), post: c.req.param("post"), q: c.req.query("q") ?? null }),
  );
  hono.post("/json", async (c) => {
    const body = await c.req.json<{ n: number }>();
    return c.json({ doubled: body.n * 2 }, 201);
  });
  return hono;
}
