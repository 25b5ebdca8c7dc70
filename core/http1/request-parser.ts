/**
 * An incremental, strict HTTP/1.1 request parser (RFC 9112).
 *
 * Shape: a byte-driven state machine whose states are named for their place in the grammar
 * (`message-head`, `chunk-size`, `chunk-ext`, `chunk-data`, `trailer-section`, …). Every failing
 * edge raises its own {@link HttpError} with a status, a stable `code` and a sentence-case reason.
 * There is no lenient mode.
 *
 * The head (and a trailer section) is read in place. When it arrives whole — the common case —
 * one pass validates it on the caller's bytes, then one decode of the section yields every string
 * as a substring. Otherwise a resumable scan (`indexOf(LF)`, remembering where it stopped, so
 * bytes that arrive one at a time are each looked at once) copies the partial section aside and
 * checks CRLF and the limits on every call, so a head that never ends fails as soon as it is too
 * long instead of being buffered forever; once the empty line is in, the same validation runs
 * once. The scan also decides any fast-path failure, so the verdict does not depend on how the
 * input was split.
 *
 * @example
 * ```ts
 * const parser = new RequestParser({
 *   onHead(head) { console.log(head.method, head.target); },
 *   onBody(chunk) {},
 *   onMessageComplete(trailers) {},
 * });
 * let bytes = new TextEncoder().encode("GET / HTTP/1.1\r\nHost: a\r\n\r\nGET /b HTTP/1.1\r\nHost: a\r\n\r\n");
 * while (bytes.length > 0) {
 *   const n = parser.execute(bytes); // returns after each complete request
 *   if (n < 0) throw parser.error;
 *   bytes = bytes.subarray(n);
 * }
 * ```
 * @module
 */
import type { RequestHead, ParserLimits } from "./request-head.ts";
import { DEFAULT_PARSER_LIMITS } from "./request-head.ts";
import { HttpError } from "../errors.ts";
import {
  COLON,
  COMMA,
  CR,
  HEX_VALUE,
  HOST_CHAR,
  HTAB,
  LF,
  QUESTION,
  SEMICOLON,
  SLASH,
  SP,
  TARGET_CHAR,
  TOKEN_LOWER,
} from "./chars.ts";

/** What the parser reports, in order: one head, zero or more body chunks, one completion. */
export interface RequestParserEvents {
  /** A complete, validated request head. Fires before any `onBody` of the same request. */
  onHead(head: RequestHead): void;
  /** Body bytes: a view into the input of `execute`, valid only during the call. */
  onBody(chunk: Uint8Array): void;
  /** The request is complete; `trailers` is a flat `[lowercased name, value, …]` list, or null. */
  onMessageComplete(trailers: string[] | null): void;
}

// ─── States ───────────────────────────────────────────────────────────────────────────────────
/** Before a request line: empty lines (CRLF) may precede it (RFC 9112 §2.2). */
const S_MESSAGE_START = 0;
/** Saw the CR of a leading empty line; LF must follow. */
const S_MESSAGE_START_LF = 1;
/** Inside request-line / field lines, until the empty line that ends the head (RFC 9112 §2.1). */
const S_HEAD = 2;
/** Content-Length body (RFC 9112 §6.2). */
const S_BODY_IDENTITY = 3;
/** chunk-size = 1*HEXDIG (RFC 9112 §7.1). */
const S_CHUNK_SIZE = 4;
/** BWS after chunk-size, before `;` or CR (RFC 9112 §7.1.1). */
const S_CHUNK_SIZE_BWS = 5;
/** chunk-ext, parsed loosely and ignored (RFC 9112 §7.1.1). */
const S_CHUNK_EXT = 6;
/** Saw the CR ending a chunk-size line; LF must follow. */
const S_CHUNK_SIZE_LF = 7;
/** chunk-data (RFC 9112 §7.1). */
const S_CHUNK_DATA = 8;
/** The CRLF after chunk-data: CR expected. */
const S_CHUNK_DATA_CR = 9;
/** The CRLF after chunk-data: LF expected. */
const S_CHUNK_DATA_LF = 10;
/** trailer-section = *( field-line CRLF ) CRLF (RFC 9112 §7.1.2). */
const S_TRAILERS = 11;
/** After an error: every call returns -1. */
const S_DEAD = 12;

/** Scan results besides "section ends at offset n". */
const SCAN_NEED_MORE = -2;
const SCAN_ERROR = -1;

/** Chunk extensions are ignored, but capped so a peer cannot drip bytes into one forever. */
const MAX_CHUNK_EXT_SIZE = 4096;
/** More hex digits than this is not a size we could ever accept (RFC 9112 §7.1: guard overflow). */
const MAX_CHUNK_SIZE_DIGITS = 16;

// ─── Interned strings ─────────────────────────────────────────────────────────────────────────

/** Field names known to the parser. The first six drive framing and connection semantics. */
const KNOWN_NAMES: readonly string[] = [
  "host",
  "content-length",
  "transfer-encoding",
  "connection",
  "expect",
  "upgrade",
  "user-agent",
  "accept",
  "accept-encoding",
  "accept-language",
  "accept-charset",
  "content-type",
  "content-encoding",
  "cookie",
  "cache-control",
  "pragma",
  "origin",
  "referer",
  "authorization",
  "proxy-authorization",
  "if-none-match",
  "if-modified-since",
  "if-match",
  "if-unmodified-since",
  "if-range",
  "range",
  "keep-alive",
  "te",
  "trailer",
  "date",
  "via",
  "forwarded",
  "max-forwards",
  "priority",
  "dnt",
  "upgrade-insecure-requests",
  "sec-fetch-site",
  "sec-fetch-mode",
  "sec-fetch-dest",
  "sec-fetch-user",
  "sec-ch-ua",
  "sec-ch-ua-mobile",
  "sec-ch-ua-platform",
  "sec-websocket-key",
  "sec-websocket-version",
  "sec-websocket-extensions",
  "sec-websocket-protocol",
  "x-forwarded-for",
  "x-forwarded-proto",
  "x-forwarded-host",
  "x-real-ip",
  "x-requested-with",
  "x-request-id",
];
const ID_HOST = 0;
const ID_CONTENT_LENGTH = 1;
const ID_TRANSFER_ENCODING = 2;
const ID_CONNECTION = 3;
const ID_EXPECT = 4;
const ID_UPGRADE = 5;

