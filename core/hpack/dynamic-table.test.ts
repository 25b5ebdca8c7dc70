import { describe, expect, it } from "vitest";
import { DynamicTable } from "./dynamic-table.ts";

function entries(t: DynamicTable): string[] {
  const out: string[] = [];
  for (let i = 1; i <= t.length; i++) out.push(`${t.name(i)}: ${t.value(i)}`);
  return out;
}

describe("dynamic table (RFC 7541 §4)", () => {
  it("counts name + value + 32 octets per entry (§4.1) and puts the newest first (§2.3.2)", () => {
    const t = new DynamicTable(4096);
    t.add("blake", "eats pizza");
    expect(t.size).toBe(5 + 10 + 32);
    t.add("foo", "bar");
    expect(t.size).toBe(47 + 38);
    expect(entries(t)).toEqual(["foo: bar", "blake: eats pizza"]);
    expect(t.inserted).toBe(2);
  });

  it("evicts the oldest entries to make room (§4.4)", () => {
    const t = new DynamicTable(100);
    t.add("a", "1"); // 34
    t.add("b", "2"); // 68
    t.add("c", "3"); // 102 > 100: "a" goes
    expect(entries(t)).toEqual(["c: 3", "b: 2"]);
    expect(t.size).toBe(68);
  });

  it("empties itself for an entry larger than the table, without error (§4.4)", () => {
    const t = new DynamicTable(100);
    t.add("a", "1");
    t.add("long", "x".repeat(100));
    expect(t.length).toBe(0);
    expect(t.size).toBe(0);
    expect(t.inserted).toBe(2);
  });

  it("an entry of exactly the maximum size fits", () => {
    const t = new DynamicTable(40);
    t.add("abcd", "efgh"); // 40
    expect(entries(t)).toEqual(["abcd: efgh"]);
  });

  it("shrinks on a new maximum size, evicting oldest first (§4.3)", () => {
    const t = new DynamicTable(4096);
    t.add("blake", "eats pizza");
    t.add("foo", "bar");
    t.setMaxSize(47 + 1);
    expect(entries(t)).toEqual(["foo: bar"]);
    t.setMaxSize(0);
    expect(t.length).toBe(0);
    t.add("a", "b"); // into a zero-size table: dropped
    expect(t.length).toBe(0);
    t.setMaxSize(4096);
    t.add("a", "b");
    expect(entries(t)).toEqual(["a: b"]);
  });

  it("reports evictions oldest first with their insertion ids", () => {
    const t = new DynamicTable(70);
    const evicted: string[] = [];
    t.onEvict = (name, value, id) => evicted.push(`${id} ${name}: ${value}`);
    t.add("a", "1"); // id 0
    t.add("b", "2"); // id 1
    t.add("c", "3"); // id 2, evicts 0
    t.setMaxSize(34); // evicts 1
    expect(evicted).toEqual(["0 a: 1", "1 b: 2"]);
    expect(t.inserted - 2).toBe(1); // "c" (id 2) is at index inserted - id = 1
    expect(t.name(1)).toBe("c");
  });

  it("wraps around its ring and grows past its first capacity with the order intact", () => {
    const t = new DynamicTable(64 * 1024);
    for (let i = 0; i < 5000; i++) {
      t.add("k", String(i));
      if (i % 7 === 0) t.setMaxSize(t.size - 34 * 3 > 0 ? t.size - 34 * 3 : 0); // evict a few
      if (i % 7 === 3) t.setMaxSize(64 * 1024);
    }
    expect(t.name(1)).toBe("k");
    expect(t.value(1)).toBe("4999");
    for (let i = 1; i < t.length; i++) expect(Number(t.value(i))).toBeGreaterThan(Number(t.value(i + 1)));
    let size = 0;
    for (let i = 1; i <= t.length; i++) size += 1 + t.value(i).length + 32;
    expect(t.size).toBe(size);
  });

  it("holds a table of 64 KiB of smallest entries (more than the first ring capacity)", () => {
    const t = new DynamicTable(65536);
    for (let i = 0; i < 2048; i++) t.add("", "");
    expect(t.length).toBe(2048);
    expect(t.size).toBe(65536);
    t.add("", "");
    expect(t.length).toBe(2048);
  });
});
