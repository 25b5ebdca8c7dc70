/**
 * Which fields the encoder adds to the dynamic table, and which it must never index.
 *
 * Never indexed (RFC 7541 §7.1.3, literal never indexed §6.2.3): credentials and cookies that an
 * attacker could guess one byte at a time by probing the compressed size (the CRIME/BREACH
 * family, RFC 7541 §7.1): `authorization`, `proxy-authorization`, `set-cookie`, and `cookie`
 * values under 20 octets (long cookies have too much entropy to guess, and are the fields that
 * gain most from indexing). The never-indexed form also tells intermediaries not to index them.
 *
 * Not indexed, sent as literals without indexing (§6.2.2), to keep the table for fields that
 * repeat:
 * - entries larger than half the table: one would evict most of the others;
 * - `:path` with a query string, which rarely repeats (a bare path often does);
 * - fields whose values are usually unique per message: `content-length`, `content-range`,
 *   `age`, `etag`, `last-modified`, `if-modified-since`, `if-none-match`, `if-match`,
 *   `if-range`, `range`.
 *
 * Everything else is indexed with incremental indexing (§6.2.1), e.g. `content-type`, `server`,
 * `cache-control`, `date` (one new entry per second at most), `vary`.
 *
 * @module
 */
import { ENTRY_OVERHEAD } from "./dynamic-table.ts";

/** `cookie` values shorter than this are never indexed (RFC 7541 §7.1.3). */
export const SHORT_COOKIE = 20;

const VOLATILE: ReadonlySet<string> = new Set([
  "content-length",
  "content-range",
  "age",
  "etag",
  "last-modified",
  "if-modified-since",
  "if-none-match",
  "if-match",
  "if-range",
  "range",
]);

/** Whether a field must be sent as a literal never indexed (RFC 7541 §6.2.3, §7.1.3). */
export function isSensitive(name: string, value: string): boolean {
  switch (name) {
    case "authorization":
    case "proxy-authorization":
    case "set-cookie":
      return true;
    case "cookie":
      return value.length < SHORT_COOKIE;
    default:
      return false;
  }
}

/** Whether a (non-sensitive) field is worth a dynamic table entry of a table of `maxSize`. */
export function isWorthIndexing(name: string, value: string, maxSize: number): boolean {
  if ((name.length + value.length + ENTRY_OVERHEAD) * 2 > maxSize) return false;
  if (VOLATILE.has(name)) return false;
  if (name === ":path" && value.includes("?")) return false;
  return true;
}
