/**
 * The idle-memory scenario on one runtime: a fresh server per run, warmed, then the growth of
 * its RSS over many idle keep-alive connections, per connection.
 */
import { openIdle, runBuiltin } from "./generators.ts";
import { log } from "./log.ts";
import { watched } from "./measure.ts";
import { placement, type RunPlan } from "./run-plan.ts";
import { median, spreadPercent, sumErrors } from "./stats.ts";
import { emptyRow, type IdleRun, noteFailure, type Row, type ServerKind } from "./rows.ts";
import type { IdleScenario, LoadSpec } from "./scenarios.ts";
import { PEERS, type RunningServer, serverCommand, startServer } from "./servers.ts";
import { rssKb, type RuntimeInfo } from "./system.ts";
import { watchdogLimit } from "./watchdog.ts";

const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

/** Opening the idle connections may take this long before the watchdog retries (10 000 take ~1 s). */
const IDLE_OPEN_LIMIT_MS = 60_000;

/** The rows of the idle-memory scenario on `rt`: wirecore and the native server. */
export async function runIdleScenario(plan: RunPlan, scenario: IdleScenario, rt: RuntimeInfo): Promise<Row[]> {
  const kinds: [ServerKind, string][] = [["wirecore", "bench/servers/wirecore.ts"], ["native", PEERS[rt.name]]];
  const rows = kinds.map(([kind]) => emptyRow(scenario.name, "", rt.name, kind, "KB/conn"));
  const count = connectionCount(plan, scenario, rows);
  for (let run = 0; run < plan.settings.idleRuns; run++) {
    for (let i = 0; i < kinds.length; i++) {
      const row = rows[i]!;
      if (row.skipped) continue;
      try {
        row.runs.push(await idleRun(plan, rt, kinds[i]![1], scenario.path, count, row, run + 1));
        row.generator = `${plan.builtinName} (idle)`;
      } catch (error) {
        noteFailure(row, `run ${run + 1} failed`, error);
      }
    }
  }
  for (const row of rows) finishIdleRow(row, scenario.connections);
  return rows;
}

/** The scenario's connections, or fewer where the open-file hard limit says so (noted on the rows). */
function connectionCount(plan: RunPlan, scenario: IdleScenario, rows: Row[]): number {
  if (plan.fd.hard >= scenario.connections + 256) return scenario.connections;
  const count = Math.max(100, plan.fd.hard - 256);
  for (const row of rows) {
    row.notes.push(
      `open-file hard limit ${plan.fd.hard}: measured with ${count} connections instead of ${scenario.connections}`,
    );
  }
  return count;
}

/**
 * One run (`run` counts from 1): a fresh server, so that its memory before the connections is
 * the baseline; warmed; then its RSS before and after `count` idle keep-alive connections.
 */
async function idleRun(
  plan: RunPlan,
  rt: RuntimeInfo,
  script: string,
  path: string,
  count: number,
  row: Row,
  run: number,
): Promise<IdleRun> {
  let server: RunningServer | null = null;
  try {
    server = await startServer(serverCommand(rt, script), placement(plan, "server", count));
    const port = server.port;
    const warmSpec: LoadSpec = { method: "GET", path, variants: 1, bodySize: 0, connections: 16, pipeline: 1 };
    const durationMs = Math.min(500, Math.max(200, plan.settings.warmupMs));
    const warm = await watched(
      row,
      `run ${run} warm-up`,
      plan.builtinName,
      watchdogLimit(durationMs),
      (signal) =>
        runBuiltin(
          plan.loadRuntime.command,
          { port, spec: warmSpec, durationMs, signal },
          placement(plan, "generator", 16),
        ),
    );
    row.warmupErrors = sumErrors([row.warmupErrors, warm.errors]);
    const settle = plan.settings.quick ? 300 : 1000;
    await sleep(settle);
    const before = rssKb(server.child.pid);
    const idle = await watched(
      row,
      `run ${run}`,
      `${plan.builtinName} opening ${count} idle connections`,
      IDLE_OPEN_LIMIT_MS,
      (signal) => openIdle(plan.loadRuntime.command, port, path, count, placement(plan, "generator", count), signal),
    );
    await sleep(settle + 200);
    const after = rssKb(server.child.pid);
    const report = await idle.report();
    await idle.close();
    if (before === null || after === null) throw new Error(`cannot read /proc/${server.child.pid}/status`);
    const open = report.open;
    const r: IdleRun = {
      kbPerConn: open > 0 ? (after - before) / open : 0,
      rssBeforeKb: before,
      rssAfterKb: after,
      open,
      good: report.good,
      errors: report.errors,
    };
    if (open < count) {
      row.notes.push(
        `run ${run}: only ${open} of ${count} connections open when measured (${report.closedByServer} closed by the server)`,
      );
    }
    log(
      `  idle-memory · ${rt.name} · ${row.server} run ${run}/${plan.settings.idleRuns}: RSS ${
        (before / 1024).toFixed(1)
      } → ${(after / 1024).toFixed(1)} MiB over ${open} connections = ${r.kbPerConn.toFixed(2)} KB/conn`,
    );
    return r;
  } finally {
    await server?.child.kill();
  }
}

/**
 * The median per-connection cost over the runs, what the runs say about it, and the server's RSS
 * at the scenario's connection count: measured, or — where the open-file limit allowed fewer —
 * scaled linearly from the measured cost per connection over the baseline.
 */
function finishIdleRow(row: Row, target: number): void {
  const runs = row.runs as IdleRun[];
  if (runs.length > 0) {
    const mib = (kb: number): string => (kb / 1024).toFixed(0);
    const at = median(runs.map((r) => r.rssBeforeKb + target * r.kbPerConn))!;
    const open = Math.min(...runs.map((r) => r.open));
    const how = open >= target ? "measured" : `scaled: ${open} connections measured, baseline + ${target} × KB/conn`;
    row.notes.push(`RSS with ${target} connections: ${mib(at)} MiB (${how})`);
  }
  row.value = median(runs.map((r) => r.kbPerConn));
  row.spreadPercent = spreadPercent(runs.map((r) => r.kbPerConn));
  row.errors = sumErrors(runs.map((r) => r.errors));
  if (runs.length === 0 && !row.skipped) row.skipped = "every run failed";
  if (runs.some((r) => r.kbPerConn <= 0)) {
    row.notes.push(
      "RSS did not grow: the garbage collector freed more than the connections took, so the per-connection cost is below this measurement's noise",
    );
  }
}
