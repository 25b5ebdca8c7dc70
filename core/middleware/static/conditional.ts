/**
 * Validators and conditional requests for static files (RFC 9110 §8.8, §13).
 * @module
 */
import type { FileStat } from "../../providers/file-provider.ts";

/**
 * A strong entity tag from size and modification time (§8.8.3), plus the content coding for a
 * precompressed sibling, so each representation has its own. Size and mtime change with any
 * ordinary write, which is what nginx and Go's file server rely on too; strong, so `If-Range`
 * (which needs a strong comparison, §13.1.5) works with it.
 */
export function entityTag(stat: FileStat, coding: string): string {
  const mtime = Math.floor(stat.mtimeMs).toString(16);
  return `"${stat.size.toString(16)}-${mtime}${coding === "" ? "" : "-" + coding}"`;
}

/** `Last-Modified` (§8.8.2) as an IMF-fixdate. */
export function lastModified(stat: FileStat): string {
  return new Date(stat.mtimeMs).toUTCString();
}

const TAG = /(W\/)?"[\x21\x23-\x7e\x80-\xff]*"/g;

/** Whether a list field (`If-Match`, `If-None-Match`) names `etag`; `*` matches any. */
function listMatches(field: string, etag: string, weak: boolean): boolean {
  if (field.trim() === "*") return true;
  for (const match of field.matchAll(TAG)) {
    const isWeak = match[1] !== undefined;
    const opaque = isWeak ? match[0].slice(2) : match[0];
    // Strong comparison (§8.8.3.2): both strong and equal; weak: the opaque tags equal.
    if (opaque === etag && (weak || !isWeak)) return true;
  }
  return false;
}

/** An HTTP-date in whole seconds, or NaN when it is none (§5.6.7: then the field is ignored). */
function parseDate(field: string): number {
  const ms = Date.parse(field);
  return Number.isNaN(ms) ? NaN : Math.floor(ms / 1000);
}

/** The file's mtime at the one-second resolution of HTTP-date. */
function mtimeSeconds(stat: FileStat): number {
  return Math.floor(stat.mtimeMs / 1000);
}

/** The header reader the checks need. */
export type FieldReader = (name: string) => string | undefined;

/**
 * Evaluate the preconditions in the order of RFC 9110 §13.2.2 (the file exists):
 * 1. If-Match → 412 unless it matches (strong); 2. else If-Unmodified-Since → 412 if modified
 * since; 3. If-None-Match → 304 for GET/HEAD when it matches (weak), 412 otherwise; 4. else
 * If-Modified-Since (GET/HEAD) → 304 when not modified since. Returns 0 to go on.
 */
export function checkPreconditions(header: FieldReader, method: string, etag: string, stat: FileStat): 0 | 304 | 412 {
  const ifMatch = header("if-match");
  if (ifMatch !== undefined) {
    if (!listMatches(ifMatch, etag, false)) return 412;
  } else {
    const since = header("if-unmodified-since");
    if (since !== undefined) {
      const date = parseDate(since);
      if (!Number.isNaN(date) && mtimeSeconds(stat) > date) return 412;
    }
  }
  const safe = method === "GET" || method === "HEAD";
  const ifNoneMatch = header("if-none-match");
  if (ifNoneMatch !== undefined) {
    if (listMatches(ifNoneMatch, etag, true)) return safe ? 304 : 412;
  } else if (safe) {
    const since = header("if-modified-since");
    if (since !== undefined) {
      const date = parseDate(since);
      if (!Number.isNaN(date) && mtimeSeconds(stat) <= date) return 304;
    }
  }
  return 0;
}

/**
 * Whether a `Range` may be honoured under `If-Range` (§13.1.5): no If-Range, or it holds the
 * current strong entity tag, or exactly the current Last-Modified date. Otherwise the whole
 * representation is sent (200), as the client's partial copy is stale.
 */
export function ifRangeHolds(field: string | undefined, etag: string, stat: FileStat): boolean {
  if (field === undefined) return true;
  const value = field.trim();
  if (value.startsWith('"') || value.startsWith("W/")) return value === etag;
  const date = parseDate(value);
  return !Number.isNaN(date) && date === mtimeSeconds(stat);
}
