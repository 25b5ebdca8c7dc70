/**
 * The native peer on Bun: `Bun.serve` with its built-in router (https://bun.sh/docs/api/http),
 * serving the reference app's routes the way a Bun user would, for the bench to compare with.
 *
 *   bun bench/peers/bun-serve.ts --port 3000 [--idle-timeout 120]
 */
import process from "node:process";
import { peerArgs } from "./args.ts";

/** The part of Bun's HTTP server API used here, declared locally (no Bun global types needed). */
interface BunRequest extends Request {
  readonly params: Record<string, string>;
}
type BunHandler = (req: BunRequest) => Response | Promise<Response>;
interface BunServeOptions {
  hostname: string;
  port: number;
  /** Seconds; Bun caps it at 255. */
  idleTimeout: number;
  routes: Record<string, BunHandler | Partial<Record<string, BunHandler>>>;
  fetch(req: Request): Response | Promise<Response>;
}
interface BunServer {
  readonly port: number;
}
interface BunGlobal {
  serve(options: BunServeOptions): BunServer;
}

const bun = (globalThis as { Bun?: BunGlobal }).Bun;
if (bun === undefined) throw new Error("bench/peers/bun-serve.ts needs Bun");

const { port, idleTimeoutSeconds } = peerArgs(process.argv.slice(2));
const TEXT = { "content-type": "text/plain; charset=utf-8" };
const JSON_TYPE = { "content-type": "application/json" };
const HELLO = "Hello, World!";
const JSON_BODY = JSON.stringify({ message: HELLO });

const ALLOW: Record<string, string> = { "/": "GET, HEAD", "/json": "GET, HEAD", "/echo": "POST" };

const server = bun.serve({
  hostname: "127.0.0.1",
  port,
  idleTimeout: Math.min(255, idleTimeoutSeconds),
  routes: {
    "/": { GET: () => new Response(HELLO, { headers: TEXT }) },
    "/json": { GET: () => new Response(JSON_BODY, { headers: JSON_TYPE }) },
    "/users/:id": { GET: (req) => Response.json({ id: req.params.id }) },
    // Streamed straight back: the request body stream is the response body.
    "/echo": {
      POST: (req) => {
        const type = req.headers.get("content-type");
        return new Response(req.body, { headers: type === null ? {} : { "content-type": type } });
      },
    },
  },
  // Anything the routes do not answer: a known path with another method is 405, else 404.
  fetch(req) {
    const url = req.url;
    const start = url.indexOf("/", url.indexOf("//") + 2);
    const q = url.indexOf("?", start);
    const path = q < 0 ? url.slice(start) : url.slice(start, q);
    const allow = ALLOW[path] ?? (/^\/users\/[^/]+$/.test(path) ? "GET, HEAD" : undefined);
    if (allow !== undefined) return new Response("Method Not Allowed", { status: 405, headers: { ...TEXT, allow } });
    return new Response("Not Found", { status: 404, headers: TEXT });
  },
});
console.log(`listening on http://127.0.0.1:${server.port}`);
for (const signal of ["SIGINT", "SIGTERM"] as const) process.once(signal, () => process.exit(0));
