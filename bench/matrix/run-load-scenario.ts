/**
 * A load scenario on one runtime: wirecore and the native server(s) started together, checked
 * (h2c), warmed up, then measured in alternating runs.
 */
import { checkH2c } from "./h2load.ts";
import { log } from "./log.ts";
import { generatorFor, measure, warmUp } from "./measure.ts";
import { durationFor, placement, type RunPlan, runsFor } from "./run-plan.ts";
import {
  emptyRow,
  finishLoadRow,
  firstLine,
  fmtValue,
  label,
  noteFailure,
  type Row,
  type ServerKind,
  unitOf,
} from "./rows.ts";
import { type LoadScenario, type Peer, RAW_CEILING } from "./scenarios.ts";
import { PEERS, type RunningServer, serverCommand, startServer } from "./servers.ts";
import { cpuSeconds, type RuntimeInfo, type RuntimeName } from "./system.ts";

/** The body of `GET /` on every bench server. */
const HELLO = "Hello, World!";

/** A server of a load scenario: wirecore, or one of the native peers. */
interface Contender {
  kind: ServerKind;
  script: string;
  args: string[];
  /** The native peer's name, where the scenario names its peers. */
  peer?: string;
}

/** wirecore and the native server(s) of a load scenario on a runtime. */
function contenders(scenario: LoadScenario, rt: RuntimeName): Contender[] {
  const args = scenario.serverArgs ?? [];
  const peers: Peer[] | undefined = scenario.peers?.[rt];
  const natives: Contender[] = peers === undefined
    ? [{ kind: "native", script: PEERS[rt], args }]
    : peers.map((p) => ({ kind: "native", script: p.script, args: [...args, ...(p.args ?? [])], peer: p.name }));
  const wirecore: Contender = {
    kind: "wirecore",
    script: scenario.wirecoreScript ?? "bench/servers/wirecore.ts",
    args,
  };
  if (scenario.rawCeiling !== true) return [wirecore, ...natives];
  const raw = RAW_CEILING[rt];
  return [wirecore, ...natives, { kind: "raw", script: raw.script, args, peer: raw.name }];
}

/** The rows of `scenario` on `rt`: wirecore first, then the native server(s), then the raw ceiling. */
export async function runLoadScenario(plan: RunPlan, scenario: LoadScenario, rt: RuntimeInfo): Promise<Row[]> {
  const kinds = contenders(scenario, rt.name);
  const rows = kinds.map((k) => {
    const row = emptyRow(scenario.name, "", rt.name, k.kind, unitOf(scenario));
    if (k.peer !== undefined) row.peer = k.peer;
    return row;
  });
  if (scenario.spec.h2 !== undefined && typeof plan.h2load === "string") {
    // Never silently: every row says why, and so does the log.
    log(`  ${scenario.name} · ${rt.name}: skipped, ${plan.h2load}`);
    for (const row of rows) row.skipped = plan.h2load;
    return rows;
  }
  const servers: (RunningServer | null)[] = [];
  try {
    servers.push(...(await startContenders(plan, scenario, rt, kinds, rows)));
    if (scenario.spec.h2 !== undefined) await checkH2cAnswers(scenario, rt, servers, rows);
    // Warm both at once: the generator has its own CPU, and the servers share theirs.
    await Promise.all(
      servers.map(async (server, i) => {
        if (server) await warmUp(plan, server.port, scenario.spec, rows[i]!);
      }),
    );
    await measureAlternating(plan, scenario, rt, servers, rows);
  } finally {
    await Promise.all(servers.map((s) => s?.child.kill()));
  }
  for (const row of rows) if (!row.skipped) finishLoadRow(row);
  return rows;
}

/**
 * All servers up at once (the idle ones cost nothing), so that their runs can alternate and
 * drift in the machine's state spreads evenly over them. A server that did not start is null,
 * its row skipped with the reason.
 */
async function startContenders(
  plan: RunPlan,
  scenario: LoadScenario,
  rt: RuntimeInfo,
  kinds: Contender[],
  rows: Row[],
): Promise<(RunningServer | null)[]> {
  const missing = scenario.nativeMissing?.[rt.name];
  const started = await Promise.allSettled(
    kinds.map((k) =>
      k.kind === "native" && missing !== undefined ? Promise.reject(new Error(missing)) : startServer(
        serverCommand(rt, k.script, k.args),
        placement(plan, "server", scenario.spec.connections, scenario.spec.unpinned),
      )
    ),
  );
  return started.map((s, i) => {
    if (s.status === "fulfilled") return s.value;
    if (kinds[i]!.kind === "native" && missing !== undefined) {
      rows[i]!.skipped = missing;
    } else {
      rows[i]!.skipped = `server did not start: ${firstLine(s.reason)}`;
      log(String((s.reason as Error).message));
    }
    return null;
  });
}

/**
 * h2load counts statuses, not bodies: one GET / over h2c, checked, before any load. A server
 * that answers wrong is stopped (null) and its row skipped with what it answered.
 */
async function checkH2cAnswers(
  scenario: LoadScenario,
  rt: RuntimeInfo,
  servers: (RunningServer | null)[],
  rows: Row[],
): Promise<void> {
  await Promise.all(
    servers.map(async (server, i) => {
      if (!server) return;
      try {
        await checkH2c(server.port, scenario.spec.path, HELLO);
      } catch (error) {
        rows[i]!.skipped = `not measured: ${(error as Error).message}`;
        log(`  ${scenario.name} · ${rt.name} · ${label(rows[i]!)}: ${(error as Error).message}`);
        servers[i] = null;
        await server.child.kill();
      }
    }),
  );
}

/** The measured runs, the servers taking turns; a failed run is noted on its row. */
async function measureAlternating(
  plan: RunPlan,
  scenario: LoadScenario,
  rt: RuntimeInfo,
  servers: (RunningServer | null)[],
  rows: Row[],
): Promise<void> {
  const unit = unitOf(scenario);
  const runs = runsFor(plan, scenario);
  for (let run = 0; run < runs; run++) {
    for (let i = 0; i < rows.length; i++) {
      const server = servers[i];
      const row = rows[i]!;
      if (!server) continue;
      try {
        const cpuBefore = cpuSeconds(server.child.pid);
        const startedAt = performance.now();
        const r = await measure(plan, server.port, scenario.spec, durationFor(plan, scenario), row, run + 1);
        r.serverCpu = { seconds: cpuSeconds(server.child.pid) - cpuBefore, wallMs: performance.now() - startedAt };
        row.runs.push(r);
        row.generator = generatorFor(plan, scenario.spec);
        const errs = Object.values(r.errors).reduce((a, b) => a + b, 0);
        const latency = r.mean !== undefined
          ? `mean ${r.mean.toFixed(2)} ms`
          : r.p99 === null
          ? "no latency"
          : `p99 ${r.p99.toFixed(2)} ms`;
        log(
          `  ${scenario.name} · ${rt.name} · ${label(row)} run ${run + 1}/${runs}: ${
            fmtValue(unit === "MB/s" ? r.mbps : r.rps, unit)
          } ${unit}, ${latency}${errs > 0 ? `, ${errs} errors` : ""}`,
        );
      } catch (error) {
        noteFailure(row, `run ${run + 1} failed`, error);
      }
    }
  }
}
