/**
 * The bench's command line: its options, their defaults (and the --quick ones), and the help.
 */
import process from "node:process";
import { parseDuration } from "../load/args.ts";
import { SCENARIOS } from "./scenarios.ts";
import { type RuntimeName, RUNTIMES } from "./system.ts";

export interface Settings {
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
${
  SCENARIOS.filter((s) => s.optIn !== undefined).map((s) =>
    `                          ${s.name} only when named: ${s.optIn}`
  ).join("\n")
}
  --runs N                measured runs per row (default 3; quick 2, routes-scaling 1)
  --duration T            per run (default 5s; quick 1s, ws-echo-* and h2 0.5s; wrk rounds to whole seconds,
                          h2load adds ¼ of it, ≤ 1 s, of unmeasured warm-up to each run)
  --warmup T              before the runs of each server (default 2s; quick 0.25s)
  --generator G           auto (wrk when on PATH, default) or builtin; h2 always uses h2load
  --load-runtime R        runtime of the built-in generator (default node)
  --markdown              also print a summary table in Markdown (for bench/README.md)`;

export function parseSettings(argv: readonly string[]): Settings {
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
  if (s.scenarios.length === 0) s.scenarios = SCENARIOS.filter((x) => x.optIn === undefined).map((x) => x.name);
  return s;
}
