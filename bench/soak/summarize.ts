/**
 * Re-read a saved soak: recompute the growth figures and the verdict from the samples in
 * bench/results/soak-<runtime>.json and redraw its SVG — after a change to the analysis
 * (growth.ts), without running the soak again.
 *
 *   node bench/soak/summarize.ts bench/results/soak-node.json
 */
import { readFileSync, writeFileSync } from "node:fs";
import process from "node:process";
import { soakChart } from "./chart.ts";
import { floorHow, growthAfter, liveGrowthAfter, type LiveSample, type Sample } from "./growth.ts";

const file = process.argv[2];
if (file === undefined || !file.endsWith(".json")) {
  console.error("usage: node bench/soak/summarize.ts bench/results/soak-<runtime>.json");
  process.exit(2);
}
const j = JSON.parse(readFileSync(file, "utf8"));
const samples = j.samples as Sample[];
if (j.warmupEndT === undefined) {
  // Files from before warmupEndT was saved: the first active sample is at most 5 s after the start.
  const firstActive = samples.find((x) => x.phase === "active");
  if (firstActive === undefined) throw new Error(`${file}: no active samples`);
  j.warmupEndT = firstActive.t + j.settings.warmupMinutes * 60;
  console.log(`${file}: no warmupEndT saved; taken as the first active sample + warm-up (${j.warmupEndT} s)`);
}
const g = growthAfter(samples, j.warmupEndT);
const live = (j.live ?? []) as LiveSample[];
const lg = liveGrowthAfter(live, j.warmupEndT);
if (g === null) throw new Error(`${file}: no active samples after warm-up`);
j.memory = {
  ...j.memory,
  afterWarmupKb: g.afterWarmupKb,
  endKb: g.endKb,
  growthKbPerMinute: g.kbPerMinute,
  floorGrowthKbPerMinute: g.floorKbPerMinute,
  floorWindowS: g.floorWindowS,
  floorMethod: g.floorMethod,
  collections: g.collections,
  samplesFitted: g.fitted,
  live: lg,
  verdictBy: lg === null ? "rss-floor" : "live",
};
const limit = j.settings.maxGrowthMiBPerMinute as number;
j.failures = (j.failures as string[]).filter((f) => !f.startsWith("RSS floor grew") && !f.startsWith("live memory"));
if (lg !== null) {
  if (lg.kbPerMinute / 1024 > limit) {
    j.failures.push(
      `live memory grew ${(lg.kbPerMinute / 1024).toFixed(3)} MiB/min after warm-up (limit ${limit} MiB/min)`,
    );
  }
} else if (g.floorKbPerMinute / 1024 > limit) {
  j.failures.push(
    `RSS floor grew ${(g.floorKbPerMinute / 1024).toFixed(3)} MiB/min after warm-up (limit ${limit} MiB/min)`,
  );
}
writeFileSync(file, JSON.stringify(j, null, 2) + "\n");
const s = j.settings;
writeFileSync(
  file.replace(/\.json$/, ".svg"),
  soakChart(samples, {
    title: `wirecore soak on ${j.runtime} ${j.version}: server RSS`,
    subtitle: `${s.idle} idle + ${s.active} active connections (HTTP/1.1, h2c, WebSocket; think ${s.thinkMs} ms), ` +
      `${s.minutes} min, ${String(j.date).slice(0, 10)}`,
    warmupEndT: j.warmupEndT,
    fit: { startKb: g.fitStartKb, kbPerMinute: g.kbPerMinute },
    floorKbPerMinute: g.floorKbPerMinute,
    live,
    liveKbPerMinute: lg?.kbPerMinute ?? null,
  }),
);
console.log(
  `${j.runtime}: floor ${(g.floorKbPerMinute / 1024).toFixed(3)} MiB/min (${floorHow(g)}); least squares ` +
    `${(g.kbPerMinute / 1024).toFixed(3)} MiB/min; live ${
      lg === null ? "not measured" : `${(lg.kbPerMinute / 1024).toFixed(3)} MiB/min`
    }; ${j.failures.length === 0 ? "passed" : `FAILED: ${j.failures.join("; ")}`}`,
);
