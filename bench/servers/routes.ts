/**
 * routes-scaling: wirecore with N registered routes, half static and half parametric (see
 * routes-table.ts), on whichever runtime runs it. The bench requests a parametric route
 * registered in the middle, so the lookup cost of a big table shows.
 *
 *   node bench/servers/routes.ts --routes 10000 --port 3000     bun …     deno run -A …
 */
import process from "node:process";
import { App } from "../../mod.ts";
import { peerArgs } from "../peers/args.ts";
import { routePattern } from "./routes-table.ts";
import { runtimeServe } from "./runtime-serve.ts";

const args = process.argv.slice(2);
const n = Number(args[args.indexOf("--routes") + 1]);
if (!args.includes("--routes") || !Number.isInteger(n) || n < 2) throw new Error("--routes needs an integer ≥ 2");
const { port, idleTimeoutSeconds } = peerArgs(args);

const app = new App();
for (let i = 0; i < n; i++) {
  const pattern = routePattern(i);
  if (i % 2 === 0) app.get(pattern, (c) => c.text(`list ${i}`));
  else app.get(pattern, (c) => c.json({ route: i, id: c.params.id }));
}
const serve = await runtimeServe();
const server = serve(app, { port, hostname: "127.0.0.1", keepAliveTimeout: idleTimeoutSeconds * 1000 });
await server.ready;
console.log(`listening on ${server.url} (${n} routes)`);
for (const signal of ["SIGINT", "SIGTERM"] as const) process.once(signal, () => process.exit(0));
