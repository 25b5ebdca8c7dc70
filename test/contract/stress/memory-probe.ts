/**
 * The server's memory during a stress case. The server runs in this very process, so "server
 * memory" is this process's memory: sampled against a baseline, with collections forced where
 * the runtime allows, and bounded by the limits below.
 */
import assert from "node:assert/strict";
import process from "node:process";
import { setFlagsFromString } from "node:v8";
import { runInNewContext } from "node:vm";
import { envValue } from "./environment.ts";

export const MiB: number = 1024 * 1024;
/**
 * How much the process's RSS may grow over a case, against a baseline taken after a smaller
 * warm-up run of the same shape.
 *
 * Why 48 MiB: a server without backpressure keeps what it read but could not send. In each case
 * the client first reads nothing until the writer stalls, so such a server would hold about the
 * whole 50 MiB (more with the copy `onBody` makes of each chunk, and the responses queued for a
 * client that does not read), i.e. grow past this bound. A server with backpressure holds about
 * 64 KiB of queued body, a 64 KiB write queue and the shared 64 KiB sink; the rest of its growth
 * is floating garbage (every chunk passing through is a fresh array) and allocator slack. Forcing
 * a collection every 100 ms, the worst we saw was 16 MiB (Bun; Node and Deno stay under 6 MiB),
 * also with all three runtimes' suites running at once on 2 cores, so 48 MiB leaves ~3× that. The kernel's socket
 * buffers (up to 4 MiB send + 32 MiB receive per socket here) are not in the process.
 */
const GROWTH_LIMIT = 48 * MiB;
/**
 * Live memory (heap + array buffers, after a forced collection) at the moment the client stalls:
 * tight, because nothing but a few 64 KiB buffers per connection should be live then.
 */
const RETAINED_LIMIT = 16 * MiB;
const VERBOSE = envFlag("WIRECORE_STRESS_LOG");

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
    // no way to force a collection: the bounds below still hold, with more slack used
  }
  return null;
}

const IS_BUN = (globalThis as { Bun?: unknown }).Bun !== undefined;

/**
 * Live memory: the heap plus the array buffers outside it. The runtimes count differently: Bun's
 * `heapUsed` already includes array buffers; V8's does not, and Node reports them in
 * `arrayBuffers`, Deno in `external`.
 */
function liveBytes(): number {
  const m = process.memoryUsage();
  return IS_BUN ? m.heapUsed : m.heapUsed + Math.max(m.external ?? 0, m.arrayBuffers ?? 0);
}

/** Samples the process's memory every 50 ms against a baseline; reports peak growth. */
export class MemoryProbe {
  readonly label: string;
  readonly baseRss: number;
  readonly baseLive: number;
  peakRss = 0;
  /** Live bytes after a forced collection, at the moment the client stalled. */
  retained = -1;
  /** Peak RSS growth up to the stall. */
  stallGrowth = -1;
  #timer: ReturnType<typeof setInterval>;

  constructor(label: string) {
    this.label = label;
    collect?.();
    const m = process.memoryUsage();
    this.baseRss = m.rss;
    this.baseLive = liveBytes();
    this.peakRss = m.rss;
    let ticks = 0;
    this.#timer = setInterval(() => {
      this.sample();
      // A collection every 100 ms keeps floating garbage from passing for held memory.
      if (++ticks % 2 === 0) collect?.();
    }, 50);
  }

  sample(): void {
    const rss = process.memoryUsage().rss;
    if (rss > this.peakRss) this.peakRss = rss;
  }

  /** Note live memory now (after a collection when possible). */
  measureRetained(): void {
    this.sample();
    this.stallGrowth = this.peakRss - this.baseRss;
    collect?.();
    this.retained = Math.max(0, liveBytes() - this.baseLive);
  }

  get growth(): number {
    return this.peakRss - this.baseRss;
  }

  /** Stop sampling and assert the bounds. */
  finish(extra = ""): void {
    this.sample();
    clearInterval(this.#timer);
    const line = `${this.label}: rss ${mib(this.baseRss)} → peak ${mib(this.peakRss)} (growth ${mib(this.growth)})` +
      (this.stallGrowth >= 0 ? `, growth until stall ${mib(this.stallGrowth)}` : "") +
      (this.retained >= 0 ? `, retained at stall ${mib(this.retained)}${collect === null ? " (no gc)" : ""}` : "") +
      extra;
    if (VERBOSE) console.log(`[stress] ${line}`);
    assert.ok(this.growth < GROWTH_LIMIT, `${line}: RSS grew more than ${mib(GROWTH_LIMIT)}`);
    if (this.retained >= 0 && collect !== null) {
      assert.ok(this.retained < RETAINED_LIMIT, `${line}: more than ${mib(RETAINED_LIMIT)} still live at the stall`);
    }
  }

  stop(): void {
    clearInterval(this.#timer);
  }
}

export function mib(bytes: number): string {
  return `${(bytes / MiB).toFixed(1)} MiB`;
}

function envFlag(name: string): boolean {
  return envValue(name) !== "";
}
