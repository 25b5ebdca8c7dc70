import { describe, expect, it } from "vitest";
import type { RunResult } from "./generators.ts";
import { ratios } from "./ratios.ts";
import { emptyRow, finishLoadRow, type Row } from "./rows.ts";
import { cpuSeconds } from "./system.ts";
import process from "node:process";

function run(rps: number, cpuSeconds: number, wallMs: number): RunResult {
  return {
    rps,
    mbps: 0,
    requests: rps * 5,
    durationMs: 5000,
    p50: 1,
    p90: 1,
    p99: 2,
    max: 3,
    errors: {},
    reconnects: 0,
    serverCpu: { seconds: cpuSeconds, wallMs },
  };
}

function row(server: "wirecore" | "native", runs: RunResult[]): Row {
  const r = emptyRow("plaintext", "", "bun", server, "req/s");
  r.runs = runs;
  finishLoadRow(r);
  return r;
}

describe("server CPU per row", () => {
  it("gives the median share of a core and the CPU per request over the generator's wall time", () => {
    // 6 s of wall time: 3 s of CPU is 50 % of a core; at 100 000 req/s that is 5 µs per request.
    const w = row("wirecore", [run(100_000, 3, 6000), run(90_000, 6, 6000), run(110_000, 5.4, 6000)]);
    expect(w.cpuPercent).toBeCloseTo(90, 5); // shares 50 %, 100 %, 90 %
    expect(w.cpuPerUnit).toBeCloseTo(900_000 / 110_000, 5); // 5, 11.1 and 8.18 µs: the median
  });

  it("rates wirecore's CPU per request against the native server's when both are generator-bound", () => {
    const w = row("wirecore", [run(200_000, 2.4, 6000)]); // 40 % of a core: 2 µs per request
    const n = row("native", [run(200_000, 4.8, 6000)]); // 80 %: 4 µs per request
    const [r] = ratios([w, n]);
    expect(r!.ratio).toBeCloseTo(1, 5);
    expect(r!.cpuRatio).toBeCloseTo(0.5, 5);
  });

  it("leaves the CPU out where the runs have none", () => {
    const plain = run(1000, 0, 1);
    delete plain.serverCpu;
    const w = row("wirecore", [plain]);
    expect(w.cpuPercent).toBeNull();
    expect(ratios([w, row("native", [plain])])[0]!.cpuRatio).toBeNull();
  });

  it("reads a live process's CPU time from /proc, and NaN for a process that is gone", () => {
    const until = Date.now() + 150;
    while (Date.now() < until) { /* spend some CPU */ }
    expect(cpuSeconds(process.pid)).toBeGreaterThan(0.1);
    expect(cpuSeconds(2 ** 22 + 1)).toBeNaN(); // above pid_max: no such process
  });
});
