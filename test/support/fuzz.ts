/**
 * Shared parts of the property-based tests (`core/**\/*.fuzz.test.ts`, fast-check): the run
 * settings, byte mutations and random splits. Not a test file itself.
 *
 * A normal test run uses a fixed seed and a modest number of runs per property, so it is
 * repeatable and quick. `npm run fuzz` (scripts/fuzz.ts) sets `WIRECORE_FUZZ_RUNS` (many) and
 * `WIRECORE_FUZZ_SEED` (random unless given) and prints the seed; a failure also prints
 * fast-check's seed and path, and the shrunk counterexample, so it replays with
 * `WIRECORE_FUZZ_SEED=<seed> npm run fuzz`.
 * @module
 */
import process from "node:process";
import fc from "fast-check";

/** The seed of the normal run: fixed, so a failure in CI replays anywhere. */
const DEFAULT_SEED = 0x5eed_c0de;

function envInt(name: string): number | undefined {
  const raw = process.env[name];
  if (raw === undefined || raw === "") return undefined;
  const value = Number(raw);
  if (!Number.isSafeInteger(value)) throw new Error(`${name} must be an integer, not ${JSON.stringify(raw)}`);
  return value;
}

/** fast-check parameters of a property; `runs` is its share in a normal run. */
export function fuzzParams(runs: number): fc.Parameters<unknown> {
  const scale = envInt("WIRECORE_FUZZ_RUNS");
  return {
    seed: envInt("WIRECORE_FUZZ_SEED") ?? DEFAULT_SEED,
    // WIRECORE_FUZZ_RUNS multiplies every property's share (npm run fuzz: 100×).
    numRuns: scale === undefined ? runs : runs * scale,
    endOnFailure: false,
  };
}

/** Run a synchronous property; on failure the error names the seed and path to replay. */
export function check<T>(arbitrary: fc.Arbitrary<T>, predicate: (value: T) => void, runs: number): void {
  fc.assert(fc.property(arbitrary, predicate), fuzzParams(runs));
}

/** Run an asynchronous property. */
export async function checkAsync<T>(
  arbitrary: fc.Arbitrary<T>,
  predicate: (value: T) => Promise<void>,
  runs: number,
): Promise<void> {
  await fc.assert(fc.asyncProperty(arbitrary, predicate), fuzzParams(runs));
}

/** Random bytes, short and long. */
export const randomBytes: fc.Arbitrary<Uint8Array> = fc.uint8Array({ maxLength: 512 });

/** One edit of a byte string. */
type Mutation =
  | { kind: "flip"; at: number; bit: number }
  | { kind: "set"; at: number; byte: number }
  | { kind: "insert"; at: number; bytes: Uint8Array }
  | { kind: "delete"; at: number; length: number }
  | { kind: "duplicate"; at: number; length: number; to: number };

const mutation: fc.Arbitrary<Mutation> = fc.oneof(
  fc.record({ kind: fc.constant("flip" as const), at: fc.nat(), bit: fc.integer({ min: 0, max: 7 }) }),
  fc.record({ kind: fc.constant("set" as const), at: fc.nat(), byte: fc.integer({ min: 0, max: 255 }) }),
  fc.record({
    kind: fc.constant("insert" as const),
    at: fc.nat(),
    bytes: fc.uint8Array({ minLength: 1, maxLength: 8 }),
  }),
  fc.record({ kind: fc.constant("delete" as const), at: fc.nat(), length: fc.integer({ min: 1, max: 16 }) }),
  fc.record({
    kind: fc.constant("duplicate" as const),
    at: fc.nat(),
    length: fc.integer({ min: 1, max: 32 }),
    to: fc.nat(),
  }),
);

function apply(input: Uint8Array, m: Mutation): Uint8Array {
  const n = input.length;
  const at = n === 0 ? 0 : m.at % (n + 1);
  switch (m.kind) {
    case "flip":
    case "set": {
      if (n === 0) return input;
      const out = input.slice();
      const i = at % n;
      out[i] = m.kind === "flip" ? out[i]! ^ (1 << m.bit) : m.byte;
      return out;
    }
    case "insert": {
      const out = new Uint8Array(n + m.bytes.length);
      out.set(input.subarray(0, at));
      out.set(m.bytes, at);
      out.set(input.subarray(at), at + m.bytes.length);
      return out;
    }
    case "delete": {
      const end = Math.min(n, at + m.length);
      const out = new Uint8Array(n - (end - at));
      out.set(input.subarray(0, at));
      out.set(input.subarray(end), at);
      return out;
    }
    case "duplicate": {
      const end = Math.min(n, at + m.length);
      const piece = input.subarray(at, end);
      const to = n === 0 ? 0 : m.to % (n + 1);
      const out = new Uint8Array(n + piece.length);
      out.set(input.subarray(0, to));
      out.set(piece, to);
      out.set(input.subarray(to), to + piece.length);
      return out;
    }
  }
}

/** `valid` with one to four mutations: bit flips, byte changes, insertions, deletions, duplications. */
export function mutated(valid: fc.Arbitrary<Uint8Array>): fc.Arbitrary<Uint8Array> {
  return fc.tuple(valid, fc.array(mutation, { minLength: 1, maxLength: 4 })).map(([input, edits]) =>
    edits.reduce(apply, input)
  );
}

/** Cut points, as fractions of the input's length (so they shrink independently of it). */
export const cuts: fc.Arbitrary<number[]> = fc.array(fc.double({ min: 0, max: 1, noNaN: true }), { maxLength: 12 });

/** `input` cut at `fractions` of its length, in order; pieces may be empty. */
export function split(input: Uint8Array, fractions: readonly number[]): Uint8Array[] {
  const points = fractions.map((f) => Math.floor(f * input.length)).sort((a, b) => a - b);
  const pieces: Uint8Array[] = [];
  let from = 0;
  for (const to of points) {
    pieces.push(input.subarray(from, to));
    from = to;
  }
  pieces.push(input.subarray(from));
  return pieces;
}

/** Every byte its own piece. */
export function bytewise(input: Uint8Array): Uint8Array[] {
  return Array.from({ length: input.length }, (_, i) => input.subarray(i, i + 1));
}

const encoder = new TextEncoder();

/** Latin1 text as bytes (one char per byte). */
export function latin1Bytes(text: string): Uint8Array {
  const out = new Uint8Array(text.length);
  for (let i = 0; i < text.length; i++) out[i] = text.charCodeAt(i);
  return out;
}

/** UTF-8 bytes. */
export function utf8Bytes(text: string): Uint8Array {
  return encoder.encode(text);
}

/** Concatenate byte arrays. */
export function join(parts: readonly Uint8Array[]): Uint8Array {
  let length = 0;
  for (const part of parts) length += part.length;
  const out = new Uint8Array(length);
  let at = 0;
  for (const part of parts) {
    out.set(part, at);
    at += part.length;
  }
  return out;
}

/** An HTTP token (RFC 9110 §5.6.2). */
export const token: fc.Arbitrary<string> = fc.stringMatching(/^[!#$%&'*+.^_`|~0-9A-Za-z-]{1,12}$/);

/** A field value: visible ASCII and inner spaces (RFC 9110 §5.5), no leading or trailing space. */
export const fieldValue: fc.Arbitrary<string> = fc.stringMatching(/^([!-~]([ !-~]{0,20}[!-~])?)?$/);
