/**
 * The profiler on Bun. CPU profiles come from Bun's `node:inspector` `Profiler` domain, which
 * returns the `.cpuprofile` format (oven-sh/bun#25939, Bun ≥ 1.4). Its `HeapProfiler` domain is
 * missing ("'HeapProfiler.takeHeapSnapshot' wasn't found"), so heap snapshots come from
 * `Bun.generateHeapSnapshot("v8", "arraybuffer")`
 * (https://bun.com/reference/bun/generateHeapSnapshot): the V8 `.heapsnapshot` JSON that Chrome
 * DevTools loads, made in one piece and sent in slices.
 * @module
 */
import type { ProfilerProvider } from "../../core/mod.ts";
import { inspectorCpuProfile } from "../inspector-profiler.ts";

const SLICE = 64 * 1024;

function bunHeapSnapshot(): ReadableStream<Uint8Array> {
  let bytes: Uint8Array | null = null;
  let at = 0;
  return new ReadableStream<Uint8Array>({
    pull(controller) {
      bytes ??= new Uint8Array(Bun.generateHeapSnapshot("v8", "arraybuffer"));
      const end = Math.min(at + SLICE, bytes.length);
      controller.enqueue(bytes.subarray(at, end));
      at = end;
      if (at === bytes.length) controller.close();
    },
  });
}

/** CPU profiles and heap snapshots on Bun. */
export const bunProfiler: ProfilerProvider = {
  runtime: "bun",
  cpuProfile: inspectorCpuProfile,
  heapSnapshot: bunHeapSnapshot,
};
