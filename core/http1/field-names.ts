/**
 * The interned field names of HTTP/1.1: one fixed list of lowercase names, common in requests
 * and responses, looked up straight from the received bytes (case-insensitively, RFC 9110 §5.1)
 * so a known name costs no decoding and every head shares the same strings. A name's id is its
 * index in the list; the names that frame a message or steer the connection come first, so a
 * parser switches on small ids.
 *
 * @example
 * ```ts
 * const b = new TextEncoder().encode("Content-Length");
 * console.log(fieldNameId(b, 0, b.length) === ID_CONTENT_LENGTH); // true
 * ```
 * @module
 */
import * as chars from "../bytes/chars.ts";

// Local copies of the imports used in hot loops (see chars.ts).
const { TOKEN_LOWER, asciiBytes } = chars;

/** The interned names; `FIELD_NAMES[id]`. */
export const FIELD_NAMES: readonly string[] = [
  "content-length",
  "transfer-encoding",
  "connection",
  "upgrade",
  "host",
  "expect",
  "user-agent",
  "accept",
  "accept-encoding",
  "accept-language",
  "accept-charset",
  "content-type",
  "content-encoding",
  "cookie",
  "cache-control",
  "pragma",
  "origin",
  "referer",
  "authorization",
  "proxy-authorization",
  "if-none-match",
  "if-modified-since",
  "if-match",
  "if-unmodified-since",
  "if-range",
  "range",
  "keep-alive",
  "te",
  "trailer",
  "date",
  "via",
  "forwarded",
  "max-forwards",
  "priority",
  "dnt",
  "upgrade-insecure-requests",
  "sec-fetch-site",
  "sec-fetch-mode",
  "sec-fetch-dest",
  "sec-fetch-user",
  "sec-ch-ua",
  "sec-ch-ua-mobile",
  "sec-ch-ua-platform",
  "sec-websocket-key",
  "sec-websocket-version",
  "sec-websocket-extensions",
  "sec-websocket-protocol",
  "x-forwarded-for",
  "x-forwarded-proto",
  "x-forwarded-host",
  "x-real-ip",
  "x-requested-with",
  "x-request-id",
  "server",
  "allow",
  "location",
  "etag",
  "last-modified",
  "vary",
  "set-cookie",
];
export const ID_CONTENT_LENGTH = 0;
export const ID_TRANSFER_ENCODING = 1;
export const ID_CONNECTION = 2;
export const ID_UPGRADE = 3;
export const ID_HOST = 4;
export const ID_EXPECT = 5;

/** Lowercase bytes of each name, for comparison without decoding. */
const NAME_BYTES: Uint8Array[] = FIELD_NAMES.map(asciiBytes);

/** Open-addressed table: slot → id + 1, or 0 when empty. A power of two well above the list. */
const SLOTS = 512;
const MASK = SLOTS - 1;
const TABLE = new Int16Array(SLOTS);

/**
 * A cheap name hash: the length and three lowercased bytes (first, middle, last), so the name
 * loop only validates. Collisions just cost a byte compare.
 */
function nameHash(len: number, first: number, mid: number, last: number): number {
  return (len * 7 + first * 31 + mid * 5 + last * 3) & MASK;
}

for (let id = 0; id < NAME_BYTES.length; id++) {
  const k = NAME_BYTES[id]!;
  let slot = nameHash(k.length, k[0]!, k[k.length >> 1]!, k[k.length - 1]!);
  while (TABLE[slot] !== 0) slot = (slot + 1) & MASK;
  TABLE[slot] = id + 1;
}

/** The id of the field name b[ns..ne) (a non-empty token, any case), or -1 when not interned. */
export function fieldNameId(b: Uint8Array, ns: number, ne: number): number {
  const len = ne - ns;
  for (
    let slot = nameHash(len, TOKEN_LOWER[b[ns]!]!, TOKEN_LOWER[b[ns + (len >> 1)]!]!, TOKEN_LOWER[b[ne - 1]!]!);;
    slot = (slot + 1) & MASK
  ) {
    const e = TABLE[slot]!;
    if (e === 0) return -1;
    const known = NAME_BYTES[e - 1]!;
    if (known.length !== len) continue;
    let j = 0;
    while (j < len && TOKEN_LOWER[b[ns + j]!] === known[j]) j++;
    if (j === len) return e - 1;
  }
}
