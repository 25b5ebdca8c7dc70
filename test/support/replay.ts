/**
 * Shared harness of the parser tests (bytes in → events out): every case is replayed whole,
 * split in two at every offset (sampled for long inputs), and one byte at a time; every replay
 * must give the same trace, and that trace must match the expectation. Not a test file itself
 * (no `.test.ts`), so runners only load it through the tests that import it.
 *
 * @example
 * ```ts
 * replay("GET / HTTP/1.1\r\nHost: a\r\n\r\n", (pieces) => runParser(pieces), [{ head: {} }, { complete: null }]);
 * ```
 * @module
 */
import { expect } from "vitest";

/**
 * The events of a parser trace; `H` is what a head event holds (the head, or in an expectation
 * a subset of it), `body` is all body bytes between other events as one latin1 string.
 */
export type TraceEvent<H> =
  | { head: H }
  | { body: string }
  | { complete: string[] | null }
  | { error: { status: number; code: string } }
  | { rest: string };

/** One byte per char: test inputs may hold any byte 0–255. */
export function bytes(s: string): Uint8Array {
  const out = new Uint8Array(s.length);
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c > 255) throw new Error("test input must be latin1");
    out[i] = c;
  }
  return out;
}

/** One char per byte. */
export function text(b: Uint8Array): string {
  let s = "";
  for (let i = 0; i < b.length; i++) s += String.fromCharCode(b[i]!);
  return s;
}

/**
 * Record body bytes in a trace. Chunk boundaries depend on how bytes arrive, so adjacent body
 * events merge into one `{ body }`.
 */
export function traceBody(trace: object[], chunk: Uint8Array): void {
  const last = trace[trace.length - 1] as { body?: string } | undefined;
  if (last && "body" in last) last.body += text(chunk);
  else trace.push({ body: text(chunk) });
}

/** Offsets to split an input of `n` bytes at: all of them, or about 300 for a long input. */
export function splitPoints(n: number): number[] {
  if (n <= 600) return Array.from({ length: n - 1 }, (_, i) => i + 1);
  const out: number[] = [];
  for (let i = 1; i < n; i += Math.ceil(n / 300)) out.push(i);
  out.push(n - 1);
  return out;
}

/**
 * Run `input` through `run` whole, split in two at every offset and one byte at a time. The
 * whole trace must match `expected` (each event a subset, and no events beyond), and every
 * other replay must equal it exactly.
 */
export function replay<E>(input: string, run: (pieces: Uint8Array[]) => E[], expected: object[]): void {
  const b = bytes(input);
  const whole = run([b]);
  expect(whole).toMatchObject(expected);
  expect(whole.length).toBe(expected.length);
  for (const at of splitPoints(b.length)) {
    expect(run([b.subarray(0, at), b.subarray(at)]), `split at ${at}`).toEqual(whole);
  }
  const single: Uint8Array[] = [];
  for (let i = 0; i < b.length; i++) single.push(b.subarray(i, i + 1));
  expect(run(single), "byte at a time").toEqual(whole);
}
