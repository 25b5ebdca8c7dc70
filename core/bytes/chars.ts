/**
 * Byte classes for the HTTP/1.1 parsers: tables built once at module load (each indexed by a
 * byte, 0–255, so a class test is one array load instead of a chain of comparisons), the ASCII
 * code points the grammar names, and the small byte tests both parsers share.
 *
 * The parser modules read these (and each other's constants) through module-local copies,
 * `import * as chars from "./chars.ts"; const { CR, LF } = chars;`: V8 loads an imported
 * binding from its module cell on every use (imports are live bindings) and does not fold it
 * into a constant, which costs a few percent in the per-byte and per-field loops.
 */

const TCHAR_SPECIALS = "!#$%&'*+-.^_`|~";

/**
 * `tchar` (RFC 9110 §5.6.2) mapped to its lowercase byte; 0 for any byte that is not a tchar.
 * One load both validates a token byte and folds its case (for header names, RFC 9110 §5.1).
 */
export const TOKEN_LOWER: Uint8Array = new Uint8Array(256);

/**
 * Bytes allowed in a request-target: visible US-ASCII, 0x21–0x7E. Rejects CTLs, SP, DEL and
 * anything >= 0x80 (RFC 9112 §3.2, RFC 3986 §2).
 */
export const TARGET_CHAR: Uint8Array = new Uint8Array(256);

/**
 * Bytes allowed in `uri-host [ ":" port ]` (RFC 3986 §3.2.2): unreserved, pct-encoded, sub-delims,
 * `:` and the brackets of an IP-literal. Used for the Host field and authority components.
 */
export const HOST_CHAR: Uint8Array = new Uint8Array(256);

/** Value of a hex digit, or -1 (RFC 9112 §7.1 chunk-size = 1*HEXDIG). */
export const HEX_VALUE: Int8Array = new Int8Array(256).fill(-1);

for (let c = 0x30; c <= 0x39; c++) {
  TOKEN_LOWER[c] = c;
  HOST_CHAR[c] = 1;
  HEX_VALUE[c] = c - 0x30;
}
for (let c = 0x41; c <= 0x5a; c++) {
  TOKEN_LOWER[c] = c | 0x20;
  TOKEN_LOWER[c | 0x20] = c | 0x20;
  HOST_CHAR[c] = 1;
  HOST_CHAR[c | 0x20] = 1;
}
for (let i = 0; i < TCHAR_SPECIALS.length; i++) {
  TOKEN_LOWER[TCHAR_SPECIALS.charCodeAt(i)] = TCHAR_SPECIALS.charCodeAt(i);
}
for (let c = 0x21; c <= 0x7e; c++) TARGET_CHAR[c] = 1;
const HOST_SPECIALS = "-._~!$&'()*+,;=%:[]";
for (let i = 0; i < HOST_SPECIALS.length; i++) HOST_CHAR[HOST_SPECIALS.charCodeAt(i)] = 1;
for (let i = 0; i < 6; i++) {
  HEX_VALUE[0x41 + i] = 10 + i;
  HEX_VALUE[0x61 + i] = 10 + i;
}

export const CR = 0x0d;
export const LF = 0x0a;
export const SP = 0x20;
export const HTAB = 0x09;
export const COLON = 0x3a;
export const COMMA = 0x2c;
export const SEMICOLON = 0x3b;
export const QUESTION = 0x3f;
export const SLASH = 0x2f;

/** DIGIT (RFC 5234 §B.1). */
export function isDigit(c: number): boolean {
  return c >= 0x30 && c <= 0x39;
}

/** OWS byte: SP or HTAB (RFC 9110 §5.6.3). */
export function isOws(c: number): boolean {
  return c === SP || c === HTAB;
}

/** The bytes of an ASCII string, for comparing with input without decoding it. */
export function asciiBytes(s: string): Uint8Array {
  const out = new Uint8Array(s.length);
  for (let i = 0; i < s.length; i++) out[i] = s.charCodeAt(i);
  return out;
}

/** Case-insensitive compare of b[s..e) with a lowercase token (from {@link asciiBytes}). */
export function equalsLower(b: Uint8Array, s: number, e: number, lit: Uint8Array): boolean {
  if (e - s !== lit.length) return false;
  for (let i = 0; i < lit.length; i++) if (TOKEN_LOWER[b[s + i]!] !== lit[i]) return false;
  return true;
}
