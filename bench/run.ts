/**
 * The benchmark matrix: runtimes × scenarios × {wirecore, native peer}, back to back in one run.
 *
 *   npm run bench                      # everything (about a quarter of an hour)
 *   npm run bench -- --quick           # everything, fewer and shorter runs (about 3 minutes)
 *   npm run bench -- --runtime bun --scenario plaintext,pipelined
 *
 * Writes bench/results/latest.json and bench/results/latest.svg. Method: bench/README.md.
 */
import { mkdirSync, writeFileSync } from "node:fs";
import { platform, release } from "node:os";
import { join } from "node:path";
import process from "node:process";
import { parseDuration } from "./load/args.ts";
import { openIdle, runBuiltin, type RunResult, runWrk } from "./matrix/generators.ts";
import { checkH2c, runH2load } from "./matrix/h2load.ts";
import { Child, installCleanup, killAll, type Placement } from "./matrix/procs.ts";
import {
  type IdleScenario,
  type LoadScenario,
  type LoadSpec,
  type Peer,
  type RoutesScenario,
  type Scenario,
  SCENARIOS,
} from "./matrix/scenarios.ts";
import { median, spreadPercent, sumErrors } from "./matrix/stats.ts";
import { type ChartGroup, ratioChart } from "./matrix/svg.ts";
import {
  cpuModel,
  fdLimits,
  findH2load,
  findRuntime,
  findWrk,
  pinning,
  ROOT,
  rssKb,
  type RuntimeInfo,
  type RuntimeName,
  RUNTIMES,
} from "./matrix/system.ts";
import { middleRoute } from "./servers/routes-table.ts";

// ─── Settings ─────────────────────────────────────────────────────────────────────────────────

interface Settings {
  quick: boolean;
  runs: number;
  durationMs: number;
  warmupMs: number;
  idleRuns: number;
  generator: "auto" | "builtin";
  loadRuntime: RuntimeName;
  markdown: boolean;
  runtimes: RuntimeName[];
  scenarios: string[];
  /** --runs / --duration given: they win over a scenario's own quick settings. */
  explicitRuns: boolean;
  explicitDuration: boolean;
}

const HELP = `usage: npm run bench -- [options]

  --quick                 fewer, shorter runs: the whole matrix in under 3 minutes
  --runtime R[,R]         node, bun, deno (repeatable; default all)
  --scenario S[,S]        ${SCENARIOS.map((s) => s.name).join(", ")}
                          (a prefix before "-" picks a family: ws-echo = every ws-echo-*)
  --runs N                measured runs per row (default 3; quick 2, routes-scaling 1)
  --duration T            per run (default 5s; quick 1s, ws-echo-* and h2 0.5s; wrk rounds to whole seconds,
                          h2load adds ¼ of it, ≤ 1 s, of unmeasured warm-up to each run)
  --warmup T              before the runs of each server (default 2s; quick 0.25s)
  --generator G           auto (wrk when on PATH, default) or builtin; h2 always uses h2load
  --load-runtime R        runtime of the built-in generator (default node)
  --markdown              also print a summary table in Markdown (for bench/README.md)`;

function parseSettings(argv: readonly string[]): Settings {
  const quick = argv.includes("--quick");
  const s: Settings = {
    quick,
    runs: quick ? 2 : 3,
    durationMs: quick ? 1000 : 5000,
    warmupMs: quick ? 250 : 2000,
    idleRuns: quick ? 1 : 3,
    generator: "auto",
    loadRuntime: "node",
    markdown: false,
    runtimes: [],
    scenarios: [],
    explicitRuns: false,
    explicitDuration: false,
  };
  const die = (message: string): never => {
    console.error(`bench: ${message}\n\n${HELP}`);
    process.exit(2);
  };
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i]!;
    const value = (): string => argv[++i] ?? die(`${a} needs a value`);
    switch (a) {
      case "--quick":
        break;
      case "--markdown":
        s.markdown = true;
        break;
      case "-h":
      case "--help":
        console.log(HELP);
        process.exit(0);
        break;
      case "--runtime":
        for (const r of value().split(",")) {
          if (!(RUNTIMES as readonly string[]).includes(r)) die(`unknown runtime ${r}`);
          s.runtimes.push(r as RuntimeName);
        }
        break;
      case "--scenario":
        for (const name of value().split(",")) {
          const family = SCENARIOS.filter((x) => x.name === name || x.name.startsWith(`${name}-`));
          if (family.length === 0) die(`unknown scenario ${name}`);
          const exact = family.find((x) => x.name === name);
          for (const x of exact ? [exact] : family) if (!s.scenarios.includes(x.name)) s.scenarios.push(x.name);
        }
        break;
      case "--runs": {
        const n = Number(value());
        if (!Number.isInteger(n) || n < 1) die("--runs needs a positive integer");
        s.runs = n;
        s.idleRuns = n;
        s.explicitRuns = true;
        break;
      }
      case "--duration":
        s.durationMs = parseDuration(value()) ?? die("bad --duration");
        s.explicitDuration = true;
        break;
      case "--warmup":
        s.warmupMs = parseDuration(value()) ?? die("bad --warmup");
        break;
      case "--generator": {
        const g = value();
        if (g !== "auto" && g !== "builtin") die("--generator is auto or builtin");
        s.generator = g as "auto" | "builtin";
        break;
      }
      case "--load-runtime": {
        const r = value();
        if (!(RUNTIMES as readonly string[]).includes(r)) die(`unknown runtime ${r}`);
        s.loadRuntime = r as RuntimeName;
        break;
      }
      default:
        die(`unknown argument ${a}`);
    }
  }
  if (s.runtimes.length === 0) s.runtimes = [...RUNTIMES];
  if (s.scenarios.length === 0) s.scenarios = SCENARIOS.map((x) => x.name);
  return s;
}

