/**
 * The native HTTP/2 peer for the h2 scenario: `node:http2`'s `createServer` (cleartext, so h2c
 * by prior knowledge — https://nodejs.org/api/http2.html#http2createserveroptions-onrequesthandler)
 * serving the reference app's `GET /` → `Hello, World!`, written the way a Node user would, with
 * the compatibility API's request handler. The same file runs on Node and on Bun (Bun implements
 * `node:http2`), so the bench compares wirecore with it on both.
 *
 *   node bench/peers/node-http2.ts --port 3000 [--idle-timeout 120]     bun …
 *
 * Only `/` and `/json` are served (the h2 scenario needs `/`); anything else is 404. `--deflate`
 * is accepted and ignored (no WebSocket here).
 */
import { createServer, type Http2ServerRequest, type Http2ServerResponse } from "node:http2";
import process from "node:process";
import { peerArgs } from "./args.ts";

const { port, idleTimeoutSeconds } = peerArgs(process.argv.slice(2));
const HELLO = "Hello, World!";
const JSON_BODY = JSON.stringify({ message: HELLO });

function send(res: Http2ServerResponse, status: number, type: string, body: string): void {
  res.writeHead(status, { "content-type": type, "content-length": Buffer.byteLength(body) });
  res.end(body);
}

// node:http2's defaults: no options.
const server = createServer((req: Http2ServerRequest, res: Http2ServerResponse) => {
  const url = req.url;
  const q = url.indexOf("?");
  const path = q < 0 ? url : url.slice(0, q);
  const isGet = req.method === "GET" || req.method === "HEAD";
  if (path === "/" && isGet) return send(res, 200, "text/plain; charset=utf-8", HELLO);
  if (path === "/json" && isGet) return send(res, 200, "application/json", JSON_BODY);
  send(res, 404, "text/plain; charset=utf-8", "Not Found");
});
// Idle connections stay open as long as the bench's (wirecore gets the same setting).
server.setTimeout(idleTimeoutSeconds * 1000);
server.listen(port, "127.0.0.1", () => {
  const address = server.address();
  const actual = typeof address === "object" && address !== null ? address.port : port;
  console.log(`listening on http://127.0.0.1:${actual}`);
});
for (const signal of ["SIGINT", "SIGTERM"] as const) process.once(signal, () => process.exit(0));
