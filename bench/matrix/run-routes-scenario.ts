/**
 * The routes-scaling scenario on one runtime: wirecore with route tables of growing size (no
 * native server has a router to compare with).
 */
import { generatorFor, measure, warmUp } from "./measure.ts";
import { log } from "./log.ts";
import { durationFor, placement, type RunPlan, runsFor } from "./run-plan.ts";
import { emptyRow, finishLoadRow, fmtValue, noteFailure, type Row } from "./rows.ts";
import type { LoadSpec, RoutesScenario } from "./scenarios.ts";
import { type RunningServer, serverCommand, startServer } from "./servers.ts";
import type { RuntimeInfo } from "./system.ts";
import { middleRoute } from "../servers/routes-table.ts";

const ROUTES_SKIP =
  "no native router to scale (node:http and Deno.serve have none; Bun.serve routes not measured): ratio n/a";

/** The rows of routes-scaling on `rt`: one per table size, and a native row that says why there is none. */
export async function runRoutesScenario(plan: RunPlan, scenario: RoutesScenario, rt: RuntimeInfo): Promise<Row[]> {
  const rows: Row[] = [];
  for (const size of scenario.sizes) {
    const variant = `${size.toLocaleString("en-US")} routes`;
    const row = emptyRow(scenario.name, variant, rt.name, "wirecore", "req/s");
    const spec: LoadSpec = { ...scenario.spec, path: middleRoute(size) };
    let server: RunningServer | null = null;
    try {
      server = await startServer(
        serverCommand(rt, "bench/servers/routes.ts", ["--routes", String(size)]),
        placement(plan, "server", spec.connections),
      );
      await warmUp(plan, server.port, spec, row);
      const runs = runsFor(plan, scenario);
      for (let run = 0; run < runs; run++) {
        const r = await measure(plan, server.port, spec, durationFor(plan, scenario), row, run + 1);
        row.runs.push(r);
        row.generator = generatorFor(plan, spec);
        log(
          `  routes-scaling · ${rt.name} · ${variant} run ${run + 1}/${runs}: ${
            fmtValue(r.rps, "req/s")
          } req/s (${spec.path})`,
        );
      }
    } catch (error) {
      noteFailure(row, "failed", error);
    } finally {
      await server?.child.kill();
    }
    finishLoadRow(row);
    if (row.runs.length === 0) row.skipped = "every run failed";
    rows.push(row);
  }
  const native = emptyRow(scenario.name, "", rt.name, "native", "req/s");
  native.skipped = ROUTES_SKIP;
  rows.push(native);
  return rows;
}
