/**
 * wirecore's native API with the middleware stack of bench/servers/middleware-stack.ts, on
 * whichever runtime runs it.
 *
 *   node bench/servers/wirecore-stack.ts --port 3000     bun …     deno run -A …
 */
import process from "node:process";
import { peerArgs } from "../peers/args.ts";
import { wirecoreStack } from "./middleware-stack.ts";
import { runtimeServe } from "./runtime-serve.ts";

const { port, idleTimeoutSeconds } = peerArgs(process.argv.slice(2));
const serve = await runtimeServe();
const server = serve(wirecoreStack(), { port, hostname: "127.0.0.1", keepAliveTimeout: idleTimeoutSeconds * 1000 });
await server.ready;
console.log(`listening on ${server.url}`);
for (const signal of ["SIGINT", "SIGTERM"] as const) process.once(signal, () => process.exit(0));
