/**
 * An incremental, strict HTTP/1.1 request parser (RFC 9112).
 *
 * Shape: a byte-driven state machine whose states are named for their place in the grammar
 * (`message-head`, `chunked-body`, `trailer-section`, …). Every failing edge raises its own
 * {@link HttpError} with a status, a stable `code` and a sentence-case reason. There is no
 * lenient mode. The grammar it shares with the response parser lives beside it:
 * {@link SectionReader} reads the head and a trailer section ({@link RequestLine}, then
 * {@link FieldLines}), {@link BodyDecoder} the body, `framing-fields.ts` the fields that
 * frame a message; this file holds what only a request has (empty lines before the request line,
 * Host, the request-target forms, the 4xx/5xx choice of each error).
 *
 * The head is read in place: when it arrives whole — the common case — one pass validates it on
 * the caller's bytes, then one decode of the section yields every string as a substring, with
 * the common methods and field names interned.
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
import type { ParserLimits, RequestHead } from "../http/request-head.ts";
import { DEFAULT_PARSER_LIMITS } from "../http/request-head.ts";
import { HttpError } from "../http/http-error.ts";
import { isValidHost } from "../http/authority.ts";
import * as chars from "../bytes/chars.ts";
import { BodyDecoder } from "./body-decoder.ts";
import { FieldLines } from "./field-lines.ts";
import * as fieldLines from "./field-lines.ts";
import * as names from "./field-names.ts";
import * as framing from "./framing-fields.ts";
import { Rejection } from "./rejection.ts";
import { RequestLine } from "./request-line.ts";
import * as requestLine from "./request-line.ts";
import { SectionReader } from "./section-reader.ts";
import * as sections from "./section-reader.ts";

// Local copies of the imports used in hot loops (see chars.ts).
const { COLON, CR, HOST_CHAR, LF, QUESTION, SLASH, asciiBytes, equalsLower, isDigit } = chars;
const { FIELD_STRIDE } = fieldLines;
const { ID_CONNECTION, ID_CONTENT_LENGTH, ID_EXPECT, ID_HOST, ID_TRANSFER_ENCODING } = names;
const {
  CONN_UPGRADE,
  TE_CHUNKED,
  TE_CHUNKED_TWICE,
  TE_INVALID,
  TE_LAST_CHUNKED,
  TE_OTHER,
  parseConnection,
  parseContentLength,
  parseTransferCodings,
  persists,
} = framing;
const { internMethod } = requestLine;
const { SECTION_ERROR, SECTION_NEED_MORE } = sections;

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
/**
 * A Content-Length (RFC 9112 §6.2) or chunked body, trailer section included (§7.1), in the
 * {@link BodyDecoder}.
 */
const S_BODY = 3;
/** After an error: every call returns -1. */
const S_DEAD = 4;

