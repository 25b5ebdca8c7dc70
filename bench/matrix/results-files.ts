/**
 * The files a bench run leaves: bench/results/latest.json (settings, machine, every row and
 * ratio) and bench/results/latest.svg (the ratios as a chart).
 */
import { mkdirSync, writeFileSync } from "node:fs";
import { platform, release } from "node:os";
import { join } from "node:path";
import process from "node:process";
import { type Ratio, ratios } from "./ratios.ts";
import { type Row, unitOf } from "./rows.ts";
import { type RunPlan, runtimeVersions } from "./run-plan.ts";
import type { Scenario } from "./scenarios.ts";
import { type ChartGroup, ratioChart } from "./svg.ts";
import { ROOT, type RuntimeName, RUNTIMES } from "./system.ts";

const COLORS: Record<string, string> = { node: "#3c873a", bun: "#e0a030", deno: "#2b3a55" };

/** Write latest.json and latest.svg for `rows` of the `selected` scenarios; returns the run's seconds. */
export function writeResults(plan: RunPlan, selected: Scenario[], rows: Row[], started: number): number {
  const { settings, pin, wrk, h2load, builtinName, cpu } = plan;
  const rs = ratios(rows);
  const runtimeVersionMap: Record<string, string | null> = {};
  for (const r of RUNTIMES) {
    const info = plan.runtimes.get(r)!;
    runtimeVersionMap[r] = typeof info === "string" ? null : info.version;
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
      openFiles: plan.fd,
    },
    runtimes: runtimeVersionMap,
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
  const svg = ratioChart(chartGroups(selected, rs, settings.runtimes), {
    title: "wirecore ÷ the runtime's own server (HTTP/1.1, WebSocket, HTTP/2)",
    subtitle: `${date.slice(0, 10)} · ${cpu} · ${
      pin.taskset !== null ? "server and generator pinned to one CPU each" : "not pinned"
    } · ${settings.quick ? "--quick" : `${settings.runs} runs`} · ${runtimeVersions(plan).join(", ")}`,
    runtimes: settings.runtimes,
    colors: COLORS,
    footnote:
      "Bars above the line: wirecore is faster than the runtime's own server (idle-memory: below the line, it uses less memory per connection). Medians of repeated runs; details in latest.json.",
  });
  writeFileSync(join(outDir, "latest.svg"), svg);
  return json.elapsedSeconds;
}

/** A group of bars per scenario (one bar per runtime), and one more per named peer beyond the first. */
function chartGroups(selected: Scenario[], rs: readonly Ratio[], runtimes: readonly RuntimeName[]): ChartGroup[] {
  return selected.flatMap((s): ChartGroup[] => {
    const mine = rs.filter((r) => r.scenario === s.name);
    const peers = s.kind === "load" ? s.peers : undefined;
    const bars = runtimes.map((runtime) => {
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
    for (const runtime of runtimes) {
      for (const peer of peers?.[runtime].slice(1) ?? []) {
        const g = extra.get(peer.name) ?? { label: s.name, sublabel: `vs ${peer.name}`, bars: [], reason: "no result" };
        const r = mine.find((x) => x.runtime === runtime && x.peer === peer.name);
        g.bars.push({ runtime, ratio: r?.ratio ?? null });
        extra.set(peer.name, g);
      }
    }
    return [main, ...extra.values()];
  });
}
