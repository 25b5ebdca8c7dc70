/**
 * The app of the protocol-neutral semantics cases: the fixture app (`fixture-app.ts`) plus a few
 * routes under `/sem/` that report what the handler saw, so a case can check a request's
 * semantics whatever protocol carried it. Runtime-free, like the core.
 */
import type { App } from "../../mod.ts";
import { createFixtureApp } from "./fixture-app.ts";

/** The HTTP/2-only parts of an exchange, seen structurally (no import of a protocol class). */
interface TrailerExchange {
  /** The request body, with the trailers that ended it (a flat `[name, value, …]` list). */
  readonly body: { readonly trailers: string[] | null } | null;
}

/**
 * Streams held open until the test releases them: `/sem/gate/:id` sends its first chunk at once
 * and the rest only after `releaseGate(id)` (whichever of the two comes first).
 */
const gates = new Map<string, { opened: Promise<void>; open: () => void }>();

function gate(id: string): { opened: Promise<void>; open: () => void } {
  let found = gates.get(id);
  if (found === undefined) {
    let open = (): void => {};
    const opened = new Promise<void>((resolve) => (open = resolve));
    gates.set(id, found = { opened, open });
  }
  return found;
}

/** Let `/sem/gate/:id` finish its body. */
export function releaseGate(id: string): void {
  gate(id).open();
}

/** Handlers waiting in `/sem/barrier/:key`, per key. */
const barriers = new Map<string, { inside: number; all: Promise<void>; release: () => void }>();

const encoder = new TextEncoder();

/** The fixture app plus the `/sem/` routes. */
export function createSemanticsApp(): App {
  const app = createFixtureApp();
  // Everything the handler can see of the request, as JSON.
  app.all("/sem/request", async (c) => {
    const headers: Record<string, string> = {};
    c.req.headers.forEach((value, name) => (headers[name] = value));
    const body = c.req.body === null ? null : await c.req.text();
    return c.json({
      method: c.req.method,
      path: c.req.path,
      query: Object.fromEntries(c.req.query),
      url: c.req.url,
      host: c.req.header("host") ?? null,
      cookie: c.req.header("cookie") ?? null,
      headers,
      body,
      alpn: c.exchange.info.alpn ?? null,
    });
  });
  // Several fields out, among them two Set-Cookie that must stay two (RFC 6265 §3).
  app.get("/sem/cookies", (c) => {
    c.header("set-cookie", "a=1; Path=/");
    c.header("set-cookie", "b=2; HttpOnly");
    c.header("x-custom", "value with spaces");
    c.header("cache-control", "no-store");
    return c.text("cookies", 201);
  });
  // Answers only once `n` requests with the same key are inside the handler at the same time:
  // proves they are served concurrently (a server that handled them one by one would never get
  // there; after 10 s each answers 503 with the count it reached). `x-peer-port` names the
  // connection (its client port).
  app.get("/sem/barrier/:key", async (c) => {
    const key = c.params.key!;
    const n = Number(c.req.query.get("n"));
    let barrier = barriers.get(key);
    if (barrier === undefined) {
      let release = (): void => {};
      const all = new Promise<void>((resolve) => (release = resolve));
      barriers.set(key, barrier = { inside: 0, all, release });
    }
    if (++barrier.inside === n) barrier.release();
    let timer: ReturnType<typeof setTimeout> | undefined;
    const timedOut = new Promise<boolean>((resolve) => (timer = setTimeout(() => resolve(true), 10_000)));
    const late = await Promise.race([barrier.all.then(() => false), timedOut]);
    clearTimeout(timer);
    c.header("x-peer-port", String(c.exchange.info.remotePort));
    return c.text(late ? `only ${barrier.inside} of ${n} arrived` : "together", late ? 503 : 200);
  });
  app.get("/sem/trailers", (c) => {
    return c.setTrailers(["x-checksum", "abc123", "x-count", "2"]).text("trailed");
  });
  app.post("/sem/trailers-echo", async (c) => {
    const text = await c.req.text();
    return c.json({ text, trailers: (c.exchange as unknown as TrailerExchange).body?.trailers ?? null });
  });
  app.get("/sem/gate/:id", (c) => {
    const id = c.params.id!;
    let step = 0;
    const stream = new ReadableStream<Uint8Array>({
      async pull(controller) {
        if (step === 0) controller.enqueue(encoder.encode("first;"));
        else if (step === 1) {
          await gate(id).opened;
          gates.delete(id);
          controller.enqueue(encoder.encode("second;"));
        } else controller.close();
        step++;
      },
    });
    return c.body(stream);
  });
  return app;
}
