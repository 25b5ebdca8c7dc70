/**
 * The status line (RFC 9112 §4): `HTTP-version SP status-code SP [ reason-phrase ] CRLF`,
 * validated in place and recorded as offsets. Its parser answers every error with 502: a
 * malformed status line is a bad upstream response (RFC 9110 §15.6.3).
 *
 * @example
 * ```ts
 * const line = new StatusLine(new Rejection(true));
 * const b = new TextEncoder().encode("HTTP/1.1 404 Not Found\r\n");
 * line.validate(b, 0, b.length); // b.length
 * console.log(line.status, line.reason(b)); // 404 "Not Found"
 * ```
 * @module
 */
import * as chars from "../bytes/chars.ts";
import { decodeLatin1 } from "./field-lines.ts";
import type { Rejection } from "./rejection.ts";
import type { StartLine } from "./section-reader.ts";

// Local copies of the imports used in hot loops (see chars.ts).
const { CR, HTAB, LF, SP, isDigit } = chars;

/** `HTTP/1.1 200 ` — the fixed-width part of any status line. */
const FIXED_PART = 13;

const asciiDecoder = new TextDecoder();

/** Validates a status line and records its parts. */
export class StatusLine implements StartLine {
  /** The status code, 100–599 (RFC 9110 §15). */
  status = 0;
  /** The HTTP/1 minor version as sent. */
  versionMinor = 1;
  /** Where the reason phrase starts. */
  reasonStart = 0;
  /** Where the reason phrase ends: the CR that ends the line. */
  lineEnd = 0;
  /** OR of the reason phrase's bytes: >= 0x80 means it holds obs-text. */
  reasonBits = 0;

  readonly #rejection: Rejection;

  constructor(rejection: Rejection) {
    this.#rejection = rejection;
  }

  /** See {@link StartLine.validate}. */
  validate(b: Uint8Array, start: number, limit: number): number {
    const r = this.#rejection;
    let p = start;
    if (limit - p < FIXED_PART) {
      // Too few bytes to judge, unless the line has already ended.
      for (let i = p; i < limit; i++) {
        if (b[i] === CR || b[i] === LF) {
          return r.reject("INVALID_STATUS_LINE", "Status line is too short");
        }
      }
      return r.incomplete();
    }
    // HTTP-version = "HTTP" "/" DIGIT "." DIGIT (RFC 9112 §2.3)
    if (
      b[p] !== 0x48 || b[p + 1] !== 0x54 || b[p + 2] !== 0x54 || b[p + 3] !== 0x50 ||
      b[p + 4] !== 0x2f || !isDigit(b[p + 5]!) || b[p + 6] !== 0x2e || !isDigit(b[p + 7]!)
    ) {
      return r.reject("INVALID_VERSION", "Status line does not start with an HTTP version");
    }
    // RFC 9112 §2.3: only major version 1 is this grammar; HTTP/2 and later do not look like this.
    if (b[p + 5] !== 0x31) {
      return r.reject("UNSUPPORTED_VERSION", `Unsupported HTTP version ${b[p + 5]! - 0x30}.${b[p + 7]! - 0x30}`);
    }
    this.versionMinor = b[p + 7]! - 0x30;
    if (b[p + 8] !== SP) {
      return r.reject("INVALID_STATUS_LINE", "Expected one space after the HTTP version");
    }
    // status-code = 3DIGIT (RFC 9112 §4), in 100–599 (RFC 9110 §15).
    if (!isDigit(b[p + 9]!) || !isDigit(b[p + 10]!) || !isDigit(b[p + 11]!) || isDigit(b[p + 12]!)) {
      return r.reject("INVALID_STATUS", "Status code is not three digits");
    }
    const status = (b[p + 9]! - 0x30) * 100 + (b[p + 10]! - 0x30) * 10 + (b[p + 11]! - 0x30);
    if (status < 100 || status > 599) {
      return r.reject("INVALID_STATUS", `Status code ${status} is out of range`);
    }
    this.status = status;
    // The SP after the status code is required even with an empty reason (RFC 9112 §4).
    if (b[p + 12] !== SP) {
      return r.reject("INVALID_STATUS_LINE", "Expected a space after the status code");
    }
    p += FIXED_PART;
    this.reasonStart = p;
    // reason-phrase = 1*( HTAB / SP / VCHAR / obs-text )
    let bits = 0;
    for (; p < limit; p++) {
      const c = b[p]!;
      if (c < 0x20 ? c !== HTAB : c === 0x7f) break;
      bits |= c;
    }
    if (p + 1 >= limit) return r.incomplete();
    if (b[p] !== CR) return r.reject("INVALID_REASON");
    if (b[p + 1] !== LF) return r.reject("BARE_CR", "Bare CR in status line");
    this.lineEnd = p;
    this.reasonBits = bits;
    return p + 2;
  }

  /** The reason phrase of the last validated line in `b`; "OK" interned. */
  reason(b: Uint8Array): string {
    const s = this.reasonStart;
    const e = this.lineEnd;
    if (e - s === 2 && b[s] === 0x4f && b[s + 1] === 0x4b) return "OK";
    return this.reasonBits >= 0x80 ? decodeLatin1(b, s, e) : asciiDecoder.decode(b.subarray(s, e));
  }
}
