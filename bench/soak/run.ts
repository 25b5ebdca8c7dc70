/**
 * `npm run soak`: one runtime's wirecore server under a long, steady, mixed load — idle
 * keep-alive connections held throughout, active HTTP/1.1, h2c and WebSocket clients — with its
 * RSS sampled every 5 s from /proc/PID/status. Then the runtime's native server holds the same
 * idle connections, for KB per idle connection side by side. `--help` lists the options.
 */
import { mkdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import process from "node:process";
import { openIdle } from "../matrix/generators.ts";
import { Child, installCleanup, type Placement } from "../matrix/procs.ts";
import { PEERS, startServer } from "../matrix/servers.ts";
import { fdLimits, findRuntime, pinning, ROOT, rssKb, type RuntimeInfo } from "../matrix/system.ts";
import { soakChart } from "./chart.ts";
import type { ActiveCounts } from "./active.ts";
import {
  floorHow,
  type Growth,
  growthAfter,
  type LiveGrowth,
  liveGrowthAfter,
  type LiveSample,
  type Sample,
} from "./growth.ts";
import { SOAK_USAGE, type SoakSettings, soakSettings } from "./settings.ts";

const SAMPLE_MS = 5000;
/** How often the server is asked for its live bytes after a forced collection (a pause of its own). */
const LIVE_MS = 30_000;
const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));
const mib = (kb: number): string => `${(kb / 1024).toFixed(1)} MiB`;

if (process.argv.includes("--help")) {
  console.log(SOAK_USAGE);
  process.exit(0);
}
const settings = soakSettings(process.argv.slice(2));
installCleanup();
const rt = findRuntime(settings.runtime);
if (typeof rt === "string") throw new Error(rt);
const fd = fdLimits();
const sockets = settings.idle + settings.active;
if (sockets + 256 > fd.hard) {
  console.error(
    `soak: ${settings.idle} idle + ${settings.active} active connections need ${sockets + 256} open files in each ` +
      `process; the hard limit is ${fd.hard}. Lower --idle/--active, or raise the limit (ulimit -Hn, ` +
      `/etc/security/limits.conf, LimitNOFILE=) first.`,
  );
  process.exit(2);
}
const pin = pinning();
const place = (cpu: number): Placement => ({
  taskset: pin.taskset,
  cpu,
  ...(fd.soft < sockets + 256 ? { fdLimit: sockets + 256 } : {}),
});

console.log(
  `soak · ${rt.name} ${rt.version} · ${settings.minutes} min active · ${settings.idle} idle + ${settings.active} ` +
    `active connections (think ${settings.thinkMs} ms) · warm-up ${settings.warmupMinutes} min · ${pin.note}`,
);

const wire = await soakWirecore(rt, settings);
const native = settings.native ? await nativeIdle(rt, settings.idle) : null;
report(rt, settings, wire, native);

interface WirecoreResult {
  samples: Sample[];
  baselineKb: number;
  idleKb: number;
  idleOpen: number;
  idleReport: unknown;
  activeStartT: number;
  active: ActiveCounts | null;
  idleAtEnd: { open: number; closedByServer: number } | null;
  growth: Growth | null;
  live: LiveSample[];
  /** Whether the server could force its collections (else live bytes are no leak measure). */
  collected: boolean;
  liveGrowth: LiveGrowth | null;
  serverExited: string | null;
}

