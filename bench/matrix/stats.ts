/** Median and spread of repeated runs. */

/** The median (mean of the middle two for an even count); null when empty. */
export function median(values: readonly number[]): number | null {
  if (values.length === 0) return null;
  const s = [...values].sort((a, b) => a - b);
  const mid = s.length >> 1;
  return s.length % 2 === 1 ? s[mid]! : (s[mid - 1]! + s[mid]!) / 2;
}

/** Run-to-run spread: (max − min) ÷ median, in percent; null with fewer than two runs. */
export function spreadPercent(values: readonly number[]): number | null {
  if (values.length < 2) return null;
  const m = median(values)!;
  if (m === 0) return null;
  return ((Math.max(...values) - Math.min(...values)) / m) * 100;
}

/** Error counts of several runs added up by kind. */
export function sumErrors(list: readonly Record<string, number>[]): Record<string, number> {
  const out: Record<string, number> = {};
  for (const errors of list) for (const [k, v] of Object.entries(errors)) out[k] = (out[k] ?? 0) + v;
  return out;
}
