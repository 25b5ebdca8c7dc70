import { describe, expect, it } from "vitest";
import { parseRange, type RangeRequest } from "./range.ts";

const r = (...pairs: [number, number][]): RangeRequest => ({
  kind: "ranges",
  ranges: pairs.map(([start, end]) => ({ start, end })),
});
const IGNORE: RangeRequest = { kind: "ignore" };
const UNSAT: RangeRequest = { kind: "unsatisfiable" };

// [RFC section and what, field, size, expected]; ends are exclusive.
const CASES: [string, string | undefined, number, RangeRequest][] = [
  ["no field", undefined, 100, IGNORE],
  ["§14.1.2 first-last", "bytes=0-9", 100, r([0, 10])],
  ["§14.1.2 open-ended", "bytes=90-", 100, r([90, 100])],
  ["§14.1.2 last-pos past the end is clamped", "bytes=90-1000", 100, r([90, 100])],
  ["§14.1.2 suffix", "bytes=-10", 100, r([90, 100])],
  ["§14.1.2 suffix longer than the file: all of it", "bytes=-1000", 100, r([0, 100])],
  ["§14.1 unit is case-insensitive", "BYTES=0-0", 100, r([0, 1])],
  ["§5.6.1 OWS and empty list elements", "bytes= 0-1 , ,500-599", 1000, r([0, 2], [500, 600])],
  ["§14.2 overlapping ranges coalesce", "bytes=0-50,10-20,40-60", 1000, r([0, 61])],
  ["§14.2 close ranges coalesce (gap < 80)", "bytes=0-9,50-59", 1000, r([0, 60])],
  ["§14.2 far ranges stay apart, sorted", "bytes=500-599,0-99", 1000, r([0, 100], [500, 600])],
  ["§14.1.2 first-pos at size: unsatisfiable", "bytes=100-", 100, UNSAT],
  ["§14.1.2 suffix of 0: unsatisfiable", "bytes=-0", 100, UNSAT],
  ["§14.1.2 any range of an empty file: unsatisfiable", "bytes=0-", 0, UNSAT],
  ["§14.1.2 one satisfiable among unsatisfiable", "bytes=200-300,5-6", 100, r([5, 7])],
  ["§14.2 other unit: ignored", "items=0-5", 100, IGNORE],
  ["§14.2 no '=': ignored", "bytes 0-5", 100, IGNORE],
  ["§14.1.2 last < first: invalid, ignored", "bytes=5-4", 100, IGNORE],
  ["§14.1.2 not digits: ignored", "bytes=a-b", 100, IGNORE],
  ["§14.1.2 signed: ignored", "bytes=+1-2", 100, IGNORE],
  ["§14.1.2 no dash: ignored", "bytes=5", 100, IGNORE],
  ["§14.1.2 empty set: ignored", "bytes=", 100, IGNORE],
  ["§14.1.2 one bad spec spoils the field", "bytes=0-1,x", 100, IGNORE],
  ["§14.1.2 huge numbers are just large", "bytes=0-99999999999999999999", 100, r([0, 100])],
  ["§14.1.2 huge first-pos is unsatisfiable", "bytes=99999999999999999999-", 100, UNSAT],
];

describe("parseRange", () => {
  for (const [name, field, size, expected] of CASES) {
    it(`${name}: ${JSON.stringify(field)} of ${size}`, () => {
      expect(parseRange(field, size)).toEqual(expected);
    });
  }

  it("§14.2 more ranges than maxRanges: the field is ignored", () => {
    const many = "bytes=" + Array.from({ length: 33 }, (_, i) => `${i * 1000}-${i * 1000 + 1}`).join(",");
    expect(parseRange(many, 100_000)).toEqual(IGNORE);
    const ok = "bytes=" + Array.from({ length: 32 }, (_, i) => `${i * 1000}-${i * 1000 + 1}`).join(",");
    const parsed = parseRange(ok, 100_000);
    expect(parsed.kind === "ranges" && parsed.ranges.length).toBe(32);
  });

  it("§14.2 many overlapping ranges cost one part, never more bytes than the file", () => {
    const overlapping = "bytes=" + Array.from({ length: 32 }, () => "0-").join(",");
    expect(parseRange(overlapping, 1000)).toEqual(r([0, 1000]));
  });

  it("returns sorted, disjoint, in-bounds ranges for random fields", () => {
    let seed = 7;
    const rand = (n: number): number => {
      seed = (seed * 1103515245 + 12345) & 0x7fffffff;
      return seed % n;
    };
    for (let round = 0; round < 500; round++) {
      const size = rand(5000);
      const specs = Array.from({ length: 1 + rand(6) }, () => {
        const kind = rand(3);
        const a = rand(6000);
        if (kind === 0) return `-${a}`;
        if (kind === 1) return `${a}-`;
        return `${a}-${a + rand(3000)}`;
      });
      const result = parseRange("bytes=" + specs.join(","), size);
      if (result.kind !== "ranges") continue;
      let last = -Infinity;
      for (const { start, end } of result.ranges) {
        expect(start).toBeGreaterThan(last);
        expect(start).toBeGreaterThanOrEqual(0);
        expect(end).toBeGreaterThan(start);
        expect(end).toBeLessThanOrEqual(size);
        last = end;
      }
    }
  });
});