// ─── Rows ─────────────────────────────────────────────────────────────────────────────────────

type ServerKind = "wirecore" | "native";

/** One idle-memory run. */
interface IdleRun {
  kbPerConn: number;
  rssBeforeKb: number;
  rssAfterKb: number;
  /** Idle connections open when the memory was read. */
  open: number;
  good: number;
  errors: Record<string, number>;
}

/** One row of a table: a server on a runtime in a scenario (and variant). */
interface Row {
  scenario: string;
  /** "10 routes" for routes-scaling; "" elsewhere. */
  variant: string;
  runtime: RuntimeName;
  server: ServerKind;
  /** The native server's name where a scenario names its peers (h2: "node:http2", "Bun.serve"). */
  peer?: string;
  /** Which load generator measured the row. */
  generator: string;
  unit: "req/s" | "msg/s" | "MB/s" | "KB/conn";
  lowerIsBetter: boolean;
  /** Median of the runs' headline number. */
  value: number | null;
  spreadPercent: number | null;
  /** Medians of the runs' latency percentiles, ms. */
  p50: number | null;
  p99: number | null;
  /** Medians of the runs' mean and max latency, ms, where the generator has no percentiles (h2load). */
  mean: number | null;
  max: number | null;
  errors: Record<string, number>;
  /** Errors the built-in generator found while warming up (it verifies every response). */
  warmupErrors: Record<string, number>;
  runs: (RunResult | IdleRun)[];
  notes: string[];
  skipped?: string;
}

function emptyRow(scenario: string, variant: string, runtime: RuntimeName, server: ServerKind, unit: Row["unit"]): Row {
  return {
    scenario,
    variant,
    runtime,
    server,
    generator: "—",
    unit,
    lowerIsBetter: unit === "KB/conn",
    value: null,
    spreadPercent: null,
    p50: null,
    p99: null,
    mean: null,
    max: null,
    errors: {},
    warmupErrors: {},
    runs: [],
    notes: [],
  };
}

function finishLoadRow(row: Row): void {
  const runs = row.runs as RunResult[];
  const values = runs.map((r) => (row.unit === "MB/s" ? r.mbps : r.rps));
  row.value = median(values);
  row.spreadPercent = spreadPercent(values);
  const withMean = runs.filter((r) => r.mean !== undefined);
  if (withMean.length > 0) {
    // h2load: mean and max, no percentiles.
    row.mean = median(withMean.map((r) => r.mean!));
    row.max = median(withMean.map((r) => r.max));
  } else {
    // wrk now and then reports no latency at all for a short run (all percentiles 0): leave those out.
    const timed = runs.filter((r) => r.p99 !== null && r.p99 > 0);
    if (timed.length < runs.length) {
      row.notes.push(
        `${
          runs.length - timed.length
        } of ${runs.length} runs came without latencies from wrk (a known wrk bug with pipelining, wg/wrk#236)`,
      );
    }
    row.p50 = median(timed.map((r) => r.p50!));
    row.p99 = median(timed.map((r) => r.p99!));
  }
  row.errors = sumErrors(runs.map((r) => r.errors));
  const reconnects = runs.reduce((n, r) => n + r.reconnects, 0);
  if (reconnects > 0) {
    row.notes.push(`the server closed connections: ${reconnects} reconnects over ${runs.length} runs`);
  }
}

// ─── Context ──────────────────────────────────────────────────────────────────────────────────

interface Context {
  settings: Settings;
  pin: ReturnType<typeof pinning>;
  wrk: { path: string; version: string } | null;
  /** h2load for the h2 scenario, or why it is not there. */
  h2load: { path: string; version: string } | string;
  loadRuntime: RuntimeInfo;
  builtinName: string;
  fd: { soft: number; hard: number };
}

