/**
 * The plan of a bench run: the settings, the runtimes and load generators found on this machine,
 * where each process runs (pinned, with enough file descriptors), how many runs of what length
 * each scenario gets, and the header that states all of it before the first table.
 */
import { log } from "./log.ts";
import type { Placement } from "./procs.ts";
import { type Scenario, SCENARIOS } from "./scenarios.ts";
import type { Settings } from "./settings.ts";
import {
  cpuModel,
  fdLimits,
  findH2load,
  findRuntime,
  findWrk,
  pinning,
  type RuntimeInfo,
  type RuntimeName,
  RUNTIMES,
} from "./system.ts";

/** What a run uses, found once before the first scenario. */
export interface RunPlan {
  settings: Settings;
  pin: ReturnType<typeof pinning>;
  wrk: { path: string; version: string } | null;
  /** h2load for the h2 scenario, or why it is not there. */
  h2load: { path: string; version: string } | string;
  loadRuntime: RuntimeInfo;
  builtinName: string;
  fd: { soft: number; hard: number };
  /** Every runtime: how to run it, or why it is missing. */
  runtimes: Map<RuntimeName, RuntimeInfo | string>;
  cpu: string;
}

/** Find the runtimes and generators for `settings`; the built-in generator falls back to Node. */
export function makePlan(settings: Settings): RunPlan {
  const pin = pinning();
  const wrk = settings.generator === "auto" ? findWrk() : null;
  const infos = new Map<RuntimeName, RuntimeInfo | string>(RUNTIMES.map((r) => [r, findRuntime(r)]));
  let loadRuntime = infos.get(settings.loadRuntime)!;
  if (typeof loadRuntime === "string") {
    log(`bench: the built-in generator cannot run on ${settings.loadRuntime} (${loadRuntime}); using node`);
    loadRuntime = infos.get("node") as RuntimeInfo;
  }
  const builtinName = `built-in (${loadRuntime.name} ${loadRuntime.version})`;
  const h2load = findH2load();
  return { settings, pin, wrk, h2load, loadRuntime, builtinName, fd: fdLimits(), runtimes: infos, cpu: cpuModel() };
}

/** "node 24.1.0", or "deno: missing", per runtime. */
export function runtimeVersions(plan: RunPlan): string[] {
  return RUNTIMES.map((r) => {
    const info = plan.runtimes.get(r)!;
    return typeof info === "string" ? `${r}: missing` : `${r} ${info.version}`;
  });
}

/** The header: machine, runtimes, generators, runs; and the scenarios' own --quick budgets. */
export function printPlan(plan: RunPlan): void {
  const { settings, pin, wrk, h2load, builtinName } = plan;
  console.log(`wirecore bench${settings.quick ? " --quick" : ""} — ${new Date().toISOString()}`);
  console.log(`CPU: ${plan.cpu}, ${pin.cores} cores; ${pin.note}`);
  console.log(`runtimes: ${runtimeVersions(plan).join(", ")}`);
  console.log(
    wrk !== null
      ? `load generator: ${wrk.version} (1 thread) for the HTTP/1.1 load scenarios; ${builtinName} for warm-up (it verifies every response), idle-memory and WebSocket`
      : `load generator: ${builtinName} for everything (${
        settings.generator === "builtin" ? "--generator builtin" : "wrk is not on PATH"
      })`,
  );
  if (settings.scenarios.includes("h2")) {
    console.log(
      typeof h2load === "string"
        ? `HTTP/2: ${h2load}`
        : `HTTP/2: ${h2load.version} (1 thread, h2c by prior knowledge; ¼ of each run, ≤ 1 s, unmeasured warm-up) for h2`,
    );
  }
  console.log(
    `runs: ${settings.runs} × ${settings.durationMs / 1000} s per row after ${
      settings.warmupMs / 1000
    } s warm-up (median, spread = (max−min)/median); idle-memory ${settings.idleRuns} run(s)`,
  );
  const own = SCENARIOS.filter((x) => settings.scenarios.includes(x.name) && x.quick !== undefined);
  if (settings.quick && own.length > 0 && !(settings.explicitRuns && settings.explicitDuration)) {
    const describe = (x: Scenario): string => {
      const parts: string[] = [];
      if (x.quick!.runs !== undefined && !settings.explicitRuns) {
        parts.push(`${x.quick!.runs} run${x.quick!.runs === 1 ? "" : "s"}`);
      }
      if (x.quick!.durationMs !== undefined && !settings.explicitDuration) {
        parts.push(`${x.quick!.durationMs / 1000} s per run`);
      }
      return parts.length === 0 ? "" : `${x.name} ${parts.join(", ")}`;
    };
    const text = own.map(describe).filter((t) => t !== "").join("; ");
    if (text !== "") console.log(`quick budget: ${text}`);
  }
}

/**
 * Placement for the server (CPU 0) or the generator (CPU 1), with room for `fds` descriptors; `unpinned` (a
 * multi-process server): on every CPU.
 */
export function placement(plan: RunPlan, role: "server" | "generator", fds: number, unpinned = false): Placement {
  const p: Placement = { taskset: unpinned ? null : plan.pin.taskset, cpu: role === "server" ? 0 : 1 };
  const need = fds + 256;
  if (plan.fd.soft < need) p.fdLimit = Math.min(need, plan.fd.hard);
  return p;
}

/** Measured runs per row: the setting, or the scenario's own with --quick. */
export function runsFor(plan: RunPlan, scenario: Scenario): number {
  const q = scenario.quick?.runs;
  return plan.settings.quick && !plan.settings.explicitRuns && q !== undefined ? q : plan.settings.runs;
}

/** Duration of a measured run: the setting, or the scenario's own with --quick. */
export function durationFor(plan: RunPlan, scenario: Scenario): number {
  const q = scenario.quick?.durationMs;
  return plan.settings.quick && !plan.settings.explicitDuration && q !== undefined ? q : plan.settings.durationMs;
}
