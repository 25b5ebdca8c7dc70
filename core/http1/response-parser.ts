/**
 * An incremental, strict HTTP/1.1 response parser (RFC 9112) for client mode: the load generator
 * and any other code of ours that talks to an HTTP/1.1 server.
 *
 * Shape: the same as the request parser — a byte-driven state machine whose states are named for
 * their place in the grammar (`status-line`/`field-line`s, `chunk-size`, `chunk-data`,
 * `trailer-section`, close-delimited body, …), every failing edge its own {@link HttpError} with a
 * stable `code` and a sentence-case reason. A broken response is what a gateway answers with 502,
 * so that is the status every error carries. There is no lenient mode: bare LF, obs-fold,
 * whitespace before a colon and conflicting framing are all errors.
 *
 * A response's framing depends on the request it answers (RFC 9112 §6.3): set
 * {@link ResponseParser.method} to the method of the request whose response comes next. The
 * parser returns right after each complete response, so a pipelining client sets the next method
 * between calls. Interim 1xx responses (except 101) are skipped, reported only to the optional
 * `onInformational`. A close-delimited body ends when the caller calls
 * {@link ResponseParser.finish} at end of stream.
 *
 * @example
 * ```ts
 * const parser = new ResponseParser({
 *   onHead(head) { console.log(head.status, head.contentLength); },
 *   onBody(chunk) {},
 *   onMessageComplete(trailers) {},
 * });
 * parser.method = "GET";
 * let bytes = new TextEncoder().encode("HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nhi");
 * while (bytes.length > 0) {
 *   const n = parser.execute(bytes); // returns after each complete response
 *   if (n < 0) throw parser.error;
 *   bytes = bytes.subarray(n);
 * }
 * ```
 * @module
 */
import { HttpError } from "../errors.ts";
import type { BodyFraming } from "./response-serializer.ts";
import { COLON, COMMA, CR, HEX_VALUE, HTAB, LF, SEMICOLON, SP, TOKEN_LOWER } from "./chars.ts";

/** A parsed HTTP/1.x response head (RFC 9112 §4, §5). */
export interface ResponseHead {
  /** The status code, 100–599 (RFC 9110 §15). */
  status: number;
  /** The reason phrase as sent (RFC 9112 §4: informational only), possibly `""`. */
  reason: string;
  /** 0 for HTTP/1.0, 1 for HTTP/1.1 (a higher 1.x minor is reported as sent). */
  versionMinor: number;
  /**
   * Header fields in received order, flat: `[name, value, …]`, names lowercased, values trimmed
   * of OWS. Always `[]` when the parser was made with `decodeHeaders: false`.
   */
  headers: string[];
  /** The Content-Length, or -1 when the response has none. */
  contentLength: number;
  /**
   * How the body is delimited (RFC 9112 §6.3): `none` (HEAD, 1xx, 204, 304, an upgrade or a
   * tunnel), `length`, `chunked`, or `close` (read until the server closes).
   */
  framing: BodyFraming;
  /** Whether the connection may carry another request after this response (RFC 9112 §9.3). */
  keepAlive: boolean;
  /**
   * True for `101 Switching Protocols` and a 2xx answer to CONNECT: the bytes after this head
   * are no longer HTTP/1.1 (RFC 9110 §15.2.2, RFC 9112 §6.3 rule 2) and the parser stops.
   */
  upgraded: boolean;
}

/** What the parser reports per final response, in order: one head, body chunks, one completion. */
export interface ResponseParserEvents {
  /** A complete, validated final response head. Fires before any `onBody` of the same response. */
  onHead(head: ResponseHead): void;
  /** Body bytes: a view into the input of `execute`, valid only during the call. */
  onBody(chunk: Uint8Array): void;
  /** The response is complete; `trailers` is a flat `[lowercased name, value, …]` list, or null. */
  onMessageComplete(trailers: string[] | null): void;
  /** An interim 1xx response (not 101), which is otherwise skipped (RFC 9110 §15.2). */
  onInformational?(head: ResponseHead): void;
}

/** Limits the parser enforces while reading a response. */
export interface ResponseParserLimits {
  /** Largest header section (status line + fields) in bytes. Default 64 KiB. */
  maxHeaderSize: number;
  /** Most header fields (also trailer fields). Default 100. */
  maxHeaders: number;
  /** Largest body in bytes (any framing). Default unlimited. */
  maxBodySize: number;
}

