/**
 * The benchmark matrix: runtimes × scenarios × {wirecore, native peer}, back to back in one run.
 *
 *   npm run bench                      # everything (about a quarter of an hour)
 *   npm run bench -- --quick           # everything, fewer and shorter runs (about 3 minutes)
 *   npm run bench -- --runtime bun --scenario plaintext,pipelined
 *
 * Writes bench/results/latest.json and bench/results/latest.svg. Method: bench/README.md. The
 * steps live in bench/matrix/: the options (settings.ts), what runs where (run-plan.ts), a
 * scenario on a runtime (run-*-scenario.ts, measuring through measure.ts, every generator run
 * under a watchdog: watchdog.ts), the tables (report.ts) and the files (results-files.ts).
 */
import process from "node:process";
import { log } from "./matrix/log.ts";
import { installCleanup, killAll } from "./matrix/procs.ts";
import { ratios } from "./matrix/ratios.ts";
import { markdownSummary, printScenario } from "./matrix/report.ts";
import { writeResults } from "./matrix/results-files.ts";
import { emptyRow, type Row, unitOf } from "./matrix/rows.ts";
import { runIdleScenario } from "./matrix/run-idle-scenario.ts";
import { runLoadScenario } from "./matrix/run-load-scenario.ts";
import { makePlan, printPlan, type RunPlan } from "./matrix/run-plan.ts";
import { runRoutesScenario } from "./matrix/run-routes-scenario.ts";
import { type Scenario, SCENARIOS } from "./matrix/scenarios.ts";
import { parseSettings } from "./matrix/settings.ts";
import type { RuntimeName } from "./matrix/system.ts";

async function main(): Promise<void> {
  installCleanup();
  const settings = parseSettings(process.argv.slice(2));
  const started = Date.now();
  const plan = makePlan(settings);
  printPlan(plan);
  const selected = SCENARIOS.filter((s) => settings.scenarios.includes(s.name));
  const rows = await runMatrix(plan, selected);
  const elapsedSeconds = writeResults(plan, selected, rows, started);
  if (settings.markdown) console.log(`\n${markdownSummary(rows, ratios(rows))}`);
  console.log(`\nwrote bench/results/latest.json and bench/results/latest.svg in ${elapsedSeconds} s`);
}

/** Every selected scenario on every selected runtime; each scenario's table printed once it is done. */
async function runMatrix(plan: RunPlan, selected: Scenario[]): Promise<Row[]> {
  const rows: Row[] = [];
  for (const scenario of selected) {
    const scenarioStart = Date.now();
    log(`\n[${scenario.name}]`);
    const mine: Row[] = [];
    for (const runtime of plan.settings.runtimes) mine.push(...(await runScenario(plan, scenario, runtime)));
    rows.push(...mine);
    log(`[${scenario.name}] ${((Date.now() - scenarioStart) / 1000).toFixed(1)} s`);
    printScenario(scenario, mine, ratios(mine));
  }
  return rows;
}

/** The rows of one scenario on one runtime; a missing runtime gives skipped rows that say why. */
function runScenario(plan: RunPlan, scenario: Scenario, runtime: RuntimeName): Promise<Row[]> {
  const info = plan.runtimes.get(runtime)!;
  if (typeof info === "string") {
    return Promise.resolve((["wirecore", "native"] as const).map((server) => {
      const row = emptyRow(scenario.name, "", runtime, server, unitOf(scenario));
      row.skipped = info;
      return row;
    }));
  }
  if (scenario.kind === "load") return runLoadScenario(plan, scenario, info);
  if (scenario.kind === "idle") return runIdleScenario(plan, scenario, info);
  return runRoutesScenario(plan, scenario, info);
}

try {
  await main();
} finally {
  killAll();
}
