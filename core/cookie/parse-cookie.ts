/**
 * Parse the `Cookie` request field (RFC 6265bis §4.2.1: `cookie-pair *( ";" SP cookie-pair )`),
 * leniently as servers must (§5.6: user agents send back what they stored, and old or hostile
 * clients send worse).
 */

/** Cookies by name; a null-prototype object, so names like `__proto__` are plain keys. */
export type CookieRecord = Record<string, string>;

const SP = 0x20;
const HTAB = 0x09;
const DQUOTE = 0x22;

/**
 * All cookies of a `Cookie` field value, in one linear pass.
 *
 * - pairs split at `;`, optional whitespace around names and values dropped;
 * - a pair with no `=` or an empty name is skipped (it names nothing a server can ask for);
 * - of duplicate names the first wins: user agents send the cookie with the longest path first
 *   (RFC 6265bis §5.8.3 step 2), the most specific one;
 * - a value wrapped in one pair of DQUOTEs loses them (the quoted form of `cookie-value`);
 * - nothing is decoded: values are the octets the client sent (as the field's latin1 string).
 *
 * @example
 * ```ts
 * parseCookies("a=1; b=\"2\"; a=3"); // { a: "1", b: "2" }
 * ```
 */
export function parseCookies(header: string | undefined): CookieRecord {
  const cookies: CookieRecord = Object.create(null);
  if (header === undefined) return cookies;
  const length = header.length;
  let start = 0;
  // The next "=" at or after `start`, kept across pairs: searching from each pair afresh would
  // rescan a long run of pairs without "=" (";;;;…") once per pair, quadratic in the field.
  let eq = -1;
  while (start < length) {
    let end = header.indexOf(";", start);
    if (end === -1) end = length;
    if (eq < start) {
      eq = header.indexOf("=", start);
      if (eq === -1) eq = length;
    }
    if (eq < end) {
      let nameStart = start;
      let nameEnd = eq;
      while (nameStart < nameEnd && isOws(header.charCodeAt(nameStart))) nameStart++;
      while (nameEnd > nameStart && isOws(header.charCodeAt(nameEnd - 1))) nameEnd--;
      if (nameEnd > nameStart) {
        const name = header.slice(nameStart, nameEnd);
        if (cookies[name] === undefined) cookies[name] = valueOf(header, eq + 1, end);
      }
    }
    start = end + 1;
  }
  return cookies;
}

function isOws(c: number): boolean {
  return c === SP || c === HTAB;
}

function valueOf(header: string, start: number, end: number): string {
  while (start < end && isOws(header.charCodeAt(start))) start++;
  while (end > start && isOws(header.charCodeAt(end - 1))) end--;
  if (end - start >= 2 && header.charCodeAt(start) === DQUOTE && header.charCodeAt(end - 1) === DQUOTE) {
    start++;
    end--;
  }
  return header.slice(start, end);
}
