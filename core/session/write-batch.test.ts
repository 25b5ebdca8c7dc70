import { describe, expect, it } from "vitest";
import { FakeTransport } from "../../test/support/fake-transport.ts";
import { sharedSink } from "../bytes/byte-sink.ts";
import { FLUSH_THRESHOLD, releaseWrite, WriteBatch } from "./write-batch.ts";

const text = (t: FakeTransport): string[] => t.writes.map((w) => new TextDecoder().decode(w));

describe("WriteBatch", () => {
  it("sends everything written while corked in one write", () => {
    const t = new FakeTransport();
    const batch = new WriteBatch(t, { now: 5 });
    batch.cork();
    batch.sink().writeLatin1("a");
    batch.commit(); // corked: held
    batch.sink().writeLatin1("b");
    expect(t.writes).toHaveLength(0);
    expect(batch.pending).toBe(2);
    batch.uncork();
    batch.commit();
    expect(text(t)).toEqual(["ab"]);
    expect(batch.pending).toBe(0);
  });

  it("flushes the previous owner first when another batch takes the shared sink", () => {
    const ta = new FakeTransport();
    const tb = new FakeTransport();
    const a = new WriteBatch(ta, { now: 5 });
    const b = new WriteBatch(tb, { now: 5 });
    a.cork();
    b.cork();
    a.sink().writeLatin1("from a");
    b.sink().writeLatin1("from b");
    expect(text(ta)).toEqual(["from a"]);
    expect(a.pending).toBe(0);
    b.uncork();
    b.flush();
    expect(text(tb)).toEqual(["from b"]);
    a.uncork();
  });

  it("coalesces writes committed soon into one write per microtask", async () => {
    const t = new FakeTransport();
    const batch = new WriteBatch(t, { now: 5 });
    batch.sink().writeLatin1("1");
    batch.commitSoon();
    batch.sink().writeLatin1("2");
    batch.commitSoon();
    expect(t.writes).toHaveLength(0);
    await Promise.resolve();
    expect(text(t)).toEqual(["12"]);
  });

  it("sends early once the batch reaches the threshold", () => {
    const t = new FakeTransport();
    const batch = new WriteBatch(t, { now: 5 });
    batch.cork();
    batch.sink().writeBytes(new Uint8Array(FLUSH_THRESHOLD - 1));
    batch.flushIfFull();
    expect(t.writes).toHaveLength(0);
    batch.sink().writeBytes(new Uint8Array(1));
    batch.flushIfFull();
    expect(t.writes.map((w) => w.length)).toEqual([FLUSH_THRESHOLD]);
    batch.uncork();
  });

  it("writes a large array through, after what is batched, without copying it", () => {
    const t = new FakeTransport();
    const batch = new WriteBatch(t, { now: 5 });
    const big = new Uint8Array(100_000);
    batch.sink().writeLatin1("head");
    batch.writeThrough(big);
    expect(t.writes.map((w) => w.length)).toEqual([4, 100_000]);
    expect(t.writes[1]).toBe(big);
  });

  it("tracks backpressure: since when (a clock at 0 still marks), how much, and the limit", () => {
    const t = new FakeTransport();
    const clock = { now: 0 };
    let exceeded = 0;
    const batch = new WriteBatch(t, clock, 10, { backpressureExceeded: () => exceeded++ });
    t.full = true;
    batch.write(new Uint8Array(4));
    expect(batch.blocked).toBe(true);
    expect(batch.blockedBytes).toBe(0); // counted from the write that found the transport full
    expect(batch.stalled(1000, 1500)).toBe(false);
    expect(batch.stalled(1502, 1500)).toBe(true); // blocked since 1, not 0
    batch.write(new Uint8Array(6));
    expect(exceeded).toBe(0);
    batch.write(new Uint8Array(5));
    expect(batch.blockedBytes).toBe(11);
    expect(exceeded).toBe(1);
    batch.drained();
    expect(batch.blocked).toBe(false);
    expect(batch.blockedBytes).toBe(0);
    expect(batch.stalled(1_000_000, 1)).toBe(false);
  });

  it("drops what is batched and writes nothing once closed", () => {
    const t = new FakeTransport();
    const batch = new WriteBatch(t, { now: 5 });
    batch.cork();
    batch.sink().writeLatin1("lost");
    batch.close();
    expect(sharedSink.owner).toBeNull();
    batch.uncork();
    batch.write(new Uint8Array(3));
    batch.flush();
    expect(t.writes).toHaveLength(0);
    expect(batch.closed).toBe(true);
  });

  it("writes into released memory only once every write it lent is back (a transport that holds its writes)", () => {
    const ta = new FakeTransport();
    const tb = new FakeTransport();
    const a = new WriteBatch(ta, { now: 5 });
    const b = new WriteBatch(tb, { now: 5 });
    // The sink is the process's: a batch past 1 MiB leaves it on a new slab with nothing out, this test's own.
    a.sink().writeBytes(new Uint8Array(1100 * 1024));
    a.flush();
    releaseWrite(ta.writes.pop()!);
    for (const [batch, word] of [[a, "first of a"], [b, "first of b"]] as const) {
      batch.sink().writeLatin1(word);
      batch.flush();
    }
    const slab = ta.writes[0]!.buffer;
    expect(ta.writes[0]!.byteOffset).toBe(0);
    releaseWrite(ta.writes[0]!); // b's write is still held: a's next bytes go after it
    a.sink().writeLatin1("second of a");
    a.flush();
    expect(ta.writes[1]!.byteOffset).toBe(tb.writes[0]!.byteOffset + tb.writes[0]!.length);
    expect(text(tb)).toEqual(["first of b"]);
    releaseWrite(tb.writes[0]!);
    releaseWrite(ta.writes[1]!); // all back: the slab starts over
    b.sink().writeLatin1("second of b");
    b.flush();
    expect(tb.writes[1]!.buffer).toBe(slab);
    expect(tb.writes[1]!.byteOffset).toBe(0);
    expect(new TextDecoder().decode(tb.writes[1])).toBe("second of b");
  });
});
