/**
 * The server's memory during a stress case. The server runs in this very process, so "server
 * memory" is this process's memory: sampled against a baseline, with collections forced where
 * the runtime allows, and bounded by the limits below.
 */
import assert from "node:assert/strict";
import process from "node:process";
import { envValue } from "./environment.ts";
import { collect, liveBytes } from "../../support/live-memory.ts";

export { collect };

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
 *
 * Where a case stalls its client, the bound is on the growth up to the stall: that is where a
 * server without backpressure shows. After it the client reads everything at once, and the
 * drain's garbage adds allocator slack that Bun's allocator keeps in RSS (a 48 700-request flood:
 * 32.8 MiB at the stall, 48.2 MiB after the drain, 0.8 MiB live): the whole case gets twice the
 * bound.
 */
const GROWTH_LIMIT = 48 * MiB;
/**
 * Live memory (heap + array buffers, after a forced collection) at the moment the client stalls:
 * tight, because nothing but a few 64 KiB buffers per connection should be live then.
 */
const RETAINED_LIMIT = 16 * MiB;
const VERBOSE = envFlag("WIRECORE_STRESS_LOG");

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
    if (this.stallGrowth >= 0) {
      assert.ok(this.stallGrowth < GROWTH_LIMIT, `${line}: RSS grew more than ${mib(GROWTH_LIMIT)} until the stall`);
      assert.ok(this.growth < 2 * GROWTH_LIMIT, `${line}: RSS grew more than ${mib(2 * GROWTH_LIMIT)}`);
    } else assert.ok(this.growth < GROWTH_LIMIT, `${line}: RSS grew more than ${mib(GROWTH_LIMIT)}`);
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
