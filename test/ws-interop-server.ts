/**
 * The reference app with permessage-deflate on, for test/ws-interop.node.test.ts: the same app
 * as `examples/*.ts` (which leave compression off), served by whichever runtime runs this file:
 * `node test/ws-interop-server.ts --port 0`, `bun test/ws-interop-server.ts --port 0`,
 * `deno run -A test/ws-interop-server.ts --port 0`, `--fresh` to compress every message from
 * scratch. Prints `listening on http://127.0.0.1:N`.
 */
import process from "node:process";
import { createApp, portFromArgs } from "../examples/app.ts";

const g = globalThis as { Bun?: unknown; Deno?: unknown };
const { serve } = g.Deno !== undefined
  ? await import("../adapters/deno/mod.ts")
  : g.Bun !== undefined
  ? await import("../adapters/bun/mod.ts")
  : await import("../adapters/node/mod.ts");

const server = serve(createApp(), {
  port: portFromArgs(process.argv),
  hostname: "127.0.0.1",
  // --fresh: compress every message from scratch (server_no_context_takeover in every answer).
  websocket: { perMessageDeflate: process.argv.includes("--fresh") ? { serverNoContextTakeover: true } : true },
});
await server.ready;
console.log(`listening on ${server.url}`);
for (const signal of ["SIGINT", "SIGTERM"] as const) {
  process.once(signal, () => void server.close().then(() => process.exit(0)));
}
