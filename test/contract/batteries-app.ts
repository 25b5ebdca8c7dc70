/**
 * The app of the CORS and compression cases: `cors()` on three path prefixes (a list with
 * credentials on `/api/`, a RegExp on `/re/`, an async function on `/fn/`), and `compress()`
 * everywhere, with one route per rule under `/c/`.
 */
import zlib from "node:zlib";
import { App } from "../../core/app/app.ts";
import type { Middleware } from "../../core/app/handler.ts";
import { HttpError } from "../../core/http/http-error.ts";
import { compress } from "../../core/middleware/compress/compress.ts";
import { cors } from "../../core/middleware/cors/cors.ts";
import { pseudoRandom } from "../support/pseudo-random.ts";

const encoder = new TextEncoder();

/** A JSON list well over 4 KiB. */
export const ITEMS: readonly { id: number; name: string; tags: string[] }[] = Array.from(
  { length: 150 },
  (_, id) => ({ id, name: `item number ${id}`, tags: ["alpha", "beta", String(id % 7)] }),
);
/** About 8 KiB of text, compressible but not trivially so. */
export const TEXT: string = Array.from({ length: 200 }, (_, i) => `line ${i}: ${(i * 7919) % 10007} wirecore\n`).join(
  "",
);
export const TEXT_BYTES: Uint8Array = encoder.encode(TEXT);
/** Bytes that do not compress at all. */
export const BINARY: Uint8Array = pseudoRandom(20_000, 0xc0ffee);
/** A body the handler compressed itself. */
export const PRE_GZIPPED: Uint8Array = new Uint8Array(zlib.gzipSync(TEXT_BYTES));

export const SITE = "https://app.example";

/** `/c/sse/:id` sends its first event at once and the second only after `releaseEvents(id)`. */
const gates = new Map<string, { opened: Promise<void>; open: () => void }>();
function gate(id: string): { opened: Promise<void>; open: () => void } {
  let found = gates.get(id);
  if (found === undefined) {
    let open!: () => void;
    const opened = new Promise<void>((resolve) => (open = resolve));
    gates.set(id, found = { opened, open });
  }
  return found;
}
export function releaseEvents(id: string): void {
  gate(id).open();
}

/** Ids of `/c/forever/:id` streams whose generator was stopped (the client went away). */
export const stoppedStreams: Set<string> = new Set();

/** Run `middleware` only for paths under `prefix` (the way an app scopes CORS to its API). */
function under(prefix: string, middleware: Middleware): Middleware {
  return (c, next) => (c.req.path.startsWith(prefix) ? middleware(c, next) : next());
}

function chunked(bytes: Uint8Array, size: number): ReadableStream<Uint8Array> {
  let at = 0;
  return new ReadableStream<Uint8Array>({
    pull(controller) {
      if (at >= bytes.length) return controller.close();
      controller.enqueue(bytes.slice(at, at + size));
      at += size;
    },
  });
}

export function createBatteriesApp(): App {
  const app = new App()
    .use(under("/api/", cors({ origin: [SITE], credentials: true, maxAge: 600, exposeHeaders: ["x-total"] })))
    .use(under("/re/", cors({ origin: /^https:\/\/[a-z0-9-]+\.preview\.example$/ })))
    .use(under(
      "/fn/",
      cors({
        origin: async (origin) => {
          await new Promise((resolve) => setTimeout(resolve, 1));
          return origin.endsWith(".trusted.example");
        },
        allowHeaders: ["content-type", "x-token"],
      }),
    ))
    .use(compress());

  app.get("/api/items", (c) => c.header("x-total", String(ITEMS.length)).json(ITEMS));
  app.get("/api/fail", () => {
    throw new HttpError(409, "conflict on purpose");
  });
  app.get("/re/data", (c) => c.text("re"));
  app.get("/fn/data", (c) => c.text("fn"));
  app.get("/plain", (c) => c.text("no cors here"));

  app.get("/c/json", (c) => c.json(ITEMS));
  app.get("/c/text", (c) => c.text(TEXT));
  app.get("/c/small", (c) => c.text("small"));
  app.get("/c/bin", (c) => c.body(BINARY));
  app.get("/c/png", (c) => c.header("content-type", "image/png").body(BINARY));
  app.get(
    "/c/encoded",
    (c) => c.header("content-type", "text/plain").header("content-encoding", "gzip").body(PRE_GZIPPED),
  );
  app.get("/c/no-transform", (c) => c.header("cache-control", "no-transform").text(TEXT));
  app.get("/c/etag", (c) => c.header("etag", '"t1"').text(TEXT));
  app.get("/c/204", (c) => c.body(null, 204));
  app.get("/c/304", (c) => c.header("etag", '"t1"').body(null, 304));
  app.get(
    "/c/known-stream",
    (c) =>
      c.header("content-type", "text/plain").header("content-length", String(TEXT_BYTES.length))
        .body(chunked(TEXT_BYTES, 1000)),
  );
  app.get("/c/stream", (c) =>
    c.header("content-type", "text/plain").body((async function* () {
      for (let at = 0; at < TEXT.length; at += 1500) {
        yield TEXT.slice(at, at + 1500);
        await new Promise((resolve) => setTimeout(resolve, 2));
      }
    })()));
  app.get("/c/response", () =>
    new Response(TEXT, {
      headers: { "content-type": "text/plain", "content-length": String(TEXT_BYTES.length), etag: '"r1"' },
    }));
  app.get("/c/sse/:id", (c) => {
    const id = c.params.id!;
    return c.header("content-type", "text/event-stream").header("cache-control", "no-cache").body(
      (async function* () {
        yield "data: first\n\n";
        await gate(id).opened;
        gates.delete(id);
        yield "data: second\n\n";
      })(),
    );
  });
  app.get("/c/forever/:id", (c) => {
    const id = c.params.id!;
    return c.header("content-type", "text/event-stream").body((async function* () {
      try {
        for (let i = 0;; i++) {
          yield `data: ${i}\n\n`;
          await new Promise((resolve) => setTimeout(resolve, 10));
        }
      } finally {
        stoppedStreams.add(id);
      }
    })());
  });
  return app;
}
