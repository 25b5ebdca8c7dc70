/** The floods report: one row per runtime and attack, and its Markdown table. */
import type { AttackReport } from "./h2-attack.ts";

/** One attack on one runtime. */
export interface FloodRow {
  runtime: string;
  date: string;
  settings: {
    beforeS: number;
    duringS: number;
    slowlorisConnections: number;
    victimCpu: string;
    /** The server ran with its per-address flood penalty (absent in rows from before it existed). */
    floodPenalty?: boolean;
    /** "hasty": the attacker dropped each connection on its GOAWAY (absent: patient). */
    attacker?: string;
  };
  attack: string;
  /** The victim's protocol: h2 (one session) or h1 (a connection per request). */
  victim: string;
  p99BeforeMs: number;
  p99DuringMs: number;
  victimRequests: { before: number; during: number };
  victimErrors: { before: number; during: number };
  /** The server's CPU use (user + system, % of one core) in the quiet window and during the attack. */
  serverCpuBefore: number;
  serverCpuDuring: number;
  rssBeforeKb: number;
  /** Highest RSS during the attack (sampled every 250 ms) minus RSS before it. */
  rssGrowthKb: number;
  serverDied: string | null;
  attack_: AttackReport;
}

/** The 99th percentile (nearest rank); NaN for no values. */
export function p99(values: readonly number[]): number {
  if (values.length === 0) return Number.NaN;
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.ceil(sorted.length * 0.99) - 1)]!;
}

function attackerOutcome(r: AttackReport): string {
  if (r.kind === "slowloris") {
    return r.firstCloseMs === null
      ? `none closed (${r.connections} held)`
      : `${r.closedByServer}/${r.connections} closed, first at ${(r.firstCloseMs / 1000).toFixed(1)} s`;
  }
  const codes = Object.entries(r.goaways).map(([code, n]) => `${n}× ${code}`).join(", ");
  if (r.firstGoawayMs === null) {
    return `no GOAWAY (${r.connections} connections, ${r.closedByServer} closed by the server, ${r.tcpResets} by a TCP reset)`;
  }
  const last = r.firstGoawayLastStream;
  const first = last === null ? "" : ` (last stream ${last}: ${(last + 1) / 2} requests processed)`;
  const resets = r.tcpResets > 0 ? `, ${r.tcpResets} ended by a TCP reset` : "";
  const refused = (r.refusedAtOnce ?? 0) > 0 ? ` (${r.refusedAtOnce} refused at once: last stream 0)` : "";
  const unanswered = r.connections - Object.values(r.goaways).reduce((n, k) => n + k, 0);
  const silent = unanswered > 1 ? `, ${unanswered} closed without a GOAWAY` : "";
  return `${codes}; first at ${r.firstGoawayMs} ms${first}; ${r.connections} connections${refused}${silent}${resets}, ${r.sent} requests sent`;
}

/** The table for bench/README.md. */
export function markdownTable(rows: readonly FloodRow[]): string {
  const lines = [
    "| runtime | attack | victim p99 before → during | × | victim errors | server CPU | attacker got | server RSS growth |",
    "| --- | --- | ---: | ---: | ---: | ---: | --- | ---: |",
  ];
  for (const r of rows) {
    const ratio = r.p99DuringMs / r.p99BeforeMs;
    lines.push(
      `| ${r.runtime} | ${r.attack}${r.settings.attacker === "hasty" ? ", hasty" : ""} (victim ${r.victim}) | ${
        r.p99BeforeMs.toFixed(1)
      } → ${r.p99DuringMs.toFixed(1)} ms | ${
        ratio.toFixed(2)
      } | ${r.victimErrors.during}/${r.victimRequests.during} | ${r.serverCpuBefore.toFixed(0)} → ${
        r.serverCpuDuring.toFixed(0)
      } % | ${attackerOutcome(r.attack_)}${r.serverDied === null ? "" : ` — ${r.serverDied}`} | ${
        (r.rssGrowthKb / 1024).toFixed(1)
      } MiB |`,
    );
  }
  return lines.join("\n");
}