/** Lowercase bytes of each known name, for comparison without decoding. */
const KNOWN_BYTES: Uint8Array[] = KNOWN_NAMES.map(asciiBytes);

/**
 * A cheap name hash: the length and three lowercased bytes (first, middle, last), so the name
 * loop only validates. Collisions just cost a byte compare in the table below.
 */
function nameHash(len: number, first: number, mid: number, last: number): number {
  return (len * 7 + first * 31 + mid * 5 + last * 3) & NAME_MASK;
}

/** Open-addressed table: slot → known-name id + 1, or 0 when empty. */
const NAME_SLOTS = 512;
const NAME_MASK = NAME_SLOTS - 1;
const NAME_TABLE = new Int16Array(NAME_SLOTS);
for (let id = 0; id < KNOWN_BYTES.length; id++) {
  const k = KNOWN_BYTES[id];
  let slot = nameHash(k.length, k[0], k[k.length >> 1], k[k.length - 1]);
  while (NAME_TABLE[slot] !== 0) slot = (slot + 1) & NAME_MASK;
  NAME_TABLE[slot] = id + 1;
}

function asciiBytes(s: string): Uint8Array {
  const out = new Uint8Array(s.length);
  for (let i = 0; i < s.length; i++) out[i] = s.charCodeAt(i);
  return out;
}

const TOKEN_CLOSE = asciiBytes("close");
const TOKEN_KEEP_ALIVE = asciiBytes("keep-alive");
const TOKEN_UPGRADE = asciiBytes("upgrade");
const TOKEN_CHUNKED = asciiBytes("chunked");
const TOKEN_100_CONTINUE = asciiBytes("100-continue");

// The ASCII fast path: a head of bytes < 0x80 decodes identically as UTF-8, and V8/JSC decode it
// much faster than String.fromCharCode. Any other head goes through a 1:1 byte→char decoder.
const asciiDecoder = new TextDecoder();

/** True ISO-8859-1 (RFC 9110 §5.5: obs-text is opaque; latin1 keeps every byte, 1:1). */
function latin1(b: Uint8Array, start: number, end: number): string {
  let s = "";
  for (let i = start; i < end; i += 4096) {
    s += String.fromCharCode.apply(null, b.subarray(i, Math.min(end, i + 4096)) as unknown as number[]);
  }
  return s;
}

// ─── The parser ───────────────────────────────────────────────────────────────────────────────

/**
 * An incremental HTTP/1.1 request parser. Feed it bytes with {@link RequestParser.execute}; it
 * calls back with the head, body chunks and completion of each request, and stops after every
 * completed request so the caller decides when to parse the next pipelined one.
 */
export class RequestParser {
  /** The error that killed the parser, or null. Once set, `execute` returns -1. */
  error: HttpError | null = null;

  private readonly events: RequestParserEvents;
  private readonly maxRequestLineSize: number;
  private readonly maxHeaderSize: number;
  private readonly maxHeaders: number;
  private readonly maxBodySize: number;

  private state: number = S_MESSAGE_START;

  // Section scan (head or trailers), used when a section arrives in pieces or must be diagnosed.
  // Offsets are into the input while scanning in place, and into `buf` once a partial section has
  // been copied there.
  private buf: Uint8Array = new Uint8Array(0);
  private bufLen = 0;
  /** Largest useful buffer: enough to tell a complete section from an over-limit one. */
  private readonly bufCap: number;
  private sectionStart = 0;
  private lineStart = 0;
  private scanPos = 0;
  /** Complete lines of the section seen by the scan so far. */
  private lineCount = 0;

  // What `validate` found in a complete section.
  private methodEnd = 0;
  private targetEnd = 0;
  private queryStart = -1;
  private requestLineEnd = 0;
  private versionMinor = 1;
  private fieldCount = 0;
  /** OR of every field-value byte: >= 0x80 means obs-text is present. */
  private valueBits = 0;
  /** Per field line: [known-name id or -1, nameStart, nameEnd, valueStart, valueEnd]. */
  private fields: Int32Array = new Int32Array(32 * 5);
  /** Why `validate` failed; status 0 means it ran out of bytes. */
  private rejectStatus = 0;
  private rejectCode = "";
  private rejectMessage = "";

  // Body.
  private remaining = 0;
  private chunkSize = 0;
  private chunkDigits = 0;
  private chunkExtSize = 0;
  private bodyTotal = 0;

  constructor(events: RequestParserEvents, limits?: Partial<ParserLimits>) {
    const l: ParserLimits = { ...DEFAULT_PARSER_LIMITS, ...limits };
    this.events = events;
    this.maxRequestLineSize = l.maxRequestLineSize;
    this.maxHeaderSize = l.maxHeaderSize;
    this.maxHeaders = l.maxHeaders;
    this.maxBodySize = l.maxBodySize;
    this.bufCap = Math.max(l.maxHeaderSize, l.maxRequestLineSize + 1) + 1;
  }

  /** True between onHead and onMessageComplete (reading a body). Already true during onHead. */
  get inBody(): boolean {
    return this.state >= S_BODY_IDENTITY && this.state <= S_TRAILERS;
  }

  /** Bytes of the current body not yet received when Content-Length is known, else -1. */
  get bodyRemaining(): number {
    return this.state === S_BODY_IDENTITY ? this.remaining : -1;
  }

