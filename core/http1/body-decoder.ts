/**
 * A message body by its framing (RFC 9112 §6.3): a Content-Length body, the chunked transfer
 * coding (RFC 9112 §7.1) or, for a response, everything until the stream closes. Decoded
 * incrementally; body bytes are passed on as views into the input, never copied. The trailer
 * section that ends a chunked body is a section like the head, read by the parser's
 * {@link SectionReader} into its {@link FieldLines}.
 *
 * ```
 * chunked-body = *chunk last-chunk trailer-section CRLF
 * chunk        = chunk-size [ chunk-ext ] CRLF chunk-data CRLF
 * last-chunk   = 1*("0") [ chunk-ext ] CRLF
 * ```
 *
 * Shape: a byte-driven state machine, each state named for its place in that grammar, each
 * failing edge its own error code, recorded in the parser's {@link Rejection}. Both parsers use
 * it (a request's errors answer 400, or 413 over the body limit; a response's all 502).
 *
 * @example
 * ```ts
 * const body = new BodyDecoder({ onBody(chunk) {} }, section, fields, rejection, Infinity);
 * body.startChunked();
 * const bytes = new TextEncoder().encode("5\r\nhello\r\n0\r\nX-Sum: 1\r\n\r\n");
 * body.decode(bytes, 0); // bytes.length
 * console.log(body.done, body.trailers); // true ["x-sum", "1"]
 * ```
 * @module
 */
import type { HttpErrorCode } from "../http/wire-errors.ts";
import * as chars from "../bytes/chars.ts";
import type { FieldLines } from "./field-lines.ts";
import type { Rejection } from "./rejection.ts";
import type { SectionReader } from "./section-reader.ts";
import * as sections from "./section-reader.ts";

// Local copies of the imports used in hot loops (see chars.ts).
const { CR, HEX_VALUE, HTAB, LF, SEMICOLON, SP } = chars;
const { SECTION_ERROR, SECTION_NEED_MORE } = sections;

/** Where body bytes go. */
export interface BodyEvents {
  /** Body bytes: a view into the input of `decode`, valid only during the call. */
  onBody(chunk: Uint8Array): void;
}

// ─── States ───────────────────────────────────────────────────────────────────────────────────
/** Content-Length body (RFC 9112 §6.3 rules 5–6): `remaining` bytes to come. */
const S_LENGTH = 0;
/** Close-delimited body: everything until the stream ends (RFC 9112 §6.3 rule 8). */
const S_CLOSE = 1;
/** chunk-size = 1*HEXDIG (RFC 9112 §7.1). */
const S_CHUNK_SIZE = 2;
/** BWS after chunk-size, before `;` or CR (RFC 9112 §7.1.1). */
const S_CHUNK_SIZE_BWS = 3;
/** chunk-ext, parsed loosely and ignored (RFC 9112 §7.1.1). */
const S_CHUNK_EXT = 4;
/** Saw the CR ending a chunk-size line; LF must follow. */
const S_CHUNK_SIZE_LF = 5;
/** chunk-data (RFC 9112 §7.1). */
const S_CHUNK_DATA = 6;
/** The CRLF after chunk-data: CR expected. */
const S_CHUNK_DATA_CR = 7;
/** The CRLF after chunk-data: LF expected. */
const S_CHUNK_DATA_LF = 8;
/** trailer-section = *( field-line CRLF ) CRLF (RFC 9112 §7.1.2), after last-chunk. */
const S_TRAILERS = 9;
/** The body is complete. */
const S_DONE = 10;
/** After an error. */
const S_DEAD = 11;

/** Chunk extensions are ignored, but capped so a peer cannot drip bytes into one forever. */
const MAX_CHUNK_EXT_SIZE = 4096;
/** More hex digits than this is not a size we could ever accept (RFC 9112 §7.1: guard overflow). */
const MAX_CHUNK_SIZE_DIGITS = 16;

/** Decodes one body at a time; a `start…` method begins each. */
export class BodyDecoder {
  /**
   * Once `done`: the trailer fields of a chunked body, flat `[lowercased name, value, …]`, or
   * null when there were none (or the body was not chunked).
   */
  trailers: string[] | null = null;

  readonly #events: BodyEvents;
  readonly #section: SectionReader;
  readonly #fields: FieldLines;
  readonly #rejection: Rejection;
  /** Largest body in bytes (for a chunked body, the sum of the chunk sizes). */
  readonly #maxBodySize: number;

