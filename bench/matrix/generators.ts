/**
 * The two HTTP/1.1 and WebSocket load generators the bench drives: wrk (when on PATH) and the
 * built-in one (bench/load), both as pinned child processes, both reduced to one result shape
 * (h2load, for HTTP/2, is in h2load.ts and gives the same shape).
 */
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { Child, type Placement, removeAtExit } from "./procs.ts";
import type { LoadSpec } from "./scenarios.ts";

/** One measured run, whichever generator ran it. Latencies in ms. */
export interface RunResult {
  /** Verified (built-in) or non-error (wrk) responses per second; verified echoes per second (WebSocket). */
  rps: number;
  /** Echoed body or message MB/s (rps × body or message size / 10^6) for echo scenarios, else 0. */
  mbps: number;
  /** Verified responses, or verified WebSocket echoes. */
  requests: number;
  durationMs: number;
  /** Latency percentiles; null when the generator reports none (h2load). */
  p50: number | null;
  p90: number | null;
  p99: number | null;
  /** Mean latency, when the generator reports it without percentiles (h2load). */
  mean?: number;
  max: number;
  errors: Record<string, number>;
  /** Connections the generator had to reopen (server closed them). */
  reconnects: number;
  /**
   * The server's CPU (its processes, from /proc; NaN when unreadable) over the generator's whole
   * process, warm-up included, and that wall time: their quotient is the server's share of a core.
   */
  serverCpu?: { seconds: number; wallMs: number };
}

export interface GeneratorTarget {
  port: number;
  spec: LoadSpec;
  durationMs: number;
  /** Aborting it kills the generator's process (the watchdog's deadline, watchdog.ts). */
  signal?: AbortSignal;
}

/** What `bench/load/cli.ts --json` prints, in both modes (HTTP and WebSocket). */
interface CliSummary {
  durationMs: number;
  latency: { p50: number; p90: number; p99: number; max: number };
  errors: Record<string, number>;
  reconnects: number;
}

/** Run the built-in generator with `args` and read its JSON summary line. */
async function runCli<T extends CliSummary>(
  args: string[],
  target: GeneratorTarget,
  placement: Placement,
  label: string,
): Promise<T> {
  const child = new Child(args, placement).killOnAbort(target.signal);
  const line = await child.waitLine((l) => l.startsWith("{"), target.durationMs + 60_000, label);
  await child.exited;
  return JSON.parse(line) as T;
}

/** A row's result from a summary: `rate` per second, `count` in the window, `mbps` of payload. */
function toRunResult(r: CliSummary, rate: number, count: number, mbps: number): RunResult {
  return {
    rps: rate,
    mbps,
    requests: count,
    durationMs: r.durationMs,
    p50: r.latency.p50,
    p90: r.latency.p90,
    p99: r.latency.p99,
    max: r.latency.max,
    errors: r.errors,
    reconnects: r.reconnects,
  };
}

/** Run the built-in generator: `<runtime> bench/load/cli.ts … --json`. */
export async function runBuiltin(
  runtime: readonly string[],
  target: GeneratorTarget,
  placement: Placement,
): Promise<RunResult> {
  if (target.spec.ws !== undefined) return runBuiltinWs(runtime, target, placement);
  const { spec } = target;
  const args = [
    ...runtime,
    "bench/load/cli.ts",
    `http://127.0.0.1:${target.port}${spec.path}`,
    "-c",
    String(spec.connections),
    "-d",
    `${target.durationMs}ms`,
    "-p",
    String(spec.pipeline),
    "-m",
    spec.method,
    "--json",
  ];
  if (spec.bodySize > 0) {
    args.push("--body-size", String(spec.bodySize), "-H", "content-type: application/octet-stream");
  }
  if (spec.variants > 1) args.push("--variants", String(spec.variants));
  for (const [name, value] of spec.headers ?? []) args.push("-H", `${name}: ${value}`);
  if (spec.expectStatus !== undefined) args.push("--expect-status", String(spec.expectStatus));
  const r = await runCli<CliSummary & { requests: number; rps: number }>(
    args,
    target,
    placement,
    "built-in load generator",
  );
  return toRunResult(r, r.rps, r.requests, megabytes(spec, r.rps));
}

/** MB/s of a load: the echoed request bodies, or the downloaded responses of a static-file scenario. */
function megabytes(spec: LoadSpec, rps: number): number {
  const bytes = spec.responseBytes ?? spec.bodySize;
  return bytes > 0 ? (rps * bytes) / 1e6 : 0;
}

/** The built-in generator's WebSocket mode: `<runtime> bench/load/cli.ts ws://… --ws … --json`. */
async function runBuiltinWs(
  runtime: readonly string[],
  target: GeneratorTarget,
  placement: Placement,
): Promise<RunResult> {
  const { spec } = target;
  const ws = spec.ws!;
  const args = [
    ...runtime,
    "bench/load/cli.ts",
    `ws://127.0.0.1:${target.port}${spec.path}`,
    "--ws",
    "-c",
    String(spec.connections),
    "-d",
    `${target.durationMs}ms`,
    "--inflight",
    String(ws.inflight),
    "--message-size",
    String(ws.messageSize),
    "--json",
  ];
  if (ws.binary) args.push("--binary");
  if (ws.deflate) args.push("--deflate");
  const r = await runCli<CliSummary & { messages: number; messagesPerSecond: number; mbps: number }>(
    args,
    target,
    placement,
    "built-in load generator (ws)",
  );
  return toRunResult(r, r.messagesPerSecond, r.messages, r.mbps);
}