/** Limits, plus whether to build header strings at all. */
export interface ResponseParserOptions extends Partial<ResponseParserLimits> {
  /**
   * Build `head.headers` (default true). A load generator that only needs the status and the
   * framing turns it off: the framing fields are read straight from the bytes either way.
   */
  decodeHeaders?: boolean;
}

/** The default limits. */
export const DEFAULT_RESPONSE_LIMITS: ResponseParserLimits = {
  maxHeaderSize: 64 * 1024,
  maxHeaders: 100,
  maxBodySize: Number.POSITIVE_INFINITY,
};

// ─── States ───────────────────────────────────────────────────────────────────────────────────
/** Inside status-line / field lines, until the empty line that ends the head (RFC 9112 §2.1). */
const S_HEAD = 0;
/** Content-Length body (RFC 9112 §6.3 rule 6). */
const S_BODY_LENGTH = 1;
/** Close-delimited body: everything until the server closes (RFC 9112 §6.3 rule 8). */
const S_BODY_CLOSE = 2;
/** chunk-size = 1*HEXDIG (RFC 9112 §7.1). */
const S_CHUNK_SIZE = 3;
/** BWS after chunk-size, before `;` or CR (RFC 9112 §7.1.1). */
const S_CHUNK_SIZE_BWS = 4;
/** chunk-ext, parsed loosely and ignored (RFC 9112 §7.1.1). */
const S_CHUNK_EXT = 5;
/** Saw the CR ending a chunk-size line; LF must follow. */
const S_CHUNK_SIZE_LF = 6;
/** chunk-data (RFC 9112 §7.1). */
const S_CHUNK_DATA = 7;
/** The CRLF after chunk-data: CR expected. */
const S_CHUNK_DATA_CR = 8;
/** The CRLF after chunk-data: LF expected. */
const S_CHUNK_DATA_LF = 9;
/** trailer-section = *( field-line CRLF ) CRLF (RFC 9112 §7.1.2). */
const S_TRAILERS = 10;
/** After a 101 or a CONNECT tunnel: the rest of the stream is not ours to parse. */
const S_UPGRADED = 11;
/** After a close-delimited response completed at end of stream: nothing more can come. */
const S_CLOSED = 12;
/** After an error: every call returns -1. */
const S_DEAD = 13;

const SCAN_NEED_MORE = -2;
const SCAN_ERROR = -1;

/** Chunk extensions are ignored, but capped so a peer cannot drip bytes into one forever. */
const MAX_CHUNK_EXT_SIZE = 4096;
/** More hex digits than this is not a size we could ever accept (guards overflow). */
const MAX_CHUNK_SIZE_DIGITS = 16;

/** Every parse error is a bad upstream response: a gateway would answer 502 (RFC 9110 §15.6.3). */
const BAD_RESPONSE = 502;

// ─── Strings ──────────────────────────────────────────────────────────────────────────────────

function asciiBytes(s: string): Uint8Array {
  const out = new Uint8Array(s.length);
  for (let i = 0; i < s.length; i++) out[i] = s.charCodeAt(i);
  return out;
}

const NAME_CONTENT_LENGTH = asciiBytes("content-length");
const NAME_TRANSFER_ENCODING = asciiBytes("transfer-encoding");
const NAME_CONNECTION = asciiBytes("connection");
const NAME_UPGRADE = asciiBytes("upgrade");
const TOKEN_CLOSE = asciiBytes("close");
const TOKEN_KEEP_ALIVE = asciiBytes("keep-alive");
const TOKEN_CHUNKED = asciiBytes("chunked");

/** Header names our own servers send, interned so a decoded head shares them. */
const COMMON_NAMES: readonly string[] = [
  "content-length",
  "content-type",
  "transfer-encoding",
  "connection",
  "date",
  "server",
  "keep-alive",
  "allow",
  "location",
  "cache-control",
  "etag",
  "last-modified",
  "vary",
  "upgrade",
  "set-cookie",
  "content-encoding",
];
const COMMON_BYTES: Uint8Array[] = COMMON_NAMES.map(asciiBytes);

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
 * An incremental HTTP/1.1 response parser. Set {@link ResponseParser.method}, feed bytes with
 * {@link ResponseParser.execute}, call {@link ResponseParser.finish} at end of stream.
 */
export class ResponseParser {
  /** The error that killed the parser, or null. Once set, `execute` returns -1. */
  error: HttpError | null = null;
  /**
   * The method of the request whose response is parsed next: a response to HEAD has no body
   * (RFC 9110 §9.3.2), a 2xx to CONNECT starts a tunnel. Read when a final head arrives.
   */
  method: string = "GET";

