/**
 * The reference app for test/http2-interop-*.node.test.ts, served by whichever runtime runs this
 * file, h2c (prior knowledge and `Upgrade: h2c`) or, with `--tls`, HTTPS with ALPN `h2` using the
 * checked-in self-signed certificate `test/fixtures/localhost-{cert,key}.pem`:
 * `node test/http2-interop-server.ts --port 0 [--tls]`, `bun test/http2-interop-server.ts …`,
 * `deno run -A test/http2-interop-server.ts …`. Prints `listening on http(s)://127.0.0.1:N`.
 *
 * Besides the routes of `examples/app.ts`, test-only routes the example app has no use for:
 * - `GET /large`: 8 MiB + 17 bytes of deterministic pseudo-random data, with its SHA-256 in
 *   `x-sha256` (the client checks a large response under flow control byte for byte);
 * - `GET /trailers`: `trailed` with a response trailer `x-checksum: sha256("trailed")`;
 * - `POST /trailers-echo`: the request body and the request trailers as JSON.
 *
 * With `--exit-with-stdin` the process exits when its stdin closes, so a server never outlives
 * the test process that spawned it, however that process ends.
 */
import { createHash } from "node:crypto";
import { readFileSync } from "node:fs";
import process from "node:process";
import type { Http2Exchange } from "../core/session/http2/http2-exchange.ts";
import { createApp, portFromArgs } from "../examples/app.ts";
import { pseudoRandom } from "./support/pseudo-random.ts";

const g = globalThis as { Bun?: unknown; Deno?: unknown };
const { serve } = g.Deno !== undefined
  ? await import("../adapters/deno/mod.ts")
  : g.Bun !== undefined
  ? await import("../adapters/bun/mod.ts")
  : await import("../adapters/node/mod.ts");

const args = process.argv;

const large = pseudoRandom(8 * 1024 * 1024 + 17, 0x2f6b1d3);
const largeSha256 = createHash("sha256").update(large).digest("hex");

const app = createApp();
app.get("/large", (c) => c.header("x-sha256", largeSha256).body(large));
app.get("/trailers", (c) => {
  (c.exchange as Partial<Http2Exchange>).setTrailers?.([
    "x-checksum",
    createHash("sha256").update("trailed").digest("hex"),
  ]);
  return c.text("trailed");
});
app.post("/trailers-echo", async (c) => {
  const text = await c.req.text();
  const trailers = (c.exchange as Partial<Http2Exchange>).body?.trailers ?? [];
  return c.json({ text, trailers });
});

const fixture = (name: string): string => readFileSync(new URL(`./fixtures/${name}`, import.meta.url), "utf8");
const tls = args.includes("--tls")
  ? { cert: fixture("localhost-cert.pem"), key: fixture("localhost-key.pem") }
  : undefined;

const server = serve(app, { port: portFromArgs(args), hostname: "127.0.0.1", tls, onError: () => {} });
await server.ready;
console.log(`listening on ${server.url}`);

const stop = (): void => void server.close().then(() => process.exit(0));
for (const signal of ["SIGINT", "SIGTERM"] as const) process.once(signal, stop);
if (args.includes("--exit-with-stdin")) {
  process.stdin.on("data", () => {});
  process.stdin.once("end", () => process.exit(0));
  process.stdin.once("close", () => process.exit(0));
}
