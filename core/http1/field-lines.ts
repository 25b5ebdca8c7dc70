/**
 * The field lines of a head or trailer section (RFC 9112 §5, §7.1.2): validated in place on the
 * received bytes, recorded as offsets with an interned-name id, and decoded to strings only on
 * demand, all from one decode of the section.
 *
 * `*( field-line CRLF ) CRLF`, with `field-line = field-name ":" OWS field-value OWS`. Strict:
 * obs-fold, whitespace before the colon, bare CR or LF and control bytes in a value are errors,
 * each recorded in the parser's {@link Rejection}.
 *
 * @example
 * ```ts
 * const lines = new FieldLines(new Rejection(false));
 * const b = new TextEncoder().encode("Host: a\r\nX-Y: 1\r\n\r\n");
 * const end = lines.validate(b, 0, b.length, true); // b.length
 * console.log(lines.strings(b, 0, lines.text(b, 0, end))); // ["host", "a", "x-y", "1"]
 * ```
 * @module
 */
import * as chars from "../bytes/chars.ts";
import * as names from "./field-names.ts";
import type { Rejection } from "./rejection.ts";

// Local copies of the imports used in hot loops (see chars.ts).
const { COLON, CR, HTAB, LF, SP, TOKEN_LOWER, isOws } = chars;
const { FIELD_NAMES, fieldNameId } = names;

/**
 * Int32 slots recorded per field line: [name id (see `field-names.ts`) or -1, nameStart, nameEnd,
 * valueStart, valueEnd].
 */
export const FIELD_STRIDE = 5;

// The ASCII fast path: a section of bytes < 0x80 decodes identically as UTF-8, and V8/JSC decode
// it much faster than String.fromCharCode. Any other section goes through a 1:1 byte→char decoder.
const asciiDecoder = new TextDecoder();

/** True ISO-8859-1 (RFC 9110 §5.5: obs-text is opaque; latin1 keeps every byte, 1:1). */
export function decodeLatin1(b: Uint8Array, start: number, end: number): string {
  let s = "";
  for (let i = start; i < end; i += 4096) {
    s += String.fromCharCode.apply(null, b.subarray(i, Math.min(end, i + 4096)) as unknown as number[]);
  }
  return s;
}

function hasUpper(b: Uint8Array, s: number, e: number): boolean {
  for (let i = s; i < e; i++) if (b[i]! >= 0x41 && b[i]! <= 0x5a) return true;
  return false;
}

/** Validates, records and decodes the field lines of one section at a time. */
export class FieldLines {
  /** Field lines recorded by the last successful `validate`. */
  count = 0;
  /**
   * OR of the bytes outside ASCII in the section: >= 0x80 means obs-text is present and the
   * section must be decoded as latin1. A start-line validator may OR in its own bytes after
   * `validate` (a reason phrase may hold obs-text too).
   */
  valueBits = 0;
  /** `count` records of {@link FIELD_STRIDE} slots each; offsets are into the validated bytes. */
  fields: Int32Array = new Int32Array(32 * FIELD_STRIDE);

  readonly #rejection: Rejection;

  /** Failures are recorded in `rejection`, the parser's. */
  constructor(rejection: Rejection) {
    this.#rejection = rejection;
  }