  /**
   * Parse bytes. Returns the number consumed, or -1 on error (then `error` is set and the parser
   * is dead). Returns early right after onMessageComplete. Partial heads and chunk-size lines are
   * kept internally and count as consumed.
   */
  execute(data: Uint8Array): number {
    const len = data.length;
    let pos = 0;
    while (pos < len) {
      switch (this.state) {
        case S_MESSAGE_START: {
          // RFC 9112 §2.2: a server SHOULD ignore at least one empty line (CRLF) received prior
          // to the request-line. Bare CR or LF is still an error.
          let c = data[pos];
          while (c === CR) {
            if (pos + 1 === len) {
              this.state = S_MESSAGE_START_LF;
              return len;
            }
            if (data[pos + 1] !== LF) return this.fail(400, "BARE_CR", "Bare CR before the request line");
            pos += 2;
            if (pos === len) return len;
            c = data[pos];
          }
          if (c === LF) return this.fail(400, "BARE_LF", "Bare LF before the request line");
          this.state = S_HEAD;
          break;
        }
        case S_MESSAGE_START_LF:
          if (data[pos] !== LF) return this.fail(400, "BARE_CR", "Bare CR before the request line");
          pos++;
          this.state = S_MESSAGE_START;
          break;

        case S_HEAD:
        case S_TRAILERS: {
          const isHead = this.state === S_HEAD;
          let b: Uint8Array;
          let start: number;
          let end: number;
          if (this.bufLen === 0) {
            // Fast path: most sections arrive whole, so validate in place in one pass. Only when
            // that does not succeed (incomplete, malformed or over a limit) does the resumable
            // scan decide, exactly as if the bytes had come one at a time: same verdict however
            // the input is split.
            end = this.validate(data, pos, len, isHead);
            if (end < 0 || !this.withinLimits(pos, end, isHead)) {
              this.sectionStart = this.lineStart = this.scanPos = pos;
              this.lineCount = 0;
              const found = this.scan(data, isHead);
              if (found === SCAN_ERROR) return -1;
              if (found === SCAN_NEED_MORE) {
                this.stash(data, pos);
                return len;
              }
              end = this.validate(data, pos, found, isHead);
              if (end !== found) return this.failValidation();
            }
            b = data;
            start = pos;
            pos = end;
          } else {
            // Slow path: the section began in an earlier call. Append what we may need, scan on
            // from where the last call stopped, validate once the section is complete.
            const old = this.bufLen;
            const take = Math.min(len - pos, this.bufCap - old);
            this.append(data, pos, take);
            b = this.buf.subarray(0, this.bufLen);
            const found = this.scan(b, isHead);
            if (found === SCAN_ERROR) return -1;
            if (found === SCAN_NEED_MORE) return pos + take; // == len: the caps make limits fire first
            this.bufLen = 0;
            end = this.validate(b, 0, found, isHead);
            if (end !== found) return this.failValidation();
            start = 0;
            pos += end - old;
          }
          if (isHead) {
            if (!this.parseHead(b, start, end)) return -1;
            // parseHead moved the state on; without a body the request is already complete.
            if ((this.state as number) === S_MESSAGE_START) return pos;
          } else {
            this.complete(this.fieldCount === 0 ? null : this.fieldStrings(b, start, this.sectionText(b, start, end)));
            return pos;
          }
          break;
        }

        case S_BODY_IDENTITY: {
          const avail = len - pos;
          if (avail < this.remaining) {
            this.remaining -= avail;
            this.events.onBody(pos === 0 ? data : data.subarray(pos));
            return len;
          }
          const n = this.remaining;
          this.remaining = 0;
          this.events.onBody(data.subarray(pos, pos + n));
          this.complete(null);
          return pos + n;
        }

        case S_CHUNK_SIZE: {
          let c = 0;
          for (; pos < len; pos++) {
            c = data[pos];
            const v = HEX_VALUE[c];
            if (v < 0) break;
            if (++this.chunkDigits > MAX_CHUNK_SIZE_DIGITS) {
              return this.fail(400, "INVALID_CHUNK_SIZE", "Chunk size has more than 16 hex digits");
            }
            const size = this.chunkSize * 16 + v;
            if (size > Number.MAX_SAFE_INTEGER) {
              return this.fail(400, "INVALID_CHUNK_SIZE", "Chunk size is too large");
            }
            if (this.bodyTotal + size > this.maxBodySize) {
              return this.fail(413, "BODY_TOO_LARGE", "Chunked body is larger than the limit");
            }
            this.chunkSize = size;
          }
          if (pos === len) return len;
          if (this.chunkDigits === 0) {
            if (c === LF) return this.fail(400, "BARE_LF", "Bare LF in chunk size line");
            return this.fail(400, "INVALID_CHUNK_SIZE", "Chunk size is missing or not hexadecimal");
          }
          pos++;
          if (c === CR) this.state = S_CHUNK_SIZE_LF;
          else if (c === SEMICOLON) {
            this.chunkExtSize = 1;
            this.state = S_CHUNK_EXT;
          } else if (c === SP || c === HTAB) {
            this.chunkExtSize = 1;
            this.state = S_CHUNK_SIZE_BWS;
          } else if (c === LF) return this.fail(400, "BARE_LF", "Bare LF in chunk size line");
          else return this.fail(400, "INVALID_CHUNK_SIZE", "Invalid character after chunk size");
          break;
        }
        case S_CHUNK_SIZE_BWS: {
          // RFC 9112 §7.1.1: chunk-ext = *( BWS ";" BWS chunk-ext-name [ BWS "=" BWS chunk-ext-val ] )
          const c = data[pos++];
          if (++this.chunkExtSize > MAX_CHUNK_EXT_SIZE) {
            return this.fail(400, "CHUNK_EXTENSIONS_TOO_LONG", "Chunk extensions are too long");
          }
          if (c === SP || c === HTAB) break;
          if (c === SEMICOLON) this.state = S_CHUNK_EXT;
          else if (c === CR) this.state = S_CHUNK_SIZE_LF;
          else if (c === LF) return this.fail(400, "BARE_LF", "Bare LF in chunk size line");
          else return this.fail(400, "INVALID_CHUNK_SIZE", "Invalid character after chunk size");
          break;
        }
        case S_CHUNK_EXT: {
          // Names, values and quoted strings are all printable, so "loosely" means: any
          // field-vchar, SP or HTAB up to the CR. Extensions carry nothing we use.
          for (; pos < len; pos++) {
            const c = data[pos];
            if (c < 0x20 ? c !== HTAB : c === 0x7f) {
              if (c === CR) break;
              if (c === LF) return this.fail(400, "BARE_LF", "Bare LF in chunk extension");
              return this.fail(400, "INVALID_CHUNK_EXTENSION", "Invalid character in chunk extension");
            }
            if (++this.chunkExtSize > MAX_CHUNK_EXT_SIZE) {
              return this.fail(400, "CHUNK_EXTENSIONS_TOO_LONG", "Chunk extensions are too long");
            }
          }
          if (pos === len) return len;
          pos++;
          this.state = S_CHUNK_SIZE_LF;
          break;
        }
        case S_CHUNK_SIZE_LF: {
          if (data[pos] !== LF) return this.fail(400, "BARE_CR", "Bare CR in chunk size line");
          pos++;
          const size = this.chunkSize;
          this.bodyTotal += size;
          this.chunkSize = 0;
          this.chunkDigits = 0;
          if (size === 0) {
            this.state = S_TRAILERS; // last-chunk (RFC 9112 §7.1)
          } else {
            this.remaining = size;
            this.state = S_CHUNK_DATA;
          }
          break;
        }
        case S_CHUNK_DATA: {
          const avail = len - pos;
          if (avail < this.remaining) {
            this.remaining -= avail;
            this.events.onBody(pos === 0 ? data : data.subarray(pos));
            return len;
          }
          const n = this.remaining;
          this.remaining = 0;
          this.state = S_CHUNK_DATA_CR;
          this.events.onBody(data.subarray(pos, pos + n));
          pos += n;
          break;
        }
        case S_CHUNK_DATA_CR:
          if (data[pos] !== CR) {
            return this.fail(400, "INVALID_CHUNK_DATA_END", "Expected CRLF after chunk data");
          }
          pos++;
          this.state = S_CHUNK_DATA_LF;
          break;
        case S_CHUNK_DATA_LF:
          if (data[pos] !== LF) return this.fail(400, "BARE_CR", "Bare CR after chunk data");
          pos++;
          this.state = S_CHUNK_SIZE;
          break;

        default: // S_DEAD
          return -1;
      }
    }
    return this.state === S_DEAD ? -1 : pos;
  }