/** The Lua script for a scenario: requests as wrk should send them, and a JSON summary. */
export function wrkScript(spec: LoadSpec): string {
  const lines = ["-- written by bench/run.ts for one scenario; deleted after the run"];
  if (spec.bodySize > 0) {
    lines.push(
      `wrk.method = "${spec.method}"`,
      `wrk.body = string.rep("x", ${spec.bodySize})`,
      `wrk.headers["Content-Type"] = "application/octet-stream"`,
    );
  } else if (spec.method !== "GET") {
    lines.push(`wrk.method = "${spec.method}"`);
  }
  for (const [name, value] of spec.headers ?? []) lines.push(`wrk.headers["${name}"] = "${value}"`);
  const variant = spec.path.includes("{i}");
  if (variant || spec.pipeline > 1) {
    // Prebuilt in init(): request() only hands out strings, so Lua costs little per request.
    lines.push(
      "local batches = {}",
      "local n = 0",
      "init = function(args)",
      `  local variants = ${variant ? spec.variants : 1}`,
      `  local pipeline = ${spec.pipeline}`,
      "  local k = 0",
      "  for b = 1, variants do",
      "    local parts = {}",
      "    for m = 1, pipeline do",
      `      local path = string.gsub("${spec.path}", "{i}", tostring(k % variants))`,
      "      parts[m] = wrk.format(nil, path)",
      "      k = k + 1",
      "    end",
      "    batches[b] = table.concat(parts)",
      "  end",
      "end",
      "request = function()",
      "  n = n % #batches + 1",
      "  return batches[n]",
      "end",
    );
  }
  lines.push(
    "done = function(summary, latency, requests)",
    "  local e = summary.errors",
    '  io.write(string.format(\'WRK_JSON {"requests":%d,"duration_us":%d,"bytes":%d,"connect":%d,"read":%d,"write":%d,"status":%d,"timeout":%d,"p50":%.1f,"p90":%.1f,"p99":%.1f,"max":%.1f}\\n\',',
    "    summary.requests, summary.duration, summary.bytes, e.connect, e.read, e.write, e.status, e.timeout,",
    "    latency:percentile(50), latency:percentile(90), latency:percentile(99), latency.max))",
    "end",
  );
  return lines.join("\n") + "\n";
}

/** Run wrk with one thread (it has one CPU) and the scenario's script. Durations are whole seconds. */
export async function runWrk(wrk: string, target: GeneratorTarget, placement: Placement): Promise<RunResult> {
  const { spec } = target;
  const dir = mkdtempSync(join(tmpdir(), "wirecore-bench-"));
  removeAtExit(dir);
  const script = join(dir, "scenario.lua");
  writeFileSync(script, wrkScript(spec));
  const seconds = Math.max(1, Math.round(target.durationMs / 1000));
  const path = spec.path.replaceAll("{i}", "0");
  try {
    const child = new Child(
      [
        wrk,
        "-t1",
        `-c${spec.connections}`,
        `-d${seconds}s`,
        "--timeout",
        "10s",
        "-s",
        script,
        `http://127.0.0.1:${target.port}${path}`,
      ],
      placement,
    ).killOnAbort(target.signal);
    const line = await child.waitLine((l) => l.startsWith("WRK_JSON "), seconds * 1000 + 60_000, "wrk");
    await child.exited;
    const r = JSON.parse(line.slice("WRK_JSON ".length)) as Record<string, number>;
    const durationMs = r.duration_us! / 1000;
    const good = r.requests! - r.status!;
    const rps = (good * 1000) / durationMs;
    const errors: Record<string, number> = {};
    const kinds: [string, string][] = [["status", "status not 2xx/3xx"], ["connect", "connect"], ["read", "read"], [
      "write",
      "write",
    ], ["timeout", "timeout"]];
    for (const [key, name] of kinds) if (r[key]! > 0) errors[name] = r[key]!;
    return {
      rps,
      mbps: megabytes(spec, rps),
      requests: good,
      durationMs,
      p50: r.p50! / 1000,
      p90: r.p90! / 1000,
      p99: r.p99! / 1000,
      max: r.max! / 1000,
      errors,
      reconnects: 0,
    };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/** A running idle-connections generator (bench/load/cli.ts --idle N). */
export interface IdleHandle {
  ready: { good: number; open: number; errors: Record<string, number>; elapsedMs: number };
  /** The current state: connections still open, closed by the server. */
  report(): Promise<{ open: number; good: number; closedByServer: number; errors: Record<string, number> }>;
  close(): Promise<void>;
}

/** Open `count` idle keep-alive connections (one GET each) and hold them until close(). */
export async function openIdle(
  runtime: readonly string[],
  port: number,
  path: string,
  count: number,
  placement: Placement,
  signal?: AbortSignal,
): Promise<IdleHandle> {
  const child = new Child(
    [
      ...runtime,
      "bench/load/cli.ts",
      `http://127.0.0.1:${port}${path}`,
      "--idle",
      String(count),
      "--json",
      "--timeout",
      "30s",
    ],
    placement,
    "pipe",
  ).killOnAbort(signal);
  const isEvent = (event: string) => (l: string) => l.startsWith(`{"event":"${event}"`);
  const ready = JSON.parse(await child.waitLine(isEvent("ready"), 120_000, "idle connections"));
  return {
    ready,
    async report() {
      child.process.stdin!.write("report\n");
      return JSON.parse(await child.waitLine(isEvent("report"), 10_000, "idle report"));
    },
    async close() {
      child.process.stdin!.end();
      const timer = setTimeout(() => void child.kill(), 5_000);
      await child.exited;
      clearTimeout(timer);
    },
  };
}
