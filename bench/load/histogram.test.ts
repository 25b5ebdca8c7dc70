import { describe, expect, it } from "vitest";
import { Histogram, HISTOGRAM_MAX_RELATIVE_ERROR } from "./histogram.ts";

/** The exact percentile by the same definition: the smallest value with ≥ p % at or below it. */
function exactPercentile(sorted: number[], p: number): number {
  if (p <= 0) return sorted[0]!;
  if (p >= 100) return sorted[sorted.length - 1]!;
  const rank = Math.max(1, Math.ceil((p / 100) * sorted.length));
  return sorted[rank - 1]!;
}

/** A small deterministic PRNG (mulberry32), so a failure reproduces. */
function prng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const PERCENTILES = [0, 1, 10, 25, 50, 75, 90, 95, 99, 99.9, 99.99, 100];

function checkAgainstExact(values: number[]): void {
  const h = new Histogram();
  for (const v of values) h.record(v);
  const sorted = values.map((v) => Math.round(v)).sort((a, b) => a - b);
  expect(h.count).toBe(values.length);
  expect(h.min).toBe(sorted[0]);
  expect(h.max).toBe(sorted[sorted.length - 1]);
  for (const p of PERCENTILES) {
    const exact = exactPercentile(sorted, p);
    const got = h.percentile(p);
    const err = exact === 0 ? got : Math.abs(got - exact) / exact;
    expect(err, `p${p}: got ${got}, exact ${exact}`).toBeLessThanOrEqual(0.01);
    expect(err, `p${p}: within the documented bound`).toBeLessThanOrEqual(HISTOGRAM_MAX_RELATIVE_ERROR);
  }
}

describe("Histogram", () => {
  it("promises at most 1 % relative error", () => {
    expect(HISTOGRAM_MAX_RELATIVE_ERROR).toBeLessThanOrEqual(0.01);
  });

  it("is empty until a value is recorded", () => {
    const h = new Histogram();
    expect(h.count).toBe(0);
    expect(h.percentile(50)).toBe(0);
    expect(h.mean).toBe(0);
    expect(h.max).toBe(0);
  });

  it("is exact for small values", () => {
    const h = new Histogram();
    for (let v = 0; v < 256; v++) h.record(v);
    expect(h.percentile(50)).toBe(127);
    expect(h.percentile(100)).toBe(255);
    expect(h.min).toBe(0);
  });

  it("reports a single value exactly (clamped to min/max)", () => {
    const h = new Histogram();
    h.record(1_234_567);
    for (const p of PERCENTILES) expect(h.percentile(p)).toBe(1_234_567);
  });

  it("stays within 1 % of the exact percentiles: log-uniform latencies from 10 µs to 10 s in ns", () => {
    const rand = prng(1);
    const values: number[] = [];
    for (let i = 0; i < 200_000; i++) values.push(10_000 * 10 ** (6 * rand()));
    checkAgainstExact(values);
  });

  it("stays within 1 % for a tight cluster with a long tail", () => {
    const rand = prng(2);
    const values: number[] = [];
    for (let i = 0; i < 100_000; i++) values.push(480_000 + rand() * 40_000);
    for (let i = 0; i < 100; i++) values.push(50_000_000 + rand() * 1e9);
    checkAgainstExact(values);
  });

  it("stays within 1 % at every bucket boundary", () => {
    const values: number[] = [];
    for (let e = 8; e < 40; e++) {
      const base = 2 ** e;
      values.push(base - 1, base, base + 1, base * 1.5, base * 2 - 1);
    }
    checkAgainstExact(values);
  });

  it("handles values beyond 2^32 (a latency of hours in ns)", () => {
    const h = new Histogram();
    h.record(3.6e12);
    h.record(1e13);
    expect(Math.abs(h.percentile(50) - 3.6e12) / 3.6e12).toBeLessThan(0.01);
    expect(h.max).toBe(1e13);
  });

  it("keeps the mean exact and rounds negatives to 0", () => {
    const h = new Histogram();
    h.record(100);
    h.record(300);
    h.record(-5);
    expect(h.mean).toBeCloseTo(400 / 3, 10);
    expect(h.min).toBe(0);
  });

  it("merges histograms as if every value had been recorded in one", () => {
    const rand = prng(3);
    const a = new Histogram();
    const b = new Histogram();
    const all = new Histogram();
    for (let i = 0; i < 10_000; i++) {
      const v = Math.round(1000 + rand() * 1e7);
      (i % 2 === 0 ? a : b).record(v);
      all.record(v);
    }
    a.merge(b);
    expect(a.count).toBe(all.count);
    expect(a.min).toBe(all.min);
    expect(a.max).toBe(all.max);
    expect(a.mean).toBeCloseTo(all.mean, 6);
    for (const p of PERCENTILES) expect(a.percentile(p)).toBe(all.percentile(p));
    a.reset();
    expect(a.count).toBe(0);
    expect(a.percentile(99)).toBe(0);
  });
});