  // ─── Helpers ────────────────────────────────────────────────────────────────────────────────

  private fail(status: number, code: string, message: string): -1 {
    this.error = new HttpError(status, message, code);
    this.state = S_DEAD;
    this.bufLen = 0;
    return -1;
  }

  private complete(trailers: string[] | null): void {
    this.state = S_MESSAGE_START;
    this.events.onMessageComplete(trailers);
  }

  /** Keep data[from..] as the start of a section; shift scan offsets to buffer coordinates. */
  private stash(data: Uint8Array, from: number): void {
    this.append(data, from, data.length - from);
    this.sectionStart -= from;
    this.lineStart -= from;
    this.scanPos -= from;
  }

  private append(data: Uint8Array, from: number, n: number): void {
    const need = this.bufLen + n;
    if (need > this.buf.length) {
      const grown = new Uint8Array(Math.min(this.bufCap, Math.max(need, this.buf.length * 2, 1024)));
      grown.set(this.buf.subarray(0, this.bufLen));
      this.buf = grown;
    }
    this.buf.set(data.subarray(from, from + n), this.bufLen);
    this.bufLen = need;
  }

  /**
   * Find the end of the current section in `b` (all of `b` is valid), resuming where the last
   * call stopped. Returns the offset just past the final CRLF, SCAN_NEED_MORE, or SCAN_ERROR.
   * Line endings and the section limits are checked here, as the bytes arrive; everything else
   * is left to `validate`.
   */
  private scan(b: Uint8Array, isHead: boolean): number {
    const end = b.length;
    const start = this.sectionStart;
    const fieldBase = isHead ? 1 : 0; // the head's first line is the request line
    let ls = this.lineStart;
    let n = this.lineCount;
    let i = this.scanPos;
    for (;;) {
      const lf = b.indexOf(LF, i);
      if (lf === -1) break;
      // RFC 9112 §2.2: we accept CRLF only; a bare LF is rejected, not guessed at.
      if (lf === ls || b[lf - 1] !== CR) {
        const where = isHead ? (n === 0 ? "request line" : "header section") : "trailer section";
        return this.fail(400, "BARE_LF", `Bare LF in ${where}`);
      }
      const cr = lf - 1;
      if (isHead && n === 0 && cr - ls > this.maxRequestLineSize) return this.failRequestLineTooLong();
      if (lf + 1 - start > this.maxHeaderSize) return this.failSectionTooLarge(isHead);
      if (cr === ls) return lf + 1; // the empty line: end of section
      if (n - fieldBase >= this.maxHeaders) {
        return isHead
          ? this.fail(431, "TOO_MANY_HEADERS", "Too many header fields")
          : this.fail(431, "TOO_MANY_TRAILERS", "Too many trailer fields");
      }
      n++;
      ls = i = lf + 1;
    }
    // No more line ends in what we have: check the limits against the partial section.
    if (isHead && n === 0) {
      let lineLen = end - ls;
      if (lineLen > 0 && b[end - 1] === CR) lineLen--;
      if (lineLen > this.maxRequestLineSize) return this.failRequestLineTooLong();
    }
    if (end - start > this.maxHeaderSize) return this.failSectionTooLarge(isHead);
    this.lineStart = ls;
    this.lineCount = n;
    this.scanPos = end;
    return SCAN_NEED_MORE;
  }

  private failRequestLineTooLong(): -1 {
    return this.fail(414, "REQUEST_LINE_TOO_LONG", "Request line is longer than the limit");
  }

  private failSectionTooLarge(isHead: boolean): -1 {
    return isHead
      ? this.fail(431, "HEADERS_TOO_LARGE", "Header section is larger than the limit")
      : this.fail(431, "TRAILERS_TOO_LARGE", "Trailer section is larger than the limit");
  }

  /** Whether a section that `validate` accepted also fits the limits (the ones `scan` enforces). */
  private withinLimits(start: number, end: number, isHead: boolean): boolean {
    if (end - start > this.maxHeaderSize || this.fieldCount > this.maxHeaders) return false;
    return !isHead || this.requestLineEnd - start <= this.maxRequestLineSize;
  }

