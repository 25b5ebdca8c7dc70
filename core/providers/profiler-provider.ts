/**
 * What core asks of a runtime for profiling: a CPU profile of the running process and a heap
 * snapshot. Each adapter passes its runtime's as `ServeOptions.profiler` (node:inspector on Node
 * and Deno, Bun's own on Bun); the `profiler()` middleware reads it from `c.services`. Nothing is
 * loaded or started until the middleware asks.
 * @module
 */

/** One function of a CPU profile (Chrome DevTools `Profiler.ProfileNode`). */
export interface CpuProfileNode {
  readonly id: number;
  readonly callFrame: {
    readonly functionName: string;
    readonly scriptId: string;
    readonly url: string;
    readonly lineNumber: number;
    readonly columnNumber: number;
  };
  readonly hitCount?: number;
  readonly children?: readonly number[];
}

/** A CPU profile in the `.cpuprofile` format (Chrome DevTools `Profiler.Profile`). */
export interface CpuProfile {
  readonly nodes: readonly CpuProfileNode[];
  /** Microseconds, on the profiler's clock. */
  readonly startTime: number;
  readonly endTime: number;
  /** The node id of each sample, in order. */
  readonly samples?: readonly number[];
  /** Microseconds between consecutive samples. */
  readonly timeDeltas?: readonly number[];
}

/** A runtime's profiler. A member that is absent means the runtime cannot do it. */
export interface ProfilerProvider {
  /** The runtime, for messages (`"node"`, `"bun"`, `"deno"`). */
  readonly runtime: string;
  /**
   * Sample the CPU for `durationMs`, then resolve with the profile. Aborting `signal` stops early
   * and rejects. One profile at a time: the caller serialises.
   */
  cpuProfile?(durationMs: number, signal: AbortSignal): Promise<CpuProfile>;
  /**
   * A heap snapshot in the `.heapsnapshot` JSON format, as a stream of UTF-8 chunks. The engine
   * takes the snapshot with the thread stopped, so the process pauses while it is made.
   */
  heapSnapshot?(): ReadableStream<Uint8Array>;
}
