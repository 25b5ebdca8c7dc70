import { describe, expect, it } from "vitest";
import { ByteSink } from "./byte-sink.ts";

/** One batch of `size` bytes of `fill`, taken. */
function batch(sink: ByteSink, size: number, fill: number): Uint8Array {
  sink.writeBytes(new Uint8Array(size).fill(fill));
  return sink.take();
}

describe("ByteSink", () => {
  it("takes each batch as a view that later batches never overwrite", () => {
    const sink = new ByteSink();
    const first = batch(sink, 1000, 1);
    const second = batch(sink, 1000, 2);
    expect(first.buffer).toBe(second.buffer);
    expect(first.every((b) => b === 1) && second.every((b) => b === 2)).toBe(true);
  });

  it("keeps a slab that grew for batches larger than 64 KiB for the next ones", () => {
    const sink = new ByteSink();
    const taken = [batch(sink, 70_000, 1), batch(sink, 70_000, 2), batch(sink, 70_000, 3)];
    // 16 WebSocket echoes of 4 KiB per read: one slab for all three, not a new one each time.
    expect(new Set(taken.map((view) => view.buffer)).size).toBe(1);
    expect(taken.map((view) => view[0])).toEqual([1, 2, 3]);
    expect(taken.every((view, i) => view.every((b) => b === i + 1))).toBe(true);
  });

  it("leaves a slab past 1 MiB to its view and goes back to 64 KiB", () => {
    const sink = new ByteSink();
    const big = batch(sink, 2_000_000, 7);
    const next = batch(sink, 10, 8);
    expect(next.buffer).not.toBe(big.buffer);
    expect(next.buffer.byteLength).toBe(64 * 1024);
    expect(big.every((b) => b === 7)).toBe(true);
  });

  it("moves a batch under way to the new slab when it outgrows the old one", () => {
    const sink = new ByteSink();
    batch(sink, 60_000, 1);
    sink.writeBytes(new Uint8Array(3_000).fill(2));
    sink.writeBytes(new Uint8Array(5_000).fill(3)); // past the first slab's end
    const out = sink.take();
    expect(out.length).toBe(8_000);
    expect(out.subarray(0, 3_000).every((b) => b === 2) && out.subarray(3_000).every((b) => b === 3)).toBe(true);
  });

  it("writes the next batch over a reclaimed one, and over nothing another writer may still hold", () => {
    const sink = new ByteSink();
    const held = batch(sink, 1000, 1);
    const done = batch(sink, 2000, 2);
    sink.reclaim(done);
    const next = batch(sink, 500, 3);
    expect(next.buffer).toBe(done.buffer);
    expect(next.byteOffset).toBe(done.byteOffset);
    expect(held.every((b) => b === 1)).toBe(true);
    // An older batch, or one with a newer batch after it, is not reclaimed.
    const later = batch(sink, 10, 4);
    sink.reclaim(next);
    sink.reclaim(held);
    const last = batch(sink, 10, 5);
    expect(last.byteOffset).toBe(later.byteOffset + later.length);
    expect(later.every((b) => b === 4) && held.every((b) => b === 1)).toBe(true);
  });
});