async function soakWirecore(rt: RuntimeInfo, s: SoakSettings): Promise<WirecoreResult> {
  const idleTimeout = String(Math.ceil(s.minutes * 60 + 600));
  const server = await startServer(
    [...rt.command, "bench/servers/soak-server.ts", "--port", "0", "--idle-timeout", idleTimeout],
    place(0),
  );
  const pid = server.child.pid;
  const t0 = performance.now();
  const now = (): number => (performance.now() - t0) / 1000;
  const samples: Sample[] = [];
  let phase = "start";
  const sample = (): number => {
    const kb = rssKb(pid);
    if (kb !== null) samples.push({ t: Math.round(now() * 10) / 10, rssKb: kb, phase });
    return kb ?? 0;
  };
  sample();
  const sampler = setInterval(sample, SAMPLE_MS);
  const live: LiveSample[] = [];
  let collected = false;
  const readLive = async (): Promise<void> => {
    const answer = await fetch(`http://127.0.0.1:${server.port}/_soak/live`);
    const body = await answer.json() as { liveBytes: number; collected: boolean };
    live.push({ t: Math.round(now() * 10) / 10, liveKb: Math.round(body.liveBytes / 1024), phase });
    collected = body.collected;
  };
  let serverExited: string | null = null;
  void server.child.exited.then((code) => (serverExited = `server exited with ${code}\n${server.child.tail()}`));
  try {
    await sleep(2000);
    await readLive();
    const baselineKb = sample();
    const clients = new Child(
      [
        process.execPath,
        "bench/soak/clients.ts",
        "--port",
        String(server.port),
        "--idle",
        String(s.idle),
        "--active",
        String(s.active),
        "--think",
        String(s.thinkMs),
      ],
      place(1),
      "pipe",
    );
    const isEvent = (event: string) => (l: string) => l.startsWith(`{"event":"${event}"`);
    const idle = JSON.parse(await clients.waitLine(isEvent("idle"), 300_000, "idle connections")).idle;
    phase = "idle";
    await sleep(3000);
    const idleKb = sample();
    await readLive();
    const idleOpen = idle?.open ?? 0;
    console.log(
      `idle: ${idleOpen}/${s.idle} connections open in ${Math.round(idle?.elapsedMs ?? 0)} ms; RSS ${
        mib(baselineKb)
      } → ` +
        `${mib(idleKb)} = ${idleOpen > 0 ? ((idleKb - baselineKb) / idleOpen).toFixed(2) : "—"} KB per idle connection`,
    );
    clients.process.stdin!.write("start\n");
    await clients.waitLine(isEvent("started"), 10_000, "active clients");
    phase = "active";
    const activeStartT = now();
    const endAt = performance.now() + s.minutes * 60_000;
    let lastLog = 0;
    let lastLive = performance.now();
    while (performance.now() < endAt && serverExited === null) {
      await sleep(Math.min(1000, endAt - performance.now()));
      if (performance.now() - lastLive >= LIVE_MS) {
        lastLive = performance.now();
        await readLive();
      }
      if (performance.now() - lastLog >= 30_000) {
        lastLog = performance.now();
        const line = clients.stdout.trim().split("\n").filter((l) => l.startsWith('{"event":"progress"')).at(-1);
        const a = line === undefined ? null : (JSON.parse(line).active as ActiveCounts);
        const ok = a === null ? 0 : a.http1.ok + a.http2.ok + a.ws.ok;
        const errors = a === null ? 0 : a.http1.errors + a.http2.errors + a.ws.errors;
        console.log(
          `  ${(now() / 60).toFixed(1)} min: RSS ${mib(samples.at(-1)!.rssKb)}, live ${
            mib(live.at(-1)?.liveKb ?? 0)
          }, ${ok} ok, ${errors} errors`,
        );
      }
    }
    sample();
    if (serverExited === null) await readLive();
    phase = "stopped";
    clients.process.stdin!.write("stop\n");
    const final = JSON.parse(await clients.waitLine(isEvent("final"), 120_000, "final counts"));
    await clients.exited;
    sample();
    const warmupEndT = activeStartT + s.warmupMinutes * 60;
    return {
      samples,
      baselineKb,
      idleKb,
      idleOpen,
      idleReport: idle,
      activeStartT,
      active: final.active,
      idleAtEnd: final.idle === null ? null : { open: final.idle.open, closedByServer: final.idle.closedByServer },
      growth: growthAfter(samples, warmupEndT),
      live,
      collected,
      liveGrowth: liveGrowthAfter(live, warmupEndT),
      serverExited,
    };
  } finally {
    clearInterval(sampler);
    await server.child.kill();
  }
}

interface NativeResult {
  server: string;
  beforeKb: number;
  afterKb: number;
  open: number;
  kbPerConn: number;
}

/** The runtime's own server (node:http, Bun.serve, Deno.serve) holding the same idle connections. */
async function nativeIdle(rt: RuntimeInfo, count: number): Promise<NativeResult | null> {
  if (count === 0) return null;
  const script = PEERS[rt.name];
  const server = await startServer([...rt.command, script, "--port", "0", "--idle-timeout", "600"], place(0));
  try {
    await sleep(2000);
    const beforeKb = rssKb(server.child.pid) ?? 0;
    const idle = await openIdle([process.execPath], server.port, "/", count, place(1));
    await sleep(3000);
    const afterKb = rssKb(server.child.pid) ?? 0;
    const r = await idle.report();
    await idle.close();
    const open = r.open as number;
    const result = { server: script, beforeKb, afterKb, open, kbPerConn: open > 0 ? (afterKb - beforeKb) / open : 0 };
    console.log(
      `native (${script}): ${open}/${count} idle connections; RSS ${mib(beforeKb)} → ${mib(afterKb)} = ` +
        `${result.kbPerConn.toFixed(2)} KB per idle connection`,
    );
    return result;
  } finally {
    await server.child.kill();
  }
}