const log = (message: string): void => void process.stderr.write(message + "\n");
const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

/** Placement for the server (CPU 0) or the generator (CPU 1), with room for `fds` descriptors. */
function placement(ctx: Context, role: "server" | "generator", fds: number): Placement {
  const p: Placement = { taskset: ctx.pin.taskset, cpu: role === "server" ? 0 : 1 };
  const need = fds + 256;
  if (ctx.fd.soft < need) p.fdLimit = Math.min(need, ctx.fd.hard);
  return p;
}

const PEERS: Record<RuntimeName, string> = {
  node: "bench/peers/node-http.ts",
  bun: "bench/peers/bun-serve.ts",
  deno: "bench/peers/deno-serve.ts",
};

/** The body of `GET /` on every bench server. */
const HELLO = "Hello, World!";

/** "wirecore", "native", or the named peer: "native node:http2". */
const label = (row: Row): string => (row.peer === undefined ? row.server : `${row.server} ${row.peer}`);

function serverCommand(rt: RuntimeInfo, script: string, extra: string[] = []): string[] {
  return [...rt.command, script, "--port", "0", "--idle-timeout", "120", ...extra];
}

interface RunningServer {
  child: Child;
  port: number;
}

async function startServer(command: string[], place: Placement): Promise<RunningServer> {
  const child = new Child(command, place);
  try {
    const line = await child.waitLine((l) => /listening on http:\/\/127\.0\.0\.1:\d+/.test(l), 30_000, "server start");
    return { child, port: Number(/127\.0\.0\.1:(\d+)/.exec(line)![1]) };
  } catch (error) {
    await child.kill();
    throw error;
  }
}

/**
 * wrk drives HTTP/1.1 loads when present; WebSocket loads always go to the built-in generator,
 * HTTP/2 loads to h2load (their rows are skipped without it).
 */
function generatorFor(ctx: Context, spec: LoadSpec): string {
  if (spec.h2 !== undefined) return typeof ctx.h2load === "string" ? "—" : ctx.h2load.version;
  return ctx.wrk !== null && spec.ws === undefined ? ctx.wrk.version : ctx.builtinName;
}

/** The unmeasured start of each h2load run (connections up, HPACK tables filled): ¼ of it, ≤ 1 s. */
const h2RunWarmUp = (durationMs: number): number => Math.min(1000, Math.round(durationMs / 4));

function measure(ctx: Context, port: number, spec: LoadSpec, durationMs: number): Promise<RunResult> {
  const target = { port, spec, durationMs };
  const place = placement(ctx, "generator", spec.connections);
  if (spec.h2 !== undefined) {
    if (typeof ctx.h2load === "string") throw new Error(ctx.h2load);
    return runH2load(ctx.h2load.path, target, place, h2RunWarmUp(durationMs));
  }
  return ctx.wrk !== null && spec.ws === undefined
    ? runWrk(ctx.wrk.path, target, place)
    : runBuiltin(ctx.loadRuntime.command, target, place);
}

/**
 * Warm up with the built-in generator, which also verifies every response: its errors and the
 * connections the server closed go into the row, whichever generator measures it afterwards.
 */
async function warmUp(ctx: Context, port: number, spec: LoadSpec, row: Row): Promise<void> {
  if (ctx.settings.warmupMs <= 0) return;
  if (spec.h2 !== undefined) return warmUpH2(ctx, port, spec, row);
  let r: RunResult;
  try {
    r = await runBuiltin(
      ctx.loadRuntime.command,
      { port, spec, durationMs: ctx.settings.warmupMs },
      placement(ctx, "generator", spec.connections),
    );
  } catch (error) {
    row.notes.push(`warm-up failed: ${String((error as Error).message).split("\n")[0]}`);
    log(String((error as Error).message));
    return;
  }
  row.warmupErrors = sumErrors([row.warmupErrors, r.errors]);
  if (r.reconnects > 0 && ctx.wrk !== null && spec.ws === undefined) {
    row.notes.push(
      `warm-up: the server closed ${r.reconnects} connections in ${
        ctx.settings.warmupMs / 1000
      } s (wrk reconnects silently)`,
    );
  }
}

/**
 * HTTP/2: h2load for the warm-up (the built-in generator speaks no HTTP/2); its failed requests
 * go into the row's warm-up errors. The body was checked once before (checkH2c).
 */
async function warmUpH2(ctx: Context, port: number, spec: LoadSpec, row: Row): Promise<void> {
  if (typeof ctx.h2load === "string") return;
  try {
    const r = await runH2load(
      ctx.h2load.path,
      { port, spec, durationMs: ctx.settings.warmupMs },
      placement(ctx, "generator", spec.connections),
    );
    row.warmupErrors = sumErrors([row.warmupErrors, r.errors]);
  } catch (error) {
    row.notes.push(`warm-up failed: ${String((error as Error).message).split("\n")[0]}`);
    log(String((error as Error).message));
  }
}

