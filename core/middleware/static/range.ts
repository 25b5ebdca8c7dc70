/**
 * The `Range` request field for bytes (RFC 9110 §14.1.2, §14.2): parsed and checked against the
 * file's size before any byte is read.
 * @module
 */

/** One byte range, `start` inclusive, `end` exclusive. */
export interface ByteRange {
  readonly start: number;
  readonly end: number;
}

/**
 * What a Range field asks for:
 * - `ignore`: no field, another unit, or invalid syntax — send the whole file, 200 (§14.2: a
 *   server MAY ignore the field; invalid syntax is ignored rather than failed);
 * - `unsatisfiable`: valid, but no range overlaps the file — 416 (§15.5.17);
 * - `ranges`: the satisfiable ranges, sorted and coalesced, clamped to the size.
 */
export type RangeRequest =
  | { readonly kind: "ignore" }
  | { readonly kind: "unsatisfiable" }
  | { readonly kind: "ranges"; readonly ranges: readonly ByteRange[] };

const IGNORE: RangeRequest = { kind: "ignore" };
const UNSATISFIABLE: RangeRequest = { kind: "unsatisfiable" };
const DIGITS = /^[0-9]+$/;

/** Bounds against range abuse (§14.2: many small or overlapping ranges). */
export interface RangeLimits {
  /** More range-specs than this in one field: the field is ignored (a 200 with the whole file). */
  readonly maxRanges: number;
  /**
   * Ranges closer than this many bytes are merged into one part: a gap smaller than a part's
   * own headers costs more to skip than to send (§14.2 allows coalescing).
   */
  readonly coalesceGap: number;
}

export const DEFAULT_RANGE_LIMITS: RangeLimits = { maxRanges: 32, coalesceGap: 80 };

/**
 * Parse `field` (the Range value, or undefined) for a representation of `size` bytes.
 *
 * @example
 * ```ts
 * parseRange("bytes=0-99", 1000); // { kind: "ranges", ranges: [{ start: 0, end: 100 }] }
 * parseRange("bytes=-100", 1000); // the last 100 bytes: [{ start: 900, end: 1000 }]
 * parseRange("bytes=2000-", 1000); // { kind: "unsatisfiable" }
 * ```
 */
export function parseRange(
  field: string | undefined,
  size: number,
  limits: RangeLimits = DEFAULT_RANGE_LIMITS,
): RangeRequest {
  if (field === undefined) return IGNORE;
  const eq = field.indexOf("=");
  // range-unit is a case-insensitive token (§14.1); only "bytes" is defined.
  if (eq < 0 || field.slice(0, eq).trim().toLowerCase() !== "bytes") return IGNORE;
  const specs = field.slice(eq + 1).split(",");
  const ranges: ByteRange[] = [];
  let count = 0;
  for (const rawSpec of specs) {
    const spec = rawSpec.trim();
    // §5.6.1: a recipient accepts and ignores empty list elements.
    if (spec === "") continue;
    if (++count > limits.maxRanges) return IGNORE;
    const dash = spec.indexOf("-");
    if (dash < 0) return IGNORE;
    const first = spec.slice(0, dash);
    const last = spec.slice(dash + 1);
    if (first === "") {
      // suffix-range: the last N bytes; "-0" is valid but selects nothing.
      if (!DIGITS.test(last)) return IGNORE;
      const length = Number(last);
      if (length > 0 && size > 0) ranges.push({ start: Math.max(0, size - length), end: size });
      continue;
    }
    if (!DIGITS.test(first) || (last !== "" && !DIGITS.test(last))) return IGNORE;
    const start = Number(first);
    const lastPos = last === "" ? Infinity : Number(last);
    // §14.1.2: an int-range with last-pos < first-pos is invalid.
    if (lastPos < start) return IGNORE;
    if (start >= size) continue; // unsatisfiable on its own; others may still be.
    ranges.push({ start, end: Math.min(lastPos + 1, size) });
  }
  if (count === 0) return IGNORE;
  if (ranges.length === 0) return UNSATISFIABLE;
  return { kind: "ranges", ranges: coalesce(ranges, limits.coalesceGap) };
}

/** Sort by start and merge ranges that overlap or lie within `gap` bytes of each other. */
function coalesce(ranges: ByteRange[], gap: number): ByteRange[] {
  if (ranges.length === 1) return ranges;
  ranges.sort((a, b) => a.start - b.start);
  const out: ByteRange[] = [];
  let current = ranges[0]!;
  for (let i = 1; i < ranges.length; i++) {
    const next = ranges[i]!;
    if (next.start <= current.end + gap) {
      if (next.end > current.end) current = { start: current.start, end: next.end };
    } else {
      out.push(current);
      current = next;
    }
  }
  out.push(current);
  return out;
}
