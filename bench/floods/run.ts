/**
 * `npm run floods`: for each runtime and attack, a fresh wirecore server (bench/servers/
 * soak-server.ts, default limits), a well-behaved client measuring its latency (victim.ts), and
 * one attacker (attacker.ts) after a quiet `--before` window. Reports the victim's p99 before and
 * during the attack, what the attacker got (GOAWAY, closes) and the server's RSS growth.
 * Writes bench/results/floods.json and prints a Markdown table.
 *
 *   npm run floods -- [--runtime node,bun,deno] [--attack hpack-bomb,empty-fields,reset-flood,slowloris]
 *                     [--before S] [--during S] [--slowloris-seconds S] [--slowloris-connections N]
 *                     [--victim-cpu 0|1|none]   (the server is on CPU 0, the attacker on CPU 1)
 *                     [--penalty on|off]        (off: the server runs with `floodPenalty: false`)
 *                     [--attacker patient|hasty] (hasty: drops each HTTP/2 connection on its GOAWAY
 *                                               and reconnects at once; patient waits for the close)
 */
import { mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import process from "node:process";
import { Child, installCleanup, type Placement } from "../matrix/procs.ts";
import { startServer } from "../matrix/servers.ts";
import {
  cpuSeconds,
  fdLimits,
  findRuntime,
  pinning,
  ROOT,
  rssKb,
  type RuntimeInfo,
  RUNTIMES,
} from "../matrix/system.ts";
import type { AttackReport } from "./h2-attack.ts";
import { type FloodRow, markdownTable, p99 } from "./table.ts";

const ATTACKS = ["hpack-bomb", "empty-fields", "reset-flood", "slowloris"] as const;
const OPTIONS = [
  "--runtime",
  "--attack",
  "--before",
  "--during",
  "--slowloris-seconds",
  "--slowloris-connections",
  "--victim-cpu",
  "--penalty",
  "--attacker",
];
const USAGE = `usage: npm run floods -- [--runtime node,bun,deno] [--attack ${ATTACKS.join(",")}]
         [--before S] [--during S] [--slowloris-seconds S] [--slowloris-connections N] [--victim-cpu 0|1|none]
         [--penalty on|off] [--attacker patient|hasty]
Attacks a fresh wirecore server on 127.0.0.1 per runtime and attack; see bench/README.md "Flood results".`;
const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

// Every argument is checked before anything runs: a mistyped option must not start an attack.
for (let i = 2; i < process.argv.length; i += 2) {
  const arg = process.argv[i]!;
  if (arg === "--help" || arg === "-h") {
    console.log(USAGE);
    process.exit(0);
  }
  if (!OPTIONS.includes(arg) || process.argv[i + 1] === undefined) {
    console.error(`floods: unknown argument or missing value: ${arg}\n${USAGE}`);
    process.exit(2);
  }
}

function option(name: string, fallback: string): string {
  const at = process.argv.indexOf(name);
  return at < 0 ? fallback : process.argv[at + 1] ?? "";
}
function seconds(name: string, fallback: number): number {
  const v = Number(option(name, String(fallback)));
  if (!(v > 0)) throw new Error(`invalid ${name}`);
  return v;
}

const runtimes = option("--runtime", RUNTIMES.join(",")).split(",");
const attacks = option("--attack", ATTACKS.join(",")).split(",");
for (const a of attacks) if (!(ATTACKS as readonly string[]).includes(a)) throw new Error(`unknown attack ${a}`);
// As long as the attack: both p99s then come from as many samples (1 000 at one request per 10 ms).
const beforeS = seconds("--before", 10);
const duringS = seconds("--during", 10);
const slowS = seconds("--slowloris-seconds", 70);
const slowConns = seconds("--slowloris-connections", 5000);
const victimOption = option("--victim-cpu", "0");
if (!["0", "1", "none"].includes(victimOption)) throw new Error("--victim-cpu is 0, 1 or none");
const victimCpu = victimOption === "none" ? null : Number(victimOption);
const penalty = option("--penalty", "on");
if (!["on", "off"].includes(penalty)) throw new Error("--penalty is on or off");
const pace = option("--attacker", "patient");
if (!["patient", "hasty"].includes(pace)) throw new Error("--attacker is patient or hasty");
installCleanup();
const fd = fdLimits();
const pin = pinning();
const needFds = slowConns + 512;
if (needFds > fd.hard) {
  throw new Error(`--slowloris-connections ${slowConns} needs ${needFds} open files; the hard limit is ${fd.hard}`);
}
const place = (cpu: number | null): Placement => ({
  taskset: cpu === null ? null : pin.taskset,
  cpu: cpu ?? 0,
  ...(fd.soft < needFds ? { fdLimit: needFds } : {}),
});

const rows: FloodRow[] = [];
for (const name of runtimes) {
  const rt = findRuntime(name as (typeof RUNTIMES)[number]);
  if (typeof rt === "string") throw new Error(rt);
  for (const attack of attacks) rows.push(await flood(rt, attack));
}
// A run of some runtimes, attacks or attacker paces replaces those rows of bench/results/floods.json
// and keeps the others; each row carries its own date and settings.
const file = join(ROOT, "bench", "results", "floods.json");
let kept: FloodRow[] = [];
try {
  const previous = JSON.parse(readFileSync(file, "utf8")) as {
    rows?: FloodRow[];
    date?: string;
    beforeS?: number;
    duringS?: number;
    slowS?: number;
    slowConns?: number;
  };
  // Files written before rows carried their own settings had one set for the whole file, and an
  // unpinned victim.
  for (const r of previous.rows ?? []) {
    r.date ??= previous.date ?? "";
    r.settings ??= {
      beforeS: previous.beforeS ?? 5,
      duringS: (r.attack === "slowloris" ? previous.slowS : previous.duringS) ?? 0,
      slowlorisConnections: previous.slowConns ?? 0,
      victimCpu: "none",
    };
  }
  const key = (r: FloodRow): string => `${r.runtime} ${r.attack} ${r.settings.attacker ?? "patient"}`;
  kept = (previous.rows ?? []).filter((old) => !rows.some((r) => key(r) === key(old)));
} catch {
  // no previous results
}
const order = (r: FloodRow): number =>
  RUNTIMES.findIndex((n) => r.runtime.startsWith(`${n} `)) * 100 +
  (r.settings.attacker === "hasty" ? 10 : 0) +
  (ATTACKS as readonly string[]).indexOf(r.attack);
const all = [...kept, ...rows].sort((a, b) => order(a) - order(b));
mkdirSync(join(ROOT, "bench", "results"), { recursive: true });
writeFileSync(file, JSON.stringify({ pinning: pin.note, rows: all }, null, 2) + "\n");
console.log(`\n${markdownTable(all)}\nwrote bench/results/floods.json`);
process.exit(0); // no need to wait for the victims' fallback timers

async function flood(rt: RuntimeInfo, attack: string): Promise<FloodRow> {
  const server = await startServer(
    [
      ...rt.command,
      "bench/servers/soak-server.ts",
      "--port",
      "0",
      "--idle-timeout",
      "120",
      ...(penalty === "off" ? ["--no-flood-penalty"] : []),
    ],
    place(0),
  );
  let died: string | null = null;
  void server.child.exited.then((code) => (died = `server exited with ${code}`));
  try {
    const proto = attack === "slowloris" ? "h1" : "h2";
    // The attacker runs flat out on CPU 1; the victim shares CPU 0 with the server by default, so
    // what it measures is what the server leaves for others, not its contest with the attacker.
    const victim = new Child(
      [process.execPath, "bench/floods/victim.ts", proto, String(server.port), "10"],
      place(victimCpu),
      "pipe",
    );
    await victim.waitLine((l) => l === "ready", 30_000, "victim");
    const beforeStart = Date.now();
    const cpuAtStart = cpuSeconds(server.child.pid);
    await sleep(beforeS * 1000);
    const beforeEnd = Date.now();
    const cpuAtAttack = cpuSeconds(server.child.pid);
    const rssBefore = rssKb(server.child.pid) ?? 0;
    let rssMax = rssBefore;
    const sampler = setInterval(() => (rssMax = Math.max(rssMax, rssKb(server.child.pid) ?? 0)), 250);
    const ms = (attack === "slowloris" ? slowS : duringS) * 1000;
    const hasty = pace === "hasty" && attack !== "slowloris"; // slowloris never gets a GOAWAY
    const attacker = new Child(
      [
        process.execPath,
        "bench/floods/attacker.ts",
        attack,
        String(server.port),
        String(ms),
        String(slowConns),
        ...(hasty ? ["hasty"] : []),
      ],
      place(1),
    );
    const duringStart = Date.now();
    const line = await attacker.waitLine((l) => l.startsWith("{"), ms + 60_000, `attacker ${attack}`);
    const duringEnd = Date.now();
    const cpuAtEnd = cpuSeconds(server.child.pid);
    clearInterval(sampler);
    const report = JSON.parse(line) as AttackReport;
    // Its samples come as one long line just before it exits: wait for its stdout to close ("close"
    // comes after the last data; "exit" may come before it).
    const closed = new Promise((r) => victim.process.once("close", r));
    victim.process.stdin!.end();
    await Promise.race([closed, sleep(30_000)]);
    const last = victim.stdout.trim().split("\n").filter((l) => l.startsWith("[")).at(-1);
    if (last === undefined) throw new Error(`victim printed no samples\n${victim.tail()}`);
    const samples = JSON.parse(last) as [number, number, number][];
    const window = (from: number, to: number) => samples.filter(([at]) => at >= from && at < to);
    const before = window(beforeStart, beforeEnd);
    const during = window(duringStart, duringEnd);
    const row: FloodRow = {
      runtime: `${rt.name} ${rt.version}`,
      date: new Date().toISOString(),
      settings: {
        beforeS,
        duringS: ms / 1000,
        slowlorisConnections: slowConns,
        victimCpu: victimOption,
        floodPenalty: penalty === "on",
        attacker: hasty ? "hasty" : "patient",
      },
      attack,
      victim: proto,
      p99BeforeMs: p99(before.map((s) => s[1])),
      p99DuringMs: p99(during.map((s) => s[1])),
      victimRequests: { before: before.length, during: during.length },
      victimErrors: {
        before: before.filter((s) => s[2] === 0).length,
        during: during.filter((s) => s[2] === 0).length,
      },
      serverCpuBefore: (100 * (cpuAtAttack - cpuAtStart) * 1000) / (beforeEnd - beforeStart),
      serverCpuDuring: (100 * (cpuAtEnd - cpuAtAttack) * 1000) / (duringEnd - duringStart),
      rssBeforeKb: rssBefore,
      rssGrowthKb: rssMax - rssBefore,
      serverDied: died,
      attack_: report,
    };
    console.log(
      `${rt.name} · ${attack}: victim p99 ${row.p99BeforeMs.toFixed(1)} → ${row.p99DuringMs.toFixed(1)} ms ` +
        `(${row.victimErrors.during} errors of ${during.length}); attacker ${report.connections} connections, ` +
        `${report.sent} sent, GOAWAY ${JSON.stringify(report.goaways)} first at ${report.firstGoawayMs ?? "—"} ms, ` +
        `${report.closedByServer} closed by the server (first at ${report.firstCloseMs ?? "—"} ms, ` +
        `${report.tcpResets} by a TCP reset); ` +
        `server CPU ${row.serverCpuBefore.toFixed(0)} → ${row.serverCpuDuring.toFixed(0)} %; ` +
        `RSS +${(row.rssGrowthKb / 1024).toFixed(1)} MiB${died === null ? "" : `; ${died}`}` +
        (report.notes.length > 0 ? `\n    ${report.notes.join("\n    ")}` : ""),
    );
    return row;
  } finally {
    await server.child.kill();
  }
}
