/**
 * What the soak's RSS samples say: the level after warm-up, at the end, and two growth rates
 * after warm-up. The least-squares slope over every sample past it follows the garbage
 * collector's sawtooth (V8 lets the heap grow for a minute or two, then gives half of it back),
 * so over a run of a few GC cycles it says more about the GC than about a leak. The floor growth
 * is what stays after collections: the slope through the lows right after each collection (a
 * drop of over 15 % from one sample to the next) when there are two or more; otherwise, the
 * lowest RSS in the last window against the first (a third of the time past warm-up, at most
 * 60 s), which a sawtooth longer than the window can still mislead — run longer then.
 */

/** One RSS reading of the server. */
export interface Sample {
  /** Seconds since the server was ready. */
  t: number;
  rssKb: number;
  /** What ran when it was taken: "start", "idle" (idle connections open), "active", "stopped". */
  phase: string;
}

/** The summary of a soak's samples. */
export interface Growth {
  /** The first sample at or after the end of warm-up (KB). */
  afterWarmupKb: number;
  /** The last active sample (KB). */
  endKb: number;
  /** Least-squares slope of the active samples past warm-up, in KB per minute. */
  kbPerMinute: number;
  /** Growth of what stays after collections, in KB per minute (see the module comment). */
  floorKbPerMinute: number;
  /** How the floor was measured: through post-collection lows, or first and last windows. */
  floorMethod: "collections" | "windows";
  /** Collections seen past warm-up (drops of over 15 % between two samples). */
  collections: number;
  /** The length of those windows, in seconds: a third of the time past warm-up, at most 60. */
  floorWindowS: number;
  /** The fitted line's value at the end of warm-up (KB), to draw it. */
  fitStartKb: number;
  /** How many samples the slope is fitted to. */
  fitted: number;
}

/** Least-squares slope of y over x; 0 with fewer than two distinct x. */
export function slope(points: readonly (readonly [number, number])[]): number {
  const n = points.length;
  if (n < 2) return 0;
  let sx = 0, sy = 0;
  for (const [x, y] of points) {
    sx += x;
    sy += y;
  }
  const mx = sx / n, my = sy / n;
  let num = 0, den = 0;
  for (const [x, y] of points) {
    num += (x - mx) * (y - my);
    den += (x - mx) * (x - mx);
  }
  return den === 0 ? 0 : num / den;
}

/** Growth of the active samples from `warmupEndT` (seconds since ready) on; null without any. */
export function growthAfter(samples: readonly Sample[], warmupEndT: number): Growth | null {
  const past = samples.filter((s) => s.phase === "active" && s.t >= warmupEndT);
  if (past.length === 0) return null;
  const kbPerMinute = slope(past.map((s) => [s.t / 60, s.rssKb]));
  const meanT = past.reduce((a, s) => a + s.t, 0) / past.length / 60;
  const meanKb = past.reduce((a, s) => a + s.rssKb, 0) / past.length;
  const first = past[0]!.t, last = past[past.length - 1]!.t;
  const windowS = Math.min(60, (last - first) / 3);
  const floor = (from: number, to: number): number =>
    Math.min(...past.filter((s) => s.t >= from && s.t <= to).map((s) => s.rssKb));
  const minutesApart = (last - windowS - first) / 60;
  const lows = past.filter((sample, i) => i > 0 && sample.rssKb < past[i - 1]!.rssKb * 0.85);
  const byCollections = lows.length >= 2;
  const floorKbPerMinute = byCollections
    ? slope(lows.map((l) => [l.t / 60, l.rssKb]))
    : minutesApart > 0
    ? (floor(last - windowS, last) - floor(first, first + windowS)) / minutesApart
    : 0;
  return {
    floorKbPerMinute,
    floorMethod: byCollections ? "collections" : "windows",
    collections: lows.length,
    floorWindowS: windowS,
    afterWarmupKb: past[0]!.rssKb,
    endKb: past[past.length - 1]!.rssKb,
    kbPerMinute,
    fitStartKb: meanKb + kbPerMinute * (warmupEndT / 60 - meanT),
    fitted: past.length,
  };
}

/** How the floor growth was measured, in words. */
export function floorHow(g: Growth): string {
  return g.floorMethod === "collections"
    ? `through the lows after ${g.collections} collections`
    : `lowest RSS of the first and last ${
      Math.round(g.floorWindowS)
    } s; ${g.collections} collections seen, run longer ` +
      `for a floor through them`;
}

/** The server's live bytes right after a forced full collection (`GET /_soak/live`). */
export interface LiveSample {
  /** Seconds since the server was ready. */
  t: number;
  liveKb: number;
  phase: string;
}

/** How live memory moved past warm-up. */
export interface LiveGrowth {
  /** Least-squares slope, KB per minute: the soak's leak verdict when the runtime can collect. */
  kbPerMinute: number;
  firstKb: number;
  lastKb: number;
  fitted: number;
}

/**
 * The growth of live memory after warm-up; null with fewer than three active samples. Unlike RSS,
 * each sample follows a full collection, so the slope over them is the leak rate itself, not the
 * collector's sawtooth.
 */
export function liveGrowthAfter(live: readonly LiveSample[], warmupEndT: number): LiveGrowth | null {
  const past = live.filter((s) => s.phase === "active" && s.t >= warmupEndT);
  if (past.length < 3) return null;
  return {
    kbPerMinute: slope(past.map((s) => [s.t / 60, s.liveKb])),
    firstKb: past[0]!.liveKb,
    lastKb: past[past.length - 1]!.liveKb,
    fitted: past.length,
  };
}
