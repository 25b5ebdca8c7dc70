/**
 * wirecore: a strict, fast HTTP server core that runs unchanged on Node, Bun and Deno.
 *
 * @example
 * ```ts
 * import { App } from "wirecore";
 * import { serve } from "wirecore/node"; // or "wirecore/bun", "wirecore/deno"
 *
 * const app = new App();
 * app.get("/", (c) => c.text("Hello, World!"));
 * await serve(app, { port: 3000 }).ready;
 * ```
 * @module
 */
export * from "./core/mod.ts";
