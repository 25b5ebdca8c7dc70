/**
 * The native peer on Deno: `Deno.serve` (https://docs.deno.com/api/deno/~/Deno.serve) serving the
 * reference app's routes the way a Deno user would, for the bench to compare with.
 *
 * WebSocket at `/ws` is `Deno.upgradeWebSocket` (https://docs.deno.com/api/deno/~/Deno.upgradeWebSocket):
 * the socket echoes what it gets — a string as text, an ArrayBuffer as binary.
 *
 *   deno run -A bench/peers/deno-serve.ts --port 3000
 *
 * Deno.serve has no idle-timeout setting; `--idle-timeout` is accepted and ignored. Deno's
 * WebSocket has no permessage-deflate: `--deflate` makes the peer refuse to start.
 */
import process from "node:process";
import { peerArgs } from "./args.ts";
import { isReusePortWorker, startReusePortWorkers } from "./reuse-port.ts";

/** The part of Deno's HTTP server API used here, declared locally (no Deno global types needed). */
interface DenoServeOptions {
  hostname: string;
  port: number;
  /** SO_REUSEPORT: a `--workers` copy shares the port with the others. */
  reusePort: boolean;
  onListen(addr: { hostname: string; port: number }): void;
}
interface DenoGlobal {
  serve(options: DenoServeOptions, handler: (req: Request) => Response | Promise<Response>): unknown;
  upgradeWebSocket(req: Request): { socket: WebSocket; response: Response };
}

const deno = (globalThis as { Deno?: DenoGlobal }).Deno;
if (deno === undefined) throw new Error("bench/peers/deno-serve.ts needs Deno");

const { port, deflate, workers } = peerArgs(process.argv.slice(2));
await startReusePortWorkers(new URL(import.meta.url).pathname, workers, port);
if (deflate) throw new Error("Deno.upgradeWebSocket has no permessage-deflate (--deflate)");
const TEXT = { "content-type": "text/plain; charset=utf-8" };
const JSON_TYPE = { "content-type": "application/json" };
const HELLO = "Hello, World!";
const JSON_BODY = JSON.stringify({ message: HELLO });

function notAllowed(allow: string): Response {
  return new Response("Method Not Allowed", { status: 405, headers: { ...TEXT, allow } });
}

function handler(req: Request): Response {
  // The path without building a URL object: the request URL is absolute ("http://host/path?q").
  const url = req.url;
  const start = url.indexOf("/", url.indexOf("//") + 2);
  const q = url.indexOf("?", start);
  const path = q < 0 ? url.slice(start) : url.slice(start, q);
  const method = req.method;
  const isGet = method === "GET" || method === "HEAD";
  if (path === "/") return isGet ? new Response(HELLO, { headers: TEXT }) : notAllowed("GET, HEAD");
  if (path === "/json") return isGet ? new Response(JSON_BODY, { headers: JSON_TYPE }) : notAllowed("GET, HEAD");
  if (path.startsWith("/users/") && path.length > 7 && path.indexOf("/", 7) < 0) {
    if (!isGet) return notAllowed("GET, HEAD");
    let id = path.slice(7);
    if (id.includes("%")) {
      try {
        id = decodeURIComponent(id);
      } catch {
        // keep the raw value, as wirecore's router does
      }
    }
    return Response.json({ id });
  }
  if (path === "/ws") {
    if (req.headers.get("upgrade")?.toLowerCase() !== "websocket") {
      return new Response("Upgrade Required", { status: 426, headers: { ...TEXT, "sec-websocket-version": "13" } });
    }
    const { socket, response } = deno!.upgradeWebSocket(req); // checked at start-up
    socket.binaryType = "arraybuffer";
    socket.onmessage = (event: MessageEvent<string | ArrayBuffer>) => socket.send(event.data);
    return response;
  }
  if (path === "/echo") {
    if (method !== "POST") return notAllowed("POST");
    // Streamed straight back: the request body stream is the response body.
    const type = req.headers.get("content-type");
    return new Response(req.body, { headers: type === null ? {} : { "content-type": type } });
  }
  return new Response("Not Found", { status: 404, headers: TEXT });
}

deno.serve(
  {
    hostname: "127.0.0.1",
    port,
    reusePort: isReusePortWorker,
    onListen: ({ port }) => console.log(`listening on http://127.0.0.1:${port}`),
  },
  handler,
);
for (const signal of ["SIGINT", "SIGTERM"] as const) process.once(signal, () => process.exit(0));