/** Measured runs per row: the setting, or the scenario's own with --quick. */
function runsFor(ctx: Context, scenario: Scenario): number {
  const q = scenario.quick?.runs;
  return ctx.settings.quick && !ctx.settings.explicitRuns && q !== undefined ? q : ctx.settings.runs;
}

/** Duration of a measured run: the setting, or the scenario's own with --quick. */
function durationFor(ctx: Context, scenario: Scenario): number {
  const q = scenario.quick?.durationMs;
  return ctx.settings.quick && !ctx.settings.explicitDuration && q !== undefined ? q : ctx.settings.durationMs;
}

function fmtValue(v: number, unit: Row["unit"]): string {
  if (unit === "MB/s") return v.toLocaleString("en-US", { maximumFractionDigits: v < 100 ? 1 : 0 });
  if (unit === "KB/conn") return v.toLocaleString("en-US", { maximumFractionDigits: 2 });
  return Math.round(v).toLocaleString("en-US");
}

// ─── Scenarios ────────────────────────────────────────────────────────────────────────────────

function unitOf(scenario: Scenario): Row["unit"] {
  if (scenario.kind === "idle") return "KB/conn";
  if (scenario.kind === "load" && scenario.metric === "MB/s") return "MB/s";
  if (scenario.kind === "load" && scenario.metric === "msg/s") return "msg/s";
  return "req/s";
}

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
  return [{ kind: "wirecore", script: "bench/servers/wirecore.ts", args }, ...natives];
}

