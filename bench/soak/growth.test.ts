import { describe, expect, it } from "vitest";
import { growthAfter, type Sample, slope } from "./growth.ts";

describe("soak growth", () => {
  it("fits the slope of a straight line exactly", () => {
    expect(slope([[0, 10], [1, 12], [2, 14], [3, 16]])).toBeCloseTo(2, 10);
    expect(slope([[5, 7]])).toBe(0);
    expect(slope([[1, 1], [1, 9]])).toBe(0);
  });

  it("uses only active samples past warm-up, in KB per minute", () => {
    const samples: Sample[] = [
      { t: 0, rssKb: 50_000, phase: "start" },
      { t: 5, rssKb: 90_000, phase: "idle" },
      { t: 10, rssKb: 99_000, phase: "active" }, // warm-up: left out
      ...Array.from({ length: 13 }, (_, i): Sample => ({ t: 60 + 5 * i, rssKb: 100_000 + 50 * i, phase: "active" })),
      { t: 130, rssKb: 80_000, phase: "stopped" },
    ];
    const g = growthAfter(samples, 60)!;
    expect(g.fitted).toBe(13);
    expect(g.afterWarmupKb).toBe(100_000);
    expect(g.endKb).toBe(100_600);
    expect(g.kbPerMinute).toBeCloseTo(600, 6); // 50 KB per 5 s
    expect(growthAfter(samples, 1000)).toBeNull();
  });

  it("compares the floors of the first and last windows", () => {
    // A sawtooth (GC every 60 s) over a floor rising 100 KB a minute, 10 minutes long.
    const saw: Sample[] = Array.from({ length: 121 }, (_, i) => {
      const t = 5 * i;
      return { t, rssKb: 100_000 + (100 * t) / 60 + ((t % 60) / 60) * 50_000, phase: "active" };
    });
    const g = growthAfter(saw, 0)!;
    expect(g.floorWindowS).toBe(60);
    expect(g.floorKbPerMinute).toBeCloseTo(100, 0);
    const flat: Sample[] = saw.map((s) => ({ ...s, rssKb: 100_000 + ((s.t % 60) / 60) * 50_000 }));
    expect(growthAfter(flat, 0)!.floorKbPerMinute).toBeCloseTo(0, 6);
  });

  it("is not fooled by one spike the way last-minus-first is", () => {
    const flat: Sample[] = Array.from({ length: 24 }, (_, i) => ({ t: 5 * i, rssKb: 100_000, phase: "active" }));
    flat[23] = { ...flat[23]!, rssKb: 120_000 }; // a GC spike in the last sample
    const g = growthAfter(flat, 0)!;
    expect(g.endKb - g.afterWarmupKb).toBe(20_000);
    expect(g.kbPerMinute).toBeLessThan(20_000 / 2); // the run is ~2 minutes long
  });
});
