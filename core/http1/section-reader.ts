/**
 * Reads one head or trailer section — start line (head only), field lines, empty line (RFC 9112
 * §2.1, §7.1.2) — out of input that may arrive in any number of pieces, holding its limits as
 * the bytes arrive. Both parsers use it; what differs is given at construction: the start-line
 * grammar (request line or status line), the limits, and the names of the start line's errors.
 * Failures are recorded in the parser's {@link Rejection}.
 *
 * When a section arrives whole — the common case — one pass validates it in place on the
 * caller's bytes and nothing is copied. Otherwise a resumable scan (`indexOf(LF)`, remembering
 * where it stopped, so bytes that arrive one at a time are each looked at once) copies the
 * partial section aside and checks CRLF and the limits on every call, so a head that never ends
 * fails as soon as it is too long instead of being buffered forever; once the empty line is in,
 * the same validation runs once. The scan also decides any fast-path failure, so the verdict
 * does not depend on how the input was split.
 *
 * @example
 * ```ts
 * const rejection = new Rejection(false);
 * const fields = new FieldLines(rejection);
 * const reader = new SectionReader(new RequestLine(rejection), fields, rejection, {
 *   maxSize: 16384, maxFields: 100, maxStartLine: 8192, startLine: "request line",
 *   emptyStartLine: "INVALID_REQUEST_LINE", startLineTooLong: "REQUEST_LINE_TOO_LONG",
 * });
 * const bytes = new TextEncoder().encode("GET / HTTP/1.1\r\nHost: a\r\n\r\n");
 * const next = reader.read(bytes, 0, true); // bytes.length; the section is reader.bytes[reader.start..reader.end)
 * ```
 * @module
 */
import type { HttpErrorCode } from "../http/wire-errors.ts";
import * as chars from "../bytes/chars.ts";
import type { FieldLines } from "./field-lines.ts";
import type { Rejection } from "./rejection.ts";

// Local copies of the imports used in hot loops (see chars.ts).
const { CR, LF } = chars;

/** The first line of a head: a request line (RFC 9112 §3) or a status line (RFC 9112 §4). */
export interface StartLine {
  /**
   * Validate the line at b[start], reading no further than `limit`. Returns the offset just past
   * its CRLF, or -1 with the verdict in the shared {@link Rejection} (or just "incomplete": more bytes needed).
   */
  validate(b: Uint8Array, start: number, limit: number): number;
  /** Where the last validated line's CR is, for the start-line length limit. */
  readonly lineEnd: number;
}

/** Limits of a section, and how its start line's errors are named. */
export interface SectionOptions {
  /** Largest section (start line and field lines, or trailer section) in bytes. */
  maxSize: number;
  /** Most field lines in a section. */
  maxFields: number;
  /** Longest start line in bytes, without its CRLF; `Infinity` leaves it to `maxSize`. */
  maxStartLine: number;
  /** What the start line is called in messages: `"request line"` or `"status line"`. */
  startLine: string;
  /** The error of an empty line where the start line belongs (RFC 9112 §2.1). */
  emptyStartLine: HttpErrorCode;
  /** The error of a start line over `maxStartLine` (414 for a request line, RFC 9112 §3). */
  startLineTooLong: HttpErrorCode;
}

/** `read` result: every byte given was consumed and the section is not complete yet. */
export const SECTION_NEED_MORE = -2;
/** `read` result: the section is malformed or over a limit; the verdict is in the {@link Rejection}. */
export const SECTION_ERROR = -1;

/** `scan` results besides "section ends at offset n". */
const SCAN_NEED_MORE = -2;
const SCAN_ERROR = -1;

/** Reads one section at a time; see the module documentation. */
export class SectionReader {
  /** Where the last section read lies: bytes[start..end), validated, field lines recorded. */
  bytes: Uint8Array = new Uint8Array(0);
  start = 0;
  end = 0;

  readonly #line: StartLine;
  readonly #fields: FieldLines;
  readonly #rejection: Rejection;
  readonly #o: SectionOptions;

