/**
 * CPU profiles and heap snapshots over `node:inspector` (https://nodejs.org/api/inspector.html),
 * the Chrome DevTools Protocol's `Profiler` and `HeapProfiler` domains in the process itself. Node
 * and Deno implement both domains; Bun implements `Profiler` only (oven-sh/bun#25939), so the Bun
 * adapter reuses {@link inspectorCpuProfile} and makes heap snapshots its own way.
 *
 * `node:inspector` is imported on first use: an app that never profiles never loads it.
 * @module
 */
import type { CpuProfile, ProfilerProvider } from "../core/mod.ts";

type InspectorModule = typeof import("node:inspector");
type Session = InstanceType<InspectorModule["Session"]>;

let inspector: Promise<InspectorModule> | null = null;

async function openSession(): Promise<Session> {
  const { Session } = await (inspector ??= import("node:inspector"));
  const session = new Session();
  session.connect();
  return session;
}

/** `session.post` as a promise (the callback form: Bun and Deno have no `node:inspector/promises` parity). */
function post(session: Session, method: string, params: object = {}): Promise<unknown> {
  return new Promise((resolve, reject) => {
    // deno-lint-ignore no-explicit-any
    (session.post as any)(method, params, (error: Error | null, result: unknown) => {
      if (error) reject(error);
      else resolve(result);
    });
  });
}

/** Resolves after `ms`, or as soon as `signal` aborts. */
function delay(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    if (signal.aborted) return resolve();
    const done = (): void => {
      clearTimeout(timer);
      signal.removeEventListener("abort", done);
      resolve();
    };
    const timer = setTimeout(done, ms);
    signal.addEventListener("abort", done);
  });
}

/** Sample the CPU for `durationMs` with the inspector's `Profiler` domain (1 ms sampling interval). */
export async function inspectorCpuProfile(durationMs: number, signal: AbortSignal): Promise<CpuProfile> {
  const session = await openSession();
  try {
    await post(session, "Profiler.enable");
    await post(session, "Profiler.start");
    await delay(durationMs, signal);
    const { profile } = (await post(session, "Profiler.stop")) as { profile: CpuProfile };
    await post(session, "Profiler.disable");
    signal.throwIfAborted();
    return profile;
  } finally {
    session.disconnect();
  }
}

/**
 * A heap snapshot from `HeapProfiler.takeHeapSnapshot`: the engine hands it over in chunks
 * (`HeapProfiler.addHeapSnapshotChunk`), each passed on as it comes. `HeapProfiler.enable` goes
 * first: without it Deno never answers the snapshot request.
 */
export function inspectorHeapSnapshot(): ReadableStream<Uint8Array> {
  const encoder = new TextEncoder();
  let session: Session | null = null;
  return new ReadableStream<Uint8Array>({
    async start(controller) {
      try {
        session = await openSession();
        session.on("HeapProfiler.addHeapSnapshotChunk", (message: { params: { chunk: string } }) => {
          controller.enqueue(encoder.encode(message.params.chunk));
        });
        await post(session, "HeapProfiler.enable");
        await post(session, "HeapProfiler.takeHeapSnapshot", { reportProgress: false });
        await post(session, "HeapProfiler.disable");
        controller.close();
      } catch (error) {
        controller.error(error);
      } finally {
        session?.disconnect();
      }
    },
  });
}

/** The profiler of a runtime whose `node:inspector` has both domains (Node, Deno). */
export function inspectorProfiler(runtime: string): ProfilerProvider {
  return { runtime, cpuProfile: inspectorCpuProfile, heapSnapshot: inspectorHeapSnapshot };
}
