/**
 * An incremental, strict HTTP/1.1 response parser (RFC 9112) for client mode: the load generator
 * and any other code of ours that talks to an HTTP/1.1 server.
 *
 * Shape: the same as the request parser — a byte-driven state machine whose states are named for
 * their place in the grammar (`message-head`, `chunked-body`, `trailer-section`, close-delimited
 * body, …), every failing edge its own code of the table in `core/http/wire-errors.ts` with a
 * sentence-case reason, recorded in one {@link Rejection} and raised as one {@link HttpError} —
 * and the same grammar: the head and trailers are read by {@link SectionReader}
 * ({@link StatusLine}, then {@link FieldLines}), the body by {@link BodyDecoder}. A
 * broken response is what a gateway answers with 502, so that is the status every error carries.
 * There is no lenient mode: bare LF, obs-fold, whitespace before a colon and conflicting framing
 * are all errors.
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
import type { HttpError } from "../http/http-error.ts";
import type { BodyFraming } from "./response-serializer.ts";
import { BodyDecoder } from "./body-decoder.ts";
import { FieldLines } from "./field-lines.ts";
import * as fieldLines from "./field-lines.ts";
import * as names from "./field-names.ts";
import * as framing from "./framing-fields.ts";
import { Rejection } from "./rejection.ts";
import { SectionReader } from "./section-reader.ts";
import * as sections from "./section-reader.ts";
import { StatusLine } from "./status-line.ts";

// Local copies of the imports used in hot loops (see chars.ts).
const { FIELD_STRIDE } = fieldLines;
const { ID_CONNECTION, ID_CONTENT_LENGTH, ID_TRANSFER_ENCODING, ID_UPGRADE } = names;
const {
  TE_CHUNKED_TWICE,
  TE_INVALID,
  TE_LAST_CHUNKED,
  parseConnection,
  parseContentLength,
  parseTransferCodings,
  persists,
} = framing;
const { SECTION_ERROR, SECTION_NEED_MORE } = sections;

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
/**
 * A Content-Length (RFC 9112 §6.3 rule 6), chunked (§7.1, trailer section included) or
 * close-delimited (§6.3 rule 8) body, in the {@link BodyDecoder}.
 */
const S_BODY = 1;
/** After a 101 or a CONNECT tunnel: the rest of the stream is not ours to parse. */
const S_UPGRADED = 2;
/** After a close-delimited response completed at end of stream: nothing more can come. */
const S_CLOSED = 3;
/** After an error: every call returns -1. */
const S_DEAD = 4;

// ─── The parser ───────────────────────────────────────────────────────────────────────────────

/**
 * An incremental HTTP/1.1 response parser. Set {@link ResponseParser.method}, feed bytes with
 * {@link ResponseParser.execute}, call {@link ResponseParser.finish} at end of stream.
 */
export class ResponseParser {
  /**
   * The method of the request whose response is parsed next: a response to HEAD has no body
   * (RFC 9110 §9.3.2), a 2xx to CONNECT starts a tunnel. Read when a final head arrives.
   */
  method: string = "GET";

  #error: HttpError | null = null;

  readonly #events: ResponseParserEvents;
  readonly #maxBodySize: number;
  readonly #decodeHeaders: boolean;
  readonly #rejection: Rejection;
  readonly #line: StatusLine;
  readonly #fields: FieldLines;
  readonly #section: SectionReader;
  readonly #body: BodyDecoder;

  #state: number = S_HEAD;

