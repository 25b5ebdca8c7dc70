import { describe, expect, it } from "vitest";
import { addressKey, FloodPenalty, resolveFloodPenalty } from "./flood-penalty.ts";

const options = { strikes: 3, windowMs: 10_000, penaltyMs: 10_000, maxAddresses: 4 };

describe("FloodPenalty", () => {
  it("penalizes an address at its third strike within the window, for penaltyMs", () => {
    const penalty = new FloodPenalty(options);
    penalty.strike("192.0.2.7", 1_000);
    penalty.strike("192.0.2.7", 2_000);
    expect(penalty.secondsLeft("192.0.2.7", 2_000)).toBe(0);
    penalty.strike("192.0.2.7", 3_000);
    expect(penalty.secondsLeft("192.0.2.7", 3_000)).toBe(10);
    expect(penalty.secondsLeft("192.0.2.7", 12_500)).toBe(1);
    expect(penalty.secondsLeft("192.0.2.7", 13_000)).toBe(0);
    expect(penalty.secondsLeft("192.0.2.8", 3_000)).toBe(0);
  });

  it("counts strikes per window: two now and one past the window earn nothing", () => {
    const penalty = new FloodPenalty(options);
    penalty.strike("192.0.2.7", 0);
    penalty.strike("192.0.2.7", 1_000);
    penalty.strike("192.0.2.7", 11_000);
    expect(penalty.secondsLeft("192.0.2.7", 11_000)).toBe(0);
  });

  it("doubles the penalty of an address that earns one again soon after, up to 16×", () => {
    const penalty = new FloodPenalty(options);
    let now = 0;
    const earned: number[] = [];
    for (let round = 0; round < 7; round++) {
      for (let i = 0; i < 3; i++) penalty.strike("2001:db8::1", now);
      const left = penalty.secondsLeft("2001:db8::1", now);
      earned.push(left);
      now += left * 1000 + 1_000; // back one second after the penalty ends
    }
    expect(earned).toEqual([10, 20, 40, 80, 160, 160, 160]);
    // Back long after: the base penalty again.
    now += 60_000;
    for (let i = 0; i < 3; i++) penalty.strike("2001:db8::1", now);
    expect(penalty.secondsLeft("2001:db8::1", now)).toBe(10);
  });

  it("counts an IPv6 client by its /64 and a mapped IPv4 address as IPv4", () => {
    const penalty = new FloodPenalty(options);
    penalty.strike("2001:db8:0:1::1", 0);
    penalty.strike("2001:db8:0:1:ffff:1:2:3", 0);
    penalty.strike("2001:0db8:0000:0001:0:0:0:9%eth0", 0);
    expect(penalty.secondsLeft("2001:db8:0:1::42", 0)).toBe(10);
    expect(penalty.secondsLeft("2001:db8:0:2::1", 0)).toBe(0);
    penalty.strike("::ffff:198.51.100.1", 0);
    penalty.strike("198.51.100.1", 0);
    penalty.strike("::ffff:198.51.100.1", 0);
    expect(penalty.secondsLeft("198.51.100.1", 0)).toBe(10);
  });

  it("remembers at most maxAddresses, forgetting the longest-remembered", () => {
    const penalty = new FloodPenalty(options);
    for (let i = 0; i < 3; i++) penalty.strike("10.0.0.1", 0); // penalized, then four others arrive
    for (let n = 2; n <= 5; n++) penalty.strike(`10.0.0.${n}`, 0);
    expect(penalty.size).toBe(4);
    expect(penalty.secondsLeft("10.0.0.1", 0)).toBe(0);
  });

  it("answers a penalized address's refusals once a second, by its /64 on IPv6", () => {
    const penalty = new FloodPenalty(options);
    for (let i = 0; i < 3; i++) penalty.strike("2001:db8::1", 0);
    expect(penalty.answerDue("2001:db8::1", 100)).toBe(true);
    expect(penalty.answerDue("2001:db8::2", 500)).toBe(false); // same /64, same second
    expect(penalty.answerDue("2001:db8::1", 1_099)).toBe(false);
    expect(penalty.answerDue("2001:db8::1", 1_100)).toBe(true);
    expect(penalty.answerDue("10.0.0.9", 1_100)).toBe(false); // never struck: nothing to answer
  });

  it("sweeps what can no longer matter, and keeps a running penalty", () => {
    const penalty = new FloodPenalty(options);
    penalty.strike("10.0.0.1", 0);
    for (let i = 0; i < 3; i++) penalty.strike("10.0.0.2", 5_000);
    penalty.sweep(9_000);
    expect(penalty.size).toBe(2);
    penalty.sweep(15_001);
    expect(penalty.size).toBe(1); // 10.0.0.2's penalty (until 15 000) may still escalate until 25 000
    penalty.sweep(25_001);
    expect(penalty.size).toBe(0);
  });
});

describe("addressKey", () => {
  it("expands :: and drops leading zeros", () => {
    expect(addressKey("::1")).toBe("0:0:0:0::/64");
    expect(addressKey("fe80::1%lo")).toBe("fe80:0:0:0::/64");
    expect(addressKey("2001:DB8:00AB:0001::")).toBe("2001:db8:ab:1::/64");
    expect(addressKey("127.0.0.1")).toBe("127.0.0.1");
  });
});

describe("resolveFloodPenalty", () => {
  it("fills in defaults, and false turns it off", () => {
    expect(resolveFloodPenalty(undefined)).toEqual({
      strikes: 3,
      windowMs: 10_000,
      penaltyMs: 10_000,
      maxAddresses: 10_000,
    });
    expect(resolveFloodPenalty({ strikes: 5 })?.strikes).toBe(5);
    expect(resolveFloodPenalty(false)).toBeNull();
  });
});
