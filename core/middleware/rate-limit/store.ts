/**
 * Where rate-limit state lives: the contract between the `rateLimit()` middleware and a store.
 * The in-memory store (memory-store.ts) is the default; a shared store (Redis) lets several
 * processes enforce one limit.
 */

/**
 * A token bucket: it holds at most `limit` tokens and refills continuously at `limit` tokens per
 * `windowMs`; a request takes one token. A client may so burst `limit` requests, then goes on at
 * the steady rate.
 */
export interface RateLimitPolicy {
  /** Capacity of the bucket, and tokens added per window (a positive integer). */
  readonly limit: number;
  /** Time to refill an empty bucket, in milliseconds (positive). */
  readonly windowMs: number;
}

/** The outcome of one take, from which the response fields are made. */
export interface RateLimitResult {
  /** Whether a token was taken (the request may go on). */
  readonly allowed: boolean;
  /** Whole tokens left after this take (0 when denied). */
  readonly remaining: number;
  /** Milliseconds until the bucket is full again (0 when it is full). */
  readonly resetMs: number;
  /** Milliseconds until the next token: when a denied client may retry (0 when allowed). */
  readonly retryAfterMs: number;
}

/**
 * A place to keep buckets. The contract every implementation keeps, so the middleware behaves
 * the same whatever the store:
 *
 * - `take(key, policy, now)` is **atomic per key**: refill the bucket for the time elapsed since
 *   its last update, then take one token if there is one, as one indivisible step. Two concurrent
 *   takes on one key must never both see the same last token — across processes too, for a shared
 *   store. (Redis: one Lua script run by `EVALSHA` over a hash `{tokens, at}`; `WATCH`/`MULTI`
 *   retries also work; a `GET` then a `SET` does not.)
 * - A key that has never been seen, or has been dropped, is a **full bucket**. A store may so forget
 *   a bucket once it is full again (after `windowMs` idle) without changing any answer: a shared
 *   store should expire each key after `ceil(resetMs)` milliseconds (Redis `PEXPIRE`), and must
 *   bound its memory somehow (the memory store evicts the least recently used keys).
 * - `now` is the caller's clock, in milliseconds. A shared store may use a clock of its own
 *   instead (Redis `TIME` inside the script) so processes with skewed clocks agree; it must then
 *   use that one clock for every key.
 * - It may answer synchronously or with a promise. An error (the store is unreachable) rejects
 *   the request: the middleware lets it through to the app's error handling (500 by default); a
 *   store that prefers to fail open answers `allowed: true` itself.
 * - The numbers follow {@link takeToken} (token-bucket.ts), which an implementation may call on
 *   the state it loaded, or mirror in its script.
 */
export interface RateLimitStore {
  take(key: string, policy: RateLimitPolicy, now: number): RateLimitResult | Promise<RateLimitResult>;
}