  // The resumable scan, used when a section arrives in pieces or must be diagnosed. Offsets are
  // into the input while scanning in place, and into `buf` once a partial section is copied.
  #buf: Uint8Array = new Uint8Array(0);
  #bufLen = 0;
  /** Largest useful buffer: enough to tell a complete section from an over-limit one. */
  readonly #bufCap: number;
  #sectionStart = 0;
  #lineStart = 0;
  #scanPos = 0;
  /** Complete lines of the section seen by the scan so far. */
  #lineCount = 0;

  constructor(line: StartLine, fields: FieldLines, rejection: Rejection, options: SectionOptions) {
    this.#line = line;
    this.#fields = fields;
    this.#rejection = rejection;
    this.#o = options;
    const startLineCap = Number.isFinite(options.maxStartLine) ? options.maxStartLine + 1 : 0;
    this.#bufCap = Math.max(options.maxSize, startLineCap) + 1;
  }

  /** True while part of a section is held from an earlier call. */
  get pending(): boolean {
    return this.#bufLen > 0;
  }

  /**
   * Read a section (the head when `isHead`, else a trailer section) starting at data[pos], or
   * continue the one pending. Returns the offset in `data` just past the section (then `bytes`,
   * `start` and `end` locate it), {@link SECTION_NEED_MORE}, or {@link SECTION_ERROR}.
   */
  read(data: Uint8Array, pos: number, isHead: boolean): number {
    const len = data.length;
    if (this.#bufLen === 0) {
      // Fast path: validate in place in one pass. Only when that does not succeed (incomplete,
      // malformed or over a limit) does the scan decide, exactly as if the bytes had come one at
      // a time: the same verdict however the input is split.
      let end = this.#validate(data, pos, len, isHead);
      if (end < 0 || !this.#withinLimits(pos, end, isHead)) {
        this.#sectionStart = this.#lineStart = this.#scanPos = pos;
        this.#lineCount = 0;
        const found = this.#scan(data, isHead);
        if (found === SCAN_ERROR) return SECTION_ERROR;
        if (found === SCAN_NEED_MORE) {
          this.#stash(data, pos);
          return SECTION_NEED_MORE;
        }
        end = this.#validate(data, pos, found, isHead);
        if (end !== found) return this.#failValidation();
      }
      this.bytes = data;
      this.start = pos;
      this.end = end;
      return end;
    }
    // Slow path: the section began in an earlier call. Append what we may need, scan on from
    // where the last call stopped, validate once the section is complete.
    const old = this.#bufLen;
    const take = Math.min(len - pos, this.#bufCap - old);
    this.#append(data, pos, take);
    const b = this.#buf.subarray(0, this.#bufLen);
    const found = this.#scan(b, isHead);
    if (found === SCAN_ERROR) return SECTION_ERROR;
    if (found === SCAN_NEED_MORE) return SECTION_NEED_MORE; // took all: the cap makes limits fire first
    this.#bufLen = 0;
    const end = this.#validate(b, 0, found, isHead);
    if (end !== found) return this.#failValidation();
    this.bytes = b;
    this.start = 0;
    this.end = end;
    return pos + end - old;
  }

  /** Forget any partial section. */
  reset(): void {
    this.#bufLen = 0;
  }

  /** Start line (head only) and field lines from b[start], no further than `limit`. */
  #validate(b: Uint8Array, start: number, limit: number, isHead: boolean): number {
    let p = start;
    if (isHead) {
      p = this.#line.validate(b, start, limit);
      if (p < 0) return -1;
    }
    return this.#fields.validate(b, p, limit, isHead);
  }

  /** Whether a section that `validate` accepted also fits the limits (the ones `scan` enforces). */
  #withinLimits(start: number, end: number, isHead: boolean): boolean {
    if (end - start > this.#o.maxSize || this.#fields.count > this.#o.maxFields) return false;
    return !isHead || this.#line.lineEnd - start <= this.#o.maxStartLine;
  }