  private reject(status: number, code: string, message: string): -1 {
    this.rejectStatus = status;
    this.rejectCode = code;
    this.rejectMessage = message;
    return -1;
  }

  /** `validate` ran out of bytes before the end of the section. */
  private incomplete(): -1 {
    this.rejectStatus = 0;
    return -1;
  }

  private failValidation(): -1 {
    if (this.rejectStatus === 0) return this.fail(400, "MALFORMED_HEAD", "Malformed header section");
    return this.fail(this.rejectStatus, this.rejectCode, this.rejectMessage);
  }

  /**
   * Validate a section that starts at b[start] — for the head, the request line (RFC 9112 §3)
   * and field lines (§5, RFC 9110 §5.5); for trailers, field lines only — reading no further than
   * `limit`. Records what `parseHead` and `fieldStrings` need. Returns the offset just past the
   * empty line that ends the section, or -1: see `rejectStatus` (0: more bytes needed).
   */
  private validate(b: Uint8Array, start: number, limit: number, isHead: boolean): number {
    let p = start;
    let c = 0;
    if (isHead) {
      // request-line = method SP request-target SP HTTP-version CRLF
      while (p < limit && TOKEN_LOWER[b[p]] !== 0) p++;
      if (p === limit) return this.incomplete();
      if (b[p] !== SP || p === start) return this.requestLineError(b, start, limit);
      this.methodEnd = p++;
      const ts = p;
      let q = -1;
      for (; p < limit; p++) {
        c = b[p];
        if (TARGET_CHAR[c] === 0) break;
        if (c === QUESTION && q < 0) q = p;
      }
      if (p === limit) return this.incomplete();
      if (c !== SP || p === ts) return this.requestLineError(b, start, limit);
      this.targetEnd = p++;
      this.queryStart = q;
      // HTTP-version = "HTTP" "/" DIGIT "." DIGIT (RFC 9112 §2.3), then exactly CRLF.
      if (
        limit - p < 10 || b[p] !== 0x48 || b[p + 1] !== 0x54 || b[p + 2] !== 0x54 || b[p + 3] !== 0x50 ||
        b[p + 4] !== SLASH || !isDigit(b[p + 5]) || b[p + 6] !== 0x2e || !isDigit(b[p + 7]) ||
        b[p + 8] !== CR || b[p + 9] !== LF
      ) {
        return this.requestLineError(b, start, limit);
      }
      // RFC 9110 §2.5: a higher minor version of HTTP/1 is served as the highest we support.
      if (b[p + 5] !== 0x31) return this.reject(505, "HTTP_VERSION_NOT_SUPPORTED", "HTTP version not supported");
      this.versionMinor = b[p + 7] === 0x30 ? 0 : 1;
      this.requestLineEnd = p + 8;
      p += 10;
    }

    // *( field-line CRLF ) CRLF, field-line = field-name ":" OWS field-value OWS
    let f = this.fields;
    let k = 0;
    let bits = 0;
    for (;;) {
      if (p >= limit) return this.incomplete();
      c = b[p];
      if (c === CR) {
        if (p + 1 === limit) return this.incomplete();
        if (b[p + 1] !== LF) return this.reject(400, "BARE_CR", `Bare CR in ${isHead ? "header" : "trailer"} section`);
        break;
      }
      // RFC 9112 §5.2: obs-fold is rejected (a server MUST either reject it or replace it); a
      // first line starting with whitespace is rejected too (§2.2).
      if (c === SP || c === HTAB) return this.reject(400, "OBS_FOLD", "Obsolete line folding in a field line");
      const ns = p;
      while (p < limit && TOKEN_LOWER[(c = b[p])] !== 0) p++;
      if (p === limit) return this.incomplete();
      if (c !== COLON) return this.fieldNameError(b, p, limit, isHead);
      if (p === ns) return this.reject(400, "INVALID_HEADER_NAME", "Empty field name");
      const ne = p++;
      while (p < limit && ((c = b[p]) === SP || c === HTAB)) p++;
      const vs = p;
      for (; p < limit; p++) {
        c = b[p];
        // field-value = *( VCHAR / obs-text / SP / HTAB ), RFC 9110 §5.5. One range test on the
        // common path (SP and VCHAR).
        if (c < 0x20 || c > 0x7e) {
          if (c >= 0x80) bits = 0x80;
          else if (c !== HTAB) break;
        }
      }
      if (p + 1 >= limit) return this.incomplete();
      if (c !== CR) {
        if (c === LF) return this.reject(400, "BARE_LF", "Bare LF in a field value");
        return this.reject(400, "INVALID_HEADER_VALUE", "Invalid character in field value");
      }
      if (b[p + 1] !== LF) return this.reject(400, "BARE_CR", "Bare CR in field value");
      let ve = p;
      while (ve > vs && ((c = b[ve - 1]) === SP || c === HTAB)) ve--;

      // Intern: look the name up by hash, confirm byte by byte.
      let id = -1;
      const nameLen = ne - ns;
      const h = nameHash(nameLen, TOKEN_LOWER[b[ns]], TOKEN_LOWER[b[ns + (nameLen >> 1)]], TOKEN_LOWER[b[ne - 1]]);
      for (let slot = h; ; slot = (slot + 1) & NAME_MASK) {
        const e = NAME_TABLE[slot];
        if (e === 0) break;
        const known = KNOWN_BYTES[e - 1];
        if (known.length !== nameLen) continue;
        let j = 0;
        while (j < nameLen && TOKEN_LOWER[b[ns + j]] === known[j]) j++;
        if (j === nameLen) {
          id = e - 1;
          break;
        }
      }
      if (k + 5 > f.length) {
        const grown = new Int32Array(f.length * 2);
        grown.set(f);
        this.fields = f = grown;
      }
      f[k] = id;
      f[k + 1] = ns;
      f[k + 2] = ne;
      f[k + 3] = vs;
      f[k + 4] = ve;
      k += 5;
      p += 2;
    }
    this.fieldCount = k / 5;
    this.valueBits = bits;
    return p + 2;
  }

