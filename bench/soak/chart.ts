/**
 * The soak chart as plain SVG: server RSS (MiB) over time (minutes), the live bytes after each
 * forced collection beside it, the warm-up end as a dashed line, the fitted growth line over the
 * RSS samples past it. Hand-written, no dependencies.
 */
import type { LiveSample, Sample } from "./growth.ts";

/** What the chart says besides the samples. */
export interface SoakChartOptions {
  title: string;
  subtitle: string;
  /** Seconds since ready at which warm-up ended. */
  warmupEndT: number;
  /** The fitted line past warm-up: value at warmupEndT (KB) and slope (KB per minute). */
  fit: { startKb: number; kbPerMinute: number } | null;
  /** Floor-to-floor growth after warm-up, KB per minute (the verdict's figure). */
  floorKbPerMinute: number | null;
  /** Live bytes after forced collections (empty when the runtime could not collect). */
  live: readonly LiveSample[];
  /** Their least-squares growth past warm-up, KB per minute (the verdict's figure when there). */
  liveKbPerMinute: number | null;
}

const esc = (s: string): string => s.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;");

/** A "nice" tick step (1, 2 or 5 × 10^n) for about `count` ticks over `range`. */
function niceStep(range: number, count: number): number {
  const raw = range / count;
  const power = 10 ** Math.floor(Math.log10(raw));
  for (const m of [1, 2, 5, 10]) if (raw <= m * power) return m * power;
  return 10 * power;
}

/** Render the chart. */
export function soakChart(samples: readonly Sample[], o: SoakChartOptions): string {
  const W = 760, H = 360, left = 64, right = 20, top = 58, bottom = 46;
  const plotW = W - left - right, plotH = H - top - bottom;
  const mib = samples.map((s) => s.rssKb / 1024);
  const tMax = Math.max(1, ...samples.map((s) => s.t)) / 60;
  const yMaxRaw = Math.max(1, ...mib) * 1.1;
  const yStep = niceStep(yMaxRaw, 6);
  const yMax = Math.ceil(yMaxRaw / yStep) * yStep;
  const xStep = niceStep(tMax, 8);
  const x = (minutes: number): number => left + (minutes / tMax) * plotW;
  const y = (v: number): number => top + plotH - (v / yMax) * plotH;
  const out: string[] = [];
  out.push(
    `<svg xmlns="http://www.w3.org/2000/svg" width="${W}" height="${H}" viewBox="0 0 ${W} ${H}" font-family="sans-serif" font-size="12">`,
    `<rect width="${W}" height="${H}" fill="white"/>`,
    `<text x="${left}" y="22" font-size="15" font-weight="bold">${esc(o.title)}</text>`,
    `<text x="${left}" y="40" fill="#555">${esc(o.subtitle)}</text>`,
  );
  for (let v = 0; v <= yMax + 1e-9; v += yStep) {
    out.push(
      `<line x1="${left}" x2="${left + plotW}" y1="${y(v).toFixed(1)}" y2="${y(v).toFixed(1)}" stroke="#e5e5e5"/>`,
      `<text x="${left - 6}" y="${(y(v) + 4).toFixed(1)}" text-anchor="end">${Number(v.toPrecision(4))}</text>`,
    );
  }
  for (let t = 0; t <= tMax + 1e-9; t += xStep) {
    out.push(
      `<text x="${x(t).toFixed(1)}" y="${top + plotH + 16}" text-anchor="middle">${Number(t.toPrecision(3))}</text>`,
    );
  }
  out.push(
    `<text x="${left + plotW / 2}" y="${
      H - 8
    }" text-anchor="middle" fill="#555">minutes since the server was ready</text>`,
    `<text x="16" y="${top + plotH / 2}" text-anchor="middle" fill="#555" transform="rotate(-90 16 ${
      top + plotH / 2
    })">server RSS (MiB)</text>`,
    `<line x1="${left}" x2="${left}" y1="${top}" y2="${top + plotH}" stroke="#888"/>`,
    `<line x1="${left}" x2="${left + plotW}" y1="${top + plotH}" y2="${top + plotH}" stroke="#888"/>`,
  );
  const wx = x(o.warmupEndT / 60).toFixed(1);
  out.push(
    `<line x1="${wx}" x2="${wx}" y1="${top}" y2="${top + plotH}" stroke="#999" stroke-dasharray="4 4"/>`,
    `<text x="${Number(wx) + 4}" y="${top + 12}" fill="#777">warm-up ends</text>`,
  );
  const points = samples.map((s, i) => `${x(s.t / 60).toFixed(1)},${y(mib[i]!).toFixed(1)}`).join(" ");
  out.push(`<polyline points="${points}" fill="none" stroke="#1f77b4" stroke-width="2"/>`);
  if (o.fit !== null) {
    const t0 = o.warmupEndT / 60;
    const lastActive = samples.filter((s) => s.phase === "active").at(-1);
    const t1 = lastActive === undefined ? tMax : lastActive.t / 60;
    const v0 = o.fit.startKb / 1024, v1 = (o.fit.startKb + o.fit.kbPerMinute * (t1 - t0)) / 1024;
    out.push(
      `<line x1="${x(t0).toFixed(1)}" y1="${y(v0).toFixed(1)}" x2="${x(t1).toFixed(1)}" y2="${
        y(v1).toFixed(1)
      }" stroke="#d62728" stroke-width="1.5" stroke-dasharray="6 3"/>`,
      `<text x="${left + plotW - 4}" y="${
        top + 44
      }" text-anchor="end" fill="#d62728">least-squares slope after warm-up: ${
        (o.fit.kbPerMinute / 1024).toFixed(3)
      } MiB/min</text>`,
    );
  }
  if (o.live.length > 0) {
    const livePoints = o.live.map((s) => `${x(s.t / 60).toFixed(1)},${y(s.liveKb / 1024).toFixed(1)}`).join(" ");
    out.push(
      `<polyline points="${livePoints}" fill="none" stroke="#ff7f0e" stroke-width="2"/>`,
      `<text x="${left + plotW - 4}" y="${top + 16}" text-anchor="end" fill="#ff7f0e">live bytes after a ` +
        `forced collection${
          o.liveKbPerMinute === null ? "" : `: ${(o.liveKbPerMinute / 1024).toFixed(3)} MiB/min after warm-up`
        }</text>`,
    );
  }
  if (o.floorKbPerMinute !== null) {
    out.push(
      `<text x="${left + plotW - 4}" y="${top + 30}" text-anchor="end">floor-to-floor growth after warm-up: ${
        (o.floorKbPerMinute / 1024).toFixed(3)
      } MiB/min</text>`,
    );
  }
  out.push("</svg>");
  return out.join("\n") + "\n";
}