const TOKEN_100_CONTINUE = asciiBytes("100-continue");

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
  private readonly maxBodySize: number;
  private readonly line: RequestLine;
  private readonly fields: FieldLines;
  private readonly section: SectionReader;
  private readonly body: BodyDecoder;

  private state: number = S_MESSAGE_START;

  constructor(events: RequestParserEvents, limits?: Partial<ParserLimits>) {
    const l: ParserLimits = { ...DEFAULT_PARSER_LIMITS, ...limits };
    const rejection = new Rejection();
    this.events = events;
    this.maxBodySize = l.maxBodySize;
    this.line = new RequestLine(rejection);
    this.fields = new FieldLines(rejection, 400);
    this.section = new SectionReader(this.line, this.fields, rejection, {
      maxSize: l.maxHeaderSize,
      maxFields: l.maxHeaders,
      maxStartLine: l.maxRequestLineSize,
      startLine: "request line",
      status: 400,
      startLineStatus: 414, // RFC 9112 §3: a request line longer than we parse → 414
      limitStatus: 431, // RFC 6585 §5
    });
    this.body = new BodyDecoder(events, this.section, this.fields, {
      maxBodySize: l.maxBodySize,
      status: 400,
      tooLargeStatus: 413,
    });
  }

  /** True between onHead and onMessageComplete (reading a body). Already true during onHead. */
  get inBody(): boolean {
    return this.state === S_BODY;
  }

  /** Bytes of the current body not yet received when Content-Length is known, else -1. */
  get bodyRemaining(): number {
    return this.state === S_BODY ? this.body.remaining : -1;
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

        case S_HEAD: {
          const s = this.section;
          const next = s.read(data, pos, true);
          if (next === SECTION_NEED_MORE) return len;
          if (next === SECTION_ERROR) return this.die(s.error!);
          if (!this.parseHead(s.bytes, s.start, s.end)) return -1;
          // parseHead moved the state on; without a body the request is already complete.
          if ((this.state as number) === S_MESSAGE_START) return next;
          pos = next;
          break;
        }

        case S_BODY:
          pos = this.body.decode(data, pos);
          if (pos < 0) return this.die(this.body.error!);
          if (this.body.done) {
            this.complete(this.body.trailers);
            return pos;
          }
          break;

        default: // S_DEAD
          return -1;
      }
    }
    return this.state === S_DEAD ? -1 : pos;
  }

  // ─── Helpers ────────────────────────────────────────────────────────────────────────────────

  private fail(status: number, code: string, message: string): -1 {
    return this.die(new HttpError(status, message, code));
  }

  private die(error: HttpError): -1 {
    this.error = error;
    this.state = S_DEAD;
    this.section.reset();
    return -1;
  }

  private complete(trailers: string[] | null): void {
    this.state = S_MESSAGE_START;
    this.events.onMessageComplete(trailers);
  }

  /**
   * Interpret a validated head b[start..end): framing, connection options, target form; then
   * onHead (and, without a body, onMessageComplete). Returns false after failing.
   */
  private parseHead(b: Uint8Array, start: number, end: number): boolean {
    const line = this.line;
    const method = internMethod(b, start, line.methodEnd);
    const ts = line.methodEnd + 1;
    const te = line.targetEnd;
    const q = line.queryStart;
    const versionMinor = line.versionMinor;
    const count = this.fields.count;
    const f = this.fields.fields;

    // Framing and connection fields, straight from the bytes.
    let hostCount = 0;
    let hostField = -1;
    let contentLength = -1;
    let teFlags = 0; // TE_* over all Transfer-Encoding lines
    let conn = 0; // CONN_* flags
    let expectContinue = false;
    let upgradeField = -1;
    let upgradeCount = 0;
    for (let i = 0, k = 0; i < count; i++, k += FIELD_STRIDE) {
      const id = f[k];
      if (id < 0 || id > ID_EXPECT) continue; // only framing and connection fields
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
      if (teFlags & TE_CHUNKED_TWICE) {
        return this.failed(400, "INVALID_TRANSFER_ENCODING", "Chunked applied more than once");
      }
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
      if (method !== "OPTIONS") {
        return this.failed(400, "INVALID_TARGET", "Asterisk-form target with a method other than OPTIONS");
      }
    } else if (form === FORM_ABSOLUTE && !isAuthority(b, authStart, authEnd, false)) {
      return this.failed(400, "INVALID_TARGET", "Absolute-form target has an invalid or empty authority");
    }

    // ── strings ──
    const text = this.fields.text(b, start, end);
    const headers = this.fields.strings(b, start, text);
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
    if (hostField >= 0) {
      host = headers[hostField * 2 + 1];
      // RFC 9110 §7.2: a Host field with an invalid value gets 400 (the characters were checked
      // above; this is the uri-host [ ":" port ] structure).
      if (!isValidHost(host)) return this.failed(400, "INVALID_HOST", "Host is not a valid authority");
    }
    if (form === FORM_ABSOLUTE) {
      host = text.substring(authStart - start, authEnd - start);
      if (!isValidHost(host)) {
        return this.failed(400, "INVALID_TARGET", "Absolute-form target has an invalid authority");
      }
    }
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
      keepAlive: persists(versionMinor, conn),
      // RFC 9110 §10.1.1: a 100-continue expectation in an HTTP/1.0 request MUST be ignored.
      expectContinue: expectContinue && versionMinor === 1,
      upgrade,
    };

    if (chunked) {
      this.body.startChunked();
      this.state = S_BODY;
      this.events.onHead(head);
    } else if (contentLength > 0) {
      this.body.startLength(contentLength);
      this.state = S_BODY;
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

// ─── Request-target helpers (on bytes, no strings) ────────────────────────────────────────────

const FORM_ORIGIN = 0;
const FORM_ABSOLUTE = 1;
const FORM_AUTHORITY = 2;
const FORM_ASTERISK = 3;

/** Length of a leading `http://` or `https://` (scheme case-insensitive, RFC 9110 §4.2), or 0. */
function absoluteSchemeLength(b: Uint8Array, s: number, e: number): number {
  if (e - s < 7) return 0;
  if (
    (b[s] | 0x20) !== 0x68 || (b[s + 1] | 0x20) !== 0x74 || (b[s + 2] | 0x20) !== 0x74 || (b[s + 3] | 0x20) !== 0x70
  ) {
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
