/**
 * The profiler on Node: CPU profiles and heap snapshots over its `node:inspector`.
 * @module
 */
import type { ProfilerProvider } from "../../core/mod.ts";
import { inspectorProfiler } from "../inspector-profiler.ts";

/** CPU profiles and heap snapshots on Node (`node:inspector` loads on first use). */
export const nodeProfiler: ProfilerProvider = inspectorProfiler("node");
