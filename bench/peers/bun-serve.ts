/**
 * The native peer on Bun: `Bun.serve` with its built-in router (https://bun.sh/docs/api/http),
 * serving the reference app's routes the way a Bun user would, for the bench to compare with.
 *
 * WebSocket at `/ws` is Bun's built-in one (https://bun.sh/docs/api/websockets): `fetch`
 * upgrades, the `websocket` handlers echo — text as text, binary as binary.
 *
 * `--http2` turns on Bun's native HTTP/2 (`http2: true`, marked experimental in Bun 1.4): without
 * TLS, a connection that opens with the HTTP/2 preface (prior knowledge, h2c) gets HTTP/2 and
 * the others HTTP/1.1, on the same port and with the same routes.
 *
 *   bun bench/peers/bun-serve.ts --port 3000 [--idle-timeout 120] [--deflate] [--http2]
 */
import process from "node:process";
import { peerArgs } from "./args.ts";
import { isReusePortWorker, startReusePortWorkers } from "./reuse-port.ts";

/** The part of Bun's HTTP server API used here, declared locally (no Bun global types needed). */
interface BunRequest extends Request {
  readonly params: Record<string, string>;
}
type BunHandler = (req: BunRequest) => Response | Promise<Response>;
interface BunServerWebSocket {
  send(data: string | Uint8Array, compress?: boolean): number;
}
interface BunServeOptions {
  hostname: string;
  port: number;
  /** SO_REUSEPORT: a `--workers` copy shares the port with the others. */
  reusePort: boolean;
  /** Seconds; Bun caps it at 255. */
  idleTimeout: number;
  /** Also serve HTTP/2: h2c by prior knowledge without TLS (Bun ≥ 1.4, experimental). */
  http2: boolean;
  routes: Record<string, BunHandler | Partial<Record<string, BunHandler>>>;
  fetch(req: Request, server: BunServer): Response | undefined | Promise<Response | undefined>;
  websocket: {
    message(ws: BunServerWebSocket, message: string | Uint8Array): void;
    perMessageDeflate: boolean;
  };
}
interface BunServer {
  readonly port: number;
  upgrade(req: Request): boolean;
}
interface BunGlobal {
  serve(options: BunServeOptions): BunServer;
}

const bun = (globalThis as { Bun?: BunGlobal }).Bun;
if (bun === undefined) throw new Error("bench/peers/bun-serve.ts needs Bun");

const { port, idleTimeoutSeconds, deflate, http2, workers } = peerArgs(process.argv.slice(2));
await startReusePortWorkers(new URL(import.meta.url).pathname, workers, port);
const TEXT = { "content-type": "text/plain; charset=utf-8" };
const JSON_TYPE = { "content-type": "application/json" };
const HELLO = "Hello, World!";
const JSON_BODY = JSON.stringify({ message: HELLO });

const ALLOW: Record<string, string> = { "/": "GET, HEAD", "/json": "GET, HEAD", "/echo": "POST" };

const server = bun.serve({
  hostname: "127.0.0.1",
  port,
  reusePort: isReusePortWorker,
  idleTimeout: Math.min(255, idleTimeoutSeconds),
  http2,
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
  // Anything the routes do not answer: the WebSocket upgrade at /ws; a known path with another
  // method is 405, else 404.
  fetch(req, server) {
    const url = req.url;
    const start = url.indexOf("/", url.indexOf("//") + 2);
    const q = url.indexOf("?", start);
    const path = q < 0 ? url.slice(start) : url.slice(start, q);
    if (path === "/ws") {
      if (server.upgrade(req)) return undefined;
      return new Response("Upgrade Required", { status: 426, headers: { ...TEXT, "sec-websocket-version": "13" } });
    }
    const allow = ALLOW[path] ?? (/^\/users\/[^/]+$/.test(path) ? "GET, HEAD" : undefined);
    if (allow !== undefined) return new Response("Method Not Allowed", { status: 405, headers: { ...TEXT, allow } });
    return new Response("Not Found", { status: 404, headers: TEXT });
  },
  websocket: {
    // A string comes back as text, a Buffer as binary. Bun compresses a message only when
    // `send` is asked to (its default is false even with perMessageDeflate on): with --deflate
    // the echo is compressed, as every other server in the row does.
    message(ws, message) {
      ws.send(message, deflate);
    },
    perMessageDeflate: deflate,
  },
});
console.log(`listening on http://127.0.0.1:${server.port}`);
for (const signal of ["SIGINT", "SIGTERM"] as const) process.once(signal, () => process.exit(0));
