/**
 * The rows of the result tables: one server on one runtime in one scenario (and variant), its
 * runs and what they add up to, and how a row is named and its numbers written.
 */
import type { RunResult } from "./generators.ts";
import { log } from "./log.ts";
import type { Scenario } from "./scenarios.ts";
import { median, spreadPercent, sumErrors } from "./stats.ts";
import type { RuntimeName } from "./system.ts";

/** "raw": the raw ceiling, a canned-response server on the socket API wirecore's adapter uses. */
export type ServerKind = "wirecore" | "native" | "raw";

/** One idle-memory run. */
export interface IdleRun {
  kbPerConn: number;
  rssBeforeKb: number;
  rssAfterKb: number;
  /** Idle connections open when the memory was read. */
  open: number;
  good: number;
  errors: Record<string, number>;
}

/** One row of a table: a server on a runtime in a scenario (and variant). */
export interface Row {
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
  /**
   * The server's CPU during the runs (medians): % of one core, and µs per unit of the headline
   * number (per request, per message, per MB). When the generator is the bottleneck, the rate
   * ratio tends to 1 and the CPU per unit is what still tells the servers apart.
   */
  cpuPercent: number | null;
  cpuPerUnit: number | null;
  errors: Record<string, number>;
  /** Errors the built-in generator found while warming up (it verifies every response). */
  warmupErrors: Record<string, number>;
  runs: (RunResult | IdleRun)[];
  notes: string[];
  skipped?: string;
}

/** A row with no runs yet. */
export function emptyRow(
  scenario: string,
  variant: string,
  runtime: RuntimeName,
  server: ServerKind,
  unit: Row["unit"],
): Row {
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
    cpuPercent: null,
    cpuPerUnit: null,
    errors: {},
    warmupErrors: {},
    runs: [],
    notes: [],
  };
}

/** The medians of a load row's runs, and what its runs say about wrk or the server. */
export function finishLoadRow(row: Row): void {
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
  // The load is steady over the generator's run, so CPU share ÷ rate is the CPU per unit.
  const share = (r: RunResult): number => r.serverCpu!.seconds / (r.serverCpu!.wallMs / 1000);
  const rate = (r: RunResult): number => (row.unit === "MB/s" ? r.mbps : r.rps);
  const cpu = runs.filter((r) => r.serverCpu !== undefined && Number.isFinite(r.serverCpu.seconds));
  if (cpu.length > 0) {
    row.cpuPercent = median(cpu.map((r) => share(r) * 100));
    const per = cpu.filter((r) => rate(r) > 0);
    row.cpuPerUnit = per.length === 0 ? null : median(per.map((r) => (share(r) * 1e6) / rate(r)));
  }
  row.errors = sumErrors(runs.map((r) => r.errors));
  const reconnects = runs.reduce((n, r) => n + r.reconnects, 0);
  if (reconnects > 0) {
    row.notes.push(`the server closed connections: ${reconnects} reconnects over ${runs.length} runs`);
  }
}

/** The unit of a scenario's headline number. */
export function unitOf(scenario: Scenario): Row["unit"] {
  if (scenario.kind === "idle") return "KB/conn";
  if (scenario.kind === "load" && scenario.metric === "MB/s") return "MB/s";
  if (scenario.kind === "load" && scenario.metric === "msg/s") return "msg/s";
  return "req/s";
}

/** A headline number as the tables print it. */
export function fmtValue(v: number, unit: Row["unit"]): string {
  if (unit === "MB/s") return v.toLocaleString("en-US", { maximumFractionDigits: v < 100 ? 1 : 0 });
  if (unit === "KB/conn") return v.toLocaleString("en-US", { maximumFractionDigits: 2 });
  return Math.round(v).toLocaleString("en-US");
}

/** "wirecore", "native", or the named peer: "native node:http2". */
export const label = (row: Row): string => (row.peer === undefined ? row.server : `${row.server} ${row.peer}`);

/** Note on the row that `what` failed (its first line), and log the whole message. */
export function noteFailure(row: Row, what: string, error: unknown): void {
  row.notes.push(`${what}: ${firstLine(error)}`);
  log(String((error as Error).message));
}

/** The first line of an error's message. */
export function firstLine(error: unknown): string {
  return String((error as Error).message).split("\n")[0]!;
}