  /**
   * Validate `*( field-line CRLF ) CRLF` from b[p], reading no further than `limit`, and record
   * each line. Returns the offset just past the empty line that ends the section, or -1 with the
   * verdict in the {@link Rejection} (or just "incomplete": more bytes needed). `isHead` only names the
   * section in messages.
   */
  validate(b: Uint8Array, p: number, limit: number, isHead: boolean): number {
    const r = this.#rejection;
    let f = this.fields;
    let k = 0;
    let bits = 0;
    let c = 0;
    for (;;) {
      if (p >= limit) return r.incomplete();
      c = b[p]!;
      if (c === CR) {
        if (p + 1 === limit) return r.incomplete();
        if (b[p + 1] !== LF) return r.reject("BARE_CR", `Bare CR in ${isHead ? "header" : "trailer"} section`);
        break;
      }
      // RFC 9112 §5.2: obs-fold is rejected (a server MUST either reject it or replace it); a
      // first line starting with whitespace is rejected too (§2.2).
      if (c === SP || c === HTAB) return r.reject("OBS_FOLD");
      const ns = p;
      while (p < limit && TOKEN_LOWER[c = b[p]!] !== 0) p++;
      if (p === limit) return r.incomplete();
      if (c !== COLON) return this.#nameError(b, p, limit, isHead);
      if (p === ns) return r.reject("INVALID_HEADER_NAME", "Empty field name");
      const ne = p++;
      while (p < limit && ((c = b[p]!) === SP || c === HTAB)) p++;
      const vs = p;
      for (; p < limit; p++) {
        c = b[p]!;
        // field-value = *( VCHAR / obs-text / SP / HTAB ), RFC 9110 §5.5. One range test on the
        // common path (SP and VCHAR).
        if (c < 0x20 || c > 0x7e) {
          if (c >= 0x80) bits = 0x80;
          else if (c !== HTAB) break;
        }
      }
      if (p + 1 >= limit) return r.incomplete();
      if (c !== CR) {
        if (c === LF) return r.reject("BARE_LF", "Bare LF in a field value");
        return r.reject("INVALID_HEADER_VALUE");
      }
      if (b[p + 1] !== LF) return r.reject("BARE_CR", "Bare CR in field value");
      let ve = p;
      while (ve > vs && ((c = b[ve - 1]!) === SP || c === HTAB)) ve--;
      if (k + FIELD_STRIDE > f.length) {
        const grown = new Int32Array(f.length * 2);
        grown.set(f);
        this.fields = f = grown;
      }
      f[k] = fieldNameId(b, ns, ne);
      f[k + 1] = ns;
      f[k + 2] = ne;
      f[k + 3] = vs;
      f[k + 4] = ve;
      k += FIELD_STRIDE;
      p += 2;
    }
    this.count = k / FIELD_STRIDE;
    this.valueBits = bits;
    return p + 2;
  }

  /** Name the fault at b[p], where a field name stopped before a colon (cold path). */
  #nameError(b: Uint8Array, p: number, limit: number, isHead: boolean): -1 {
    const r = this.#rejection;
    const c = b[p];
    if (c === SP || c === HTAB) {
      while (p < limit && isOws(b[p]!)) p++;
      if (p === limit) return r.incomplete();
      // RFC 9112 §5.1: no whitespace is allowed between the field name and colon.
      if (b[p] === COLON) return r.reject("SPACE_BEFORE_COLON");
      return r.reject("INVALID_HEADER_NAME", "Whitespace in field name");
    }
    if (c === CR) {
      if (p + 1 >= limit) return r.incomplete();
      if (b[p + 1] === LF) {
        return r.reject("INVALID_HEADER", `${isHead ? "Header" : "Trailer"} field line has no colon`);
      }
      return r.reject("BARE_CR", "Bare CR in field name");
    }
    if (c === LF) return r.reject("BARE_LF", "Bare LF in field name");
    return r.reject("INVALID_HEADER_NAME");
  }

  /**
   * The validated section b[start..end) as text, one char per byte, so offsets carry over and
   * every string is a cheap substring of one decode. Everything outside field values is ASCII
   * (or ORed into `valueBits`); for ASCII, UTF-8 decoding is identical to latin1 and faster.
   */
  text(b: Uint8Array, start: number, end: number): string {
    if (this.valueBits >= 0x80) return decodeLatin1(b, start, end);
    // A view costs about as much as a short decode; skip it when the section is the whole input.
    return asciiDecoder.decode(start === 0 && end === b.length ? b : b.subarray(start, end));
  }

  /**
   * The flat [lowercased name, value, …] list of the validated section, cut from its `text`
   * (which starts at b[start]). Known names are the interned strings.
   */
  strings(b: Uint8Array, start: number, text: string): string[] {
    const f = this.fields;
    const n = this.count;
    const out: string[] = new Array(n * 2);
    for (let i = 0, k = 0; i < n; i++, k += FIELD_STRIDE) {
      const id = f[k]!;
      if (id >= 0) out[2 * i] = FIELD_NAMES[id]!;
      else {
        const name = text.substring(f[k + 1]! - start, f[k + 2]! - start);
        out[2 * i] = hasUpper(b, f[k + 1]!, f[k + 2]!) ? name.toLowerCase() : name;
      }
      out[2 * i + 1] = text.substring(f[k + 3]! - start, f[k + 4]! - start);
    }
    return out;
  }
}
