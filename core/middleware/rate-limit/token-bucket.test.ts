/** The token bucket arithmetic every store shares (token-bucket.ts), on a fake clock. */
import { describe, expect, it } from "vitest";
import { type BucketState, takeToken } from "./token-bucket.ts";

const policy = { limit: 5, windowMs: 1000 };

describe("takeToken", () => {
  it("allows a burst of `limit`, then denies with the wait for the next token", () => {
    const state: BucketState = { tokens: 5, at: 0 };
    const remaining = [];
    for (let i = 0; i < 5; i++) {
      const result = takeToken(state, policy, 0);
      expect(result.allowed).toBe(true);
      expect(result.retryAfterMs).toBe(0);
      remaining.push(result.remaining);
    }
    expect(remaining).toEqual([4, 3, 2, 1, 0]);
    const denied = takeToken(state, policy, 0);
    expect(denied).toEqual({ allowed: false, remaining: 0, resetMs: 1000, retryAfterMs: 200 });
  });

  it("refills continuously at limit per window, never above limit", () => {
    const state: BucketState = { tokens: 0, at: 0 };
    expect(takeToken(state, policy, 100).allowed).toBe(false); // half a token
    const at200 = takeToken(state, policy, 200); // one whole token
    expect(at200.allowed).toBe(true);
    expect(at200.remaining).toBe(0);
    expect(at200.resetMs).toBeCloseTo(1000);
    const later = takeToken(state, policy, 60_000); // idle for a minute: full, not 300 tokens
    expect(later.remaining).toBe(4);
    expect(later.resetMs).toBeCloseTo(200);
  });

  it("a clock that goes backwards refills nothing", () => {
    const state: BucketState = { tokens: 0, at: 1000 };
    const result = takeToken(state, policy, 500);
    expect(result.allowed).toBe(false);
    expect(state.at).toBe(1000);
  });

  it("a slow policy (2 per minute) waits 30 s for a token", () => {
    const state: BucketState = { tokens: 2, at: 0 };
    const slow = { limit: 2, windowMs: 60_000 };
    takeToken(state, slow, 0);
    takeToken(state, slow, 0);
    expect(takeToken(state, slow, 0).retryAfterMs).toBe(30_000);
    expect(takeToken(state, slow, 30_000).allowed).toBe(true);
  });
});
