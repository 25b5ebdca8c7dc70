import process from "node:process";
import type { Server } from "../core/server/server.ts";
import type { ServeOptions } from "../core/server/options.ts";
import type { App } from "../core/app/app.ts";
import { createApp, portFromArgs } from "./app.ts";

/** Start the reference app with a runtime's `serve`, print where, shut down on SIGINT/SIGTERM. */
export async function runExample(serve: (app: App, options: ServeOptions) => Server): Promise<Server> {
  const server = serve(createApp(), { port: portFromArgs(process.argv), hostname: "127.0.0.1" });
  await server.ready;
  console.log(`listening on ${server.url}`);
  for (const signal of ["SIGINT", "SIGTERM"] as const) {
    process.once(signal, () => void server.shutdown().then(() => process.exit(0)));
  }
  return server;
}
