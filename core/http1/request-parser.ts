/**
 * An incremental, strict HTTP/1.1 request parser (RFC 9112).
 *
 * Shape: a byte-driven state machine whose states are named for their place in the grammar
 * (`message-head`, `chunked-body`, `trailer-section`, …), and a head interpreted in named steps
 * (framing fields, Host, body framing, target form in {@link RequestTarget}). Every failing edge names its own code of
 * the table in `core/http/wire-errors.ts` (which gives the status) with a sentence-case reason,
 * and ends as one {@link HttpError}. There is no lenient mode. The grammar it shares with the response parser lives beside it:
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
import type { HttpError } from "../http/http-error.ts";
import { isValidHost } from "../http/authority.ts";
import * as chars from "../bytes/chars.ts";
import { BodyDecoder } from "./body-decoder.ts";
import { FieldLines } from "./field-lines.ts";
import * as fieldLines from "./field-lines.ts";
import * as names from "./field-names.ts";
import * as framing from "./framing-fields.ts";
import { Rejection } from "./rejection.ts";
import { RequestLine } from "./request-line.ts";
import { FORM_ABSOLUTE, FORM_ASTERISK, FORM_ORIGIN, RequestTarget } from "./request-target.ts";
import * as requestLine from "./request-line.ts";
import { SectionReader } from "./section-reader.ts";
import * as sections from "./section-reader.ts";

// Local copies of the imports used in hot loops (see chars.ts).
const { CR, HOST_CHAR, LF, SLASH, asciiBytes, equalsLower } = chars;
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
 *
 * Failing works one way throughout: a check records its verdict in the parser's
 * {@link Rejection} and returns -1; `execute` turns the verdict into {@link RequestParser.error}
 * in one place (`#die`).
 */
export class RequestParser {
  #error: HttpError | null = null;

  readonly #events: RequestParserEvents;
  readonly #maxBodySize: number;
  readonly #rejection: Rejection;
  readonly #line: RequestLine;
  readonly #target: RequestTarget;
  readonly #fields: FieldLines;
  readonly #section: SectionReader;
  readonly #body: BodyDecoder;

  #state: number = S_MESSAGE_START;

  // What the scan of the framing fields found in the head being interpreted, for `#report`.
  /** Index of the (last) Host field line, or -1. */
  #hostField = -1;
  #contentLength = -1;
  /** CONN_* flags over all Connection lines. */
  #conn = 0;
  #expectContinue = false;
  /** Index of the (last) Upgrade field line, or -1, and how many there are. */
  #upgradeField = -1;
  #upgradeCount = 0;

