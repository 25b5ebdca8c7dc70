/**
 * The server clock as sessions read it, and the marks they keep with it.
 *
 * @example
 * ```ts
 * import { stamp } from "./clock.ts";
 * let closingSince = 0; // 0: not closing
 * closingSince = stamp(0); // 1: a clock that reads 0 still leaves a mark
 * ```
 * @module
 */

/** The server clock: milliseconds, updated once a second (`SessionHost.now`). */
export interface Clock {
  readonly now: number;
}

/**
 * `now` as a mark in a field where 0 means "not set" (`closingSince`, `stalledSince`, …). A clock
 * that reads 0 — a test's fake clock, or a server in its first moment — still leaves a mark.
 */
export function stamp(now: number): number {
  return now || 1;
}
