/**
 * The character rules of cookie names and values (RFC 6265bis §4.1.1), and the wording of the
 * errors that name a bad character, shared by the serializer and the signer.
 */
import { TOKEN_LOWER } from "../bytes/chars.ts";

/**
 * `cookie-octet = %x21 / %x23-2B / %x2D-3A / %x3C-5B / %x5D-7E`: visible US-ASCII except
 * DQUOTE, comma, semicolon and backslash (RFC 6265bis §4.1.1). 1 for an allowed byte.
 */
const COOKIE_OCTET: Uint8Array = new Uint8Array(128);
for (let c = 0x21; c <= 0x7e; c++) COOKIE_OCTET[c] = 1;
for (const c of [0x22, 0x2c, 0x3b, 0x5c]) COOKIE_OCTET[c] = 0;

/** How a character is named in an error: `"\r" (U+000D)`, `";" (U+003B)`. */
export function describeChar(text: string, at: number): string {
  const code = text.codePointAt(at)!;
  const hex = code.toString(16).toUpperCase().padStart(4, "0");
  const shown = code < 0x20 || code === 0x7f
    ? JSON.stringify(String.fromCodePoint(code))
    : `"${String.fromCodePoint(code)}"`;
  return `${shown} (U+${hex}) at index ${at}`;
}

/** The index of the first character of `name` that is no `tchar`, or -1 (RFC 9110 §5.6.2). */
export function badTokenChar(name: string): number {
  for (let i = 0; i < name.length; i++) {
    const c = name.charCodeAt(i);
    if (c > 0x7f || TOKEN_LOWER[c] === 0) return i;
  }
  return -1;
}

/** The index of the first character of `value` that is no `cookie-octet`, or -1. */
export function badCookieOctet(value: string): number {
  for (let i = 0; i < value.length; i++) {
    const c = value.charCodeAt(i);
    if (c > 0x7f || COOKIE_OCTET[c] === 0) return i;
  }
  return -1;
}

/**
 * The index of the first character not allowed in an attribute value, or -1: `av-octet` is any
 * CHAR except CTLs and `;` (RFC 6265bis §4.1.1), so no attribute can end early or inject a field.
 */
export function badAttributeChar(value: string): number {
  for (let i = 0; i < value.length; i++) {
    const c = value.charCodeAt(i);
    if (c < 0x20 || c >= 0x7f || c === 0x3b) return i;
  }
  return -1;
}

/** Throw a TypeError unless `name` is a token (RFC 6265bis §4.1.1: cookie-name = token). */
export function assertCookieName(name: string): void {
  if (name.length === 0) throw new TypeError("Cookie name is empty");
  const at = badTokenChar(name);
  if (at !== -1) {
    throw new TypeError(`Cookie name ${JSON.stringify(name)} has an invalid character ${describeChar(name, at)}`);
  }
}

/** Throw a TypeError unless every character of `value` is a cookie-octet. */
export function assertCookieValue(name: string, value: string): void {
  const at = badCookieOctet(value);
  if (at !== -1) {
    throw new TypeError(
      `Cookie ${name} has an invalid character ${describeChar(value, at)} in its value ` +
        "(allowed: visible ASCII except DQUOTE, comma, semicolon and backslash; encode other text first)",
    );
  }
}
