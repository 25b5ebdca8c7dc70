/**
 * The field values that frame an HTTP/1.1 message and decide whether its connection persists:
 * Content-Length (RFC 9110 §8.6), Transfer-Encoding (RFC 9112 §6.1) and Connection (RFC 9110
 * §7.6.1). Both parsers read them straight from the received bytes, with no strings; each parser
 * then applies its own side's rules (RFC 9112 §6.3) to what these report.
 *
 * @example
 * ```ts
 * const b = new TextEncoder().encode("gzip, chunked");
 * const flags = parseTransferCodings(b, 0, b.length, 0);
 * console.log((flags & TE_LAST_CHUNKED) !== 0); // true
 * ```
 * @module
 */
import * as chars from "../bytes/chars.ts";

// Local copies of the imports used in hot loops (see chars.ts).
const { COMMA, SEMICOLON, TOKEN_LOWER, asciiBytes, equalsLower, isDigit, isOws } = chars;

/** Transfer-Encoding: `chunked` appears more than once. */
export const TE_CHUNKED_TWICE = 1;
/** Transfer-Encoding: `chunked` is the final coding. */
export const TE_LAST_CHUNKED = 2;
/** Transfer-Encoding: a coding other than `chunked` appears. */
export const TE_OTHER = 4;
/** Transfer-Encoding: a value is not a transfer-coding list. */
export const TE_INVALID = 8;
/** Transfer-Encoding: at least one field line was read. */
export const TE_SEEN = 16;
/** Transfer-Encoding: `chunked` appears. */
export const TE_CHUNKED = 32;

/** Connection lists `close`. */
export const CONN_CLOSE = 1;
/** Connection lists `keep-alive`. */
export const CONN_KEEP_ALIVE = 2;
/** Connection lists `upgrade`. */
export const CONN_UPGRADE = 4;

const TOKEN_CLOSE = asciiBytes("close");
const TOKEN_KEEP_ALIVE = asciiBytes("keep-alive");
const TOKEN_UPGRADE = asciiBytes("upgrade");
const TOKEN_CHUNKED = asciiBytes("chunked");

/**
 * Content-Length = 1*DIGIT (RFC 9110 §8.6); a list of identical values is accepted as one
 * (RFC 9112 §6.3 rule 5). Returns the length, -1 when malformed, -2 when it differs from `prev`
 * (the value of an earlier field line, or -1 for none).
 */
export function parseContentLength(b: Uint8Array, s: number, e: number, prev: number): number {
  let p = s;
  let result = prev;
  for (;;) {
    while (p < e && isOws(b[p]!)) p++;
    const ds = p;
    let n = 0;
    while (p < e && isDigit(b[p]!)) {
      n = n * 10 + (b[p]! - 0x30);
      if (n > Number.MAX_SAFE_INTEGER) return -1;
      p++;
    }
    if (p === ds) return -1; // empty element, sign, or other non-digit
    if (result >= 0 && n !== result) return -2;
    result = n;
    while (p < e && isOws(b[p]!)) p++;
    if (p === e) return result;
    if (b[p] !== COMMA) return -1;
    p++;
  }
}

/**
 * Transfer-Encoding = #transfer-coding (RFC 9112 §6.1), accumulated over all field lines into
 * `TE_*` flags. Empty list elements are ignored (RFC 9110 §5.6.1.2); parameters are skipped.
 */
export function parseTransferCodings(b: Uint8Array, s: number, e: number, flags: number): number {
  let p = s;
  let any = false;
  while (p < e) {
    while (p < e && (isOws(b[p]!) || b[p] === COMMA)) p++;
    if (p === e) break;
    const ts = p;
    while (p < e && TOKEN_LOWER[b[p]!] !== 0) p++;
    if (p === ts) return flags | TE_INVALID;
    const te = p;
    while (p < e && isOws(b[p]!)) p++;
    let hasParams = false;
    if (p < e && b[p] === SEMICOLON) {
      // transfer-parameter: skip to the next comma outside a quoted-string.
      hasParams = true;
      let quoted = false;
      for (; p < e; p++) {
        const c = b[p];
        if (quoted) {
          if (c === 0x5c) p++;
          else if (c === 0x22) quoted = false;
        } else if (c === 0x22) quoted = true;
        else if (c === COMMA) break;
      }
    } else if (p < e && b[p] !== COMMA) {
      return flags | TE_INVALID;
    }
    any = true;
    if (equalsLower(b, ts, te, TOKEN_CHUNKED)) {
      if (hasParams) return flags | TE_INVALID; // chunked has no parameters (RFC 9112 §7)
      if (flags & TE_CHUNKED) flags |= TE_CHUNKED_TWICE;
      flags |= TE_CHUNKED | TE_LAST_CHUNKED;
    } else {
      flags = (flags | TE_OTHER) & ~TE_LAST_CHUNKED;
    }
  }
  if (!any) return flags | TE_INVALID;
  return flags | TE_SEEN;
}

/**
 * Connection = #connection-option (RFC 9110 §7.6.1), accumulated over all field lines into
 * `CONN_*` flags: notes close, keep-alive and upgrade, ignores every other option.
 */
export function parseConnection(b: Uint8Array, s: number, e: number, flags: number): number {
  let p = s;
  while (p < e) {
    while (p < e && (isOws(b[p]!) || b[p] === COMMA)) p++;
    const ts = p;
    while (p < e && b[p] !== COMMA) p++;
    let te = p;
    while (te > ts && isOws(b[te - 1]!)) te--;
    const n = te - ts;
    if (n === 5 && equalsLower(b, ts, te, TOKEN_CLOSE)) flags |= CONN_CLOSE;
    else if (n === 10 && equalsLower(b, ts, te, TOKEN_KEEP_ALIVE)) flags |= CONN_KEEP_ALIVE;
    else if (n === 7 && equalsLower(b, ts, te, TOKEN_UPGRADE)) flags |= CONN_UPGRADE;
  }
  return flags;
}

/**
 * Whether the connection persists after this message (RFC 9112 §9.3): by default from HTTP/1.1
 * on unless `close` is listed; in HTTP/1.0 only with `keep-alive` and without `close`.
 */
export function persists(versionMinor: number, conn: number): boolean {
  return versionMinor >= 1 ? (conn & CONN_CLOSE) === 0 : (conn & (CONN_KEEP_ALIVE | CONN_CLOSE)) === CONN_KEEP_ALIVE;
}
