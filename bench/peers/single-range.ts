/**
 * The one Range form the static-file peers serve, `bytes=first-last` (what the bench sends), as
 * a hand-written server would: anything else is answered with the whole file.
 */

/** `[start, end]` inclusive, or null for the whole file. */
export function singleRange(field: string | null | undefined, size: number): [number, number] | null {
  const match = field == null ? null : /^bytes=(\d+)-(\d+)$/.exec(field);
  if (match === null) return null;
  const start = Number(match[1]);
  const end = Math.min(Number(match[2]), size - 1);
  return start <= end ? [start, end] : null;
}
