/** The soak's command line. */
import { type RuntimeName, RUNTIMES } from "../matrix/system.ts";

/** What `npm run soak` runs. */
export interface SoakSettings {
  runtime: RuntimeName;
  /** Length of the active phase, in minutes. */
  minutes: number;
  /** Idle keep-alive connections held through the whole run. */
  idle: number;
  /** Active clients (a third each HTTP/1.1, HTTP/2, WebSocket). */
  active: number;
  /** Each active client's pause between requests, in ms (jittered ½–1½×). */
  thinkMs: number;
  /** Minutes of the active phase treated as warm-up (left out of the growth rate). */
  warmupMinutes: number;
  /** Growth after warm-up above this many MiB per minute fails the soak. */
  maxGrowthMiBPerMinute: number;
  /** Also hold the idle connections on the runtime's native server. */
  native: boolean;
}

export const SOAK_USAGE: string = `npm run soak -- [options]

  --runtime node|bun|deno   the runtime whose adapter serves (default node)
  --minutes N               active phase, minutes (default 10; fractions allowed)
  --idle N                  idle keep-alive connections (default 10000)
  --active N                active clients: ⅓ HTTP/1.1 keep-alive, ⅓ h2c, ⅓ WebSocket echo (default 1000)
  --think MS                pause between one client's requests, jittered ½–1½× (default 250)
  --warmup N                minutes of the active phase left out of the growth rate
                            (default: a third of --minutes, at most 2)
  --max-growth N            fail above this growth after warm-up, MiB/min (default 1)
  --no-native               skip the native server's idle-connection measurement

Each process (server, clients) holds idle + active sockets: idle + active + 256 must stay under the
open-file hard limit (ulimit -Hn). Writes bench/results/soak-<runtime>.{json,svg}.`;

function num(args: readonly string[], name: string, fallback: number, integer = true): number {
  const at = args.indexOf(name);
  if (at < 0) return fallback;
  const value = Number(args[at + 1]);
  if (!Number.isFinite(value) || value < 0 || (integer && !Number.isInteger(value))) {
    throw new Error(`invalid ${name} ${JSON.stringify(args[at + 1] ?? "")}\n\n${SOAK_USAGE}`);
  }
  return value;
}

/** Parse the command line. */
export function soakSettings(args: readonly string[]): SoakSettings {
  const known = new Set([
    "--runtime",
    "--minutes",
    "--idle",
    "--active",
    "--think",
    "--warmup",
    "--max-growth",
    "--no-native",
  ]);
  for (const a of args) {
    if (a.startsWith("--") && !known.has(a)) throw new Error(`unknown option ${a}\n\n${SOAK_USAGE}`);
  }
  const at = args.indexOf("--runtime");
  const runtime = (at < 0 ? "node" : args[at + 1]) as RuntimeName;
  if (!RUNTIMES.includes(runtime)) throw new Error(`invalid --runtime ${JSON.stringify(runtime)}\n\n${SOAK_USAGE}`);
  const minutes = num(args, "--minutes", 10, false);
  if (minutes <= 0) throw new Error("--minutes must be above 0");
  return {
    runtime,
    minutes,
    idle: num(args, "--idle", 10_000),
    active: num(args, "--active", 1000),
    thinkMs: num(args, "--think", 250),
    warmupMinutes: num(args, "--warmup", Math.min(2, minutes / 3), false),
    maxGrowthMiBPerMinute: num(args, "--max-growth", 1, false),
    native: !args.includes("--no-native"),
  };
}
