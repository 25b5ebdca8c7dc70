/**
 * The request line (RFC 9112 §3): `method SP request-target SP HTTP-version CRLF`, validated in
 * place and recorded as offsets; the method of a common request is interned.
 *
 * @example
 * ```ts
 * const line = new RequestLine(new Rejection(false));
 * const b = new TextEncoder().encode("GET /a?b HTTP/1.1\r\n");
 * line.validate(b, 0, b.length); // b.length
 * console.log(internMethod(b, 0, line.methodEnd), line.queryStart); // "GET" 6
 * ```
 * @module
 */
import * as chars from "../bytes/chars.ts";
import type { Rejection } from "./rejection.ts";
import type { StartLine } from "./section-reader.ts";

// Local copies of the imports used in hot loops (see chars.ts).
const { CR, LF, QUESTION, SLASH, SP, TARGET_CHAR, TOKEN_LOWER, isDigit } = chars;

/** Validates a request line and records where its parts are. */
export class RequestLine implements StartLine {
  /** Offset of the SP after the method (the method is b[start..methodEnd)). */
  methodEnd = 0;
  /** Offset of the SP after the request-target (it starts at methodEnd + 1). */
  targetEnd = 0;
  /** Offset of the first `?` in the target, or -1. */
  queryStart = -1;
  /** 0 for HTTP/1.0, 1 for HTTP/1.1 and any higher 1.x (RFC 9110 §2.5). */
  versionMinor = 1;
  /** Offset of the CR that ends the line. */
  lineEnd = 0;

  readonly #rejection: Rejection;

  constructor(rejection: Rejection) {
    this.#rejection = rejection;
  }

  /** See {@link StartLine.validate}. */
  validate(b: Uint8Array, start: number, limit: number): number {
    let p = start;
    let c = 0;
    // request-line = method SP request-target SP HTTP-version CRLF
    while (p < limit && TOKEN_LOWER[b[p]!] !== 0) p++;
    if (p === limit) return this.#rejection.incomplete();
    if (b[p] !== SP || p === start) return this.#error(b, start, limit);
    this.methodEnd = p++;
    const ts = p;
    let q = -1;
    for (; p < limit; p++) {
      c = b[p]!;
      if (TARGET_CHAR[c] === 0) break;
      if (c === QUESTION && q < 0) q = p;
    }
    if (p === limit) return this.#rejection.incomplete();
    if (c !== SP || p === ts) return this.#error(b, start, limit);
    this.targetEnd = p++;
    this.queryStart = q;
    // HTTP-version = "HTTP" "/" DIGIT "." DIGIT (RFC 9112 §2.3), then exactly CRLF.
    if (
      limit - p < 10 || b[p] !== 0x48 || b[p + 1] !== 0x54 || b[p + 2] !== 0x54 || b[p + 3] !== 0x50 ||
      b[p + 4] !== SLASH || !isDigit(b[p + 5]!) || b[p + 6] !== 0x2e || !isDigit(b[p + 7]!) ||
      b[p + 8] !== CR || b[p + 9] !== LF
    ) {
      return this.#error(b, start, limit);
    }
    // RFC 9110 §2.5: a higher minor version of HTTP/1 is served as the highest we support.
    if (b[p + 5] !== 0x31) return this.#rejection.reject("HTTP_VERSION_NOT_SUPPORTED");
    this.versionMinor = b[p + 7] === 0x30 ? 0 : 1;
    this.lineEnd = p + 8;
    return p + 10;
  }

  /** Name the fault in a request line that failed the fast checks (cold path). */
  #error(b: Uint8Array, start: number, limit: number): -1 {
    const r = this.#rejection;
    let cr = start;
    while (cr < limit && b[cr] !== CR && b[cr] !== LF) cr++;
    if (cr + 1 >= limit) return r.incomplete();
    if (b[cr] === LF) return r.reject("BARE_LF", "Bare LF in request line");
    if (b[cr + 1] !== LF) return r.reject("BARE_CR", "Bare CR in request line");
    let p = start;
    while (p < cr && TOKEN_LOWER[b[p]!] !== 0) p++;
    if (p === cr) return r.reject("INVALID_REQUEST_LINE", "Request line has no request target");
    if (b[p] !== SP) return r.reject("INVALID_METHOD", "Invalid character in method");
    if (p === start) return r.reject("INVALID_METHOD", "Empty method");
    const ts = ++p;
    while (p < cr && TARGET_CHAR[b[p]!] !== 0) p++;
    if (p === ts) return r.reject("INVALID_REQUEST_LINE", "Request line has an empty request target");
    if (p === cr) return r.reject("INVALID_REQUEST_LINE", "Request line has no HTTP version");
    if (b[p] !== SP) return r.reject("INVALID_TARGET", "Invalid character in request target");
    for (let i = p + 1; i < cr; i++) {
      if (b[i] === SP) {
        return r.reject("INVALID_REQUEST_LINE", "Request line has more than three parts (space in the target?)");
      }
    }
    return r.reject("INVALID_VERSION");
  }
}

const METHOD_GET = "GET";
const METHOD_PUT = "PUT";
const METHOD_POST = "POST";
const METHOD_HEAD = "HEAD";
const METHOD_PATCH = "PATCH";
const METHOD_DELETE = "DELETE";
const METHOD_OPTIONS = "OPTIONS";
const METHOD_CONNECT = "CONNECT";

function bytesAre(b: Uint8Array, s: number, lit: string): boolean {
  for (let i = 0; i < lit.length; i++) if (b[s + i] !== lit.charCodeAt(i)) return false;
  return true;
}

/** The method b[s..e). Methods are case-sensitive (RFC 9110 §9.1): exact common ones are interned. */
export function internMethod(b: Uint8Array, s: number, e: number): string {
  switch (e - s) {
    case 3:
      if (b[s] === 0x47 && b[s + 1] === 0x45 && b[s + 2] === 0x54) return METHOD_GET;
      if (b[s] === 0x50 && b[s + 1] === 0x55 && b[s + 2] === 0x54) return METHOD_PUT;
      break;
    case 4:
      if (bytesAre(b, s, METHOD_POST)) return METHOD_POST;
      if (bytesAre(b, s, METHOD_HEAD)) return METHOD_HEAD;
      break;
    case 5:
      if (bytesAre(b, s, METHOD_PATCH)) return METHOD_PATCH;
      break;
    case 6:
      if (bytesAre(b, s, METHOD_DELETE)) return METHOD_DELETE;
      break;
    case 7:
      if (bytesAre(b, s, METHOD_OPTIONS)) return METHOD_OPTIONS;
      if (bytesAre(b, s, METHOD_CONNECT)) return METHOD_CONNECT;
      break;
  }
  return String.fromCharCode.apply(null, b.subarray(s, e) as unknown as number[]);
}
