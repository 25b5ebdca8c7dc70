/**
 * The native peer on Node: `node:http` serving the reference app's routes, written the way a
 * Node user would (no framework), for the bench to compare wirecore with. WebSocket at `/ws`
 * is the `ws` package (https://github.com/websockets/ws), the one Node users reach for, on the
 * same server: it echoes, text as text and binary as binary.
 *
 *   node bench/peers/node-http.ts --port 3000 [--idle-timeout 120] [--deflate]
 */
import { createServer, type IncomingMessage, type ServerResponse } from "node:http";
import process from "node:process";
import { WebSocketServer } from "ws";
import { peerArgs } from "./args.ts";

const { port, idleTimeoutSeconds, deflate } = peerArgs(process.argv.slice(2));
const HELLO = "Hello, World!";
const JSON_BODY = JSON.stringify({ message: HELLO });

function send(res: ServerResponse, status: number, type: string, body: string): void {
  res.writeHead(status, { "content-type": type, "content-length": Buffer.byteLength(body) });
  res.end(body);
}

function notAllowed(res: ServerResponse, allow: string): void {
  res.writeHead(405, { allow, "content-type": "text/plain; charset=utf-8", "content-length": 18 });
  res.end("Method Not Allowed");
}

const server = createServer((req: IncomingMessage, res: ServerResponse) => {
  const url = req.url ?? "/";
  const q = url.indexOf("?");
  const path = q < 0 ? url : url.slice(0, q);
  const method = req.method ?? "GET";
  const isGet = method === "GET" || method === "HEAD";
  if (path === "/") {
    if (!isGet) return notAllowed(res, "GET, HEAD");
    return send(res, 200, "text/plain; charset=utf-8", HELLO);
  }
  if (path === "/json") {
    if (!isGet) return notAllowed(res, "GET, HEAD");
    return send(res, 200, "application/json", JSON_BODY);
  }
  if (path.startsWith("/users/") && path.length > 7 && path.indexOf("/", 7) < 0) {
    if (!isGet) return notAllowed(res, "GET, HEAD");
    let id = path.slice(7);
    if (id.includes("%")) {
      try {
        id = decodeURIComponent(id);
      } catch {
        // keep the raw value, as wirecore's router does
      }
    }
    return send(res, 200, "application/json", JSON.stringify({ id }));
  }
  if (path === "/echo") {
    if (method !== "POST") return notAllowed(res, "POST");
    // Streamed straight back: chunked, memory flat whatever the size.
    const type = req.headers["content-type"];
    res.writeHead(200, type === undefined ? {} : { "content-type": type });
    req.pipe(res);
    return;
  }
  send(res, 404, "text/plain; charset=utf-8", "Not Found");
});
// ws's own echo example: the received Buffer goes back as is, flagged text or binary as it came.
// perMessageDeflate is ws's default (false) unless --deflate; then ws's defaults for it (context
// takeover, messages under 1 KiB sent uncompressed).
const wss = new WebSocketServer({ server, path: "/ws", perMessageDeflate: deflate });
wss.on("connection", (socket) => {
  socket.on("message", (data, isBinary) => socket.send(data as Buffer, { binary: isBinary }));
});
// Idle keep-alive connections stay open as long as the bench's (wirecore gets the same setting).
server.keepAliveTimeout = idleTimeoutSeconds * 1000;
server.listen(port, "127.0.0.1", () => {
  const address = server.address();
  const actual = typeof address === "object" && address !== null ? address.port : port;
  console.log(`listening on http://127.0.0.1:${actual}`);
});
for (const signal of ["SIGINT", "SIGTERM"] as const) process.once(signal, () => process.exit(0));