  /** Name the fault in a request line that failed the fast checks (cold path). */
  private requestLineError(b: Uint8Array, start: number, limit: number): -1 {
    let cr = start;
    while (cr < limit && b[cr] !== CR && b[cr] !== LF) cr++;
    if (cr + 1 >= limit) return this.incomplete();
    if (b[cr] === LF) return this.reject(400, "BARE_LF", "Bare LF in request line");
    if (b[cr + 1] !== LF) return this.reject(400, "BARE_CR", "Bare CR in request line");
    let p = start;
    while (p < cr && TOKEN_LOWER[b[p]] !== 0) p++;
    if (p === cr) return this.reject(400, "INVALID_REQUEST_LINE", "Request line has no request target");
    if (b[p] !== SP) return this.reject(400, "INVALID_METHOD", "Invalid character in method");
    if (p === start) return this.reject(400, "INVALID_METHOD", "Empty method");
    const ts = ++p;
    while (p < cr && TARGET_CHAR[b[p]] !== 0) p++;
    if (p === ts) return this.reject(400, "INVALID_REQUEST_LINE", "Request line has an empty request target");
    if (p === cr) return this.reject(400, "INVALID_REQUEST_LINE", "Request line has no HTTP version");
    if (b[p] !== SP) return this.reject(400, "INVALID_TARGET", "Invalid character in request target");
    for (let i = p + 1; i < cr; i++) {
      if (b[i] === SP) {
        return this.reject(400, "INVALID_REQUEST_LINE", "Request line has more than three parts (space in the target?)");
      }
    }
    return this.reject(400, "INVALID_VERSION", "Malformed HTTP version");
  }

  /** Name the fault at b[p], where a field name stopped before a colon (cold path). */
  private fieldNameError(b: Uint8Array, p: number, limit: number, isHead: boolean): -1 {
    const c = b[p];
    if (c === SP || c === HTAB) {
      while (p < limit && isOws(b[p])) p++;
      if (p === limit) return this.incomplete();
      // RFC 9112 §5.1: no whitespace is allowed between the field name and colon.
      if (b[p] === COLON) return this.reject(400, "SPACE_BEFORE_COLON", "Whitespace between field name and colon");
      return this.reject(400, "INVALID_HEADER_NAME", "Whitespace in field name");
    }
    if (c === CR) {
      if (p + 1 >= limit) return this.incomplete();
      if (b[p + 1] === LF) return this.reject(400, "INVALID_HEADER", `${isHead ? "Header" : "Trailer"} field line has no colon`);
      return this.reject(400, "BARE_CR", "Bare CR in field name");
    }
    if (c === LF) return this.reject(400, "BARE_LF", "Bare LF in field name");
    return this.reject(400, "INVALID_HEADER_NAME", "Invalid character in field name");
  }

  /**
   * The validated section b[start..end) as text, one char per byte, so offsets carry over and
   * every string is a cheap substring of one decode. Everything outside field values is ASCII;
   * for ASCII, UTF-8 decoding is identical to latin1 and much faster than String.fromCharCode.
   */
  private sectionText(b: Uint8Array, start: number, end: number): string {
    if (this.valueBits >= 0x80) return latin1(b, start, end);
    // A view costs about as much as a short decode; skip it when the section is the whole input.
    return asciiDecoder.decode(start === 0 && end === b.length ? b : b.subarray(start, end));
  }

  /** The flat [lowercased name, value, …] list of the validated section, cut from its text. */
  private fieldStrings(b: Uint8Array, start: number, text: string): string[] {
    const f = this.fields;
    const n = this.fieldCount;
    const out: string[] = new Array(n * 2);
    for (let i = 0, k = 0; i < n; i++, k += 5) {
      const id = f[k];
      if (id >= 0) out[2 * i] = KNOWN_NAMES[id];
      else {
        const name = text.substring(f[k + 1] - start, f[k + 2] - start);
        out[2 * i] = hasUpper(b, f[k + 1], f[k + 2]) ? name.toLowerCase() : name;
      }
      out[2 * i + 1] = text.substring(f[k + 3] - start, f[k + 4] - start);
    }
    return out;
  }

