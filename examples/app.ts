/**
 * The reference app: runtime-free, served by `node.ts`, `bun.ts` and `deno.ts`.
 */
import { App } from "../core/mod.ts";

/** Build the reference app. */
export function createApp(): App {
  const app = new App();
  app.get("/", (c) => c.text("Hello, World!"));
  app.get("/json", (c) => c.json({ message: "Hello, World!" }));
  app.get("/users/:id", (c) => c.json({ id: c.params.id }));
  // Streams the request body straight back: memory stays flat whatever the size.
  app.post("/echo", { bodyLimit: Number.POSITIVE_INFINITY }, (c) => {
    const type = c.req.header("content-type");
    if (type !== undefined) c.header("content-type", type);
    return c.body(c.req.body ?? "");
  });
  return app;
}

/** `--port N` from the command line, else the default. */
export function portFromArgs(args: readonly string[], fallback = 3000): number {
  const at = args.indexOf("--port");
  const value = at >= 0 ? Number(args[at + 1]) : fallback;
  if (!Number.isInteger(value) || value < 0 || value > 65535) throw new Error(`Invalid --port ${args[at + 1]}`);
  return value;
}
