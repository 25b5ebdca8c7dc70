/**
 * The `type; name=value; …` shape shared by `Content-Type` (RFC 9110 §8.3.1, §5.6.6) and
 * `Content-Disposition` (RFC 6266 §4.1): a leading token, then parameters whose value is a token
 * or a quoted-string. Parameter names come back lowercased; quoted-strings come back unquoted
 * (quoted-pair resolved, RFC 9110 §5.6.4). An extended name (`filename*`) keeps its `*` and its
 * raw value; RFC 8187 decoding is the caller's business.
 * @module
 */
import { TOKEN_LOWER } from "../bytes/chars.ts";

/** A parsed field value: its lowercased leading token and its parameters in order. */
export interface HeaderParams {
  /** The leading token (`multipart/form-data`, `form-data`), lowercased. */
  readonly value: string;
  /** `[name, value]` pairs; names lowercased, values unquoted. */
  readonly params: readonly (readonly [string, string])[];
}

function isTokenChar(c: number): boolean {
  return c < 256 && TOKEN_LOWER[c] !== 0;
}

function isOws(c: number): boolean {
  return c === 0x20 || c === 0x09;
}

/**
 * Parse `field`; null when it does not match the grammar. `slash` allows one `/` in the leading
 * token, as a media type has (`type "/" subtype`).
 *
 * @example
 * ```ts
 * parseHeaderParams('multipart/form-data; boundary="a b"', true);
 * // { value: "multipart/form-data", params: [["boundary", "a b"]] }
 * ```
 */
export function parseHeaderParams(field: string, slash: boolean): HeaderParams | null {
  const n = field.length;
  let i = 0;
  while (i < n && isOws(field.charCodeAt(i))) i++;
  const start = i;
  let slashes = 0;
  for (; i < n; i++) {
    const c = field.charCodeAt(i);
    if (c === 0x2f && slash) slashes++;
    else if (!isTokenChar(c)) break;
  }
  const value = field.slice(start, i).toLowerCase();
  if (value.length === 0 || (slash && (slashes !== 1 || value.startsWith("/") || value.endsWith("/")))) return null;
  const params: [string, string][] = [];
  for (;;) {
    while (i < n && isOws(field.charCodeAt(i))) i++;
    if (i === n) return { value, params };
    if (field.charCodeAt(i) !== 0x3b /* ; */) return null;
    i++;
    while (i < n && isOws(field.charCodeAt(i))) i++;
    if (i === n) return { value, params }; // a trailing ";" is an empty parameter (RFC 9110 §5.6.6)
    const nameStart = i;
    while (i < n && isTokenChar(field.charCodeAt(i))) i++;
    if (i === nameStart) {
      if (field.charCodeAt(i) === 0x3b) continue; // ";;": an empty parameter
      return null;
    }
    const name = field.slice(nameStart, i).toLowerCase();
    while (i < n && isOws(field.charCodeAt(i))) i++; // BWS around "=" is tolerated (RFC 9110 §5.6.3)
    if (field.charCodeAt(i) !== 0x3d /* = */) return null;
    i++;
    while (i < n && isOws(field.charCodeAt(i))) i++;
    if (field.charCodeAt(i) === 0x22 /* " */) {
      let text = "";
      i++;
      let closed = false;
      while (i < n) {
        const c = field.charCodeAt(i);
        if (c === 0x22) {
          closed = true;
          i++;
          break;
        }
        if (c === 0x5c /* \ */) {
          if (i + 1 === n) return null;
          text += field[i + 1];
          i += 2;
          continue;
        }
        // qdtext (RFC 9110 §5.6.4): HTAB, SP and visible characters; obs-text is any non-ASCII.
        if ((c < 0x20 && c !== 0x09) || c === 0x7f) return null;
        text += field[i];
        i++;
      }
      if (!closed) return null;
      params.push([name, text]);
    } else {
      const valueStart = i;
      while (i < n && isTokenChar(field.charCodeAt(i))) i++;
      if (i === valueStart) return null;
      params.push([name, field.slice(valueStart, i)]);
    }
  }
}

/** The value of parameter `name` (lowercase); null when absent, undefined when repeated. */
export function singleParam(parsed: HeaderParams, name: string): string | null | undefined {
  let found: string | null = null;
  for (const [key, value] of parsed.params) {
    if (key !== name) continue;
    if (found !== null) return undefined;
    found = value;
  }
  return found;
}
