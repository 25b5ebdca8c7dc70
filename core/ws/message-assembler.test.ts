import { describe, expect, it } from "vitest";
import { MessageAssembler } from "./message-assembler.ts";

describe("MessageAssembler (RFC 6455 §5.4)", () => {
  it("joins pieces and starts empty after take", () => {
    const a = new MessageAssembler();
    a.append(Uint8Array.of(1, 2), 10);
    a.append(Uint8Array.of(3), 0);
    expect(a.size).toBe(3);
    expect(Array.from(a.take())).toEqual([1, 2, 3]);
    expect(a.size).toBe(0);
    expect(a.take()).toHaveLength(0);
  });

  it("a taken message is not overwritten by the next", () => {
    const a = new MessageAssembler();
    a.append(Uint8Array.of(1, 2, 3), 0);
    const first = a.take();
    a.append(Uint8Array.of(9, 9, 9), 0);
    expect(Array.from(first)).toEqual([1, 2, 3]);
  });

  it("grows with the bytes received, not with the bytes promised", () => {
    const a = new MessageAssembler();
    a.append(new Uint8Array(10), 1 << 30);
    expect(a.capacity).toBeLessThanOrEqual(10 + 64 * 1024);
  });

  it("many tiny fragments cost amortised linear time (doubling)", () => {
    const a = new MessageAssembler();
    let reallocations = 0;
    let last = -1;
    for (let i = 0; i < 100_000; i++) {
      a.append(Uint8Array.of(i & 0xff), 1 << 30);
      // A reallocation always makes the buffer larger, so a new capacity is a new buffer.
      if (a.capacity !== last) reallocations++;
      last = a.capacity;
    }
    expect(reallocations).toBeLessThan(10);
    const message = a.take();
    expect(message).toHaveLength(100_000);
    expect(message[99_999]).toBe(99_999 & 0xff);
  });

  it("a final frame's exact size is allocated once when it arrives in two halves", () => {
    const a = new MessageAssembler();
    a.append(new Uint8Array(600), 400);
    a.append(new Uint8Array(400), 0);
    const message = a.take();
    expect(message.buffer.byteLength).toBe(1000);
  });
});
