import { describe, expect, it } from "vitest";
import { watched } from "./measure.ts";
import { Child } from "./procs.ts";
import { emptyRow } from "./rows.ts";
import { watchdog, WATCHDOG_MARGIN_MS, WatchdogError, watchdogLimit } from "./watchdog.ts";

/** A run that never ends by itself; it rejects once aborted, as a killed generator's run does. */
function hangUntilAborted(signal: AbortSignal): Promise<never> {
  return new Promise((_, reject) => signal.addEventListener("abort", () => reject(signal.reason), { once: true }));
}

describe("watchdog", () => {
  it("gives the value of a run that ends in time, with no retry", async () => {
    const signals: AbortSignal[] = [];
    const result = await watchdog("wrk", 1000, (signal) => {
      signals.push(signal);
      return Promise.resolve(42);
    });
    expect(result).toEqual({ value: 42, retried: null });
    expect(signals).toHaveLength(1);
    expect(signals[0]!.aborted).toBe(false);
  });

  it("aborts a run past its deadline and retries once; the retry is reported", async () => {
    const signals: AbortSignal[] = [];
    const started = Date.now();
    const result = await watchdog("run 2: wrk 4.2.0", 100, (signal) => {
      signals.push(signal);
      return signals.length === 1 ? hangUntilAborted(signal) : Promise.resolve("second");
    });
    expect(result.value).toBe("second");
    expect(result.retried).toBe("run 2: wrk 4.2.0 hung (no result within 0.1 s): killed and retried once");
    expect(signals).toHaveLength(2);
    expect(signals[0]!.aborted).toBe(true);
    expect(signals[0]!.reason).toBeInstanceOf(WatchdogError);
    expect(signals[1]!.aborted).toBe(false);
    expect(Date.now() - started).toBeGreaterThanOrEqual(95);
  });

  it("fails a run that hangs twice, having aborted both attempts", async () => {
    const signals: AbortSignal[] = [];
    const watched = watchdog("h2load", 100, (signal) => {
      signals.push(signal);
      return hangUntilAborted(signal);
    });
    await expect(watched).rejects.toThrow(WatchdogError);
    await expect(watched).rejects.toThrow("h2load hung twice: no result within 0.1 s, killed both times");
    expect(signals.map((s) => s.aborted)).toEqual([true, true]);
  });

  it("moves on even when an aborted run never settles", async () => {
    let attempts = 0;
    const result = await watchdog("built-in", 50, () => {
      attempts++;
      return attempts === 1 ? new Promise<string>(() => {}) : Promise.resolve("done");
    });
    expect(result.value).toBe("done");
    expect(result.retried).not.toBeNull();
  });

  it("does not retry a run that fails by itself before the deadline", async () => {
    let attempts = 0;
    await expect(watchdog("wrk", 1000, () => {
      attempts++;
      return Promise.reject(new Error("wrk: exited with 1"));
    })).rejects.toThrow("wrk: exited with 1");
    expect(attempts).toBe(1);
  });

  it("turns a synchronous throw into a rejection, not retried", async () => {
    let attempts = 0;
    await expect(watchdog("h2load", 1000, () => {
      attempts++;
      throw new Error("no h2load");
    })).rejects.toThrow("no h2load");
    expect(attempts).toBe(1);
  });

  it("allows a run its duration plus the margin", () => {
    expect(watchdogLimit(5000)).toBe(5000 + WATCHDOG_MARGIN_MS);
    expect(watchdogLimit(1000, 500)).toBe(1500);
  });

  it("kills a hung generator process through Child.killOnAbort, on both attempts", async () => {
    const children: Child[] = [];
    const watched = watchdog("sleep", 200, (signal) => {
      const child = new Child(["sleep", "30"], { taskset: null, cpu: 0 }).killOnAbort(signal);
      children.push(child);
      return child.waitLine((line) => line.startsWith("{"), 60_000, "sleep");
    });
    await expect(watched).rejects.toThrow("sleep hung twice");
    expect(children).toHaveLength(2);
    // Killed by SIGKILL: no exit code; long before sleep's 30 s.
    for (const child of children) expect(await child.exited).toBeNull();
  });
});

describe("watched (a generator run of a row)", () => {
  it("says in the row's notes that a run hung and was retried", async () => {
    const row = emptyRow("plaintext", "", "node", "wirecore", "req/s");
    let attempts = 0;
    const value = await watched(row, "run 2", "wrk 4.1.0", 100, (signal) => {
      attempts++;
      return attempts === 1 ? hangUntilAborted(signal) : Promise.resolve(7);
    });
    expect(value).toBe(7);
    expect(row.notes).toEqual(["run 2: wrk 4.1.0 hung (no result within 0.1 s): killed and retried once"]);
  });

  it("leaves the notes alone when the run ends in time", async () => {
    const row = emptyRow("h2", "", "bun", "native", "req/s");
    expect(await watched(row, "warm-up", "h2load 1.52.0", 1000, () => Promise.resolve("ok"))).toBe("ok");
    expect(row.notes).toEqual([]);
  });
});
