import fc from "fast-check";
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

describe("ByteSink, batches handed back later (a transport that holds its writes)", () => {
  it("writes over a slab only once every batch taken from it is back", () => {
    const sink = new ByteSink();
    const a = batch(sink, 1000, 1);
    const b = batch(sink, 1000, 2);
    sink.reclaim(a); // not the last batch, and b is still out: nothing moves
    const c = batch(sink, 10, 3);
    expect(c.byteOffset).toBe(b.byteOffset + b.length);
    sink.reclaim(b);
    sink.reclaim(c); // all back: the next batch starts the slab again
    const d = batch(sink, 10, 4);
    expect(d.buffer).toBe(a.buffer);
    expect(d.byteOffset).toBe(0);
  });

  it("takes a replaced slab back as a spare once its batches return, and never while one is out", () => {
    const sink = new ByteSink();
    const first = [batch(sink, 30_000, 1), batch(sink, 30_000, 2)];
    const slab1 = first[0]!.buffer;
    const onSecond = batch(sink, 30_000, 3); // the first 64 KiB slab is full: a second one
    expect(onSecond.buffer === slab1).toBe(false);
    sink.reclaim(first[0]!);
    batch(sink, 30_000, 4);
    const onThird = [batch(sink, 30_000, 5), batch(sink, 30_000, 6)]; // a third: the first still has a batch out
    expect(onThird.some((v) => v.buffer === slab1)).toBe(false);
    expect(first[1]!.every((x) => x === 2)).toBe(true);
    sink.reclaim(first[1]!); // now the first slab is free
    const reused = batch(sink, 30_000, 7); // the third is full: the spare
    expect(reused.buffer === slab1).toBe(true);
    expect(onThird.every((v, i) => v.every((x) => x === i + 5))).toBe(true);
  });

  it("ignores arrays that are no batch of its own", () => {
    const sink = new ByteSink();
    const held = batch(sink, 100, 1);
    const foreign = new Uint8Array(100);
    sink.reclaim(foreign);
    sink.reclaim(foreign.subarray(10));
    const next = batch(sink, 100, 2);
    expect(next.byteOffset).toBe(held.byteOffset + held.length);
    expect(held.every((x) => x === 1)).toBe(true);
  });

  it("never writes over a batch still out, whatever the order of takes and returns", () => {
    // A run of commands: take a batch of `take` bytes, or hand back the batch at `back` among those out (modulo their
    // number). Batches are mostly small enough that several share a slab, now and then one outgrows it.
    const size = fc.oneof(
      { arbitrary: fc.integer({ min: 1, max: 25_000 }), weight: 5 },
      fc.integer({ min: 1, max: 140_000 }),
    );
    const command = fc.oneof(
      { arbitrary: fc.record({ take: size }), weight: 3 },
      { arbitrary: fc.record({ back: fc.nat() }), weight: 2 },
    );
    /** Whether a batch still holds what it was taken with: an overwrite stays until the batch is handed back. */
    const intact = ({ view, fill }: { view: Uint8Array; fill: number }): boolean => {
      for (let i = 0; i < view.length; i++) if (view[i] !== fill) return false;
      return true;
    };
    fc.assert(
      fc.property(fc.array(command, { minLength: 20, maxLength: 120, size: "max" }), (commands) => {
        const sink = new ByteSink();
        const out: { view: Uint8Array; fill: number }[] = [];
        commands.forEach((c, i) => {
          if ("take" in c) out.push({ view: batch(sink, c.take, (i % 250) + 1), fill: (i % 250) + 1 });
          else if (out.length > 0) {
            const [back] = out.splice(c.back % out.length, 1);
            if (!intact(back!)) throw new Error(`a batch was overwritten while out (handed back at command ${i})`);
            sink.reclaim(back!.view);
          }
        });
        if (!out.every(intact)) throw new Error("a batch still out was overwritten");
      }),
      { numRuns: 300 },
    );
  });
});
