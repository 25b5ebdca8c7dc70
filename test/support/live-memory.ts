/**
 * Live memory of this process, and a way to force a full collection first: what the stress cases
 * bound and what `npm run soak` samples. RSS alone cannot tell a leak from a heap the collector
 * has not yet shrunk; the live bytes right after a forced collection can.
 */
import process from "node:process";
import { setFlagsFromString } from "node:v8";
import { runInNewContext } from "node:vm";

/** A full, synchronous collection, when the runtime lets us ask for one. */
export const collect: (() => void) | null = findGc();

function findGc(): (() => void) | null {
  const g = globalThis as { gc?: () => void; Bun?: { gc(force: boolean): void } };
  if (typeof g.gc === "function") return g.gc;
  const bun = g.Bun;
  if (bun !== undefined) return () => bun.gc(true);
  try {
    // V8 (Node, Deno): turn the flag on at run time and fetch `gc` from a fresh context.
    setFlagsFromString("--expose-gc");
    const gc: unknown = runInNewContext("gc");
    if (typeof gc === "function") return gc as () => void;
  } catch {
    // no way to force a collection: callers fall back to coarser measures
  }
  return null;
}

const IS_BUN = (globalThis as { Bun?: unknown }).Bun !== undefined;

/**
 * Live memory: the heap plus the array buffers outside it. The runtimes count differently: Bun's
 * `heapUsed` already includes array buffers; V8's does not, and Node reports them in
 * `arrayBuffers`, Deno in `external`.
 */
export function liveBytes(): number {
  const m = process.memoryUsage();
  return IS_BUN ? m.heapUsed : m.heapUsed + Math.max(m.external ?? 0, m.arrayBuffers ?? 0);
}