  /**
   * Interpret a validated head b[start..end): framing, connection options, target form; then
   * onHead (and, without a body, onMessageComplete). Returns false after failing.
   */
  private parseHead(b: Uint8Array, start: number, end: number): boolean {
    const method = internMethod(b, start, this.methodEnd);
    const ts = this.methodEnd + 1;
    const te = this.targetEnd;
    const q = this.queryStart;
    const versionMinor = this.versionMinor;
    const count = this.fieldCount;
    const f = this.fields;

    // Framing and connection fields, straight from the bytes.
    let hostCount = 0;
    let hostField = -1;
    let contentLength = -1;
    let teFlags = 0; // TE_* over all Transfer-Encoding lines
    let conn = 0; // CONN_* flags
    let expectContinue = false;
    let upgradeField = -1;
    let upgradeCount = 0;
    for (let i = 0, k = 0; i < count; i++, k += 5) {
      const id = f[k];
      if (id < 0 || id > ID_UPGRADE) continue;
      const vs = f[k + 3];
      const ve = f[k + 4];
      switch (id) {
        case ID_HOST:
          // RFC 9112 §3.2: Host = uri-host [ ":" port ]; an empty value is allowed.
          hostCount++;
          hostField = i;
          for (let i = vs; i < ve; i++) {
            if (HOST_CHAR[b[i]] === 0) return this.failed(400, "INVALID_HOST", "Invalid character in Host");
          }
          break;
        case ID_CONTENT_LENGTH: {
          const n = parseContentLength(b, vs, ve, contentLength);
          if (n < 0) {
            return n === -2
              ? this.failed(400, "CONFLICTING_CONTENT_LENGTH", "Differing Content-Length values")
              : this.failed(400, "INVALID_CONTENT_LENGTH", "Malformed Content-Length");
          }
          contentLength = n;
          break;
        }
        case ID_TRANSFER_ENCODING:
          teFlags = parseTransferCodings(b, vs, ve, teFlags);
          if (teFlags & TE_INVALID) return this.failed(400, "INVALID_TRANSFER_ENCODING", "Malformed Transfer-Encoding");
          break;
        case ID_CONNECTION:
          conn = parseConnection(b, vs, ve, conn);
          break;
        case ID_EXPECT:
          if (equalsLower(b, vs, ve, TOKEN_100_CONTINUE)) expectContinue = true;
          break;
        default: // ID_UPGRADE
          upgradeField = i;
          upgradeCount++;
          break;
      }
    }

    // RFC 9112 §3.2: a server MUST respond 400 to an HTTP/1.1 request without Host, and to any
    // request with more than one Host field line.
    if (hostCount > 1) return this.failed(400, "DUPLICATE_HOST", "More than one Host field");
    if (hostCount === 0 && versionMinor === 1) return this.failed(400, "MISSING_HOST", "Missing Host field");

    let chunked = false;
    if (teFlags !== 0) {
      // RFC 9112 §6.1: Content-Length with Transfer-Encoding may be request smuggling.
      if (contentLength >= 0) {
        return this.failed(400, "CONTENT_LENGTH_AND_TRANSFER_ENCODING", "Both Content-Length and Transfer-Encoding");
      }
      // RFC 9112 §6.1: Transfer-Encoding in HTTP/1.0 means the framing is faulty.
      if (versionMinor === 0) {
        return this.failed(400, "TRANSFER_ENCODING_IN_HTTP10", "Transfer-Encoding in an HTTP/1.0 request");
      }
      // RFC 9112 §6.1: chunked MUST NOT be applied more than once; §6.3: when it is not the final
      // coding the length cannot be determined → 400.
      if (teFlags & TE_CHUNKED_TWICE) return this.failed(400, "INVALID_TRANSFER_ENCODING", "Chunked applied more than once");
      if (teFlags & TE_CHUNKED && !(teFlags & TE_LAST_CHUNKED)) {
        return this.failed(400, "INVALID_TRANSFER_ENCODING", "Chunked is not the final transfer coding");
      }
      // RFC 9112 §6.1: a coding we do not understand (anything but chunked; `gzip` alone too) → 501.
      if (teFlags & TE_OTHER) {
        return this.failed(501, "UNSUPPORTED_TRANSFER_ENCODING", "Unsupported transfer coding");
      }
      chunked = true;
    }
    if (contentLength > this.maxBodySize) {
      return this.failed(413, "BODY_TOO_LARGE", "Content-Length is larger than the limit");
    }

    // ── request-target forms (RFC 9112 §3.2) ──
    // Classify before decoding so a bad target costs no strings.
    const c0 = b[ts];
    const isConnect = method === "CONNECT";
    let form: number;
    let authEnd = -1;
    let authStart = -1;
    if (c0 === SLASH) {
      form = FORM_ORIGIN;
    } else if (c0 === 0x2a && te - ts === 1) {
      form = FORM_ASTERISK;
    } else {
      const scheme = absoluteSchemeLength(b, ts, te);
      if (scheme > 0) {
        form = FORM_ABSOLUTE;
        authStart = ts + scheme;
        authEnd = authStart;
        while (authEnd < te && b[authEnd] !== SLASH && b[authEnd] !== QUESTION) authEnd++;
      } else {
        form = FORM_AUTHORITY;
        authStart = ts;
        authEnd = te;
      }
    }
    if (isConnect) {
      // RFC 9112 §3.2.3: CONNECT uses authority-form = uri-host ":" port, and nothing else does.
      if (form !== FORM_AUTHORITY || !isAuthority(b, ts, te, true)) {
        return this.failed(400, "INVALID_TARGET", "CONNECT needs an authority-form target (host:port)");
      }
    } else if (form === FORM_AUTHORITY) {
      return this.failed(400, "INVALID_TARGET", "Request target must start with '/' or be absolute");
    } else if (form === FORM_ASTERISK) {
      // RFC 9112 §3.2.4: asterisk-form only for a server-wide OPTIONS.
      if (method !== "OPTIONS") return this.failed(400, "INVALID_TARGET", "Asterisk-form target with a method other than OPTIONS");
    } else if (form === FORM_ABSOLUTE && !isAuthority(b, authStart, authEnd, false)) {
      return this.failed(400, "INVALID_TARGET", "Absolute-form target has an invalid or empty authority");
    }

    // ── strings ──
    const text = this.sectionText(b, start, end);
    const headers = this.fieldStrings(b, start, text);
    const target = te - ts === 1 && c0 === SLASH ? "/" : text.substring(ts - start, te - start);
    let path: string;
    let query = "";
    if (form === FORM_ORIGIN || form === FORM_ABSOLUTE) {
      const ps = form === FORM_ORIGIN ? ts : authEnd;
      if (q >= 0) {
        path = ps === q ? "/" : text.substring(ps - start, q - start);
        query = text.substring(q + 1 - start, te - start);
      } else {
        path = ps === te ? "/" : ps === ts ? target : text.substring(ps - start, te - start);
      }
    } else {
      path = form === FORM_ASTERISK ? "*" : "";
    }
    let host = "";
    if (form === FORM_ABSOLUTE) host = text.substring(authStart - start, authEnd - start);
    else if (hostField >= 0) host = headers[hostField * 2 + 1];
    let upgrade = "";
    // RFC 9110 §7.8: Upgrade only counts when listed in Connection; ignored in HTTP/1.0.
    if (upgradeField >= 0 && conn & CONN_UPGRADE && versionMinor === 1) {
      if (upgradeCount === 1) upgrade = headers[upgradeField * 2 + 1];
      else {
        for (let i = 0; i < headers.length; i += 2) {
          if (headers[i] === "upgrade") upgrade = upgrade === "" ? headers[i + 1] : upgrade + ", " + headers[i + 1];
        }
      }
    }

    const head: RequestHead = {
      method,
      target,
      path,
      query,
      versionMinor,
      headers,
      host,
      contentLength,
      chunked,
      // RFC 9112 §9.3: persistence by version and the Connection options.
      keepAlive: versionMinor === 1 ? (conn & CONN_CLOSE) === 0 : (conn & (CONN_KEEP_ALIVE | CONN_CLOSE)) === CONN_KEEP_ALIVE,
      // RFC 9110 §10.1.1: a 100-continue expectation in an HTTP/1.0 request MUST be ignored.
      expectContinue: expectContinue && versionMinor === 1,
      upgrade,
    };

    if (chunked) {
      this.bodyTotal = 0;
      this.chunkSize = 0;
      this.chunkDigits = 0;
      this.state = S_CHUNK_SIZE;
      this.events.onHead(head);
    } else if (contentLength > 0) {
      this.remaining = contentLength;
      this.state = S_BODY_IDENTITY;
      this.events.onHead(head);
    } else {
      // RFC 9112 §6.3: no Content-Length and no Transfer-Encoding → a request has no body.
      this.state = S_MESSAGE_START;
      this.events.onHead(head);
      this.events.onMessageComplete(null);
    }
    return true;
  }

