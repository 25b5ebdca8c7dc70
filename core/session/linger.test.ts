import { describe, expect, it } from "vitest";
import { Linger, LINGER_BYTES, LINGER_MS } from "./linger.ts";
import { stamp } from "./clock.ts";

describe("Linger", () => {
  it("expires LINGER_MS after it started, not before, and only once started", () => {
    const linger = new Linger();
    expect(linger.started).toBe(false);
    expect(linger.expired(1e12)).toBe(false);
    linger.start(10_000);
    linger.start(20_000); // the first start holds
    expect(linger.started).toBe(true);
    expect(linger.expired(10_000 + LINGER_MS)).toBe(false);
    expect(linger.expired(10_001 + LINGER_MS)).toBe(true);
  });

  it("absorbs up to LINGER_BYTES after the close, then says to cut", () => {
    const linger = new Linger();
    linger.start(1000);
    expect(linger.absorb(LINGER_BYTES - 1)).toBe(true);
    expect(linger.absorb(1)).toBe(true);
    expect(linger.absorb(1)).toBe(false);
  });

  it("starts even on a clock that reads 0", () => {
    const linger = new Linger();
    linger.start(0);
    expect(linger.started).toBe(true);
    expect(linger.expired(LINGER_MS)).toBe(false);
    expect(linger.expired(LINGER_MS + 2)).toBe(true);
  });
});

describe("stamp", () => {
  it("keeps a reading, and turns 0 (not set) into 1", () => {
    expect(stamp(1234)).toBe(1234);
    expect(stamp(0)).toBe(1);
  });
});
