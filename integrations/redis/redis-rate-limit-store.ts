/**
 * A rate-limit store in Redis, over the npm `redis` client (node-redis v4/v5): one limit shared
 * by every server process. Each take is one Lua script (EVALSHA, EVAL once after a Redis restart
 * emptied the script cache), so it is atomic per key across processes (store.ts's contract).
 */
import type { RateLimitPolicy, RateLimitResult, RateLimitStore } from "../../mod.ts";

/** Arguments of EVAL/EVALSHA as node-redis takes them. */
export interface RedisEvalOptions {
  keys: string[];
  arguments: string[];
}

/** The part of a node-redis client (`createClient()` of `redis` v4 or v5) the store uses. */
export interface RedisRateLimitClient {
  evalSha(sha1: string, options: RedisEvalOptions): Promise<unknown>;
  eval(script: string, options: RedisEvalOptions): Promise<unknown>;
}

/** Options of {@link RedisRateLimitStore}. */
export interface RedisRateLimitStoreOptions {
  /** A connected node-redis client. */
  client: RedisRateLimitClient;
  /** Prepended to each rate-limit key; `rl:` unless given. */
  prefix?: string;
}

/**
 * The token bucket of token-bucket.ts (`takeToken`), in Lua, on Redis's own clock (`TIME`): all
 * processes agree whatever their clocks. The bucket is a hash {tokens, at} that expires once it
 * would be full again (a missing key is a full bucket). Replies are strings: Lua numbers would
 * reach the client truncated to integers.
 */
const SCRIPT = `
local limit = tonumber(ARGV[1])
local window = tonumber(ARGV[2])
local time = redis.call('TIME')
local now = tonumber(time[1]) * 1000 + math.floor(tonumber(time[2]) / 1000)
local state = redis.call('HMGET', KEYS[1], 'tokens', 'at')
local tokens = tonumber(state[1])
local at = tonumber(state[2])
if tokens == nil or at == nil then
  tokens = limit
  at = now
end
local perMs = limit / window
if now > at then
  tokens = math.min(limit, tokens + (now - at) * perMs)
  at = now
end
local allowed = 0
if tokens >= 1 then
  tokens = tokens - 1
  allowed = 1
end
local tokensText = string.format('%.17g', tokens)
redis.call('HSET', KEYS[1], 'tokens', tokensText, 'at', string.format('%d', at))
redis.call('PEXPIRE', KEYS[1], math.max(1, math.ceil((limit - tokens) / perMs)))
return {allowed, tokensText}
`;

let scriptSha: Promise<string> | null = null;

/** SHA-1 of the script, hex (what EVALSHA names it by). */
function sha1(): Promise<string> {
  return scriptSha ??= crypto.subtle.digest("SHA-1", new TextEncoder().encode(SCRIPT)).then((digest) =>
    Array.from(new Uint8Array(digest), (byte) => byte.toString(16).padStart(2, "0")).join("")
  );
}

/**
 * Buckets in Redis, shared by every process that uses the same Redis and prefix.
 *
 * @example
 * ```ts
 * import { createClient } from "redis";
 * import { App, rateLimit } from "wirecore";
 * import { RedisRateLimitStore } from "wirecore/redis";
 *
 * const client = await createClient({ url: "redis://127.0.0.1:6379" }).connect();
 * const app = new App().use(rateLimit({ limit: 100, windowMs: 60_000, store: new RedisRateLimitStore({ client }) }));
 * ```
 */
export class RedisRateLimitStore implements RateLimitStore {
  readonly #client: RedisRateLimitClient;
  readonly #prefix: string;

  constructor(options: RedisRateLimitStoreOptions) {
    if (options?.client === undefined || typeof options.client.evalSha !== "function") {
      throw new TypeError("RedisRateLimitStore: options.client must be a node-redis client (createClient() of redis)");
    }
    this.#client = options.client;
    this.#prefix = options.prefix ?? "rl:";
  }

  /** `now` is ignored: Redis's clock decides, the same for every process. */
  async take(key: string, policy: RateLimitPolicy, _now: number): Promise<RateLimitResult> {
    const options = { keys: [this.#prefix + key], arguments: [String(policy.limit), String(policy.windowMs)] };
    let reply: unknown;
    try {
      reply = await this.#client.evalSha(await sha1(), options);
    } catch (error) {
      // A new or restarted Redis has not seen the script yet: EVAL runs and caches it.
      if (!String((error as Error)?.message).startsWith("NOSCRIPT")) throw error;
      reply = await this.#client.eval(SCRIPT, options);
    }
    if (!Array.isArray(reply) || reply.length !== 2) throw new Error("RedisRateLimitStore: unexpected script reply");
    const allowed = Number(reply[0]) === 1;
    const tokens = Number(reply[1]);
    const perMs = policy.limit / policy.windowMs;
    return {
      allowed,
      remaining: Math.floor(tokens),
      resetMs: (policy.limit - tokens) / perMs,
      retryAfterMs: allowed ? 0 : (1 - tokens) / perMs,
    };
  }
}