  private failed(status: number, code: string, message: string): false {
    this.fail(status, code, message);
    return false;
  }
}

// ─── Field-value helpers (on bytes, no strings) ───────────────────────────────────────────────

const TE_CHUNKED_TWICE = 1;
const TE_LAST_CHUNKED = 2;
const TE_OTHER = 4;
const TE_INVALID = 8;
const TE_SEEN = 16;
const TE_CHUNKED = 32;

const CONN_CLOSE = 1;
const CONN_KEEP_ALIVE = 2;
const CONN_UPGRADE = 4;

const FORM_ORIGIN = 0;
const FORM_ABSOLUTE = 1;
const FORM_AUTHORITY = 2;
const FORM_ASTERISK = 3;

function isDigit(c: number): boolean {
  return c >= 0x30 && c <= 0x39;
}

function isOws(c: number): boolean {
  return c === SP || c === HTAB;
}

function hasUpper(b: Uint8Array, s: number, e: number): boolean {
  for (let i = s; i < e; i++) if (b[i] >= 0x41 && b[i] <= 0x5a) return true;
  return false;
}

/** Case-insensitive compare of b[s..e) with a lowercase token. */
function equalsLower(b: Uint8Array, s: number, e: number, lit: Uint8Array): boolean {
  if (e - s !== lit.length) return false;
  for (let i = 0; i < lit.length; i++) if (TOKEN_LOWER[b[s + i]] !== lit[i]) return false;
  return true;
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

/** Methods are case-sensitive (RFC 9110 §9.1): intern exact matches of the common ones. */
function internMethod(b: Uint8Array, s: number, e: number): string {
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

/**
 * Content-Length = 1*DIGIT (RFC 9110 §8.6); a list of identical values is accepted as one
 * (RFC 9112 §6.3). Returns the length, -1 when malformed, -2 when it differs from `prev`.
 */
function parseContentLength(b: Uint8Array, s: number, e: number, prev: number): number {
  let p = s;
  let result = prev;
  for (;;) {
    while (p < e && isOws(b[p])) p++;
    const ds = p;
    let n = 0;
    while (p < e && isDigit(b[p])) {
      n = n * 10 + (b[p] - 0x30);
      if (n > Number.MAX_SAFE_INTEGER) return -1;
      p++;
    }
    if (p === ds) return -1; // empty element, sign, or other non-digit
    if (result >= 0 && n !== result) return -2;
    result = n;
    while (p < e && isOws(b[p])) p++;
    if (p === e) return result;
    if (b[p] !== COMMA) return -1;
    p++;
  }
}

/**
 * Transfer-Encoding = #transfer-coding (RFC 9112 §6.1), accumulated over all field lines into
 * TE_* flags. Empty list elements are ignored (RFC 9110 §5.6.1.2); parameters are skipped.
 */
function parseTransferCodings(b: Uint8Array, s: number, e: number, flags: number): number {
  let p = s;
  let any = false;
  while (p < e) {
    while (p < e && (isOws(b[p]) || b[p] === COMMA)) p++;
    if (p === e) break;
    const ts = p;
    while (p < e && TOKEN_LOWER[b[p]] !== 0) p++;
    if (p === ts) return flags | TE_INVALID;
    const te = p;
    while (p < e && isOws(b[p])) p++;
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

/** Connection = #connection-option (RFC 9110 §7.6.1): note close, keep-alive and upgrade. */
function parseConnection(b: Uint8Array, s: number, e: number, flags: number): number {
  let p = s;
  while (p < e) {
    while (p < e && (isOws(b[p]) || b[p] === COMMA)) p++;
    const ts = p;
    while (p < e && b[p] !== COMMA) p++;
    let te = p;
    while (te > ts && isOws(b[te - 1])) te--;
    const n = te - ts;
    if (n === 5 && equalsLower(b, ts, te, TOKEN_CLOSE)) flags |= CONN_CLOSE;
    else if (n === 10 && equalsLower(b, ts, te, TOKEN_KEEP_ALIVE)) flags |= CONN_KEEP_ALIVE;
    else if (n === 7 && equalsLower(b, ts, te, TOKEN_UPGRADE)) flags |= CONN_UPGRADE;
  }
  return flags;
}

/** Length of a leading `http://` or `https://` (scheme case-insensitive, RFC 9110 §4.2), or 0. */
function absoluteSchemeLength(b: Uint8Array, s: number, e: number): number {
  if (e - s < 7) return 0;
  if ((b[s] | 0x20) !== 0x68 || (b[s + 1] | 0x20) !== 0x74 || (b[s + 2] | 0x20) !== 0x74 || (b[s + 3] | 0x20) !== 0x70) {
    return 0;
  }
  let p = s + 4;
  if ((b[p] | 0x20) === 0x73) p++;
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
    const c = b[i];
    if (HOST_CHAR[c] === 0) return false;
    if (c === COLON) colon = i;
    else if (c === 0x5d) colon = -1; // "]" ends an IPv6 literal; colons inside it are not the port
  }
  if (colon < 0) return !needPort;
  if (colon === s) return false;
  for (let i = colon + 1; i < e; i++) if (!isDigit(b[i])) return false;
  return !needPort || colon + 1 < e;
}
