/**
 * A log-linear histogram of non-negative integers (the load generator records latencies in
 * nanoseconds), in the manner of HdrHistogram: every power of two is split into 128 equal
 * sub-buckets, so a bucket is never wider than 1/128 of its lower bound. Reporting a bucket's
 * midpoint then errs by at most 1/256 ≈ 0.4 % — well inside the 1 % the load generator promises —
 * in constant memory, however many samples arrive. Values below 256 are exact.
 *
 * @example
 * ```ts
 * const h = new Histogram();
 * for (const ns of [120_000, 95_000, 2_400_000]) h.record(ns);
 * h.percentile(50); // ≈ 120 000 (within 0.4 %)
 * h.max; // 2 400 000, exact
 * ```
 */

/** log2 of the number of sub-buckets per power of two. */
const SUB_BITS = 7;
const SUB_COUNT = 1 << SUB_BITS; // 128
/** Values below this are counted one bucket per value (exact). */
const EXACT_LIMIT = SUB_COUNT * 2; // 256
/** The largest power of two tracked: 2^46 ns is about 19.5 hours. Larger values land in the last bucket. */
const TOP_EXPONENT = 46;
const BUCKETS = EXACT_LIMIT + (TOP_EXPONENT - SUB_BITS - 1) * SUB_COUNT;

/** The worst relative error of a reported percentile (bucket half-width over its lower bound). */
export const HISTOGRAM_MAX_RELATIVE_ERROR: number = 1 / (2 * SUB_COUNT);

/** floor(log2(v)) for an integer v ≥ 1, exact up to 2^53. */
function exponentOf(v: number): number {
  if (v < 0x80000000) return 31 - Math.clz32(v);
  let e = Math.floor(Math.log2(v));
  if (2 ** e > v) e--;
  else if (2 ** (e + 1) <= v) e++;
  return e;
}

/** The bucket index of an integer value ≥ 0. */
function indexOf(v: number): number {
  if (v < EXACT_LIMIT) return v;
  const e = exponentOf(v);
  if (e >= TOP_EXPONENT) return BUCKETS - 1;
  const shift = e - SUB_BITS;
  const sub = Math.floor(v / 2 ** shift) - SUB_COUNT; // 0 … 127
  return EXACT_LIMIT + (e - SUB_BITS - 1) * SUB_COUNT + sub;
}

/** The lowest value of a bucket and its width. */
function bucketRange(index: number): [low: number, width: number] {
  if (index < EXACT_LIMIT) return [index, 1];
  const k = index - EXACT_LIMIT;
  const e = SUB_BITS + 1 + Math.floor(k / SUB_COUNT);
  const sub = k % SUB_COUNT;
  const width = 2 ** (e - SUB_BITS);
  return [(SUB_COUNT + sub) * width, width];
}

/** A log-linear histogram with ≤ 0.4 % relative error per reported value; min, max and mean exact. */
export class Histogram {
  private readonly counts: Float64Array = new Float64Array(BUCKETS);
  /** Number of values recorded. */
  count = 0;
  /** Smallest value recorded (exact), or 0 when empty. */
  min = 0;
  /** Largest value recorded (exact), or 0 when empty. */
  max = 0;
  private sum = 0;

  /** Record one value; it is rounded to an integer and negatives count as 0. */
  record(value: number): void {
    const v = value > 0 ? Math.round(value) : 0;
    this.counts[indexOf(v)]!++;
    if (this.count === 0 || v < this.min) this.min = v;
    if (v > this.max) this.max = v;
    this.count++;
    this.sum += v;
  }

  /** The arithmetic mean of the recorded values (exact), or 0 when empty. */
  get mean(): number {
    return this.count === 0 ? 0 : this.sum / this.count;
  }

  /**
   * The value at percentile `p` (0–100): the smallest recorded value such that at least p % of
   * the values are ≤ it, reported as its bucket's midpoint and clamped to [min, max]. 0 when empty.
   */
  percentile(p: number): number {
    if (this.count === 0) return 0;
    if (p <= 0) return this.min;
    if (p >= 100) return this.max;
    const rank = Math.max(1, Math.ceil((p / 100) * this.count));
    let seen = 0;
    for (let i = 0; i < BUCKETS; i++) {
      seen += this.counts[i]!;
      if (seen >= rank) {
        const [low, width] = bucketRange(i);
        const mid = width === 1 ? low : low + (width - 1) / 2;
        return Math.min(this.max, Math.max(this.min, mid));
      }
    }
    return this.max;
  }

  /** Add every value of another histogram to this one. */
  merge(other: Histogram): void {
    if (other.count === 0) return;
    for (let i = 0; i < BUCKETS; i++) this.counts[i]! += other.counts[i]!;
    if (this.count === 0 || other.min < this.min) this.min = other.min;
    if (other.max > this.max) this.max = other.max;
    this.count += other.count;
    this.sum += other.sum;
  }

  /** Forget every value. */
  reset(): void {
    this.counts.fill(0);
    this.count = 0;
    this.min = 0;
    this.max = 0;
    this.sum = 0;
  }
}

/** Latency summary in milliseconds. */
export interface LatencySummary {
  min: number;
  mean: number;
  p50: number;
  p90: number;
  p99: number;
  p999: number;
  max: number;
}

/** The summary of a histogram of nanoseconds, in milliseconds. */
export function latencySummary(h: Histogram): LatencySummary {
  const ms = (ns: number): number => ns / 1e6;
  return {
    min: ms(h.min),
    mean: ms(h.mean),
    p50: ms(h.percentile(50)),
    p90: ms(h.percentile(90)),
    p99: ms(h.percentile(99)),
    p999: ms(h.percentile(99.9)),
    max: ms(h.max),
  };
}
