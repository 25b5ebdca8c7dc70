import { describe, expect, it } from "vitest";
import { BODY_RATE_WINDOW_MS, BodyRate } from "./body-rate.ts";

describe("BodyRate", () => {
  it("judges each full window: under the rate is too slow, at the rate is not", () => {
    const rate = new BodyRate(1000);
    expect(rate.tooSlow(1_000, 0, true)).toBe(false);
    expect(rate.tooSlow(1_000 + BODY_RATE_WINDOW_MS - 1_000, 5_000, true)).toBe(false); // window not over
    expect(rate.tooSlow(1_000 + BODY_RATE_WINDOW_MS, 10_000, true)).toBe(false); // exactly 1000 B/s
    expect(rate.tooSlow(1_000 + 2 * BODY_RATE_WINDOW_MS, 19_999, true)).toBe(true); // 9 999 B in 10 s
  });

  it("does not count time in which the server is not reading", () => {
    const rate = new BodyRate(1000);
    rate.tooSlow(1_000, 0, true);
    expect(rate.tooSlow(5_000, 10, false)).toBe(false); // the app is behind: window restarts
    expect(rate.tooSlow(60_000, 10, false)).toBe(false);
    expect(rate.tooSlow(61_000, 10, true)).toBe(false); // waiting again: a new window starts here
    expect(rate.tooSlow(61_000 + BODY_RATE_WINDOW_MS, 10_010, true)).toBe(false);
  });

  it("a trickle of one byte every 2 s is cut after one window", () => {
    const rate = new BodyRate(1024);
    let cut = -1;
    for (let second = 1; second < 60 && cut < 0; second++) {
      if (rate.tooSlow(second * 1000, Math.floor(second / 2), true)) cut = second;
    }
    expect(cut).toBe(11);
  });

  it("0 turns it off; reset forgets the window", () => {
    expect(new BodyRate(0).tooSlow(100_000, 0, true)).toBe(false);
    const rate = new BodyRate(1000);
    rate.tooSlow(1_000, 0, true);
    rate.reset();
    expect(rate.tooSlow(1_000 + BODY_RATE_WINDOW_MS, 0, true)).toBe(false);
  });
});
