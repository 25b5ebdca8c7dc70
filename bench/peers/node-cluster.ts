/**
 * The multi-core native peer on Node: `node:cluster` (round-robin: the primary accepts and hands each connection to a
 * worker) with N workers, each running a server script — `bench/peers/node-http.ts` by default, or another given with
 * `--serve` (wirecore's `bench/servers/wirecore.ts`, to compare cluster with wirecore's own SO_REUSEPORT workers).
 *
 *   node bench/peers/node-cluster.ts --port 0 --workers 2 [--serve bench/servers/wirecore.ts]
 */
import cluster from "node:cluster";
import process from "node:process";
import { peerArgs } from "./args.ts";

const argv = process.argv.slice(2);
const at = argv.indexOf("--serve");
const script = at < 0 ? "./node-http.ts" : new URL(`../../${argv[at + 1]}`, import.meta.url).href;

if (cluster.isPrimary) {
  const { workers } = peerArgs(argv);
  // Without `--workers` the server args pass through as they are; each worker's own `listening` line stays silent.
  const forwarded = argv.filter((_, i) => argv[i] !== "--workers" && argv[i - 1] !== "--workers");
  cluster.setupPrimary({ silent: true, args: forwarded });
  let listening = 0;
  cluster.on("listening", (_worker, address) => {
    if (++listening === Math.max(1, workers)) console.log(`listening on http://127.0.0.1:${address.port}`);
  });
  for (let i = 0; i < Math.max(1, workers); i++) cluster.fork();
  for (const signal of ["SIGINT", "SIGTERM"] as const) {
    process.once(signal, () => {
      for (const worker of Object.values(cluster.workers ?? {})) worker?.process.kill("SIGKILL");
      process.exit(0);
    });
  }
} else {
  await import(script);
}
