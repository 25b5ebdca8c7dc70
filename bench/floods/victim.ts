/**
 * The well-behaved client of `npm run floods`, as its own process: `GET /` once every INTERVAL ms
 * (the next request waits for the previous answer), over one HTTP/2 session (`h2`, node:http2)
 * or a new HTTP/1.1 connection per request (`h1`, so a server that stops accepting shows). When
 * stdin ends it prints every request as `[epoch ms at start, latency ms, ok]` in one JSON line.
 *
 *   node bench/floods/victim.ts h1|h2 PORT [INTERVAL_MS]
 */
import { request as httpRequest } from "node:http";
import { type ClientHttp2Session, connect } from "node:http2";
import process from "node:process";

const [proto, portText, intervalText] = process.argv.slice(2);
const port = Number(portText);
const intervalMs = Number(intervalText ?? 10);
const samples: [number, number, number][] = [];
let stopped = false;
let session: ClientHttp2Session | null = null;

function h2Get(): Promise<boolean> {
  if (session === null || session.closed || session.destroyed) {
    session = connect(`http://127.0.0.1:${port}`);
    session.on("error", () => {});
  }
  const s = session;
  return new Promise((resolve) => {
    const stream = s.request({ ":path": "/" });
    let status = 0;
    stream.setTimeout(10_000, () => stream.close());
    stream.on("response", (h) => (status = Number(h[":status"])));
    stream.on("data", () => {});
    stream.on("end", () => resolve(status === 200));
    stream.on("close", () => resolve(false));
    stream.on("error", () => resolve(false));
  });
}

function h1Get(): Promise<boolean> {
  return new Promise((resolve) => {
    const req = httpRequest({ host: "127.0.0.1", port, path: "/", agent: false, timeout: 10_000 }, (res) => {
      res.resume();
      res.on("end", () => resolve(res.statusCode === 200));
      res.on("error", () => resolve(false));
    });
    req.on("timeout", () => req.destroy());
    req.on("error", () => resolve(false));
    req.end();
  });
}

process.stdin.resume();
process.stdin.on("end", () => (stopped = true));
console.log("ready");
while (!stopped) {
  const at = Date.now();
  const t = performance.now();
  const ok = proto === "h1" ? await h1Get() : await h2Get();
  const ms = performance.now() - t;
  samples.push([at, Math.round(ms * 1000) / 1000, ok ? 1 : 0]);
  if (ms < intervalMs) await new Promise((r) => setTimeout(r, intervalMs - ms));
}
(session as ClientHttp2Session | null)?.destroy();
// Exit once the line is written: a pipe takes ~64 KB at once, and 70 s of samples are more.
process.stdout.write(JSON.stringify(samples) + "\n", () => process.exit(0));