async function runLoadScenario(ctx: Context, scenario: LoadScenario, rt: RuntimeInfo): Promise<Row[]> {
  const unit = unitOf(scenario);
  const kinds = contenders(scenario, rt.name);
  const rows = kinds.map((k) => {
    const row = emptyRow(scenario.name, "", rt.name, k.kind, unit);
    if (k.peer !== undefined) row.peer = k.peer;
    return row;
  });
  const h2 = scenario.spec.h2 !== undefined;
  if (h2 && typeof ctx.h2load === "string") {
    // Never silently: every row says why, and so does the log.
    log(`  ${scenario.name} · ${rt.name}: skipped, ${ctx.h2load}`);
    for (const row of rows) row.skipped = ctx.h2load;
    return rows;
  }
  const missing = scenario.nativeMissing?.[rt.name];
  const servers: (RunningServer | null)[] = [];
  try {
    // All servers up at once (the idle ones cost nothing), then their runs alternate, so
    // drift in the machine's state spreads evenly over them.
    const started = await Promise.allSettled(
      kinds.map((k) =>
        k.kind === "native" && missing !== undefined
          ? Promise.reject(new Error(missing))
          : startServer(serverCommand(rt, k.script, k.args), placement(ctx, "server", scenario.spec.connections))
      ),
    );
    started.forEach((s, i) => {
      if (s.status === "fulfilled") servers.push(s.value);
      else if (kinds[i]!.kind === "native" && missing !== undefined) {
        servers.push(null);
        rows[i]!.skipped = missing;
      } else {
        servers.push(null);
        rows[i]!.skipped = `server did not start: ${String((s.reason as Error).message).split("\n")[0]}`;
        log(String((s.reason as Error).message));
      }
    });
    if (h2) {
      // h2load counts statuses, not bodies: one GET / over h2c, checked, before any load.
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
    // Warm both at once: the generator has its own CPU, and the servers share theirs.
    await Promise.all(
      servers.map(async (server, i) => {
        if (server) await warmUp(ctx, server.port, scenario.spec, rows[i]!);
      }),
    );
    const runs = runsFor(ctx, scenario);
    for (let run = 0; run < runs; run++) {
      for (let i = 0; i < rows.length; i++) {
        const server = servers[i];
        const row = rows[i]!;
        if (!server) continue;
        try {
          const r = await measure(ctx, server.port, scenario.spec, durationFor(ctx, scenario));
          row.runs.push(r);
          row.generator = generatorFor(ctx, scenario.spec);
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
          row.notes.push(`run ${run + 1} failed: ${String((error as Error).message).split("\n")[0]}`);
          log(String((error as Error).message));
        }
      }
    }
  } finally {
    await Promise.all(servers.map((s) => s?.child.kill()));
  }
  for (const row of rows) if (!row.skipped) finishLoadRow(row);
  return rows;
}

async function runIdleScenario(ctx: Context, scenario: IdleScenario, rt: RuntimeInfo): Promise<Row[]> {
  let count = scenario.connections;
  const rows: Row[] = [];
  const kinds: [ServerKind, string][] = [["wirecore", "bench/servers/wirecore.ts"], ["native", PEERS[rt.name]]];
  for (const [kind] of kinds) rows.push(emptyRow(scenario.name, "", rt.name, kind, "KB/conn"));
  if (ctx.fd.hard < count + 256) {
    count = Math.max(100, ctx.fd.hard - 256);
    for (const row of rows) {
      row.notes.push(
        `open-file hard limit ${ctx.fd.hard}: measured with ${count} connections instead of ${scenario.connections}`,
      );
    }
  }
  const warmSpec: LoadSpec = {
    method: "GET",
    path: scenario.path,
    variants: 1,
    bodySize: 0,
    connections: 16,
    pipeline: 1,
  };
  for (let run = 0; run < ctx.settings.idleRuns; run++) {
    for (let i = 0; i < kinds.length; i++) {
      const row = rows[i]!;
      if (row.skipped) continue;
      let server: RunningServer | null = null;
      try {
        // A fresh server per run: its memory before the connections is the baseline.
        server = await startServer(serverCommand(rt, kinds[i]![1]), placement(ctx, "server", count));
        const warm = await runBuiltin(ctx.loadRuntime.command, {
          port: server.port,
          spec: warmSpec,
          durationMs: Math.min(500, Math.max(200, ctx.settings.warmupMs)),
        }, placement(ctx, "generator", 16));
        row.warmupErrors = sumErrors([row.warmupErrors, warm.errors]);
        const settle = ctx.settings.quick ? 300 : 1000;
        await sleep(settle);
        const before = rssKb(server.child.pid);
        const idle = await openIdle(
          ctx.loadRuntime.command,
          server.port,
          scenario.path,
          count,
          placement(ctx, "generator", count),
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
        row.runs.push(r);
        row.generator = `${ctx.builtinName} (idle)`;
        if (open < count) {
          row.notes.push(
            `run ${
              run + 1
            }: only ${open} of ${count} connections open when measured (${report.closedByServer} closed by the server)`,
          );
        }
        log(
          `  idle-memory · ${rt.name} · ${row.server} run ${run + 1}/${ctx.settings.idleRuns}: RSS ${
            (before / 1024).toFixed(1)
          } → ${(after / 1024).toFixed(1)} MiB over ${open} connections = ${r.kbPerConn.toFixed(2)} KB/conn`,
        );
      } catch (error) {
        row.notes.push(`run ${run + 1} failed: ${String((error as Error).message).split("\n")[0]}`);
        log(String((error as Error).message));
      } finally {
        await server?.child.kill();
      }
    }
  }
  for (const row of rows) {
    const runs = row.runs as IdleRun[];
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
  return rows;
}

const ROUTES_SKIP =
  "no native router to scale (node:http and Deno.serve have none; Bun.serve routes not measured): ratio n/a";

async function runRoutesScenario(ctx: Context, scenario: RoutesScenario, rt: RuntimeInfo): Promise<Row[]> {
  const rows: Row[] = [];
  for (const size of scenario.sizes) {
    const variant = `${size.toLocaleString("en-US")} routes`;
    const row = emptyRow(scenario.name, variant, rt.name, "wirecore", "req/s");
    const spec: LoadSpec = { ...scenario.spec, path: middleRoute(size) };
    let server: RunningServer | null = null;
    try {
      server = await startServer(
        serverCommand(rt, "bench/servers/routes.ts", ["--routes", String(size)]),
        placement(ctx, "server", spec.connections),
      );
      await warmUp(ctx, server.port, spec, row);
      const runs = runsFor(ctx, scenario);
      for (let run = 0; run < runs; run++) {
        const r = await measure(ctx, server.port, spec, durationFor(ctx, scenario));
        row.runs.push(r);
        row.generator = generatorFor(ctx, spec);
        log(
          `  routes-scaling · ${rt.name} · ${variant} run ${run + 1}/${runs}: ${
            fmtValue(r.rps, "req/s")
          } req/s (${spec.path})`,
        );
      }
    } catch (error) {
      row.notes.push(`failed: ${String((error as Error).message).split("\n")[0]}`);
      log(String((error as Error).message));
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

// ─── Output ───────────────────────────────────────────────────────────────────────────────────

interface Ratio {
  scenario: string;
  variant: string;
  runtime: RuntimeName;
  /** The native peer's name where the scenario names its peers (h2); one ratio per peer then. */
  peer?: string;
  /** wirecore ÷ native of the headline number; null when either is missing. */
  ratio: number | null;
  lowerIsBetter: boolean;
}

/** The native rows a wirecore row is compared with: one, or one per named peer (h2). */
function nativesOf(rows: readonly Row[], w: Row): Row[] {
  return rows.filter((r) =>
    r.server === "native" && r.scenario === w.scenario && r.runtime === w.runtime &&
    (r.variant === w.variant || r.variant === "")
  );
}

function ratios(rows: readonly Row[]): Ratio[] {
  const out: Ratio[] = [];
  for (const w of rows) {
    if (w.server !== "wirecore") continue;
    const natives = nativesOf(rows, w);
    for (const n of natives.length === 0 ? [undefined] : natives) {
      // A memory growth ≤ 0 is below the noise floor: no meaningful ratio.
      const ok = w.value !== null && n !== undefined && n.value !== null && n.value > 0 &&
        (!w.lowerIsBetter || w.value > 0);
      const r: Ratio = {
        scenario: w.scenario,
        variant: w.variant,
        runtime: w.runtime,
        ratio: ok ? w.value! / n!.value! : null,
        lowerIsBetter: w.lowerIsBetter,
      };
      if (n?.peer !== undefined) r.peer = n.peer;
      out.push(r);
    }
  }
  return out;
}

function table(headers: string[], body: string[][], right: boolean[]): string {
  const widths = headers.map((h, i) => Math.max(h.length, ...body.map((r) => (r[i] ?? "").length)));
  const line = (cells: string[]): string =>
    cells.map((c, i) => (right[i] ? c.padStart(widths[i]!) : c.padEnd(widths[i]!))).join("  ").trimEnd();
  return [line(headers), line(widths.map((w) => "─".repeat(w))), ...body.map(line)].join("\n");
}

function errorText(errors: Record<string, number>): string {
  const entries = Object.entries(errors);
  if (entries.length === 0) return "0";
  return entries.map(([k, v]) => `${v} ${k}`).join(", ");
}

/**
 * One table per scenario. The ratio sits on the wirecore row; where the scenario names its peers
 * (h2, two of them on Bun) it sits on each native row instead: wirecore ÷ that server.
 */
function printScenario(scenario: Scenario, rows: readonly Row[], rs: readonly Ratio[]): void {
  const unit = rows.find((r) => !r.skipped)?.unit ?? unitOf(scenario);
  const idle = scenario.kind === "idle";
  const named = scenario.kind === "load" && scenario.peers !== undefined;
  const meanLatency = scenario.kind === "load" && scenario.spec.h2 !== undefined;
  const latencyHeaders = idle ? ["RSS before→after", "open"] : meanLatency ? ["mean", "max"] : ["p50", "p99"];
  const ratioHeader = named ? "wirecore÷this" : "wirecore÷native";
  const headers = [
    "runtime",
    "server",
    ...(scenario.kind === "routes" ? ["routes"] : []),
    "generator",
    unit,
    "spread",
    ...latencyHeaders,
    "errors",
    ratioHeader,
  ];
  const right = headers.map((h) =>
    [unit, "spread", "p50", "p99", "mean", "max", "open", ratioHeader, "routes"].includes(h)
  );
  const body: string[][] = [];
  const notes: string[] = [];
  for (const row of rows) {
    const ratio = named
      ? rs.find((r) =>
        r.scenario === row.scenario && r.runtime === row.runtime && row.server === "native" && r.peer === row.peer
      )
      : rs.find((r) =>
        r.scenario === row.scenario && r.runtime === row.runtime && r.variant === row.variant &&
        row.server === "wirecore"
      );
    const cells: string[] = [row.runtime, label(row)];
    if (scenario.kind === "routes") cells.push(row.variant.replace(" routes", "") || "—");
    if (row.skipped) {
      body.push([...cells, "—", "skipped", "", "", "", "", ""]);
      // One reason for the whole table (no h2load) is said once.
      const same = rows.every((r) => r.skipped === row.skipped);
      notes.push(same ? `every row: ${row.skipped}` : `${row.runtime} ${label(row)}: ${row.skipped}`);
      continue;
    }
    cells.push(
      row.generator,
      row.value === null ? "—" : fmtValue(row.value, row.unit),
      row.spreadPercent === null ? "—" : `${row.spreadPercent.toFixed(1)}%`,
    );
    if (idle) {
      const runs = row.runs as IdleRun[];
      const before = median(runs.map((r) => r.rssBeforeKb));
      const after = median(runs.map((r) => r.rssAfterKb));
      cells.push(
        before === null ? "—" : `${(before / 1024).toFixed(1)}→${(after! / 1024).toFixed(1)} MiB`,
        String(median(runs.map((r) => r.open)) ?? "—"),
      );
    } else if (meanLatency) {
      cells.push(
        row.mean === null ? "—" : `${row.mean.toFixed(2)} ms`,
        row.max === null ? "—" : `${row.max.toFixed(2)} ms`,
      );
    } else {
      cells.push(
        row.p50 === null ? "—" : `${row.p50.toFixed(2)} ms`,
        row.p99 === null ? "—" : `${row.p99.toFixed(2)} ms`,
      );
    }
    cells.push(errorText(row.errors));
    cells.push(ratio ? (ratio.ratio === null ? "n/a" : ratio.ratio.toFixed(2)) : "");
    body.push(cells);
    for (const n of row.notes) {
      notes.push(`${row.runtime} ${label(row)}${row.variant ? ` (${row.variant})` : ""}: ${n}`);
    }
    const warm = Object.keys(row.warmupErrors);
    if (warm.length > 0) {
      const by = meanLatency ? "h2load during warm-up counted" : "built-in verification during warm-up found";
      notes.push(`${row.runtime} ${label(row)}: ${by} ${errorText(row.warmupErrors)}`);
    }
  }
  console.log(`\n${scenario.name} — ${scenario.title}`);
  console.log(table(headers, body, right));
  if (scenario.kind === "routes") {
    for (const rt of new Set(rows.map((r) => r.runtime))) {
      const mine = rows.filter((r) => r.runtime === rt && r.server === "wirecore" && r.value !== null);
      if (mine.length >= 2) {
        const first = mine[0]!;
        const last = mine[mine.length - 1]!;
        console.log(
          `  ${rt}: ${last.variant} run at ${
            ((last.value! / first.value!) * 100).toFixed(0)
          }% of the rate with ${first.variant}`,
        );
      }
    }
  }
  for (const n of new Set(notes)) console.log(`  note: ${n}`);
}

/** One Markdown table over every scenario: the medians side by side and the ratio. */
function markdownSummary(rows: readonly Row[], rs: readonly Ratio[]): string {
  const out = [
    "| scenario | runtime | wirecore | native | wirecore ÷ native | p99 wirecore / native | generator |",
    "| --- | --- | ---: | ---: | ---: | ---: | --- |",
  ];
  const p99 = (r: Row | undefined): string => (r?.p99 == null ? "—" : `${r.p99.toFixed(1)} ms`);
  // h2load has no percentiles: its rows give the mean, marked so.
  const mean = (r: Row | undefined): string => (r?.mean == null ? "—" : `${r.mean.toFixed(1)} ms`);
  for (const w of rows) {
    if (w.server !== "wirecore") continue;
    const natives = nativesOf(rows, w);
    for (const n of natives.length === 0 ? [undefined] : natives) {
      const ratio = rs.find((r) =>
        r.scenario === w.scenario && r.runtime === w.runtime && r.variant === w.variant && r.peer === n?.peer
      );
      const value = (r: Row | undefined): string =>
        r === undefined || r.skipped ? "—" : r.value === null ? "—" : `${fmtValue(r.value, r.unit)} ${r.unit}`;
      const name = w.variant
        ? `${w.scenario} (${w.variant})`
        : n?.peer !== undefined
        ? `${w.scenario} vs ${n.peer}`
        : w.scenario;
      const byMean = w.mean !== null || n?.mean != null;
      const latency = w.unit === "KB/conn"
        ? ""
        : byMean
        ? `${mean(w)} / ${n?.skipped ? "—" : mean(n)} (mean)`
        : `${p99(w)} / ${n?.skipped ? "—" : p99(n)}`;
      out.push(
        `| ${name} | ${w.runtime} | ${value(w)} | ${value(n)} | ${
          ratio?.ratio == null ? "n/a" : ratio.ratio.toFixed(2)
        } | ${latency} | ${w.generator} |`,
      );
    }
  }
  return out.join("\n");
}

const COLORS: Record<string, string> = { node: "#3c873a", bun: "#e0a030", deno: "#2b3a55" };

// ─── Main ─────────────────────────────────────────────────────────────────────────────────────

async function main(): Promise<void> {
  installCleanup();
  const settings = parseSettings(process.argv.slice(2));
  const started = Date.now();
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
  const ctx: Context = { settings, pin, wrk, h2load, loadRuntime, builtinName, fd: fdLimits() };
  const cpu = cpuModel();

  const versions = RUNTIMES.map((r) => {
    const info = infos.get(r)!;
    return typeof info === "string" ? `${r}: missing` : `${r} ${info.version}`;
  });
  console.log(`wirecore bench${settings.quick ? " --quick" : ""} — ${new Date().toISOString()}`);
  console.log(`CPU: ${cpu}, ${pin.cores} cores; ${pin.note}`);
  console.log(`runtimes: ${versions.join(", ")}`);
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

  const rows: Row[] = [];
  const selected = SCENARIOS.filter((s) => settings.scenarios.includes(s.name));
  for (const scenario of selected) {
    const scenarioStart = Date.now();
    log(`\n[${scenario.name}]`);
    const mine: Row[] = [];
    for (const name of settings.runtimes) {
      const info = infos.get(name)!;
      if (typeof info === "string") {
        for (const server of ["wirecore", "native"] as const) {
          const row = emptyRow(scenario.name, "", name, server, unitOf(scenario));
          row.skipped = info;
          mine.push(row);
        }
        continue;
      }
      if (scenario.kind === "load") mine.push(...(await runLoadScenario(ctx, scenario, info)));
      else if (scenario.kind === "idle") mine.push(...(await runIdleScenario(ctx, scenario, info)));
      else mine.push(...(await runRoutesScenario(ctx, scenario, info)));
    }
    rows.push(...mine);
    log(`[${scenario.name}] ${((Date.now() - scenarioStart) / 1000).toFixed(1)} s`);
    printScenario(scenario, mine, ratios(mine));
  }

  // ── files ──
  const rs = ratios(rows);
  const runtimeVersions: Record<string, string | null> = {};
  for (const r of RUNTIMES) {
    const info = infos.get(r)!;
    runtimeVersions[r] = typeof info === "string" ? null : info.version;
  }
  const outDir = join(ROOT, "bench", "results");
  mkdirSync(outDir, { recursive: true });
  const date = new Date().toISOString();
  const json = {
    schema: 1,
    date,
    quick: settings.quick,
    command: `npm run bench -- ${process.argv.slice(2).join(" ")}`.trim(),
    elapsedSeconds: Math.round((Date.now() - started) / 1000),
    settings: {
      runs: settings.runs,
      durationMs: settings.durationMs,
      warmupMs: settings.warmupMs,
      idleRuns: settings.idleRuns,
      runtimes: settings.runtimes,
      scenarios: settings.scenarios,
    },
    machine: {
      cpu,
      cores: pin.cores,
      os: `${platform()} ${release()}`,
      pinned: pin.taskset !== null,
      pinning: pin.note,
      openFiles: ctx.fd,
    },
    runtimes: runtimeVersions,
    generators: {
      wrk: wrk?.version ?? null,
      builtin: builtinName,
      h2load: typeof h2load === "string" ? null : h2load.version,
    },
    scenarios: selected,
    rows,
    ratios: rs,
  };
  writeFileSync(
    join(outDir, "latest.json"),
    JSON.stringify(json, (_k, v) => (v === Infinity ? "unlimited" : v), 2) + "\n",
  );

  const groups: ChartGroup[] = selected.flatMap((s): ChartGroup[] => {
    const mine = rs.filter((r) => r.scenario === s.name);
    const peers = s.kind === "load" ? s.peers : undefined;
    const bars = settings.runtimes.map((runtime) => {
      // routes-scaling has one ratio per table size; they are all n/a today. Named peers (h2):
      // the runtime's own server, the first of its list.
      const first = peers?.[runtime][0]?.name;
      const r = mine.find((x) =>
        x.runtime === runtime && x.ratio !== null && (first === undefined || x.peer === first)
      );
      return { runtime, ratio: r?.ratio ?? null };
    });
    const main: ChartGroup = {
      label: s.name,
      sublabel: s.kind === "idle"
        ? "KB/conn, lower is better"
        : peers !== undefined
        ? `${unitOf(s)}, vs own server`
        : unitOf(s),
      bars,
      reason: s.kind === "routes" ? "no native router" : "no result",
    };
    // A further group per peer beyond the first (h2 on Bun: node:http2), with only those bars.
    const extra = new Map<string, ChartGroup>();
    for (const runtime of settings.runtimes) {
      for (const peer of peers?.[runtime].slice(1) ?? []) {
        const g = extra.get(peer.name) ?? { label: s.name, sublabel: `vs ${peer.name}`, bars: [], reason: "no result" };
        const r = mine.find((x) => x.runtime === runtime && x.peer === peer.name);
        g.bars.push({ runtime, ratio: r?.ratio ?? null });
        extra.set(peer.name, g);
      }
    }
    return [main, ...extra.values()];
  });
  const svg = ratioChart(groups, {
    title: "wirecore ÷ the runtime's own server (HTTP/1.1, WebSocket, HTTP/2)",
    subtitle: `${date.slice(0, 10)} · ${cpu} · ${
      pin.taskset !== null ? "server and generator pinned to one CPU each" : "not pinned"
    } · ${settings.quick ? "--quick" : `${settings.runs} runs`} · ${versions.join(", ")}`,
    runtimes: settings.runtimes,
    colors: COLORS,
    footnote:
      "Bars above the line: wirecore is faster than the runtime's own server (idle-memory: below the line, it uses less memory per connection). Medians of repeated runs; details in latest.json.",
  });
  writeFileSync(join(outDir, "latest.svg"), svg);
  if (settings.markdown) console.log(`\n${markdownSummary(rows, rs)}`);
  console.log(`\nwrote bench/results/latest.json and bench/results/latest.svg in ${json.elapsedSeconds} s`);
}

try {
  await main();
} finally {
  killAll();
}