  private readonly events: ResponseParserEvents;
  private readonly maxHeaderSize: number;
  private readonly maxHeaders: number;
  private readonly maxBodySize: number;
  private readonly decodeHeaders: boolean;

  private state: number = S_HEAD;

  // Section scan (head or trailers), resumable across calls. Offsets are into the input while
  // scanning in place, and into `buf` once a partial section has been copied there.
  private buf: Uint8Array = new Uint8Array(0);
  private bufLen = 0;
  private readonly bufCap: number;
  private sectionStart = 0;
  private lineStart = 0;
  private scanPos = 0;
  private lineCount = 0;

  // What `validate` found in a complete section.
  private fieldCount = 0;
  private valueBits = 0;
  /** Per field line: [nameStart, nameEnd, valueStart, valueEnd]. */
  private fields: Int32Array = new Int32Array(32 * 4);
  private status = 0;
  private versionMinor = 1;
  private reasonStart = 0;
  private reasonEnd = 0;

  // Body.
  private remaining = 0;
  private chunkSize = 0;
  private chunkDigits = 0;
  private chunkExtSize = 0;
  private bodyTotal = 0;

  constructor(events: ResponseParserEvents, options?: ResponseParserOptions) {
    this.events = events;
    this.maxHeaderSize = options?.maxHeaderSize ?? DEFAULT_RESPONSE_LIMITS.maxHeaderSize;
    this.maxHeaders = options?.maxHeaders ?? DEFAULT_RESPONSE_LIMITS.maxHeaders;
    this.maxBodySize = options?.maxBodySize ?? DEFAULT_RESPONSE_LIMITS.maxBodySize;
    this.decodeHeaders = options?.decodeHeaders ?? true;
    this.bufCap = this.maxHeaderSize + 1;
  }

  /** True between onHead and onMessageComplete (reading a body). Already true during onHead. */
  get inBody(): boolean {
    return this.state >= S_BODY_LENGTH && this.state <= S_TRAILERS;
  }

  /** True when nothing of a next response has arrived: a clean place for the stream to end. */
  get idle(): boolean {
    return (this.state === S_HEAD && this.bufLen === 0) || this.state === S_UPGRADED || this.state === S_CLOSED;
  }

  /** True after a 101 or a CONNECT tunnel: the remaining bytes are another protocol's. */
  get upgraded(): boolean {
    return this.state === S_UPGRADED;
  }