  constructor(events: ResponseParserEvents, options?: ResponseParserOptions) {
    // A broken response is what a gateway answers with 502 (RFC 9110 §15.6.3): every error.
    const rejection = new Rejection(true);
    this.#events = events;
    this.#maxBodySize = options?.maxBodySize ?? DEFAULT_RESPONSE_LIMITS.maxBodySize;
    this.#decodeHeaders = options?.decodeHeaders ?? true;
    this.#rejection = rejection;
    this.#line = new StatusLine(rejection);
    this.#fields = new FieldLines(rejection);
    this.#section = new SectionReader(this.#line, this.#fields, rejection, {
      maxSize: options?.maxHeaderSize ?? DEFAULT_RESPONSE_LIMITS.maxHeaderSize,
      maxFields: options?.maxHeaders ?? DEFAULT_RESPONSE_LIMITS.maxHeaders,
      maxStartLine: Number.POSITIVE_INFINITY,
      startLine: "status line",
      emptyStartLine: "INVALID_STATUS_LINE",
      startLineTooLong: "STATUS_LINE_TOO_LONG",
    });
    this.#body = new BodyDecoder(events, this.#section, this.#fields, rejection, this.#maxBodySize);
  }

  /** The error that killed the parser, or null. Once set, `execute` returns -1. */
  get error(): HttpError | null {
    return this.#error;
  }

  /** True between onHead and onMessageComplete (reading a body). Already true during onHead. */
  get inBody(): boolean {
    return this.#state === S_BODY;
  }

  /** True when nothing of a next response has arrived: a clean place for the stream to end. */
  get idle(): boolean {
    return (this.#state === S_HEAD && !this.#section.pending) || this.#state === S_UPGRADED || this.#state === S_CLOSED;
  }

  /** True after a 101 or a CONNECT tunnel: the remaining bytes are another protocol's. */
  get upgraded(): boolean {
    return this.#state === S_UPGRADED;
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
      switch (this.#state) {
        case S_HEAD: {
          const s = this.#section;
          const next = s.read(data, pos, true);
          if (next === SECTION_NEED_MORE) return len;
          if (next === SECTION_ERROR || this.#onHead(s.bytes, s.start, s.end) < 0) return this.#die();
          // onHead moved the state on. A completed response (or an upgrade) returns now;
          // after an interim 1xx the next head follows, still for the same request.
          const state = this.#state as number;
          if (state === S_UPGRADED || (state === S_HEAD && this.#line.status >= 200)) return next;
          pos = next;
          break;
        }

        case S_BODY:
          pos = this.#body.decode(data, pos);
          if (pos < 0) return this.#die();
          if (this.#body.done) {
            this.#state = S_HEAD;
            this.#events.onMessageComplete(this.#body.trailers);
            return pos;
          }
          break;

        case S_UPGRADED:
          return pos;
        case S_CLOSED:
          this.#rejection.reject("DATA_AFTER_CLOSE");
          return this.#die();
        default: // S_DEAD
          return -1;
      }
    }
    return this.#state === S_DEAD ? -1 : pos;
  }

  /**
   * The stream ended (the server closed or half-closed). Completes a close-delimited body;
   * anywhere else mid-response it is an error (RFC 9112 §8: an incomplete message). Returns
   * false on error, with `error` set.
   */
  finish(): boolean {
    switch (this.#state) {
      case S_BODY:
        if (!this.#body.untilClose) break;
        this.#state = S_CLOSED;
        this.#events.onMessageComplete(null);
        return true;
      case S_HEAD:
        if (!this.#section.pending) return true;
        this.#rejection.reject("INCOMPLETE_RESPONSE", "Connection closed inside a response head");
        this.#die();
        return false;
      case S_UPGRADED:
      case S_CLOSED:
        return true;
      case S_DEAD:
        return false;
    }
    this.#rejection.reject("INCOMPLETE_RESPONSE", "Connection closed before the response body was complete");
    this.#die();
    return false;
  }

  /** The one way the parser fails: the verdict recorded in the {@link Rejection} becomes `error`. */
  #die(): -1 {
    this.#error = this.#rejection.toError();
    this.#state = S_DEAD;
    this.#section.reset();
    return -1;
  }

  /**
   * Interpret a validated head: framing (RFC 9112 §6.3), persistence (§9.3), then the events.
   * Returns -1 after a rejection.
   */
  #onHead(b: Uint8Array, start: number, end: number): number {
    const r = this.#rejection;
    const line = this.#line;
    const status = line.status;
    const versionMinor = line.versionMinor;
    const fields = this.#fields;
    const count = fields.count;
    const f = fields.fields;
    let contentLength = -1;
    let teFlags = 0;
    let conn = 0;
    let hasUpgrade = false;
    for (let i = 0, k = 0; i < count; i++, k += FIELD_STRIDE) {
      const id = f[k]!;
      if (id < 0 || id > ID_UPGRADE) continue; // only framing and connection fields
      const vs = f[k + 3]!;
      const ve = f[k + 4]!;
      switch (id) {
        case ID_CONTENT_LENGTH: {
          const n = parseContentLength(b, vs, ve, contentLength);
          if (n === -2) return r.reject("CONFLICTING_CONTENT_LENGTH");
          if (n < 0) return r.reject("INVALID_CONTENT_LENGTH");
          contentLength = n;
          break;
        }
        case ID_TRANSFER_ENCODING:
          teFlags = parseTransferCodings(b, vs, ve, teFlags);
          if (teFlags & TE_INVALID) return r.reject("INVALID_TRANSFER_ENCODING");
          break;
        case ID_CONNECTION:
          conn = parseConnection(b, vs, ve, conn);
          break;
        default: // ID_UPGRADE
          hasUpgrade = true;
          break;
      }
    }

    const head: ResponseHead = {
      status,
      reason: line.reason(b),
      versionMinor,
      headers: this.#decodeHeaders ? this.#headers(b, start, end) : [],
      contentLength,
      framing: "none",
      keepAlive: persists(versionMinor, conn),
      upgraded: false,
    };

    // RFC 9112 §6.3 rule 1: 1xx, 204 and 304 responses end at the end of the head; so does
    // any response to HEAD.
    if (status < 200) {
      if (status === 101) {
        // RFC 9110 §15.2.2: the protocol changes right after this head's empty line; §7.8: the
        // server MUST send Upgrade with it.
        if (!hasUpgrade) return r.reject("INVALID_UPGRADE");
        return this.#upgrade(head);
      }
      // RFC 9110 §15.2: a client MUST be able to parse one or more 1xx responses before the
      // final one, even if it did not expect any. They carry no body.
      this.#state = S_HEAD;
      this.#events.onInformational?.(head);
      return 0;
    }
    // RFC 9112 §6.3 rule 2: a 2xx answer to CONNECT turns the connection into a tunnel.
    if (this.method === "CONNECT" && status < 300) return this.#upgrade(head);
    if (this.method === "HEAD" || status === 204 || status === 304) return this.#bodyless(head);
    if (teFlags !== 0) {
      // RFC 9112 §6.3 rule 3: both fields "ought to be handled as an error" — smuggling risk.
      if (contentLength >= 0) {
        return r.reject("CONTENT_LENGTH_AND_TRANSFER_ENCODING");
      }
      // RFC 9112 §6.1: Transfer-Encoding in an HTTP/1.0 message means the framing is faulty.
      if (versionMinor === 0) {
        return r.reject("TRANSFER_ENCODING_IN_HTTP10", "Transfer-Encoding in an HTTP/1.0 response");
      }
      // RFC 9112 §6.1: chunked MUST NOT be applied more than once.
      if (teFlags & TE_CHUNKED_TWICE) return r.reject("INVALID_TRANSFER_ENCODING", "Chunked applied more than once");
      head.contentLength = -1;
      if (teFlags & TE_LAST_CHUNKED) {
        head.framing = "chunked";
        this.#body.startChunked();
        this.#state = S_BODY;
        this.#events.onHead(head);
        return 0;
      }
      // RFC 9112 §6.3 rule 4: chunked is not the final coding → the body runs until close.
      return this.#closeDelimited(head);
    }
    if (contentLength >= 0) {
      if (contentLength > this.#maxBodySize) {
        return r.reject("BODY_TOO_LARGE", "Content-Length is larger than the limit");
      }
      head.framing = "length";
      if (contentLength === 0) return this.#bodyless(head);
      this.#body.startLength(contentLength);
      this.#state = S_BODY;
      this.#events.onHead(head);
      return 0;
    }
    // RFC 9112 §6.3 rule 8: no framing fields → the body is everything until the server closes.
    return this.#closeDelimited(head);
  }

  /** A response that ends with its head. */
  #bodyless(head: ResponseHead): 0 {
    this.#state = S_HEAD;
    this.#events.onHead(head);
    this.#events.onMessageComplete(null);
    return 0;
  }

  /** After this head the connection carries another protocol (a 101, or a 2xx to CONNECT). */
  #upgrade(head: ResponseHead): 0 {
    head.upgraded = true;
    head.keepAlive = false;
    this.#state = S_UPGRADED;
    this.#events.onHead(head);
    this.#events.onMessageComplete(null);
    return 0;
  }

  #closeDelimited(head: ResponseHead): 0 {
    head.framing = "close";
    head.keepAlive = false;
    this.#body.startClose();
    this.#state = S_BODY;
    this.#events.onHead(head);
    return 0;
  }

  /** The head's fields as a flat [lowercased name, value, …] list. */
  #headers(b: Uint8Array, start: number, end: number): string[] {
    // One decode of the whole head: offsets carry over only if a reason phrase with obs-text
    // makes it latin1 too (RFC 9110 §5.5).
    this.#fields.valueBits |= this.#line.reasonBits;
    return this.#fields.strings(b, start, this.#fields.text(b, start, end));
  }
}