  constructor(events: RequestParserEvents, limits?: Partial<ParserLimits>) {
    const l: ParserLimits = { ...DEFAULT_PARSER_LIMITS, ...limits };
    const rejection = new Rejection(false);
    this.#events = events;
    this.#maxBodySize = l.maxBodySize;
    this.#rejection = rejection;
    this.#line = new RequestLine(rejection);
    this.#target = new RequestTarget(rejection);
    this.#fields = new FieldLines(rejection);
    this.#section = new SectionReader(this.#line, this.#fields, rejection, {
      maxSize: l.maxHeaderSize,
      maxFields: l.maxHeaders,
      maxStartLine: l.maxRequestLineSize,
      startLine: "request line",
      emptyStartLine: "INVALID_REQUEST_LINE",
      startLineTooLong: "REQUEST_LINE_TOO_LONG", // RFC 9112 §3: longer than we parse → 414
    });
    this.#body = new BodyDecoder(events, this.#section, this.#fields, rejection, l.maxBodySize);
  }

  /** The error that killed the parser, or null. Once set, `execute` returns -1. */
  get error(): HttpError | null {
    return this.#error;
  }

  /** Between requests, holding no partial head or body: the parser may serve another connection. */
  get atRest(): boolean {
    return this.#state === S_MESSAGE_START;
  }

  /** True between onHead and onMessageComplete (reading a body). Already true during onHead. */
  get inBody(): boolean {
    return this.#state === S_BODY;
  }

  /** Bytes of the current body not yet received when Content-Length is known, else -1. */
  get bodyRemaining(): number {
    return this.#state === S_BODY ? this.#body.remaining : -1;
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
      switch (this.#state) {
        case S_MESSAGE_START:
        case S_MESSAGE_START_LF:
          pos = this.#emptyLines(data, pos);
          if (pos < 0) return this.#die();
          break;

        case S_HEAD: {
          const s = this.#section;
          const next = s.read(data, pos, true);
          if (next === SECTION_NEED_MORE) return len;
          if (next === SECTION_ERROR || this.#onHead(s.bytes, s.start, s.end) < 0) return this.#die();
          // onHead moved the state on; without a body the request is already complete.
          if ((this.#state as number) === S_MESSAGE_START) return next;
          pos = next;
          break;
        }

        case S_BODY: {
          const body = this.#body;
          pos = body.decode(data, pos);
          if (pos < 0) return this.#die();
          if (body.done) {
            this.#state = S_MESSAGE_START;
            this.#events.onMessageComplete(body.trailers);
            return pos;
          }
          break;
        }

        default: // S_DEAD
          return -1;
      }
    }
    return this.#state === S_DEAD ? -1 : pos;
  }

  /** The one way the parser fails: the verdict recorded in the {@link Rejection} becomes `error`. */
  #die(): -1 {
    this.#error = this.#rejection.toError();
    this.#state = S_DEAD;
    this.#section.reset();
    return -1;
  }

  // ─── The steps of the grammar ───────────────────────────────────────────────────────────────

  /**
   * RFC 9112 §2.2: "a server SHOULD ignore at least one empty line (CRLF) received prior to the
   * request-line". Bare CR or LF is still an error. Returns where the request line starts (the
   * state is then S_HEAD), `data.length` when all was consumed, or -1.
   */
  #emptyLines(data: Uint8Array, pos: number): number {
    const len = data.length;
    if (this.#state === S_MESSAGE_START_LF) {
      if (data[pos] !== LF) return this.#rejection.reject("BARE_CR", "Bare CR before the request line");
      pos++;
      this.#state = S_MESSAGE_START;
    }
    for (; pos < len; pos += 2) {
      const c = data[pos];
      if (c !== CR) {
        if (c === LF) return this.#rejection.reject("BARE_LF", "Bare LF before the request line");
        this.#state = S_HEAD;
        return pos;
      }
      if (pos + 1 === len) {
        this.#state = S_MESSAGE_START_LF;
        return len;
      }
      if (data[pos + 1] !== LF) return this.#rejection.reject("BARE_CR", "Bare CR before the request line");
    }
    return len;
  }

  /**
   * Interpret a head that the section reader validated, at b[start..end), in the steps of RFC
   * 9112: the framing and connection fields, Host (§3.2), the body's framing (§6), the form of
   * the request-target (§3.2); then report it. Returns -1 after a rejection.
   *
   * The scan of the framing fields runs for every request, so it stays here, in one loop; the
   * steps after it are methods, each called only when its precondition says it has work (or a
   * verdict) — the common request (one Host, no Transfer-Encoding, a body within the limit, an
   * origin-form target) calls none of them but `#report`. Measured: each out-of-line call on
   * this path costs several percent of a small head on V8 and JSC (bench/micro/codecs.ts).
   */
  #onHead(b: Uint8Array, start: number, end: number): number {
    const r = this.#rejection;
    const line = this.#line;
    const method = internMethod(b, start, line.methodEnd);
    const versionMinor = line.versionMinor;

    // The framing and connection fields — Host, Content-Length, Transfer-Encoding, Connection,
    // Expect, Upgrade — straight from the bytes, in one pass over the field lines.
    const count = this.#fields.count;
    const f = this.#fields.fields;
    let hostCount = 0;
    let hostField = -1;
    let contentLength = -1;
    let teFlags = 0;
    let conn = 0;
    let expectContinue = false;
    let upgradeField = -1;
    let upgradeCount = 0;
    for (let i = 0, k = 0; i < count; i++, k += FIELD_STRIDE) {
      const id = f[k]!;
      if (id < 0 || id > ID_EXPECT) continue; // only framing and connection fields
      const vs = f[k + 3]!;
      const ve = f[k + 4]!;
      switch (id) {
        case ID_HOST:
          // RFC 9112 §3.2: Host = uri-host [ ":" port ]; an empty value is allowed.
          hostCount++;
          hostField = i;
          for (let j = vs; j < ve; j++) if (HOST_CHAR[b[j]!] === 0) return r.reject("INVALID_HOST");
          break;
        case ID_CONTENT_LENGTH:
          contentLength = parseContentLength(b, vs, ve, contentLength);
          if (contentLength < 0) {
            return r.reject(contentLength === -2 ? "CONFLICTING_CONTENT_LENGTH" : "INVALID_CONTENT_LENGTH");
          }
          break;
        case ID_TRANSFER_ENCODING:
          teFlags = parseTransferCodings(b, vs, ve, teFlags);
          if (teFlags & TE_INVALID) return r.reject("INVALID_TRANSFER_ENCODING");
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
    this.#hostField = hostField;
    this.#contentLength = contentLength;
    this.#conn = conn;
    this.#expectContinue = expectContinue;
    this.#upgradeField = upgradeField;
    this.#upgradeCount = upgradeCount;

    if (hostCount !== 1 && this.#checkHost(hostCount, versionMinor) < 0) return -1;
    let chunked = 0;
    if (teFlags !== 0 || contentLength > this.#maxBodySize) {
      chunked = this.#bodyFraming(teFlags, versionMinor);
      if (chunked < 0) return -1;
    }
    const ts = line.methodEnd + 1;
    const form = b[ts] === SLASH && method !== "CONNECT"
      ? FORM_ORIGIN
      : this.#target.classify(b, ts, line.targetEnd, method);
    if (form < 0) return -1;
    return this.#report(b, start, end, method, form, chunked === 1);
  }

  /**
   * RFC 9112 §3.2: "A server MUST respond with a 400 (Bad Request) status code to any HTTP/1.1
   * request message that lacks a Host header field and to any request message that contains
   * more than one Host header field line".
   */
  #checkHost(hostCount: number, versionMinor: number): number {
    if (hostCount > 1) return this.#rejection.reject("DUPLICATE_HOST");
    if (hostCount === 0 && versionMinor === 1) return this.#rejection.reject("MISSING_HOST");
    return 0;
  }

  /**
   * How the body is framed (RFC 9112 §6): 1 for chunked, 0 for a Content-Length or no body, -1
   * when the framing fields contradict each other or the body is over the limit.
   */
  #bodyFraming(teFlags: number, versionMinor: number): number {
    const r = this.#rejection;
    let chunked = 0;
    if (teFlags !== 0) {
      // RFC 9112 §6.1: Content-Length with Transfer-Encoding may be request smuggling.
      if (this.#contentLength >= 0) return r.reject("CONTENT_LENGTH_AND_TRANSFER_ENCODING");
      // RFC 9112 §6.1: Transfer-Encoding in HTTP/1.0 means the framing is faulty.
      if (versionMinor === 0) {
        return r.reject("TRANSFER_ENCODING_IN_HTTP10", "Transfer-Encoding in an HTTP/1.0 request");
      }
      // RFC 9112 §6.1: chunked MUST NOT be applied more than once; §6.3: when it is not the final
      // coding the length cannot be determined → 400.
      if (teFlags & TE_CHUNKED_TWICE) return r.reject("INVALID_TRANSFER_ENCODING", "Chunked applied more than once");
      if (teFlags & TE_CHUNKED && !(teFlags & TE_LAST_CHUNKED)) {
        return r.reject("INVALID_TRANSFER_ENCODING", "Chunked is not the final transfer coding");
      }
      // RFC 9112 §6.1: a coding we do not understand (anything but chunked; `gzip` alone too) → 501.
      if (teFlags & TE_OTHER) return r.reject("UNSUPPORTED_TRANSFER_ENCODING");
      chunked = 1;
    }
    // RFC 9110 §15.5.14: refused before the body is read.
    if (this.#contentLength > this.#maxBodySize) {
      return r.reject("BODY_TOO_LARGE", "Content-Length is larger than the limit");
    }
    return chunked;
  }

  /**
   * Report the head — its strings all cut from one decode of the section b[start..end) — and
   * start reading its body, or complete a request without one; -1 (recorded in the rejection)
   * when its authority is not a valid `uri-host [ ":" port ]`.
   */
  #report(b: Uint8Array, start: number, end: number, method: string, form: number, chunked: boolean): number {
    const line = this.#line;
    const ts = line.methodEnd + 1;
    const te = line.targetEnd;
    const q = line.queryStart;
    const versionMinor = line.versionMinor;
    const text = this.#fields.text(b, start, end);
    const headers = this.#fields.strings(b, start, text);
    const target = te - ts === 1 && b[ts] === SLASH ? "/" : text.substring(ts - start, te - start);
    let path: string;
    let query = "";
    if (form === FORM_ORIGIN || form === FORM_ABSOLUTE) {
      const ps = form === FORM_ORIGIN ? ts : this.#target.authEnd;
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
    if (form === FORM_ABSOLUTE) {
      host = text.substring(this.#target.authStart - start, this.#target.authEnd - start);
      if (!isValidHost(host)) {
        return this.#rejection.reject("INVALID_TARGET", "Absolute-form target has an invalid authority");
      }
    } else if (this.#hostField >= 0) {
      host = headers[this.#hostField * 2 + 1]!;
      // RFC 9110 §7.2: a Host field with an invalid value gets 400 (the characters were checked
      // above; this is the uri-host [ ":" port ] structure).
      if (!isValidHost(host)) return this.#rejection.reject("INVALID_HOST", "Host is not a valid authority");
    }
    let upgrade = "";
    // RFC 9110 §7.8: Upgrade only counts when listed in Connection; ignored in HTTP/1.0.
    if (this.#upgradeField >= 0 && this.#conn & CONN_UPGRADE && versionMinor === 1) {
      if (this.#upgradeCount === 1) upgrade = headers[this.#upgradeField * 2 + 1]!;
      else {
        for (let i = 0; i < headers.length; i += 2) {
          if (headers[i] === "upgrade") upgrade = upgrade === "" ? headers[i + 1]! : upgrade + ", " + headers[i + 1]!;
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
      contentLength: this.#contentLength,
      chunked,
      // RFC 9112 §9.3: persistence by version and the Connection options.
      keepAlive: persists(versionMinor, this.#conn),
      // RFC 9110 §10.1.1: a 100-continue expectation in an HTTP/1.0 request MUST be ignored.
      expectContinue: this.#expectContinue && versionMinor === 1,
      upgrade,
    };
    if (chunked) {
      this.#body.startChunked();
      this.#state = S_BODY;
      this.#events.onHead(head);
    } else if (head.contentLength > 0) {
      this.#body.startLength(head.contentLength);
      this.#state = S_BODY;
      this.#events.onHead(head);
    } else {
      // RFC 9112 §6.3: no Content-Length and no Transfer-Encoding → a request has no body.
      this.#state = S_MESSAGE_START;
      this.#events.onHead(head);
      this.#events.onMessageComplete(null);
    }
    return 0;
  }
}