  #state = S_DONE;
  /** Bytes of the current Content-Length body or chunk still to come. */
  #left = 0;
  #chunkSize = 0;
  #chunkDigits = 0;
  #chunkExtSize = 0;
  #bodyTotal = 0;

  /**
   * Trailer sections are read with the parser's `section` reader into its `fields`; failures
   * are recorded in its `rejection`. A Content-Length is checked against `maxBodySize` by the
   * parser, before the head is reported.
   */
  constructor(
    events: BodyEvents,
    section: SectionReader,
    fields: FieldLines,
    rejection: Rejection,
    maxBodySize: number,
  ) {
    this.#events = events;
    this.#section = section;
    this.#fields = fields;
    this.#rejection = rejection;
    this.#maxBodySize = maxBodySize;
  }

  /** True once the body (with any trailer section) is complete. */
  get done(): boolean {
    return this.#state === S_DONE;
  }

  /** Bytes of a Content-Length body still to come, or -1 for any other framing. */
  get remaining(): number {
    return this.#state === S_LENGTH ? this.#left : -1;
  }

  /** True while a close-delimited body is read: the end of the stream completes it. */
  get untilClose(): boolean {
    return this.#state === S_CLOSE;
  }

  /** Start a Content-Length body of `length` > 0 bytes. */
  startLength(length: number): void {
    // Each body starts without trailers: those of an earlier chunked body on the connection
    // must not be reported with this one (found by the property-based tests).
    this.trailers = null;
    this.#left = length;
    this.#state = S_LENGTH;
  }

  /** Start a chunked body. */
  startChunked(): void {
    this.trailers = null;
    this.#state = S_CHUNK_SIZE;
    this.#bodyTotal = 0;
    this.#chunkSize = 0;
    this.#chunkDigits = 0;
  }

  /** Start a close-delimited body. */
  startClose(): void {
    this.trailers = null;
    this.#state = S_CLOSE;
    this.#bodyTotal = 0;
  }

