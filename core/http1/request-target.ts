/**
 * The four forms of a request-target (RFC 9112 §3.2), told apart on the bytes before any string
 * is made, and whether the method allows the form it has: origin-form (`/path?query`),
 * absolute-form (`http://host/path`), authority-form (`host:port`, CONNECT only) and
 * asterisk-form (`*`, OPTIONS only).
 *
 * @example
 * ```ts
 * const target = new RequestTarget(new Rejection(false));
 * const b = new TextEncoder().encode("http://a.test:8080/x");
 * target.classify(b, 0, b.length, "GET"); // FORM_ABSOLUTE; b[target.authStart..target.authEnd) is "a.test:8080"
 * ```
 * @module
 */
import * as chars from "../bytes/chars.ts";
import type { Rejection } from "./rejection.ts";

// Local copies of the imports used in hot loops (see chars.ts).
const { COLON, HOST_CHAR, QUESTION, SLASH, isDigit } = chars;

/** origin-form = absolute-path [ "?" query ] (RFC 9112 §3.2.1). */
export const FORM_ORIGIN = 0;
/** absolute-form = absolute-URI (RFC 9112 §3.2.2). */
export const FORM_ABSOLUTE = 1;
/** authority-form = uri-host ":" port (RFC 9112 §3.2.3). */
export const FORM_AUTHORITY = 2;
/** asterisk-form = "*" (RFC 9112 §3.2.4). */
export const FORM_ASTERISK = 3;

/** Classifies request-targets and records where the authority of the last one lies. */
export class RequestTarget {
  /** Where the authority starts (absolute-form and authority-form only). */
  authStart = -1;
  /** Where the authority ends. */
  authEnd = -1;

  readonly #rejection: Rejection;

  constructor(rejection: Rejection) {
    this.#rejection = rejection;
  }

  /** The form of the target b[ts..te) of a `method` request: a FORM_*, or -1 when refused. */
  classify(b: Uint8Array, ts: number, te: number, method: string): number {
    const r = this.#rejection;
    const c0 = b[ts];
    let form: number;
    if (c0 === SLASH) {
      form = FORM_ORIGIN;
    } else if (c0 === 0x2a && te - ts === 1) {
      form = FORM_ASTERISK;
    } else {
      const scheme = absoluteSchemeLength(b, ts, te);
      if (scheme > 0) {
        form = FORM_ABSOLUTE;
        let authEnd = ts + scheme;
        while (authEnd < te && b[authEnd] !== SLASH && b[authEnd] !== QUESTION) authEnd++;
        this.authStart = ts + scheme;
        this.authEnd = authEnd;
      } else {
        form = FORM_AUTHORITY;
        this.authStart = ts;
        this.authEnd = te;
      }
    }
    if (method === "CONNECT") {
      // RFC 9112 §3.2.3: CONNECT uses authority-form = uri-host ":" port, and nothing else does.
      if (form !== FORM_AUTHORITY || !isAuthority(b, ts, te, true)) {
        return r.reject("INVALID_TARGET", "CONNECT needs an authority-form target (host:port)");
      }
    } else if (form === FORM_AUTHORITY) {
      return r.reject("INVALID_TARGET", "Request target must start with '/' or be absolute");
    } else if (form === FORM_ASTERISK) {
      // RFC 9112 §3.2.4: asterisk-form only for a server-wide OPTIONS.
      if (method !== "OPTIONS") {
        return r.reject("INVALID_TARGET", "Asterisk-form target with a method other than OPTIONS");
      }
    } else if (form === FORM_ABSOLUTE && !isAuthority(b, this.authStart, this.authEnd, false)) {
      return r.reject("INVALID_TARGET", "Absolute-form target has an invalid or empty authority");
    }
    return form;
  }
}

/** Length of a leading `http://` or `https://` (scheme case-insensitive, RFC 9110 §4.2), or 0. */
function absoluteSchemeLength(b: Uint8Array, s: number, e: number): number {
  if (e - s < 7) return 0;
  if (
    (b[s]! | 0x20) !== 0x68 || (b[s + 1]! | 0x20) !== 0x74 || (b[s + 2]! | 0x20) !== 0x74 || (b[s + 3]! | 0x20) !== 0x70
  ) {
    return 0;
  }
  let p = s + 4;
  if ((b[p]! | 0x20) === 0x73) p++;
  if (e - p < 3 || b[p] !== COLON || b[p + 1] !== SLASH || b[p + 2] !== SLASH) return 0;
  return p + 3 - s;
}

/**
 * authority = host [ ":" port ] with no userinfo (RFC 9110 §4.2.4: userinfo is an error).
 * With `needPort`, the port is required (authority-form for CONNECT, RFC 9112 §3.2.3).
 */
function isAuthority(b: Uint8Array, s: number, e: number, needPort: boolean): boolean {
  if (s === e) return false;
  let colon = -1;
  for (let i = s; i < e; i++) {
    const c = b[i]!;
    if (HOST_CHAR[c] === 0) return false;
    if (c === COLON) colon = i;
    else if (c === 0x5d) colon = -1; // "]" ends an IPv6 literal; colons inside it are not the port
  }
  if (colon < 0) return !needPort;
  if (colon === s) return false;
  for (let i = colon + 1; i < e; i++) if (!isDigit(b[i]!)) return false;
  return !needPort || colon + 1 < e;
}