function report(rt: RuntimeInfo, s: SoakSettings, w: WirecoreResult, native: NativeResult | null): void {
  const failures: string[] = [];
  if (w.serverExited !== null) failures.push(w.serverExited);
  const g = w.growth;
  const growthMiB = g === null ? null : g.kbPerMinute / 1024;
  const floorMiB = g === null ? null : g.floorKbPerMinute / 1024;
  const lg = w.collected ? w.liveGrowth : null;
  const liveMiB = lg === null ? null : lg.kbPerMinute / 1024;
  if (g === null) failures.push("no samples after warm-up: run longer than --warmup");
  else if (lg !== null) {
    // Live bytes after forced collections decide; the RSS floor is only shown beside them.
    if (liveMiB! > s.maxGrowthMiBPerMinute) {
      failures.push(
        `live memory grew ${liveMiB!.toFixed(3)} MiB/min after warm-up (limit ${s.maxGrowthMiBPerMinute} MiB/min)`,
      );
    }
  } else if (floorMiB! > s.maxGrowthMiBPerMinute) {
    failures.push(
      `RSS floor grew ${floorMiB!.toFixed(3)} MiB/min after warm-up (limit ${s.maxGrowthMiBPerMinute} MiB/min)`,
    );
  }
  const kbPerIdle = w.idleOpen > 0 ? (w.idleKb - w.baselineKb) / w.idleOpen : null;
  if (w.idleAtEnd !== null && w.idleAtEnd.open < w.idleOpen) {
    failures.push(`${w.idleOpen - w.idleAtEnd.open} idle connections were closed during the soak`);
  }
  const a = w.active;
  const summary = {
    runtime: rt.name,
    version: rt.version,
    date: new Date().toISOString(),
    settings: s,
    pinning: pin.note,
    activeStartT: w.activeStartT,
    warmupEndT: w.activeStartT + s.warmupMinutes * 60,
    memory: {
      baselineKb: w.baselineKb,
      withIdleKb: w.idleKb,
      afterWarmupKb: g?.afterWarmupKb ?? null,
      endKb: g?.endKb ?? null,
      growthKbPerMinute: g?.kbPerMinute ?? null,
      floorGrowthKbPerMinute: g?.floorKbPerMinute ?? null,
      floorWindowS: g?.floorWindowS ?? null,
      floorMethod: g?.floorMethod ?? null,
      collections: g?.collections ?? 0,
      samplesFitted: g?.fitted ?? 0,
      live: lg,
      verdictBy: lg === null ? "rss-floor" : "live",
    },
    idle: { open: w.idleOpen, openAtEnd: w.idleAtEnd?.open ?? null, kbPerConnection: kbPerIdle },
    native: native === null ? null : { ...native, ratio: kbPerIdle === null ? null : kbPerIdle / native.kbPerConn },
    active: a,
    failures,
    samples: w.samples,
    live: w.live,
  };
  const dir = join(ROOT, "bench", "results");
  mkdirSync(dir, { recursive: true });
  writeFileSync(join(dir, `soak-${rt.name}.json`), JSON.stringify(summary, null, 2) + "\n");
  const svg = soakChart(w.samples, {
    title: `wirecore soak on ${rt.name} ${rt.version}: server RSS`,
    subtitle: `${s.idle} idle + ${s.active} active connections (HTTP/1.1, h2c, WebSocket; think ${s.thinkMs} ms), ` +
      `${s.minutes} min, ${summary.date.slice(0, 10)}`,
    warmupEndT: w.activeStartT + s.warmupMinutes * 60,
    fit: g === null ? null : { startKb: g.fitStartKb, kbPerMinute: g.kbPerMinute },
    floorKbPerMinute: g?.floorKbPerMinute ?? null,
    live: w.collected ? w.live : [],
    liveKbPerMinute: lg?.kbPerMinute ?? null,
  });
  writeFileSync(join(dir, `soak-${rt.name}.svg`), svg);

  console.log(`\nsoak · ${rt.name} ${rt.version}`);
  if (g !== null) {
    console.log(`  memory after warm-up   ${mib(g.afterWarmupKb)}`);
    console.log(`  memory at the end      ${mib(g.endKb)}`);
    console.log(
      `  growth after warm-up   ${floorMiB!.toFixed(3)} MiB/min of the floor (${floorHow(g)}); ` +
        `${growthMiB!.toFixed(3)} MiB/min least squares over ${g.fitted} samples`,
    );
  }
  if (lg !== null) {
    console.log(
      `  live after collections ${mib(lg.firstKb)} → ${mib(lg.lastKb)}: ${liveMiB!.toFixed(3)} MiB/min least ` +
        `squares over ${lg.fitted} forced collections (the verdict)`,
    );
  } else console.log(`  live memory            not measured (the runtime gave no forced collection)`);
  console.log(
    `  per idle connection    ${kbPerIdle === null ? "—" : `${kbPerIdle.toFixed(2)} KB`}` +
      (native === null ? "" : ` (native ${native.kbPerConn.toFixed(2)} KB)`),
  );
  if (a !== null) {
    for (const [name, c] of Object.entries(a)) {
      console.log(`  ${name.padEnd(6)} ${String(c.clients).padStart(5)} clients  ${c.ok} ok  ${c.errors} errors`);
      for (const [kind, n] of Object.entries(c.errorKinds)) console.log(`           ${n} × ${kind}`);
    }
  }
  console.log(`  wrote bench/results/soak-${rt.name}.json and .svg`);
  if (failures.length > 0) {
    console.log(`\nFAILED:\n  ${failures.join("\n  ")}`);
    process.exitCode = 1;
  }
}
