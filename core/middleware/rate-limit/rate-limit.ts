/**
 * `rateLimit()`: a token bucket per client, answering 429 when it is empty, with the IETF
 * RateLimit fields on every response. See docs/rate-limit.md.
 */
import type { Context } from "../../app/context.ts";
import type { Middleware } from "../../app/handler.ts";
import { MemoryStore } from "./memory-store.ts";
import type { RateLimitPolicy, RateLimitResult, RateLimitStore } from "./store.ts";

export interface RateLimitOptions {
  /** Requests a client may make in a burst, and tokens refilled per `windowMs` (a positive integer). */
  limit: number;
  /** Time in which `limit` tokens refill, in milliseconds. Give this or `refillPerSecond` (default 1000). */
  windowMs?: number;
  /** Tokens refilled per second, instead of `windowMs` (`windowMs = limit / refillPerSecond * 1000`). */
  refillPerSecond?: number;
  /** Who is limited: a key per client (default: the peer's address, `c.req.remoteAddress`). */
  key?: (c: Context) => string | Promise<string>;
  /** Where buckets live (default: a new `MemoryStore` of this middleware). */
  store?: RateLimitStore;
  /** The policy's name in the RateLimit fields (default `default`). */
  name?: string;
  /** The clock, in milliseconds (default `Date.now`); tests pass a fake one. */
  now?: () => number;
}

/** The peer's address: behind a proxy every client has the proxy's, so give `key` then. */
const byAddress = (c: Context): string => c.req.remoteAddress;

/** The policy name as a Structured Fields String (RFC 9651 §3.3.3): printable ASCII, `"` and `\` escaped. */
function sfString(name: string): string {
  if (!/^[\x20-\x7e]*$/.test(name)) throw new TypeError("rateLimit name must be printable ASCII");
  return '"' + name.replace(/[\\"]/g, "\\$&") + '"';
}

/** Seconds for a delay-seconds field, rounded up so a client that waits that long finds a token. */
function seconds(ms: number): number {
  return Math.ceil(ms / 1000 - 1e-9);
}

/**
 * Limit each client to a token bucket of `limit` requests, refilled at `limit` per `windowMs`.
 * Allowed requests carry `RateLimit-Policy` and `RateLimit`; a request that finds the bucket
 * empty gets `429 Too Many Requests` with those and `Retry-After`, and the handler does not run.
 *
 * The fields follow draft-ietf-httpapi-ratelimit-headers-11 (May 2026), "RateLimit header fields
 * for HTTP": `RateLimit-Policy: "default";q=<limit>;w=<window seconds>` (§3, a List of quota
 * policy Items: `q` the quota, `w` the window) and `RateLimit: "default";r=<remaining>;t=<seconds>`
 * (§4, `r` the quota units left, `t` the seconds until the quota resets). On a 429, `t` is the
 * `Retry-After` delay: the draft asks both to name the same moment (§5). A token bucket is told
 * as its capacity and the time to refill it from empty.
 *
 * @example
 * ```ts
 * app.use(rateLimit({ limit: 5, windowMs: 1000 })); // 5 requests per second per client IP
 * ```
 */
export function rateLimit(options: RateLimitOptions): Middleware {
  const { limit } = options;
  if (!Number.isSafeInteger(limit) || limit < 1) throw new RangeError("rateLimit limit must be a positive integer");
  let windowMs = options.windowMs ?? 1000;
  if (options.refillPerSecond !== undefined) {
    if (options.windowMs !== undefined) throw new TypeError("rateLimit takes windowMs or refillPerSecond, not both");
    if (!(options.refillPerSecond > 0)) throw new RangeError("rateLimit refillPerSecond must be positive");
    windowMs = (limit / options.refillPerSecond) * 1000;
  }
  if (!(windowMs > 0) || !Number.isFinite(windowMs)) throw new RangeError("rateLimit windowMs must be positive");
  const policy: RateLimitPolicy = Object.freeze({ limit, windowMs });
  const store = options.store ?? new MemoryStore();
  const keyOf = options.key ?? byAddress;
  const now = options.now ?? Date.now;
  const name = sfString(options.name ?? "default");
  // The policy does not change between responses (§3): its field is made once.
  const policyField = `${name};q=${limit};w=${seconds(windowMs)}`;

  return async (c, next) => {
    const key = await keyOf(c);
    const result: RateLimitResult = await store.take(key, policy, now());
    c.header("ratelimit-policy", policyField);
    if (result.allowed) {
      c.header("ratelimit", `${name};r=${result.remaining};t=${seconds(result.resetMs)}`);
      return next();
    }
    // RFC 6585 §4: 429 Too Many Requests, with Retry-After (RFC 9110 §10.2.3) in delay-seconds,
    // at least 1 so a client never retries at once; `t` names the same moment.
    const retry = Math.max(1, seconds(result.retryAfterMs));
    c.header("ratelimit", `${name};r=0;t=${retry}`);
    c.header("retry-after", String(retry));
    return c.text("Too Many Requests", 429);
  };
}
