/**
 * A watchdog for load-generator runs. A generator once hung at start-up (a process with no
 * socket, every thread waiting, no CPU) and the bench waited for it for minutes; now every run
 * gets a deadline — its own duration plus a margin — and past it the run is aborted (its child
 * killed through the signal) and tried once more. A second hang fails the run; a retry is
 * reported so the row can say so in its notes.
 */

/** What a generator run may take beyond its own duration: start-up, connecting, the summary. */
export const WATCHDOG_MARGIN_MS = 20_000;

/** The deadline of a run that lasts `durationMs` (plus any unmeasured warm-up of its own). */
export function watchdogLimit(durationMs: number, margin: number = WATCHDOG_MARGIN_MS): number {
  return durationMs + margin;
}

/** A run under the watchdog's eye: it must stop (kill its child) when `signal` aborts. */
export type WatchedRun<T> = (signal: AbortSignal) => Promise<T>;

/** The outcome of a watched run: its value, and a note when it had to be retried. */
export interface Watched<T> {
  value: T;
  /** "… hung …: killed and retried once", or null when the first attempt finished in time. */
  retried: string | null;
}

/** The error of a run that hung on both attempts. */
export class WatchdogError extends Error {
  override name = "WatchdogError";
}

/** Resolves with `attempt`'s value, or with `hung` once `limitMs` passed (aborting `attempt`). */
async function once<T>(attempt: WatchedRun<T>, limitMs: number): Promise<{ value: T } | "hung"> {
  const controller = new AbortController();
  let timer: ReturnType<typeof setTimeout> | undefined;
  const deadline = new Promise<"hung">((resolve) => {
    timer = setTimeout(() => {
      controller.abort(new WatchdogError(`no result within ${limitMs} ms`));
      resolve("hung");
    }, limitMs);
  });
  // A synchronous throw becomes a rejection: the timer is cleared either way.
  const running = new Promise<T>((resolve) => resolve(attempt(controller.signal))).then((value) => ({ value }));
  try {
    const first = await Promise.race([running, deadline]);
    // An attempt that rejects because it was aborted comes too late to matter.
    if (first === "hung") running.catch(() => {});
    return first;
  } finally {
    clearTimeout(timer);
  }
}

/**
 * Run `attempt` with a deadline of `limitMs`; past it, abort it and try once more. An error the
 * attempt throws by itself (before the deadline) is not retried: only a hang is.
 */
export async function watchdog<T>(what: string, limitMs: number, attempt: WatchedRun<T>): Promise<Watched<T>> {
  const first = await once(attempt, limitMs);
  if (first !== "hung") return { value: first.value, retried: null };
  const second = await once(attempt, limitMs);
  if (second === "hung") {
    throw new WatchdogError(`${what} hung twice: no result within ${seconds(limitMs)} s, killed both times`);
  }
  return {
    value: second.value,
    retried: `${what} hung (no result within ${seconds(limitMs)} s): killed and retried once`,
  };
}

function seconds(ms: number): string {
  return (ms / 1000).toLocaleString("en-US", { maximumFractionDigits: 1 });
}
