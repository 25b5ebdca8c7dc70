import { describe, expect, it } from "vitest";
import { MemorySessionStore } from "./memory-store.ts";

describe("MemorySessionStore", () => {
  it("stores a copy: later changes to the object do not reach the store", () => {
    const store = new MemorySessionStore();
    const data = { list: [1] };
    store.set("a", data, 60);
    data.list.push(2);
    expect(store.get("a")).toEqual({ list: [1] });
    expect(store.get("b")).toBeUndefined();
  });

  it("expires entries after their ttl; touch pushes the expiry", () => {
    let now = 1_000;
    const store = new MemorySessionStore({ now: () => now });
    store.set("a", { n: 1 }, 10);
    store.set("b", { n: 2 }, 10);
    now += 9_000;
    store.touch("b", 10);
    now += 1_000;
    expect(store.get("a")).toBeUndefined();
    expect(store.size).toBe(1);
    expect(store.get("b")).toEqual({ n: 2 });
    now += 10_000;
    expect(store.get("b")).toBeUndefined();
    store.touch("b", 10); // touching a gone entry does not revive it
    expect(store.get("b")).toBeUndefined();
  });

  it("evicts the least recently used past maxEntries", () => {
    const store = new MemorySessionStore({ maxEntries: 3 });
    store.set("a", {}, 60);
    store.set("b", {}, 60);
    store.set("c", {}, 60);
    store.get("a"); // a is now the most recent; b the least
    store.set("d", {}, 60);
    expect(store.size).toBe(3);
    expect(store.get("b")).toBeUndefined();
    expect(store.get("a")).toEqual({});
    store.touch("c", 60);
    store.set("e", {}, 60); // d is the least recent now
    expect(store.get("d")).toBeUndefined();
    expect([store.get("a"), store.get("c"), store.get("e")]).toEqual([{}, {}, {}]);
  });

  it("delete forgets; a bad maxEntries is refused", () => {
    const store = new MemorySessionStore();
    store.set("a", { x: 1 }, 60);
    store.delete("a");
    expect(store.get("a")).toBeUndefined();
    expect(() => new MemorySessionStore({ maxEntries: 0 })).toThrow(/maxEntries must be a positive integer/);
  });

  it("stays bounded under a flood of new sessions", () => {
    const store = new MemorySessionStore({ maxEntries: 100 });
    for (let i = 0; i < 10_000; i++) store.set(`s${i}`, { i }, 60);
    expect(store.size).toBe(100);
    expect(store.get("s9999")).toEqual({ i: 9999 });
    expect(store.get("s9899")).toBeUndefined();
  });
});
