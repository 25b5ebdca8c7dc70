import type { RateLimitPolicy, RateLimitResult } from "./store.ts";

/** The state of one bucket: tokens left (fractional while refilling) as of `at` (ms). */
export interface BucketState {
  tokens: number;
  at: number;
}

/**
 * One take on a token bucket, in place: refill `state` for the time since `state.at` (a clock
 * that went backwards refills nothing), then take a token if a whole one is there. Pure
 * arithmetic, so every store (in memory, or a script in a shared store) gives the same answers.
 */
export function takeToken(state: BucketState, policy: RateLimitPolicy, now: number): RateLimitResult {
  const { limit, windowMs } = policy;
  const perMs = limit / windowMs;
  const elapsed = now > state.at ? now - state.at : 0;
  let tokens = Math.min(limit, state.tokens + elapsed * perMs);
  state.at = Math.max(now, state.at);
  const allowed = tokens >= 1;
  if (allowed) tokens -= 1;
  state.tokens = tokens;
  return {
    allowed,
    remaining: Math.floor(tokens),
    resetMs: (limit - tokens) / perMs,
    retryAfterMs: allowed ? 0 : (1 - tokens) / perMs,
  };
}
