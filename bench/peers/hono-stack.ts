/**
 * The Hono app of bench/servers/middleware-stack.ts on the runtime's own server, as a Hono user
 * deploys it: `@hono/node-server` on Node, `Bun.serve({ fetch })` on Bun, `Deno.serve` on Deno.
 *
 *   node bench/peers/hono-stack.ts --port 3000     bun …     deno run -A …
 */
import process from "node:process";
import { peerArgs } from "./args.ts";
import { honoStack } from "../servers/middleware-stack.ts";

interface BunGlobal {
  serve(options: {
    hostname: string;
    port: number;
    idleTimeout: number;
    fetch(req: Request): Response | Promise<Response>;
  }): { readonly port: number };
}
interface DenoGlobal {
  serve(
    options: { hostname: string; port: number; onListen(addr: { port: number }): void },
    handler: (req: Request) => Response | Promise<Response>,
  ): unknown;
}

const { port, idleTimeoutSeconds } = peerArgs(process.argv.slice(2));
const app = honoStack();
const g = globalThis as { Bun?: BunGlobal; Deno?: DenoGlobal };
if (g.Bun !== undefined) {
  const server = g.Bun.serve({
    hostname: "127.0.0.1",
    port,
    idleTimeout: Math.min(255, idleTimeoutSeconds),
    fetch: app.fetch,
  });
  console.log(`listening on http://127.0.0.1:${server.port}`);
} else if (g.Deno !== undefined) {
  g.Deno.serve({
    hostname: "127.0.0.1",
    port,
    onListen: (addr) => console.log(`listening on http://127.0.0.1:${addr.port}`),
  }, app.fetch);
} else {
  const { serve } = await import("@hono/node-server");
  serve(
    { fetch: app.fetch, port, hostname: "127.0.0.1" },
    (info) => console.log(`listening on http://127.0.0.1:${info.port}`),
  );
}
for (const signal of ["SIGINT", "SIGTERM"] as const) process.once(signal, () => process.exit(0));