  /**
   * Parse bytes. Returns the number consumed, or -1 on error (then `error` is set and the parser
   * is dead). Returns early right after onMessageComplete; after an upgrade it consumes nothing.
   * Partial heads and chunk-size lines are kept internally and count as consumed.
   */
  execute(data: Uint8Array): number {
    const len = data.length;
    let pos = 0;
    while (pos < len) {
      switch (this.state) {
        case S_HEAD:
        case S_TRAILERS: {
          const isHead = this.state === S_HEAD;
          let b: Uint8Array;
          let start: number;
          let end: number;
          if (this.bufLen === 0) {
            // Fast path: the section starts here; scan and validate it in place.
            this.sectionStart = this.lineStart = this.scanPos = pos;
            this.lineCount = 0;
            const found = this.scan(data, isHead);
            if (found === SCAN_ERROR) return -1;
            if (found === SCAN_NEED_MORE) {
              this.stash(data, pos);
              return len;
            }
            b = data;
            start = pos;
            end = found;
            pos = found;
          } else {
            // Slow path: the section began in an earlier call; append what we may need.
            const old = this.bufLen;
            const take = Math.min(len - pos, this.bufCap - old);
            this.append(data, pos, take);
            b = this.buf.subarray(0, this.bufLen);
            const found = this.scan(b, isHead);
            if (found === SCAN_ERROR) return -1;
            if (found === SCAN_NEED_MORE) return pos + take; // == len: the cap makes the limit fire first
            this.bufLen = 0;
            start = 0;
            end = found;
            pos += found - old;
          }
          if (!this.validate(b, start, end, isHead)) return -1;
          if (isHead) {
            if (!this.parseHead(b, start, end)) return -1;
            // parseHead moved the state on. A completed response (or an upgrade) returns now;
            // after an interim 1xx the next head follows, still for the same request.
            const next = this.state as number;
            if (next === S_UPGRADED || (next === S_HEAD && this.status >= 200)) return pos;
          } else {
            this.complete(this.fieldCount === 0 ? null : this.fieldStrings(b, start, this.sectionText(b, start, end)));
            return pos;
          }
          break;
        }

        case S_BODY_LENGTH: {
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

        case S_BODY_CLOSE: {
          this.bodyTotal += len - pos;
          if (this.bodyTotal > this.maxBodySize) {
            return this.fail("BODY_TOO_LARGE", "Close-delimited body is larger than the limit");
          }
          this.events.onBody(pos === 0 ? data : data.subarray(pos));
          return len;
        }

        case S_CHUNK_SIZE: {
          let c = 0;
          for (; pos < len; pos++) {
            c = data[pos];
            const v = HEX_VALUE[c];
            if (v < 0) break;
            if (++this.chunkDigits > MAX_CHUNK_SIZE_DIGITS) {
              return this.fail("INVALID_CHUNK_SIZE", "Chunk size has more than 16 hex digits");
            }
            const size = this.chunkSize * 16 + v;
            if (size > Number.MAX_SAFE_INTEGER) return this.fail("INVALID_CHUNK_SIZE", "Chunk size is too large");
            if (this.bodyTotal + size > this.maxBodySize) {
              return this.fail("BODY_TOO_LARGE", "Chunked body is larger than the limit");
            }
            this.chunkSize = size;
          }
          if (pos === len) return len;
          if (this.chunkDigits === 0) {
            if (c === LF) return this.fail("BARE_LF", "Bare LF in chunk size line");
            return this.fail("INVALID_CHUNK_SIZE", "Chunk size is missing or not hexadecimal");
          }
          pos++;
          if (c === CR) this.state = S_CHUNK_SIZE_LF;
          else if (c === SEMICOLON) {
            this.chunkExtSize = 1;
            this.state = S_CHUNK_EXT;
          } else if (c === SP || c === HTAB) {
            this.chunkExtSize = 1;
            this.state = S_CHUNK_SIZE_BWS;
          } else if (c === LF) return this.fail("BARE_LF", "Bare LF in chunk size line");
          else return this.fail("INVALID_CHUNK_SIZE", "Invalid character after chunk size");
          break;
        }
        case S_CHUNK_SIZE_BWS: {
          // RFC 9112 §7.1.1: chunk-ext = *( BWS ";" BWS chunk-ext-name [ BWS "=" BWS chunk-ext-val ] )
          const c = data[pos++];
          if (++this.chunkExtSize > MAX_CHUNK_EXT_SIZE) {
            return this.fail("CHUNK_EXTENSIONS_TOO_LONG", "Chunk extensions are too long");
          }
          if (c === SP || c === HTAB) break;
          if (c === SEMICOLON) this.state = S_CHUNK_EXT;
          else if (c === CR) this.state = S_CHUNK_SIZE_LF;
          else if (c === LF) return this.fail("BARE_LF", "Bare LF in chunk size line");
          else return this.fail("INVALID_CHUNK_SIZE", "Invalid character after chunk size");
          break;
        }
        case S_CHUNK_EXT: {
          for (; pos < len; pos++) {
            const c = data[pos];
            if (c < 0x20 ? c !== HTAB : c === 0x7f) {
              if (c === CR) break;
              if (c === LF) return this.fail("BARE_LF", "Bare LF in chunk extension");
              return this.fail("INVALID_CHUNK_EXTENSION", "Invalid character in chunk extension");
            }
            if (++this.chunkExtSize > MAX_CHUNK_EXT_SIZE) {
              return this.fail("CHUNK_EXTENSIONS_TOO_LONG", "Chunk extensions are too long");
            }
          }
          if (pos === len) return len;
          pos++;
          this.state = S_CHUNK_SIZE_LF;
          break;
        }
        case S_CHUNK_SIZE_LF: {
          if (data[pos] !== LF) return this.fail("BARE_CR", "Bare CR in chunk size line");
          pos++;
          const size = this.chunkSize;
          this.bodyTotal += size;
          this.chunkSize = 0;
          this.chunkDigits = 0;
          if (size === 0) this.state = S_TRAILERS; // last-chunk (RFC 9112 §7.1)
          else {
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
          if (data[pos] !== CR) return this.fail("INVALID_CHUNK_DATA_END", "Expected CRLF after chunk data");
          pos++;
          this.state = S_CHUNK_DATA_LF;
          break;
        case S_CHUNK_DATA_LF:
          if (data[pos] !== LF) return this.fail("BARE_CR", "Bare CR after chunk data");
          pos++;
          this.state = S_CHUNK_SIZE;
          break;

        case S_UPGRADED:
          return pos;
        case S_CLOSED:
          return this.fail("DATA_AFTER_CLOSE", "Data after the end of the stream");
        default: // S_DEAD
          return -1;
      }
    }
    return this.state === S_DEAD ? -1 : pos;
  }

  /**
   * The stream ended (the server closed or half-closed). Completes a close-delimited body;
   * anywhere else mid-response it is an error (RFC 9112 §8: an incomplete message). Returns
   * false on error, with `error` set.
   */
  finish(): boolean {
    switch (this.state) {
      case S_BODY_CLOSE:
        this.state = S_CLOSED;
        this.events.onMessageComplete(null);
        return true;
      case S_HEAD:
        if (this.bufLen === 0) return true;
        this.fail("INCOMPLETE_RESPONSE", "Connection closed inside a response head");
        return false;
      case S_UPGRADED:
      case S_CLOSED:
        return true;
      case S_DEAD:
        return false;
      default:
        this.fail("INCOMPLETE_RESPONSE", "Connection closed before the response body was complete");
        return false;
    }
  }

  // ─── Helpers ────────────────────────────────────────────────────────────────────────────────

  private fail(code: string, message: string): -1 {
    this.error = new HttpError(BAD_RESPONSE, message, code, false);
    this.state = S_DEAD;
    this.bufLen = 0;
    return -1;
  }

  private failed(code: string, message: string): false {
    this.fail(code, message);
    return false;
  }

  private complete(trailers: string[] | null): void {
    this.state = S_HEAD;
    this.events.onMessageComplete(trailers);
  }

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
   * Find the end of the current section in `b`, resuming where the last call stopped. Returns
   * the offset just past the final CRLF, SCAN_NEED_MORE, or SCAN_ERROR. Line ends and the limits
   * are checked here, as bytes arrive; the grammar of each line is left to `validate`.
   */
  private scan(b: Uint8Array, isHead: boolean): number {
    const start = this.sectionStart;
    const fieldBase = isHead ? 1 : 0; // the head's first line is the status line
    let ls = this.lineStart;
    let n = this.lineCount;
    let i = this.scanPos;
    for (;;) {
      const lf = b.indexOf(LF, i);
      if (lf === -1) break;
      // RFC 9112 §2.2: a recipient MAY accept a bare LF; we accept CRLF only.
      if (lf === ls || b[lf - 1] !== CR) {
        const where = isHead ? (n === 0 ? "status line" : "header section") : "trailer section";
        return this.fail("BARE_LF", `Bare LF in ${where}`);
      }
      if (lf + 1 - start > this.maxHeaderSize) return this.failSectionTooLarge(isHead);
      if (lf - 1 === ls) {
        if (isHead && n === 0) return this.fail("INVALID_STATUS_LINE", "Empty line where the status line belongs");
        return lf + 1; // the empty line: end of section
      }
      if (n - fieldBase >= this.maxHeaders) {
        return isHead
          ? this.fail("TOO_MANY_HEADERS", "Too many header fields")
          : this.fail("TOO_MANY_TRAILERS", "Too many trailer fields");
      }
      n++;
      ls = i = lf + 1;
    }
    if (b.length - start > this.maxHeaderSize) return this.failSectionTooLarge(isHead);
    this.lineStart = ls;
    this.lineCount = n;
    this.scanPos = b.length;
    return SCAN_NEED_MORE;
  }

  private failSectionTooLarge(isHead: boolean): -1 {
    return isHead
      ? this.fail("HEADERS_TOO_LARGE", "Header section is larger than the limit")
      : this.fail("TRAILERS_TOO_LARGE", "Trailer section is larger than the limit");
  }

  /**
   * Validate the complete section b[start..end) — for the head, the status line (RFC 9112 §4)
   * and field lines (§5, RFC 9110 §5.5); for trailers, field lines only. `scan` has already
   * found every LF preceded by CR and the section's end. Records the field offsets.
   */
  private validate(b: Uint8Array, start: number, end: number, isHead: boolean): boolean {
    let p = start;
    if (isHead) {
      // status-line = HTTP-version SP status-code SP [ reason-phrase ] CRLF
      // HTTP-version = "HTTP" "/" DIGIT "." DIGIT (RFC 9112 §2.3)
      if (end - p < 17) return this.failed("INVALID_STATUS_LINE", "Status line is too short");
      if (
        b[p] !== 0x48 || b[p + 1] !== 0x54 || b[p + 2] !== 0x54 || b[p + 3] !== 0x50 ||
        b[p + 4] !== 0x2f || !isDigit(b[p + 5]) || b[p + 6] !== 0x2e || !isDigit(b[p + 7])
      ) {
        return this.failed("INVALID_VERSION", "Status line does not start with an HTTP version");
      }
      // RFC 9112 §2.3: only major version 1 is this grammar; HTTP/2 and later do not look like this.
      if (b[p + 5] !== 0x31) return this.failed("UNSUPPORTED_VERSION", `Unsupported HTTP version ${b[p + 5] - 0x30}.${b[p + 7] - 0x30}`);
      this.versionMinor = b[p + 7] - 0x30;
      if (b[p + 8] !== SP) return this.failed("INVALID_STATUS_LINE", "Expected one space after the HTTP version");
      // status-code = 3DIGIT (RFC 9112 §4), in 100–599 (RFC 9110 §15).
      if (!isDigit(b[p + 9]) || !isDigit(b[p + 10]) || !isDigit(b[p + 11]) || isDigit(b[p + 12])) {
        return this.failed("INVALID_STATUS", "Status code is not three digits");
      }
      const status = (b[p + 9] - 0x30) * 100 + (b[p + 10] - 0x30) * 10 + (b[p + 11] - 0x30);
      if (status < 100 || status > 599) return this.failed("INVALID_STATUS", `Status code ${status} is out of range`);
      this.status = status;
      // The SP after the status code is required even with an empty reason (RFC 9112 §4).
      if (b[p + 12] !== SP) return this.failed("INVALID_STATUS_LINE", "Expected a space after the status code");
      p += 13;
      this.reasonStart = p;
      // reason-phrase = 1*( HTAB / SP / VCHAR / obs-text )
      for (; ; p++) {
        const c = b[p];
        if (c < 0x20 ? c !== HTAB : c === 0x7f) break;
      }
      if (b[p] !== CR) return this.failed("INVALID_REASON", "Invalid character in reason phrase");
      if (b[p + 1] !== LF) return this.failed("BARE_CR", "Bare CR in status line");
      this.reasonEnd = p;
      p += 2;
    }
    // field-line = field-name ":" OWS field-value OWS (RFC 9112 §5)
    let k = 0;
    let f = this.fields;
    let bits = 0;
    for (;;) {
      let c = b[p];
      if (c === CR) break; // the empty line (scan checked its LF)
      if (c === SP || c === HTAB) return this.failed("OBS_FOLD", "Obsolete line folding (RFC 9112 §5.2)");
      const ns = p;
      while (TOKEN_LOWER[b[p]] !== 0) p++;
      const ne = p;
      c = b[p];
      if (c !== COLON) {
        if (c === SP || c === HTAB) {
          while (b[p] === SP || b[p] === HTAB) p++;
          // RFC 9112 §5.1: no whitespace is allowed between the field name and colon.
          if (b[p] === COLON) return this.failed("SPACE_BEFORE_COLON", "Whitespace between field name and colon");
          return this.failed("INVALID_HEADER_NAME", "Whitespace in field name");
        }
        if (c === CR) {
          if (b[p + 1] === LF) return this.failed("INVALID_HEADER", `${isHead ? "Header" : "Trailer"} field line has no colon`);
          return this.failed("BARE_CR", "Bare CR in field name");
        }
        return this.failed("INVALID_HEADER_NAME", "Invalid character in field name");
      }
      if (ne === ns) return this.failed("INVALID_HEADER_NAME", "Empty field name");
      p++;
      while (b[p] === SP || b[p] === HTAB) p++;
      const vs = p;
      let ve = p;
      // field-value = *field-content: VCHAR, obs-text, SP, HTAB between visible bytes.
      for (; ; p++) {
        c = b[p];
        if (c < 0x20 ? c !== HTAB : c === 0x7f) break;
        bits |= c;
        if (c !== SP && c !== HTAB) ve = p + 1;
      }
      if (c !== CR) return this.failed("INVALID_HEADER_VALUE", "Invalid character in field value");
      if (b[p + 1] !== LF) return this.failed("BARE_CR", "Bare CR in field value");
      if (k + 4 > f.length) {
        const grown = new Int32Array(f.length * 2);
        grown.set(f);
        this.fields = f = grown;
      }
      f[k] = ns;
      f[k + 1] = ne;
      f[k + 2] = vs;
      f[k + 3] = ve;
      k += 4;
      p += 2;
    }
    this.fieldCount = k >> 2;
    this.valueBits = bits;
    if (p + 2 !== end) return this.failed("MALFORMED_HEAD", "Malformed header section");
    return true;
  }

  /**
   * Interpret a validated head: framing (RFC 9112 §6.3), persistence (§9.3), then the events.
   * Returns false after failing.
   */
  private parseHead(b: Uint8Array, start: number, end: number): boolean {
    const status = this.status;
    const versionMinor = this.versionMinor;
    const count = this.fieldCount;
    const f = this.fields;
    let contentLength = -1;
    let teFlags = 0;
    let conn = 0;
    let hasUpgrade = false;
    for (let i = 0, k = 0; i < count; i++, k += 4) {
      const ns = f[k];
      const nl = f[k + 1] - ns;
      const vs = f[k + 2];
      const ve = f[k + 3];
      if (nl === 14 && equalsLower(b, ns, ns + nl, NAME_CONTENT_LENGTH)) {
        const n = parseContentLength(b, vs, ve, contentLength);
        if (n === -2) return this.failed("CONFLICTING_CONTENT_LENGTH", "Differing Content-Length values");
        if (n < 0) return this.failed("INVALID_CONTENT_LENGTH", "Malformed Content-Length");
        contentLength = n;
      } else if (nl === 17 && equalsLower(b, ns, ns + nl, NAME_TRANSFER_ENCODING)) {
        teFlags = parseTransferCodings(b, vs, ve, teFlags);
        if (teFlags & TE_INVALID) return this.failed("INVALID_TRANSFER_ENCODING", "Malformed Transfer-Encoding");
      } else if (nl === 10 && equalsLower(b, ns, ns + nl, NAME_CONNECTION)) {
        conn = parseConnection(b, vs, ve, conn);
      } else if (nl === 7 && equalsLower(b, ns, ns + nl, NAME_UPGRADE)) {
        hasUpgrade = true;
      }
    }

    const head: ResponseHead = {
      status,
      reason: this.reason(b),
      versionMinor,
      headers: this.decodeHeaders ? this.fieldStrings(b, start, this.sectionText(b, start, end)) : [],
      contentLength,
      framing: "none",
      keepAlive: versionMinor >= 1 ? (conn & CONN_CLOSE) === 0 : (conn & (CONN_KEEP_ALIVE | CONN_CLOSE)) === CONN_KEEP_ALIVE,
      upgraded: false,
    };

    // RFC 9112 §6.3 rule 1: 1xx, 204 and 304 responses end at the end of the head; so does
    // any response to HEAD.
    if (status < 200) {
      if (status === 101) {
        // RFC 9110 §15.2.2: the protocol changes right after this head's empty line; §7.8: the
        // server MUST send Upgrade with it.
        if (!hasUpgrade) return this.failed("INVALID_UPGRADE", "101 response without an Upgrade field");
        head.upgraded = true;
        head.keepAlive = false;
        this.state = S_UPGRADED;
        this.events.onHead(head);
        this.events.onMessageComplete(null);
        return true;
      }
      // RFC 9110 §15.2: a client MUST be able to parse one or more 1xx responses before the
      // final one, even if it did not expect any. They carry no body.
      this.state = S_HEAD;
      this.events.onInformational?.(head);
      return true;
    }
    // RFC 9112 §6.3 rule 2: a 2xx answer to CONNECT turns the connection into a tunnel.
    if (this.method === "CONNECT" && status < 300) {
      head.upgraded = true;
      head.keepAlive = false;
      this.state = S_UPGRADED;
      this.events.onHead(head);
      this.events.onMessageComplete(null);
      return true;
    }
    if (this.method === "HEAD" || status === 204 || status === 304) {
      this.state = S_HEAD;
      this.events.onHead(head);
      this.events.onMessageComplete(null);
      return true;
    }
    if (teFlags !== 0) {
      // RFC 9112 §6.3 rule 3: both fields "ought to be handled as an error" — smuggling risk.
      if (contentLength >= 0) {
        return this.failed("CONTENT_LENGTH_AND_TRANSFER_ENCODING", "Both Content-Length and Transfer-Encoding");
      }
      // RFC 9112 §6.1: Transfer-Encoding in an HTTP/1.0 message means the framing is faulty.
      if (versionMinor === 0) return this.failed("TRANSFER_ENCODING_IN_HTTP10", "Transfer-Encoding in an HTTP/1.0 response");
      // RFC 9112 §6.1: chunked MUST NOT be applied more than once.
      if (teFlags & TE_CHUNKED_TWICE) return this.failed("INVALID_TRANSFER_ENCODING", "Chunked applied more than once");
      head.contentLength = -1;
      if (teFlags & TE_LAST_CHUNKED) {
        head.framing = "chunked";
        this.bodyTotal = 0;
        this.chunkSize = 0;
        this.chunkDigits = 0;
        this.state = S_CHUNK_SIZE;
        this.events.onHead(head);
        return true;
      }
      // RFC 9112 §6.3 rule 4: chunked is not the final coding → the body runs until close.
      return this.closeDelimited(head);
    }
    if (contentLength >= 0) {
      if (contentLength > this.maxBodySize) return this.failed("BODY_TOO_LARGE", "Content-Length is larger than the limit");
      head.framing = "length";
      if (contentLength === 0) {
        this.state = S_HEAD;
        this.events.onHead(head);
        this.events.onMessageComplete(null);
        return true;
      }
      this.remaining = contentLength;
      this.state = S_BODY_LENGTH;
      this.events.onHead(head);
      return true;
    }
    // RFC 9112 §6.3 rule 8: no framing fields → the body is everything until the server closes.
    return this.closeDelimited(head);
  }

  private closeDelimited(head: ResponseHead): true {
    head.framing = "close";
    head.keepAlive = false;
    this.bodyTotal = 0;
    this.state = S_BODY_CLOSE;
    this.events.onHead(head);
    return true;
  }

  /** The reason phrase; "OK" interned. */
  private reason(b: Uint8Array): string {
    const s = this.reasonStart;
    const e = this.reasonEnd;
    if (e - s === 2 && b[s] === 0x4f && b[s + 1] === 0x4b) return "OK";
    for (let i = s; i < e; i++) if (b[i] >= 0x80) return latin1(b, s, e);
    return asciiDecoder.decode(b.subarray(s, e));
  }

  /** The section b[start..end) as text, one char per byte, so offsets carry over. */
  private sectionText(b: Uint8Array, start: number, end: number): string {
    return this.valueBits < 0x80 ? asciiDecoder.decode(b.subarray(start, end)) : latin1(b, start, end);
  }

  /** The flat [lowercased name, value, …] list of the validated section. */
  private fieldStrings(b: Uint8Array, start: number, text: string): string[] {
    const f = this.fields;
    const n = this.fieldCount;
    const out: string[] = new Array(n * 2);
    for (let i = 0, k = 0; i < n; i++, k += 4) {
      const ns = f[k];
      const ne = f[k + 1];
      let name: string | undefined;
      for (let j = 0; j < COMMON_BYTES.length; j++) {
        if (equalsLower(b, ns, ne, COMMON_BYTES[j])) {
          name = COMMON_NAMES[j];
          break;
        }
      }
      if (name === undefined) name = text.substring(ns - start, ne - start).toLowerCase();
      out[2 * i] = name;
      out[2 * i + 1] = text.substring(f[k + 2] - start, f[k + 3] - start);
    }
    return out;
  }
}

// ─── Field-value helpers (on bytes, no strings) ───────────────────────────────────────────────

const TE_CHUNKED_TWICE = 1;
const TE_LAST_CHUNKED = 2;
const TE_INVALID = 8;
const TE_SEEN = 16;
const TE_CHUNKED = 32;

const CONN_CLOSE = 1;
const CONN_KEEP_ALIVE = 2;

function isDigit(c: number): boolean {
  return c >= 0x30 && c <= 0x39;
}

function isOws(c: number): boolean {
  return c === SP || c === HTAB;
}

/** Case-insensitive compare of b[s..e) with a lowercase token. */
function equalsLower(b: Uint8Array, s: number, e: number, lit: Uint8Array): boolean {
  if (e - s !== lit.length) return false;
  for (let i = 0; i < lit.length; i++) if (TOKEN_LOWER[b[s + i]] !== lit[i]) return false;
  return true;
}

/**
 * Content-Length = 1*DIGIT (RFC 9110 §8.6); a list of identical values is accepted as one
 * (RFC 9112 §6.3 rule 5). Returns the length, -1 when malformed, -2 when it differs from `prev`.
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
    if (p === ds) return -1;
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
      flags &= ~TE_LAST_CHUNKED;
    }
  }
  if (!any) return flags | TE_INVALID;
  return flags | TE_SEEN;
}

/** Connection = #connection-option (RFC 9110 §7.6.1): note close and keep-alive. */
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
  }
  return flags;
}
