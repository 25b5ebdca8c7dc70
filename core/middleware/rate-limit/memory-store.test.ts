/** The in-memory store (memory-store.ts): per-key buckets, bounded by an LRU. */
import { describe, expect, it } from "vitest";
import { MemoryStore } from "./memory-store.ts";

const policy = { limit: 2, windowMs: 1000 };

describe("MemoryStore", () => {
  it("keeps one bucket per key", () => {
    const store = new MemoryStore();
    expect(store.take("a", policy, 0).remaining).toBe(1);
    expect(store.take("a", policy, 0).remaining).toBe(0);
    expect(store.take("a", policy, 0).allowed).toBe(false);
    expect(store.take("b", policy, 0).allowed).toBe(true);
    expect(store.size).toBe(2);
  });

  it("100 000 distinct keys never hold more than maxKeys buckets", () => {
    const store = new MemoryStore({ maxKeys: 1000 });
    let allowed = 0;
    for (let i = 0; i < 100_000; i++) {
      if (store.take(`client-${i}`, policy, i).allowed) allowed++;
      if (store.size > 1000) throw new Error(`${store.size} buckets after ${i + 1} keys`);
    }
    expect(allowed).toBe(100_000); // each new key starts from a full bucket
    expect(store.size).toBe(1000);
  });

  it("drops the least recently used key first: a key in use keeps its bucket", () => {
    const store = new MemoryStore({ maxKeys: 3 });
    store.take("busy", policy, 0);
    store.take("busy", policy, 0); // empty now
    for (let i = 0; i < 10; i++) {
      store.take(`other-${i}`, policy, 0);
      expect(store.take("busy", policy, 0).allowed).toBe(false); // used again: stays, still empty
    }
    expect(store.size).toBe(3);
    // An evicted key comes back as a full bucket.
    expect(store.take("other-0", policy, 0).remaining).toBe(1);
  });

  it("refuses a maxKeys that is not a positive integer", () => {
    expect(() => new MemoryStore({ maxKeys: 0 })).toThrow(RangeError);
    expect(() => new MemoryStore({ maxKeys: 1.5 })).toThrow(RangeError);
  });
});
