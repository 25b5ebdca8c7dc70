/**
 * wirecore serving the reference app (examples/app.ts) for the bench, on whichever runtime runs
 * it — the same as `npm run serve:<runtime>`, plus `--idle-timeout S` so idle keep-alive
 * connections live as long as the native peers' (idle-memory opens 10 000 of them), and
 * `--deflate` to offer permessage-deflate on its WebSocket routes (`websocket.perMessageDeflate`).
 *
 *   node bench/servers/wirecore.ts --port 3000 [--deflate]     bun …     deno run -A …
 */
import process from "node:process";
import { createApp } from "../../examples/app.ts";
import { peerArgs } from "../peers/args.ts";
import { runtimeServe } from "./runtime-serve.ts";
import { workerIndex } from "../../adapters/workers.ts";

const { port, idleTimeoutSeconds, deflate, workers } = peerArgs(process.argv.slice(2));
const serve = await runtimeServe();
const server = serve(createApp(), {
  port,
  hostname: "127.0.0.1",
  keepAliveTimeout: idleTimeoutSeconds * 1000,
  // The native peers have no connection cap; idle-100k opens 100 000 beside the warm-up's.
  maxConnections: 1_000_000,
  // `--workers N`: N processes with SO_REUSEPORT (docs/workers.md); the primary prints the one `listening on` line.
  ...(workers > 1 ? { workers } : {}),
  ...(deflate ? { websocket: { perMessageDeflate: true } } : {}),
});
await server.ready;
if (workerIndex() === undefined) console.log(`listening on ${server.url}`);
for (const signal of ["SIGINT", "SIGTERM"] as const) process.once(signal, () => process.exit(0));
