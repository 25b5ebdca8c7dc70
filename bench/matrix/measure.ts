/**
 * Measuring one row: which generator drives a load (wrk, h2load or the built-in one), the
 * warm-up before the runs, and one measured run — every generator run under the watchdog
 * (watchdog.ts), a retry said in the row's notes.
 */
import { type GeneratorTarget, runBuiltin, type RunResult, runWrk } from "./generators.ts";
import { runH2load } from "./h2load.ts";
import { log } from "./log.ts";
import { placement, type RunPlan } from "./run-plan.ts";
import { label, noteFailure, type Row } from "./rows.ts";
import type { LoadSpec } from "./scenarios.ts";
import { sumErrors } from "./stats.ts";
import { watchdog, watchdogLimit, type WatchedRun } from "./watchdog.ts";

/**
 * Run one generator (`what`, e.g. "wrk 4.1.0") under the watchdog; a retry goes into the row's
 * notes and the log, prefixed with the `phase` ("run 2", "warm-up").
 */
export async function watched<T>(
  row: Row,
  phase: string,
  what: string,
  limitMs: number,
  run: WatchedRun<T>,
): Promise<T> {
  const { value, retried } = await watchdog(what, limitMs, run);
  if (retried !== null) {
    row.notes.push(`${phase}: ${retried}`);
    log(`  ${row.scenario} · ${row.runtime} · ${label(row)} ${phase}: ${retried}`);
  }
  return value;
}

/**
 * wrk drives HTTP/1.1 loads when present; WebSocket loads always go to the built-in generator,
 * HTTP/2 loads to h2load (their rows are skipped without it).
 */
export function generatorFor(plan: RunPlan, spec: LoadSpec): string {
  if (spec.h2 !== undefined) return typeof plan.h2load === "string" ? "—" : plan.h2load.version;
  return plan.wrk !== null && spec.ws === undefined ? plan.wrk.version : plan.builtinName;
}

/** The unmeasured start of each h2load run (connections up, HPACK tables filled): ¼ of it, ≤ 1 s. */
const h2RunWarmUp = (durationMs: number): number => Math.min(1000, Math.round(durationMs / 4));

/**
 * How long a generator runs for a run of `durationMs`: h2load adds its warm-up, wrk rounds to
 * whole seconds (at least one; the watchdog's margin covers the rounding up).
 */
function generatorMs(spec: LoadSpec, durationMs: number): number {
  return spec.h2 !== undefined ? durationMs + h2RunWarmUp(durationMs) : Math.max(1000, durationMs);
}

/** One measured run (`run` counts from 1) of `spec` against the server on `port`. */
export function measure(
  plan: RunPlan,
  port: number,
  spec: LoadSpec,
  durationMs: number,
  row: Row,
  run: number,
): Promise<RunResult> {
  const place = placement(plan, "generator", spec.connections, spec.unpinned);
  return watched(
    row,
    `run ${run}`,
    generatorFor(plan, spec),
    watchdogLimit(generatorMs(spec, durationMs)),
    (signal) => {
      const target: GeneratorTarget = { port, spec, durationMs, signal };
      if (spec.h2 !== undefined) {
        if (typeof plan.h2load === "string") throw new Error(plan.h2load);
        return runH2load(plan.h2load.path, target, place, h2RunWarmUp(durationMs));
      }
      return plan.wrk !== null && spec.ws === undefined
        ? runWrk(plan.wrk.path, target, place)
        : runBuiltin(plan.loadRuntime.command, target, place);
    },
  );
}

/**
 * Warm up with the built-in generator, which also verifies every response: its errors and the
 * connections the server closed go into the row, whichever generator measures it afterwards.
 */
export async function warmUp(plan: RunPlan, port: number, spec: LoadSpec, row: Row): Promise<void> {
  const durationMs = plan.settings.warmupMs;
  if (durationMs <= 0) return;
  if (spec.h2 !== undefined) return warmUpH2(plan, port, spec, row);
  let r: RunResult;
  try {
    r = await watched(
      row,
      "warm-up",
      plan.builtinName,
      watchdogLimit(durationMs),
      (signal) =>
        runBuiltin(
          plan.loadRuntime.command,
          { port, spec, durationMs, signal },
          placement(plan, "generator", spec.connections, spec.unpinned),
        ),
    );
  } catch (error) {
    noteFailure(row, "warm-up failed", error);
    return;
  }
  row.warmupErrors = sumErrors([row.warmupErrors, r.errors]);
  if (r.reconnects > 0 && plan.wrk !== null && spec.ws === undefined) {
    row.notes.push(
      `warm-up: the server closed ${r.reconnects} connections in ${durationMs / 1000} s (wrk reconnects silently)`,
    );
  }
}

/**
 * HTTP/2: h2load for the warm-up (the built-in generator speaks no HTTP/2); its failed requests
 * go into the row's warm-up errors. The body was checked once before (checkH2c).
 */
async function warmUpH2(plan: RunPlan, port: number, spec: LoadSpec, row: Row): Promise<void> {
  const h2load = plan.h2load;
  if (typeof h2load === "string") return;
  const durationMs = plan.settings.warmupMs;
  try {
    const r = await watched(
      row,
      "warm-up",
      h2load.version,
      watchdogLimit(durationMs),
      (signal) =>
        runH2load(
          h2load.path,
          { port, spec, durationMs, signal },
          placement(plan, "generator", spec.connections, spec.unpinned),
        ),
    );
    row.warmupErrors = sumErrors([row.warmupErrors, r.errors]);
  } catch (error) {
    noteFailure(row, "warm-up failed", error);
  }
}
