/**
 * The profiler on Deno: CPU profiles and heap snapshots over its `node:inspector`.
 * @module
 */
import type { ProfilerProvider } from "../../core/mod.ts";
import { inspectorProfiler } from "../inspector-profiler.ts";

/** CPU profiles and heap snapshots on Deno (`node:inspector` loads on first use). */
export const denoProfiler: ProfilerProvider = inspectorProfiler("deno");
