import type { RateLimitPolicy, RateLimitResult, RateLimitStore } from "./store.ts";
import { type BucketState, takeToken } from "./token-bucket.ts";

export interface MemoryStoreOptions {
  /**
   * Buckets kept at most (default 10 000). Past it the least recently used bucket is dropped;
   * that client then starts again from a full bucket, so keep this well above the number of
   * clients active within one window.
   */
  maxKeys?: number;
}

/**
 * The default store: buckets in this process's memory, bounded by an LRU of `maxKeys` keys
 * (a `Map` keeps insertion order: a used key moves to the end, the first key is the oldest).
 * The limit is per process: several processes or servers need a shared store.
 */
export class MemoryStore implements RateLimitStore {
  readonly #buckets = new Map<string, BucketState>();
  readonly #maxKeys: number;

  constructor(options: MemoryStoreOptions = {}) {
    const maxKeys = options.maxKeys ?? 10_000;
    if (!Number.isSafeInteger(maxKeys) || maxKeys < 1) throw new RangeError("maxKeys must be a positive integer");
    this.#maxKeys = maxKeys;
  }

  /** Buckets held now (at most `maxKeys`). */
  get size(): number {
    return this.#buckets.size;
  }

  take(key: string, policy: RateLimitPolicy, now: number): RateLimitResult {
    const buckets = this.#buckets;
    let state = buckets.get(key);
    if (state === undefined) {
      state = { tokens: policy.limit, at: now };
      if (buckets.size >= this.#maxKeys) buckets.delete(buckets.keys().next().value!);
    } else {
      buckets.delete(key); // re-inserted below: now the most recently used
    }
    buckets.set(key, state);
    return takeToken(state, policy, now);
  }
}
