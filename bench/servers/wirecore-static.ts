/**
 * wirecore serving the bench's static files (bench/servers/static-files.ts) at `/static/*` with
 * serveStatic, on whichever runtime runs it, with that runtime's file provider.
 *
 *   node bench/servers/wirecore-static.ts --port 3000     bun …     deno run -A …
 */
import process from "node:process";
import { App, serveStatic } from "../../mod.ts";
import { peerArgs } from "../peers/args.ts";
import { runtimeServe } from "./runtime-serve.ts";
import { ensureStaticFiles } from "./static-files.ts";

const { port, idleTimeoutSeconds } = peerArgs(process.argv.slice(2));
const root = ensureStaticFiles();
const serve = await runtimeServe();
const app = new App().get("/static/*", serveStatic({ root }));
const server = serve(app, { port, hostname: "127.0.0.1", keepAliveTimeout: idleTimeoutSeconds * 1000 });
await server.ready;
console.log(`listening on ${server.url}`);
for (const signal of ["SIGINT", "SIGTERM"] as const) process.once(signal, () => process.exit(0));
