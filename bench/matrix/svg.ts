/**
 * The ratio chart as plain SVG: one group per scenario, one bar per runtime (wirecore ÷ native),
 * a dashed line at 1.0. Ratios are multiplicative, so the axis is logarithmic (×2 per step) and
 * every bar starts at 1.0: up when wirecore is ahead, down when behind — 2× and ½× look alike.
 * Hand-written, no dependencies.
 */

export interface ChartGroup {
  /** Scenario name, shown under the group. */
  label: string;
  /** A second line under the label, e.g. "lower is better". */
  sublabel?: string;
  /** Ratio per runtime; null draws "n/a" (with `reason` when the whole group is n/a), a missing runtime nothing. */
  bars: { runtime: string; ratio: number | null }[];
  reason?: string;
}

export interface ChartOptions {
  title: string;
  subtitle: string;
  runtimes: readonly string[];
  colors: Readonly<Record<string, string>>;
  /** A last line of explanation under the chart. */
  footnote?: string;
}

const esc = (s: string): string =>
  s.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;").replace(/"/g, "&quot;");

/** "0.25", "0.5", "1", "2", "16": a power of two as a short label. */
function tickLabel(v: number): string {
  return v >= 1 ? String(v) : String(Number(v.toPrecision(3)));
}

/** Render the chart. */
export function ratioChart(groups: readonly ChartGroup[], o: ChartOptions): string {
  const barW = 26;
  const gap = 6;
  const groupPad = 34;
  const groupW = o.runtimes.length * (barW + gap) - gap + groupPad;
  const left = 64;
  const top = 84;
  const plotH = 300;
  const width = Math.max(640, left + groups.length * groupW + 24);
  const height = top + plotH + 96;

  // The axis spans whole powers of two around every ratio, at least ¼ … 4.
  let lo = 0.25;
  let hi = 4;
  for (const g of groups) {
    for (const b of g.bars) {
      if (b.ratio === null || b.ratio <= 0) continue;
      lo = Math.min(lo, 2 ** Math.floor(Math.log2(b.ratio) - 0.15));
      hi = Math.max(hi, 2 ** Math.ceil(Math.log2(b.ratio) + 0.15));
    }
  }
  const l2lo = Math.log2(lo);
  const l2hi = Math.log2(hi);
  const y = (v: number): number => top + plotH - ((Math.log2(v) - l2lo) / (l2hi - l2lo)) * plotH;
  const y1 = y(1);

  const out: string[] = [];
  out.push(
    `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}" viewBox="0 0 ${width} ${height}" font-family="system-ui, -apple-system, Segoe UI, Helvetica, Arial, sans-serif" font-size="12">`,
    `<rect width="${width}" height="${height}" fill="#ffffff"/>`,
    `<text x="${left}" y="26" font-size="16" font-weight="600" fill="#111">${esc(o.title)}</text>`,
    `<text x="${left}" y="46" fill="#555">${esc(o.subtitle)}</text>`,
  );
  // Legend.
  let lx = left;
  for (const r of o.runtimes) {
    out.push(
      `<rect x="${lx}" y="58" width="12" height="12" fill="${o.colors[r] ?? "#888"}"/>`,
      `<text x="${lx + 16}" y="68" fill="#333">${esc(r)}</text>`,
    );
    lx += 70;
  }
  out.push(
    `<line x1="${lx}" x2="${lx + 24}" y1="64" y2="64" stroke="#d00" stroke-width="1.5" stroke-dasharray="6 4"/>`,
    `<text x="${lx + 30}" y="68" fill="#333">1.0 = same as native</text>`,
  );
  // Grid: one line per power of two.
  for (let e = Math.round(l2lo); e <= Math.round(l2hi); e++) {
    const v = 2 ** e;
    const yy = y(v).toFixed(1);
    out.push(
      `<line x1="${left}" x2="${width - 16}" y1="${yy}" y2="${yy}" stroke="#eee"/>`,
      `<text x="${left - 8}" y="${(y(v) + 4).toFixed(1)}" text-anchor="end" fill="#666">${tickLabel(v)}×</text>`,
    );
  }
  out.push(`<line x1="${left}" x2="${left}" y1="${top}" y2="${top + plotH}" stroke="#999"/>`);
  out.push(
    `<text transform="translate(16 ${
      top + plotH / 2
    }) rotate(-90)" text-anchor="middle" fill="#333">wirecore ÷ native (log scale)</text>`,
  );
  // Bars, from the 1.0 line to the ratio.
  groups.forEach((g, gi) => {
    const gx = left + groupPad / 2 + gi * groupW;
    const inner = groupW - groupPad;
    const cx = (gx + inner / 2).toFixed(1);
    if (g.bars.every((b) => b.ratio === null)) {
      out.push(`<text x="${cx}" y="${(y1 - 30).toFixed(1)}" text-anchor="middle" fill="#888">n/a</text>`);
      if (g.reason) {
        out.push(
          `<text x="${cx}" y="${(y1 - 16).toFixed(1)}" text-anchor="middle" fill="#999" font-size="10">${
            esc(g.reason)
          }</text>`,
        );
      }
    }
    o.runtimes.forEach((runtime, ri) => {
      const bar = g.bars.find((b) => b.runtime === runtime);
      const x = gx + ri * (barW + gap);
      const mid = x + barW / 2;
      // No bar at all: that runtime has no such comparison (a further peer of another runtime).
      if (bar === undefined) return;
      if (bar.ratio === null || bar.ratio <= 0) {
        if (g.bars.some((b) => b.ratio !== null)) {
          out.push(
            `<text x="${mid}" y="${(y1 - 4).toFixed(1)}" text-anchor="middle" font-size="9" fill="#999">n/a</text>`,
          );
        }
        return;
      }
      const yv = y(bar.ratio);
      const up = bar.ratio >= 1;
      const yTop = Math.min(yv, y1);
      const h = Math.max(1, Math.abs(yv - y1));
      out.push(
        `<rect x="${x}" y="${yTop.toFixed(1)}" width="${barW}" height="${h.toFixed(1)}" fill="${
          o.colors[runtime] ?? "#888"
        }"><title>${esc(`${g.label} on ${runtime}: ${bar.ratio.toFixed(2)}`)}</title></rect>`,
        `<text x="${mid}" y="${(up ? yv - 4 : yv + 12).toFixed(1)}" text-anchor="middle" font-size="10" fill="#333">${
          bar.ratio.toFixed(2)
        }</text>`,
      );
    });
    out.push(`<text x="${cx}" y="${top + plotH + 18}" text-anchor="middle" fill="#111">${esc(g.label)}</text>`);
    if (g.sublabel) {
      out.push(
        `<text x="${cx}" y="${top + plotH + 32}" text-anchor="middle" fill="#777" font-size="10">${
          esc(g.sublabel)
        }</text>`,
      );
    }
  });
  // The parity line, drawn last so it stays visible over the bars.
  out.push(
    `<line x1="${left}" x2="${width - 16}" y1="${y1.toFixed(1)}" y2="${
      y1.toFixed(1)
    }" stroke="#d00" stroke-width="1.5" stroke-dasharray="6 4"/>`,
  );
  if (o.footnote) out.push(`<text x="${left}" y="${height - 14}" fill="#777" font-size="10">${esc(o.footnote)}</text>`);
  out.push("</svg>");
  return out.join("\n") + "\n";
}