  /** Fail the section: forget what is buffered, record the verdict. */
  #fail(code: HttpErrorCode, detail?: string): -1 {
    this.#bufLen = 0;
    return this.#rejection.reject(code, detail);
  }

  /** Fail the section with the verdict its validation recorded. */
  #failValidation(): -1 {
    this.#bufLen = 0;
    return -1;
  }

  /** Keep data[from..] as the start of a section; shift scan offsets to buffer coordinates. */
  #stash(data: Uint8Array, from: number): void {
    this.#append(data, from, data.length - from);
    this.#sectionStart -= from;
    this.#lineStart -= from;
    this.#scanPos -= from;
  }

  #append(data: Uint8Array, from: number, n: number): void {
    const need = this.#bufLen + n;
    if (need > this.#buf.length) {
      const grown = new Uint8Array(Math.min(this.#bufCap, Math.max(need, this.#buf.length * 2, 1024)));
      grown.set(this.#buf.subarray(0, this.#bufLen));
      this.#buf = grown;
    }
    this.#buf.set(data.subarray(from, from + n), this.#bufLen);
    this.#bufLen = need;
  }

  /**
   * Find the end of the current section in `b` (all of `b` is valid), resuming where the last
   * call stopped. Returns the offset just past the final CRLF, SCAN_NEED_MORE, or SCAN_ERROR.
   * Line endings and the section limits are checked here, as the bytes arrive; everything else
   * is left to `validate`.
   */
  #scan(b: Uint8Array, isHead: boolean): number {
    const o = this.#o;
    const end = b.length;
    const start = this.#sectionStart;
    const fieldBase = isHead ? 1 : 0; // the head's first line is the start line
    let ls = this.#lineStart;
    let n = this.#lineCount;
    let i = this.#scanPos;
    for (;;) {
      const lf = b.indexOf(LF, i);
      if (lf === -1) break;
      // The bytes before this LF may already be over a limit: had they come without it, the
      // check below the loop would have failed them. Same check first, so that a line end found
      // only past a limit does not change the verdict (found by request-parser.fuzz.test.ts).
      if (this.#overLimits(b, start, ls, n, lf, isHead)) return SCAN_ERROR;
      // RFC 9112 §2.2: a recipient MAY accept a bare LF; we accept CRLF only.
      if (lf === ls || b[lf - 1] !== CR) {
        const where = isHead ? (n === 0 ? o.startLine : "header section") : "trailer section";
        return this.#fail("BARE_LF", `Bare LF in ${where}`);
      }
      const cr = lf - 1;
      if (isHead && n === 0 && cr - ls > o.maxStartLine) return this.#failStartLineTooLong();
      if (lf + 1 - start > o.maxSize) return this.#failTooLarge(isHead);
      if (cr === ls) {
        // The empty line ends the section — unless the start line is missing (RFC 9112 §2.1).
        // (A request parser skips empty lines before a request line itself, RFC 9112 §2.2.)
        if (isHead && n === 0) {
          return this.#fail(o.emptyStartLine, `Empty line where the ${o.startLine} belongs`);
        }
        return lf + 1;
      }
      if (n - fieldBase >= o.maxFields) {
        return this.#fail(isHead ? "TOO_MANY_HEADERS" : "TOO_MANY_TRAILERS");
      }
      n++;
      ls = i = lf + 1;
    }
    // No more line ends in what we have: check the limits against the partial section.
    if (this.#overLimits(b, start, ls, n, end, isHead)) return SCAN_ERROR;
    this.#lineStart = ls;
    this.#lineCount = n;
    this.#scanPos = end;
    return SCAN_NEED_MORE;
  }

  /**
   * Whether the partial section b[start..end), its last line b[ls..end) not yet ended, is over
   * the start-line or section limit; then the verdict is recorded.
   */
  #overLimits(b: Uint8Array, start: number, ls: number, n: number, end: number, isHead: boolean): boolean {
    const o = this.#o;
    if (isHead && n === 0) {
      let lineLen = end - ls;
      if (lineLen > 0 && b[end - 1] === CR) lineLen--;
      if (lineLen > o.maxStartLine) {
        this.#failStartLineTooLong();
        return true;
      }
    }
    if (end - start > o.maxSize) {
      this.#failTooLarge(isHead);
      return true;
    }
    return false;
  }

  #failStartLineTooLong(): -1 {
    const name = this.#o.startLine;
    return this.#fail(this.#o.startLineTooLong, `${name[0]!.toUpperCase()}${name.slice(1)} is longer than the limit`);
  }

  #failTooLarge(isHead: boolean): -1 {
    return this.#fail(isHead ? "HEADERS_TOO_LARGE" : "TRAILERS_TOO_LARGE");
  }
}
