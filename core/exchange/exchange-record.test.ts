import { describe, expect, it } from "vitest";
import { ExchangeRecord } from "./exchange-record.ts";

class Recorded extends ExchangeRecord {
  send(status: number, n: number): void {
    this.recordStatus(status);
    this.recordOut(n);
  }
  end(aborted: boolean): void {
    this.recordEnd(aborted);
  }
}

describe("ExchangeRecord", () => {
  it("records status and bytes, and tells each listener once, in order", () => {
    const record = new Recorded();
    const calls: string[] = [];
    record.onSettled((aborted) => calls.push(`a:${aborted}`));
    record.onSettled((aborted) => calls.push(`b:${aborted}`));
    record.send(200, 5);
    record.send(200, 7);
    expect([record.status, record.bytesOut, record.settled]).toEqual([200, 12, false]);
    record.end(false);
    record.end(true);
    expect(calls).toEqual(["a:false", "b:false"]);
    record.onSettled((aborted) => calls.push(`late:${aborted}`));
    expect(calls).toEqual(["a:false", "b:false", "late:false"]);
  });

  it("runs the other listeners when one throws", () => {
    const record = new Recorded();
    const calls: boolean[] = [];
    const original = console.error;
    console.error = () => {};
    try {
      record.onSettled(() => {
        throw new Error("listener bug");
      });
      record.onSettled((aborted) => calls.push(aborted));
      record.end(true);
    } finally {
      console.error = original;
    }
    expect(calls).toEqual([true]);
  });
});
