/**
 * The ratios the bench is about: wirecore ÷ the runtime's own server, per scenario and runtime
 * (one per named peer where a scenario names several).
 */
import type { Row } from "./rows.ts";
import type { RuntimeName } from "./system.ts";

export interface Ratio {
  scenario: string;
  variant: string;
  runtime: RuntimeName;
  /** The native peer's name where the scenario names its peers (h2); one ratio per peer then. */
  peer?: string;
  /** wirecore ÷ native of the headline number; null when either is missing. */
  ratio: number | null;
  lowerIsBetter: boolean;
  /** wirecore ÷ the raw ceiling (a canned-response server on the same socket API), where measured. */
  ofRaw?: number | null;
  /** wirecore ÷ native server CPU per request (message, MB); lower is better; null when either is missing. */
  cpuRatio: number | null;
}

/** The native rows a wirecore row is compared with: one, or one per named peer (h2). */
export function nativesOf(rows: readonly Row[], w: Row): Row[] {
  return rows.filter((r) =>
    r.server === "native" && r.scenario === w.scenario && r.runtime === w.runtime &&
    (r.variant === w.variant || r.variant === "")
  );
}

/** Every wirecore row's ratio to its native row(s). */
export function ratios(rows: readonly Row[]): Ratio[] {
  const out: Ratio[] = [];
  for (const w of rows) {
    if (w.server !== "wirecore") continue;
    const natives = nativesOf(rows, w);
    for (const n of natives.length === 0 ? [undefined] : natives) {
      // A memory growth ≤ 0 is below the noise floor: no meaningful ratio.
      const ok = w.value !== null && n !== undefined && n.value !== null && n.value > 0 &&
        (!w.lowerIsBetter || w.value > 0);
      const r: Ratio = {
        scenario: w.scenario,
        variant: w.variant,
        runtime: w.runtime,
        ratio: ok ? w.value! / n!.value! : null,
        lowerIsBetter: w.lowerIsBetter,
        cpuRatio: w.cpuPerUnit !== null && n?.cpuPerUnit != null && n.cpuPerUnit > 0
          ? w.cpuPerUnit / n.cpuPerUnit
          : null,
      };
      if (n?.peer !== undefined) r.peer = n.peer;
      const raw = rows.find((x) => x.server === "raw" && x.scenario === w.scenario && x.runtime === w.runtime);
      if (raw !== undefined) {
        r.ofRaw = w.value !== null && raw.value !== null && raw.value > 0 ? w.value / raw.value : null;
      }
      out.push(r);
    }
  }
  return out;
}