  /**
   * Decode from data[pos]. Returns the offset just past the body once it is complete (then
   * `done`), else `data.length` (all consumed; partial lines are kept as state), or -1 with
   * the verdict in the {@link Rejection}.
   */
  decode(data: Uint8Array, pos: number): number {
    const len = data.length;
    while (pos < len) {
      switch (this.#state) {
        case S_LENGTH:
        case S_CHUNK_DATA: {
          // Counted before onBody, so `remaining` is up to date while the handler runs.
          const n = Math.min(len - pos, this.#left);
          this.#left -= n;
          this.#events.onBody(pos === 0 && n === len ? data : data.subarray(pos, pos + n));
          if (this.#left > 0) return len;
          pos += n;
          if (this.#state === S_LENGTH) {
            this.#state = S_DONE;
            return pos;
          }
          this.#state = S_CHUNK_DATA_CR;
          break;
        }
        case S_CLOSE:
          this.#bodyTotal += len - pos;
          if (this.#bodyTotal > this.#maxBodySize) {
            return this.#fail("BODY_TOO_LARGE", "Close-delimited body is larger than the limit");
          }
          this.#events.onBody(pos === 0 ? data : data.subarray(pos));
          return len;
        case S_CHUNK_SIZE: {
          // Per-byte loops keep their counters in locals and store them once: fields in a loop
          // cost more on JSC (measured with bench/micro/codecs.ts).
          const total = this.#bodyTotal;
          const max = this.#maxBodySize;
          let digits = this.#chunkDigits;
          let size = this.#chunkSize;
          let c = 0;
          for (; pos < len; pos++) {
            c = data[pos]!;
            const v = HEX_VALUE[c]!;
            if (v < 0) break;
            if (++digits > MAX_CHUNK_SIZE_DIGITS) {
              return this.#fail("INVALID_CHUNK_SIZE", "Chunk size has more than 16 hex digits");
            }
            size = size * 16 + v;
            if (size > Number.MAX_SAFE_INTEGER) return this.#fail("INVALID_CHUNK_SIZE", "Chunk size is too large");
            if (total + size > max) return this.#fail("BODY_TOO_LARGE", "Chunked body is larger than the limit");
          }
          this.#chunkDigits = digits;
          this.#chunkSize = size;
          if (pos === len) return len;
          if (digits === 0) {
            if (c === LF) return this.#fail("BARE_LF", "Bare LF in chunk size line");
            return this.#fail("INVALID_CHUNK_SIZE", "Chunk size is missing or not hexadecimal");
          }
          pos++;
          if (c === CR) this.#state = S_CHUNK_SIZE_LF;
          else if (c === SEMICOLON) {
            this.#chunkExtSize = 1;
            this.#state = S_CHUNK_EXT;
          } else if (c === SP || c === HTAB) {
            this.#chunkExtSize = 1;
            this.#state = S_CHUNK_SIZE_BWS;
          } else if (c === LF) return this.#fail("BARE_LF", "Bare LF in chunk size line");
          else return this.#fail("INVALID_CHUNK_SIZE", "Invalid character after chunk size");
          break;
        }
        case S_CHUNK_SIZE_BWS: {
          // RFC 9112 §7.1.1: chunk-ext = *( BWS ";" BWS chunk-ext-name [ BWS "=" BWS chunk-ext-val ] )
          const c = data[pos++];
          if (++this.#chunkExtSize > MAX_CHUNK_EXT_SIZE) {
            return this.#fail("CHUNK_EXTENSIONS_TOO_LONG");
          }
          if (c === SP || c === HTAB) break;
          if (c === SEMICOLON) this.#state = S_CHUNK_EXT;
          else if (c === CR) this.#state = S_CHUNK_SIZE_LF;
          else if (c === LF) return this.#fail("BARE_LF", "Bare LF in chunk size line");
          else return this.#fail("INVALID_CHUNK_SIZE", "Invalid character after chunk size");
          break;
        }
        case S_CHUNK_EXT: {
          // Names, values and quoted strings are all printable, so "loosely" means: any
          // field-vchar, SP or HTAB up to the CR. Extensions carry nothing we use.
          let extSize = this.#chunkExtSize;
          for (; pos < len; pos++) {
            const c = data[pos]!;
            if (c < 0x20 ? c !== HTAB : c === 0x7f) {
              if (c === CR) break;
              if (c === LF) return this.#fail("BARE_LF", "Bare LF in chunk extension");
              return this.#fail("INVALID_CHUNK_EXTENSION");
            }
            if (++extSize > MAX_CHUNK_EXT_SIZE) return this.#fail("CHUNK_EXTENSIONS_TOO_LONG");
          }
          this.#chunkExtSize = extSize;
          if (pos === len) return len;
          pos++;
          this.#state = S_CHUNK_SIZE_LF;
          break;
        }
        case S_CHUNK_SIZE_LF: {
          if (data[pos] !== LF) return this.#fail("BARE_CR", "Bare CR in chunk size line");
          pos++;
          const size = this.#chunkSize;
          this.#bodyTotal += size;
          this.#chunkSize = 0;
          this.#chunkDigits = 0;
          if (size === 0) {
            this.#state = S_TRAILERS; // last-chunk (RFC 9112 §7.1)
          } else {
            this.#left = size;
            this.#state = S_CHUNK_DATA;
          }
          break;
        }
        case S_CHUNK_DATA_CR:
          if (data[pos] !== CR) {
            return this.#fail("INVALID_CHUNK_DATA_END");
          }
          pos++;
          this.#state = S_CHUNK_DATA_LF;
          break;
        case S_CHUNK_DATA_LF:
          if (data[pos] !== LF) return this.#fail("BARE_CR", "Bare CR after chunk data");
          pos++;
          this.#state = S_CHUNK_SIZE;
          break;
        case S_TRAILERS: {
          const section = this.#section;
          const next = section.read(data, pos, false);
          if (next === SECTION_NEED_MORE) return len;
          if (next === SECTION_ERROR) {
            this.#state = S_DEAD; // the section reader recorded the verdict
            return -1;
          }
          const f = this.#fields;
          if (f.count > 0) {
            this.trailers = f.strings(section.bytes, section.start, f.text(section.bytes, section.start, section.end));
          }
          this.#state = S_DONE;
          return next;
        }
        default: // S_DONE, S_DEAD: nothing more is ours
          return this.#state === S_DEAD ? -1 : pos;
      }
    }
    return pos;
  }

  /** Fail the body: record the verdict; every later call returns -1. */
  #fail(code: HttpErrorCode, detail?: string): -1 {
    this.#state = S_DEAD;
    return this.#rejection.reject(code, detail);
  }
}
