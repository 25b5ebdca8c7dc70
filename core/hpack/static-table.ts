/**
 * The HPACK static table (RFC 7541 §2.3.1, Appendix A): 61 fixed entries, indexes 1–61. Index 0
 * is unused (RFC 7541 §2.3.3, §6.1).
 *
 * @module
 */

/** Entries of Appendix A as `[name, value]`, index 1 first. */
const ENTRIES: ReadonlyArray<readonly [string, string]> = [
  [":authority", ""],
  [":method", "GET"],
  [":method", "POST"],
  [":path", "/"],
  [":path", "/index.html"],
  [":scheme", "http"],
  [":scheme", "https"],
  [":status", "200"],
  [":status", "204"],
  [":status", "206"],
  [":status", "304"],
  [":status", "400"],
  [":status", "404"],
  [":status", "500"],
  ["accept-charset", ""],
  ["accept-encoding", "gzip, deflate"],
  ["accept-language", ""],
  ["accept-ranges", ""],
  ["accept", ""],
  ["access-control-allow-origin", ""],
  ["age", ""],
  ["allow", ""],
  ["authorization", ""],
  ["cache-control", ""],
  ["content-disposition", ""],
  ["content-encoding", ""],
  ["content-language", ""],
  ["content-length", ""],
  ["content-location", ""],
  ["content-range", ""],
  ["content-type", ""],
  ["cookie", ""],
  ["date", ""],
  ["etag", ""],
  ["expect", ""],
  ["expires", ""],
  ["from", ""],
  ["host", ""],
  ["if-match", ""],
  ["if-modified-since", ""],
  ["if-none-match", ""],
  ["if-range", ""],
  ["if-unmodified-since", ""],
  ["last-modified", ""],
  ["link", ""],
  ["location", ""],
  ["max-forwards", ""],
  ["proxy-authenticate", ""],
  ["proxy-authorization", ""],
  ["range", ""],
  ["referer", ""],
  ["refresh", ""],
  ["retry-after", ""],
  ["server", ""],
  ["set-cookie", ""],
  ["strict-transport-security", ""],
  ["transfer-encoding", ""],
  ["user-agent", ""],
  ["vary", ""],
  ["via", ""],
  ["www-authenticate", ""],
];

/** Number of static entries; dynamic indexes start after it (RFC 7541 §2.3.3). */
export const STATIC_TABLE_LENGTH = 61;

/** `STATIC_NAMES[i]` is the name of static entry `i` (1–61); slot 0 is unused. */
export const STATIC_NAMES: readonly string[] = ["", ...ENTRIES.map((e) => e[0])];

/** `STATIC_VALUES[i]` is the value of static entry `i` (1–61); slot 0 is unused. */
export const STATIC_VALUES: readonly string[] = ["", ...ENTRIES.map((e) => e[1])];

/** What the encoder finds for a name in the static table. */
export interface StaticName {
  /** The lowest index with this name, for a literal with an indexed name (RFC 7541 §6.2). */
  readonly index: number;
  /** Index of each static value this name has, for an indexed field (RFC 7541 §6.1). */
  readonly values: ReadonlyMap<string, number>;
}

/** Static entries by name. */
export const STATIC_BY_NAME: ReadonlyMap<string, StaticName> = buildByName();

function buildByName(): Map<string, StaticName> {
  const byName = new Map<string, { index: number; values: Map<string, number> }>();
  for (let i = 1; i <= STATIC_TABLE_LENGTH; i++) {
    const name = STATIC_NAMES[i]!;
    let entry = byName.get(name);
    if (entry === undefined) {
      entry = { index: i, values: new Map() };
      byName.set(name, entry);
    }
    entry.values.set(STATIC_VALUES[i]!, i);
  }
  return byName;
}
