import process from "node:process";
import type { Server } from "../core/server/server.ts";
import type { ServeOptions } from "../core/server/options.ts";
import { ServeError } from "../core/server/serve-error.ts";
import type { App } from "../core/app/app.ts";
import { createApp, optionsFromArgs, portFromArgs, UsageError } from "./app.ts";
import { ensureSiteAssets } from "./site-assets.ts";
import { connectRedisBackplane, type RedisServeOptions, redisUrlFromArgs } from "./redis-backplane.ts";
import { workerIndex } from "../adapters/workers.ts";

/** `--workers N` (N ≥ 1) or `--workers auto` from the command line; absent: one process. */
export function workersFromArgs(args: readonly string[]): number | "auto" | undefined {
  const at = args.indexOf("--workers");
  if (at < 0) return undefined;
  const text = args[at + 1];
  if (text === "auto") return text;
  const value = text === undefined || !/^\d+$/.test(text) ? Number.NaN : Number(text);
  if (!Number.isInteger(value) || value < 1 || value > 1024) {
    throw new UsageError(
      `invalid --workers ${JSON.stringify(text ?? "")}: expected an integer from 1 to 1024 or "auto"`,
    );
  }
  return value;
}

/**
 * Start the reference app with a runtime's `serve`, print where, shut down on SIGINT/SIGTERM.
 * A server that cannot start (bad `--port`, address in use, …) prints one line and exits 1:
 * the same words on every runtime, and no stack trace for what is not a bug. With `--redis URL`
 * (or `REDIS_URL`) the WebSocket topics (the `/chat` room) are shared with every server given it.
 */
export async function runExample(serve: (app: App, options: ServeOptions) => Server): Promise<Server> {
  let server: Server;
  let redis: RedisServeOptions | null = null;
  try {
    const port = portFromArgs(process.argv);
    const workers = workersFromArgs(process.argv);
    const appOptions = optionsFromArgs(process.argv, process.env);
    const redisUrl = redisUrlFromArgs(process.argv, process.env);
    if (redisUrl !== null) redis = await connectRedisBackplane(redisUrl);
    server = serve(createApp(appOptions), { port, hostname: "127.0.0.1", workers, ...redis?.options });
    await server.ready;
  } catch (error) {
    if (error instanceof ServeError || error instanceof UsageError) {
      // A worker's failure reaches its primary, which says it once.
      if (workerIndex() === undefined) console.error(`wirecore: ${error.message}`);
      process.exit(1);
    }
    throw error;
  }
  // The site's generated files (large.bin, fresh .gz/.br siblings), made before "listening" is
  // printed and only once the port is ours: a start that fails still prints its one line.
  // With --workers, the primary speaks for them all (and makes the files once); a worker says nothing.
  if (workerIndex() === undefined) {
    try {
      ensureSiteAssets();
    } catch (error) {
      console.error(`wirecore: examples/public/ is incomplete: ${(error as Error).message}`);
    }
    console.log(`listening on ${server.url}`);
  }
  for (const signal of ["SIGINT", "SIGTERM"] as const) {
    process.once(signal, () => void server.shutdown().then(() => redis?.close()).then(() => process.exit(0)));
  }
  return server;
}
