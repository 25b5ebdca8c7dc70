import { describe, expect, it } from "vitest";
import { growthAfter, liveGrowthAfter, type LiveSample, type Sample, slope } from "./growth.ts";

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

  it("fits the floor through the lows after collections when there are two or more", () => {
    // Node's sawtooth of a 6-minute run: climbs to ~380 MiB, falls to ~185 MiB every ~105 s.
    const mib = [330, 335, 343, 355, 365, 381, 187, 207, 221, 256, 274, 312, 342, 355, 368, 183, 197, 210, 235, 240];
    const saw: Sample[] = mib.map((m, i) => ({ t: 140 + 10 * i, rssKb: m * 1024, phase: "active" }));
    const g = growthAfter(saw, 140)!;
    expect(g.floorMethod).toBe("collections");
    expect(g.collections).toBe(2);
    expect(g.floorKbPerMinute).toBeCloseTo(((183 - 187) * 1024) / (90 / 60), 6);
  });

  it("falls back to the first and last windows without two collections", () => {
    const rising: Sample[] = Array.from({ length: 37 }, (_, i) => ({
      t: 5 * i,
      rssKb: 100_000 + 50 * i + (i % 4 === 0 ? 0 : 3_000),
      phase: "active",
    }));
    const g = growthAfter(rising, 0)!;
    expect(g.floorMethod).toBe("windows");
    expect(g.collections).toBe(0);
    expect(g.floorWindowS).toBe(60);
    // lowest of [0, 60] s is 100 000, of [120, 180] s 101 200: 1 200 KB over 2 minutes
    expect(g.floorKbPerMinute).toBeCloseTo(600, 6);
  });

  it("compares the floors of sawtooth lows", () => {
    // A sawtooth (GC every 60 s) over a floor rising 100 KB a minute, 10 minutes long.
    const saw: Sample[] = Array.from({ length: 121 }, (_, i) => {
      const t = 5 * i;
      return { t, rssKb: 100_000 + (100 * t) / 60 + ((t % 60) / 60) * 50_000, phase: "active" };
    });
    const g = growthAfter(saw, 0)!;
    expect(g.floorWindowS).toBe(60);
    expect(g.floorMethod).toBe("collections"); // each drop is a third: 9 collections

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
  it("fits live memory after warm-up only, and needs three samples", () => {
    const live: LiveSample[] = [
      { t: 10, liveKb: 40_000, phase: "idle" },
      { t: 30, liveKb: 60_000, phase: "active" }, // warm-up: left out
      ...[0, 1, 2, 3].map((i): LiveSample => ({ t: 120 + 30 * i, liveKb: 70_000 + 100 * i, phase: "active" })),
      { t: 300, liveKb: 10_000, phase: "stopped" },
    ];
    const g = liveGrowthAfter(live, 120)!;
    expect(g.fitted).toBe(4);
    expect(g.kbPerMinute).toBeCloseTo(200, 6); // 100 KB per 30 s
    expect([g.firstKb, g.lastKb]).toEqual([70_000, 70_300]);
    expect(liveGrowthAfter(live, 170)).toBeNull(); // two samples left
  });
});
