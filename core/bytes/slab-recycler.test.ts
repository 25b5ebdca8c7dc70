import { describe, expect, it } from "vitest";
import { SlabRecycler } from "./slab-recycler.ts";

const KiB = 1024;

describe("SlabRecycler", () => {
  it("hands out a retired slab only once every batch taken from it is back", () => {
    const slabs = new SlabRecycler();
    const old = new Uint8Array(64 * KiB);
    slabs.retire(old, 2);
    slabs.giveBack(old.buffer);
    expect(slabs.slab(64 * KiB) === old).toBe(false);
    slabs.giveBack(new ArrayBuffer(8)); // no slab of its: ignored
    slabs.giveBack(old.buffer);
    expect(slabs.slab(64 * KiB) === old).toBe(true);
    expect(slabs.slab(64 * KiB) === old).toBe(false); // a spare is handed out once
  });

  it("gives a spare only to a request it is large enough for", () => {
    const slabs = new SlabRecycler();
    const small = new Uint8Array(64 * KiB);
    slabs.retire(small, 0);
    expect(slabs.slab(128 * KiB) === small).toBe(false);
    expect(slabs.slab(32 * KiB) === small).toBe(true);
  });

  it("keeps at most 4 MiB of spares, preferring larger ones, and never a slab past 1 MiB", () => {
    const slabs = new SlabRecycler();
    const huge = new Uint8Array(2 * 1024 * KiB);
    slabs.retire(huge, 0);
    expect(slabs.slab(2 * 1024 * KiB) === huge).toBe(false);

    const kept = Array.from({ length: 16 }, () => new Uint8Array(256 * KiB));
    for (const slab of kept) slabs.retire(slab, 0);
    const overCap = new Uint8Array(256 * KiB);
    slabs.retire(overCap, 0); // 4 MiB already kept
    const handedOut = new Set(Array.from({ length: 17 }, () => slabs.slab(256 * KiB)));
    expect(kept.every((slab) => handedOut.has(slab))).toBe(true);
    expect(handedOut.has(overCap)).toBe(false);

    const smalls = Array.from({ length: 64 }, () => new Uint8Array(64 * KiB));
    for (const slab of smalls) slabs.retire(slab, 0); // 4 MiB of 64 KiB spares
    const larger = new Uint8Array(128 * KiB);
    slabs.retire(larger, 0); // too much beside them, even in place of one 64 KiB spare
    expect(slabs.slab(128 * KiB) === larger).toBe(false);
  });

  it("takes a larger slab in place of a smaller spare when it fits under the cap", () => {
    const slabs = new SlabRecycler();
    const fill = Array.from({ length: 15 }, () => new Uint8Array(256 * KiB));
    for (const slab of fill) slabs.retire(slab, 0);
    const small = new Uint8Array(128 * KiB);
    slabs.retire(small, 0); // 3.875 MiB kept
    const large = new Uint8Array(256 * KiB);
    slabs.retire(large, 0); // beside them it would be 4.125 MiB; in place of the 128 KiB spare, 4 MiB
    const handedOut = Array.from({ length: 16 }, () => slabs.slab(256 * KiB));
    expect(handedOut.includes(large)).toBe(true);
    expect(handedOut.includes(small)).toBe(false);
  });
});
