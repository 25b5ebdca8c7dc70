/**
 * The report on stdout: one table per scenario as soon as it is measured, with its notes, and
 * on request one Markdown summary over all of them (for bench/README.md).
 */
import { nativesOf, type Ratio } from "./ratios.ts";
import { fmtValue, type IdleRun, label, type Row, unitOf } from "./rows.ts";
import type { Scenario } from "./scenarios.ts";
import { median } from "./stats.ts";

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

/** The server's CPU per unit of the headline number: "4.1 µs/req", "2.3 ms/MB". */
function cpuPerUnitText(row: Row): string {
  if (row.cpuPerUnit === null) return "";
  if (row.unit === "MB/s") return `· ${(row.cpuPerUnit / 1000).toFixed(1)} ms/MB`;
  return `· ${row.cpuPerUnit.toFixed(1)} µs/${row.unit === "msg/s" ? "msg" : "req"}`;
}

/**
 * One table per scenario. The ratio sits on the wirecore row; where the scenario names its peers
 * (h2, two of them on Bun) it sits on each native row instead: wirecore ÷ that server.
 */
export function printScenario(scenario: Scenario, rows: readonly Row[], rs: readonly Ratio[]): void {
  const unit = rows.find((r) => !r.skipped)?.unit ?? unitOf(scenario);
  const idle = scenario.kind === "idle";
  const named = scenario.kind === "load" && scenario.peers !== undefined;
  const meanLatency = scenario.kind === "load" && scenario.spec.h2 !== undefined;
  const latencyHeaders = idle ? ["RSS before→after", "open"] : meanLatency ? ["mean", "max"] : ["p50", "p99"];
  // Server CPU: share of a core and per unit, and wirecore ÷ native of the latter (load rows).
  const cpuHeaders = scenario.kind === "load" ? ["server CPU", "CPU/unit÷"] : [];
  const ratioHeader = named ? "wirecore÷this" : "wirecore÷native";
  // The raw ceiling's column, where the scenario measures one: wirecore ÷ raw, on the wirecore row.
  const rawHeader = "wirecore÷raw";
  const withRaw = scenario.kind === "load" && scenario.rawCeiling === true;
  const headers = [
    "runtime",
    "server",
    ...(scenario.kind === "routes" ? ["routes"] : []),
    "generator",
    unit,
    "spread",
    ...latencyHeaders,
    ...cpuHeaders,
    "errors",
    ratioHeader,
    ...(withRaw ? [rawHeader] : []),
  ];
  const right = headers.map((h) =>
    [unit, "spread", "p50", "p99", "mean", "max", "open", ratioHeader, rawHeader, "routes", ...cpuHeaders].includes(h)
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
      body.push([...cells, "—", "skipped", "", "", "", "", "", ...cpuHeaders.map(() => "")]);
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
    if (cpuHeaders.length > 0) {
      cells.push(
        row.cpuPercent === null ? "—" : `${row.cpuPercent.toFixed(0)}% ${cpuPerUnitText(row)}`,
        ratio?.cpuRatio == null ? "" : ratio.cpuRatio.toFixed(2),
      );
    }
    cells.push(errorText(row.errors));
    cells.push(ratio ? (ratio.ratio === null ? "n/a" : ratio.ratio.toFixed(2)) : "");
    if (withRaw) cells.push(ratio?.ofRaw == null ? "" : `${(ratio.ofRaw * 100).toFixed(0)}%`);
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
export function markdownSummary(rows: readonly Row[], rs: readonly Ratio[]): string {
  const out = [
    "| scenario | runtime | wirecore | native | wirecore ÷ native | p99 wirecore / native | wirecore ÷ raw ceiling | server CPU per unit, wirecore ÷ native | generator |",
    "| --- | --- | ---: | ---: | ---: | ---: | ---: | ---: | --- |",
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
        } | ${latency} | ${ratio?.ofRaw == null ? "—" : `${(ratio.ofRaw * 100).toFixed(0)} %`} | ${
          ratio?.cpuRatio == null ? "—" : ratio.cpuRatio.toFixed(2)
        } | ${w.generator} |`,
      );
    }
  }
  return out.join("\n");
}
