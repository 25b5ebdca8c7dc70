/**
 * Measuring one row: which generator drives a load (wrk, h2load or the built-in one), the
 * warm-up before the runs, and one measured run.
 */
import { runBuiltin, type RunResult, runWrk } from "./generators.ts";
import { runH2load } from "./h2load.ts";
import { placement, type RunPlan } from "./run-plan.ts";
import { noteFailure, type Row } from "./rows.ts";
import type { LoadSpec } from "./scenarios.ts";
import { sumErrors } from "./stats.ts";

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

/** One measured run of `spec` against the server on `port`. */
export function measure(plan: RunPlan, port: number, spec: LoadSpec, durationMs: number): Promise<RunResult> {
  const target = { port, spec, durationMs };
  const place = placement(plan, "generator", spec.connections);
  if (spec.h2 !== undefined) {
    if (typeof plan.h2load === "string") throw new Error(plan.h2load);
    return runH2load(plan.h2load.path, target, place, h2RunWarmUp(durationMs));
  }
  return plan.wrk !== null && spec.ws === undefined
    ? runWrk(plan.wrk.path, target, place)
    : runBuiltin(plan.loadRuntime.command, target, place);
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
    r = await runBuiltin(
      plan.loadRuntime.command,
      { port, spec, durationMs },
      placement(plan, "generator", spec.connections),
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
    const r = await runH2load(h2load.path, { port, spec, durationMs }, placement(plan, "generator", spec.connections));
    row.warmupErrors = sumErrors([row.warmupErrors, r.errors]);
  } catch (error) {
    noteFailure(row, "warm-up failed", error);
  }
}
