/**
 * The `serve` of whichever runtime runs this file (wirecore's node, bun or deno adapter), so one
 * bench server entry works under all three.
 */
import type { ServeTarget } from "../../core/app/serve-target.ts";
import type { ServeOptions } from "../../core/server/options.ts";
import type { Server } from "../../core/server/server.ts";

/** The adapter `serve` function's type. */
export type ServeFunction = (target: ServeTarget, options?: ServeOptions) => Server;

/** Import the adapter for the current runtime. */
export async function runtimeServe(): Promise<ServeFunction> {
  const g = globalThis as { Bun?: unknown; Deno?: unknown };
  if (g.Bun !== undefined) return (await import("../../adapters/bun/mod.ts")).serve;
  if (g.Deno !== undefined) return (await import("../../adapters/deno/mod.ts")).serve;
  return (await import("../../adapters/node/mod.ts")).serve;
}
