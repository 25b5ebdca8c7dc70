/**
 * A streaming `multipart/form-data` parser (RFC 7578 over RFC 2046 §5.1.1): bytes in, part
 * events out, in any chunking. A part's content is handed on as it arrives, never gathered, so a
 * file of any size passes through a bounded amount of memory.
 *
 * The grammar, as named states:
 *
 * ```
 * body       := preamble dash-boundary padding CRLF part *( CRLF dash-boundary padding CRLF part )
 *               CRLF dash-boundary "--" epilogue
 * part       := headers CRLF content          ; headers: field lines, each ending in CRLF
 * ```
 *
 * Treating the body as if it began with CRLF makes every delimiter the same byte string,
 * `CRLF "--" boundary`, so one search finds the first as well as the rest. That string has its
 * only CR at index 0 (a boundary holds no CR), so two candidate matches never overlap: the
 * search jumps from CR to CR with the runtime's native `indexOf`, compares at most the
 * delimiter's length at each, and across a chunk border keeps just the count of delimiter bytes
 * matched so far. Every byte is looked at a bounded number of times, whatever the chunking.
 * @module
 */
import { CR, HTAB, LF, SP } from "../bytes/chars.ts";
import { HttpError } from "../http/http-error.ts";
import { type MultipartLimits, type ResolvedMultipartLimits, resolveMultipartLimits } from "./limits.ts";
import { parsePartHead, type PartHead } from "./part-headers.ts";

/** What the parser tells its owner, in body order. */
export interface MultipartHandler {
  /** A part begins; its headers are parsed. */
  part(head: PartHead): void;
  /**
   * Bytes of the current part's content: a view into a pushed chunk (a small copy where a
   * delimiter prefix at a chunk's end turned out to be content). It stays valid while the
   * pushed chunk is not reused.
   */
  data(bytes: Uint8Array): void;
  /** The current part's content is complete. */
  partEnd(): void;
}

// States, named for the place in the grammar the next byte belongs to.
const PREAMBLE = 0; // before the first delimiter: ignored
const AFTER_BOUNDARY = 1; // just after "--" boundary: "--", transport padding or CRLF
const CLOSE_DASH = 2; // after "--" boundary "-": the second "-" of the close delimiter
const PADDING = 3; // transport-padding (LWSP) before the CRLF that ends the delimiter line
const DELIMITER_LF = 4; // the LF of that CRLF
const HEADERS = 5; // a part's header section, up to its empty line
const CONTENT = 6; // a part's content, up to the next delimiter
const EPILOGUE = 7; // after the close delimiter: ignored (RFC 2046 §5.1.1)
const FAILED = 8;

const encoder = new TextEncoder();

/**
 * Parses one `multipart/form-data` body. Call {@link push} with each chunk, then
 * {@link finish} at the end of the body. Errors are {@link HttpError}s: 400 for malformed
 * input (`MULTIPART_MALFORMED`, `MULTIPART_INVALID_PART_HEADER`), 413 past a limit
 * (`MULTIPART_TOO_MANY_PARTS`, `MULTIPART_PART_TOO_LARGE`, `MULTIPART_HEADERS_TOO_LARGE`,
 * `BODY_TOO_LARGE`). After an error the parser throws that same error on every call.
 *
 * @example
 * ```ts
 * const parser = new MultipartParser("b", {
 *   part: (head) => console.log("part", head.name, head.filename),
 *   data: (bytes) => console.log(bytes.length, "bytes"),
 *   partEnd: () => console.log("end of part"),
 * });
 * parser.push(new TextEncoder().encode('--b\r\nContent-Disposition: form-data; name="a"\r\n\r\n1\r\n--b--'));
 * parser.finish();
 * ```
 */
export class MultipartParser {
  readonly #handler: MultipartHandler;
  readonly #limits: ResolvedMultipartLimits;
  /** CRLF "--" boundary. */
  readonly #delimiter: Uint8Array;
  #state = PREAMBLE;
  /** Delimiter bytes matched at the end of the previous chunk; the body begins as if after CRLF. */
  #matched = 2;
  #error: unknown = undefined;
  #total = 0;
  #parts = 0;
  // the current header section
  #header = new Uint8Array(256);
  #headerLength = 0;
  /** Progress through CRLF CRLF: 1 = CR, 2 = CRLF, 3 = CRLF CR, 4 = the section's end. */
  #eol = 2;
  // the current part's content
  #partSize = 0;
  #partLimit = 0;
  #partIsFile = false;

  /** `boundary` as {@link multipartBoundary} returns it (already validated). */
  constructor(boundary: string, handler: MultipartHandler, limits?: MultipartLimits) {
    this.#handler = handler;
    this.#limits = resolveMultipartLimits(limits);
    this.#delimiter = encoder.encode("\r\n--" + boundary);
  }

  /** Whether the close delimiter has been seen: the parts are complete. */
  get done(): boolean {
    return this.#state === EPILOGUE;
  }

  /** Parse the next bytes of the body. */
  push(chunk: Uint8Array): void {
    if (this.#state === FAILED) throw this.#error;
    try {
      this.#total += chunk.length;
      if (this.#total > this.#limits.maxTotalSize) {
        throw new HttpError(
          "BODY_TOO_LARGE",
          `Multipart body is larger than the limit of ${this.#limits.maxTotalSize} bytes`,
        );
      }
      this.#run(chunk);
    } catch (error) {
      this.#state = FAILED;
      this.#error = error;
      throw error;
    }
  }

  /** The body has ended: fails unless the close delimiter was seen (RFC 2046 §5.1.1). */
  finish(): void {
    if (this.#state === FAILED) throw this.#error;
    if (this.#state === EPILOGUE) return;
    const error = new HttpError(
      "MULTIPART_MALFORMED",
      this.#state === PREAMBLE
        ? "Multipart body has no boundary delimiter"
        : "Multipart body ends before its close delimiter",
    );
    this.#state = FAILED;
    this.#error = error;
    throw error;
  }

  #run(chunk: Uint8Array): void {
    let at = 0;
    const n = chunk.length;
    while (at < n) {
      switch (this.#state) {
        case PREAMBLE:
        case CONTENT: {
          const end = this.#scan(chunk, at, this.#state === CONTENT);
          if (end < 0) return;
          if (this.#state === CONTENT) this.#handler.partEnd();
          this.#state = AFTER_BOUNDARY;
          at = end;
          break;
        }
        case AFTER_BOUNDARY: {
          const c = chunk[at++]!;
          if (c === 0x2d /* - */) this.#state = CLOSE_DASH;
          else if (c === SP || c === HTAB) this.#state = PADDING;
          else if (c === CR) this.#state = DELIMITER_LF;
          else this.#malformed('Boundary delimiter is followed by neither CRLF nor "--"');
          break;
        }
        case CLOSE_DASH:
          if (chunk[at++] !== 0x2d) this.#malformed('Boundary delimiter is followed by neither CRLF nor "--"');
          this.#state = EPILOGUE;
          break;
        case PADDING: {
          const c = chunk[at++]!;
          if (c === CR) this.#state = DELIMITER_LF;
          else if (c !== SP && c !== HTAB) this.#malformed("Boundary delimiter line has text after the boundary");
          break;
        }
        case DELIMITER_LF:
          if (chunk[at++] !== LF) this.#malformed("Bare CR after a boundary delimiter");
          this.#beginPart();
          break;
        case HEADERS:
          at = this.#headers(chunk, at);
          break;
        default: // EPILOGUE: everything after the close delimiter is ignored
          return;
      }
    }
  }

  #malformed(detail: string): never {
    throw new HttpError("MULTIPART_MALFORMED", detail);
  }

  #beginPart(): void {
    if (++this.#parts > this.#limits.maxParts) {
      throw new HttpError("MULTIPART_TOO_MANY_PARTS", `Multipart body has more than ${this.#limits.maxParts} parts`);
    }
    this.#state = HEADERS;
    this.#headerLength = 0;
    this.#eol = 2; // an empty line right away is an empty header section
  }

  /** Gather header-section bytes up to its empty line; returns the offset after what it used. */
  #headers(chunk: Uint8Array, at: number): number {
    let eol = this.#eol;
    let i = at;
    const n = chunk.length;
    while (i < n && eol !== 4) {
      const c = chunk[i++]!;
      if (c === CR) eol = eol === 2 ? 3 : 1;
      else if (c === LF) eol = eol === 1 ? 2 : eol === 3 ? 4 : 0;
      else eol = 0;
    }
    this.#eol = eol;
    const length = this.#headerLength + (i - at);
    if (length > this.#limits.maxHeaderSize) {
      throw new HttpError(
        "MULTIPART_HEADERS_TOO_LARGE",
        `Part header section is larger than the limit of ${this.#limits.maxHeaderSize} bytes`,
      );
    }
    if (length > this.#header.length) {
      const grown = new Uint8Array(Math.min(Math.max(length, this.#header.length * 2), this.#limits.maxHeaderSize));
      grown.set(this.#header.subarray(0, this.#headerLength));
      this.#header = grown;
    }
    this.#header.set(chunk.subarray(at, i), this.#headerLength);
    this.#headerLength = length;
    if (eol === 4) {
      // The section without its final empty line; each field line keeps its CRLF.
      const head = parsePartHead(this.#header.subarray(0, length - 2));
      this.#partIsFile = head.filename !== undefined;
      this.#partLimit = this.#partIsFile ? this.#limits.maxFileSize : this.#limits.maxFieldSize;
      this.#partSize = 0;
      this.#state = CONTENT;
      this.#handler.part(head);
    }
    return i;
  }

  /** Hand on part content, within the part's limit. */
  #data(bytes: Uint8Array): void {
    if (bytes.length === 0) return;
    this.#partSize += bytes.length;
    if (this.#partSize > this.#partLimit) {
      throw new HttpError(
        "MULTIPART_PART_TOO_LARGE",
        `${this.#partIsFile ? "File" : "Field"} is larger than the limit of ${this.#partLimit} bytes`,
      );
    }
    this.#handler.data(bytes);
  }

  /**
   * Search `chunk` from `at` for the delimiter, handing the bytes before it on as content when
   * `emit`. Returns the offset just after the delimiter, or -1 when the chunk ends first (a
   * partial match at its end is held back as a count).
   */
  #scan(chunk: Uint8Array, at: number, emit: boolean): number {
    const delimiter = this.#delimiter;
    const m = delimiter.length;
    const n = chunk.length;
    const start = at; // first byte of content not yet handed on
    if (this.#matched > 0) {
      const held = this.#matched;
      let k = held;
      let i = at;
      while (k < m && i < n && chunk[i] === delimiter[k]) {
        k++;
        i++;
      }
      if (k === m) {
        this.#matched = 0;
        return i;
      }
      if (i === n) {
        this.#matched = k;
        return -1;
      }
      // Not a delimiter after all: the held bytes were content. What matched in this chunk holds
      // no CR (the delimiter's only CR is its first byte), so the search goes on from the mismatch.
      this.#matched = 0;
      if (emit) this.#data(delimiter.slice(0, held)); // a copy: the delimiter must not be changed through it
      at = i;
    }
    for (;;) {
      // A run of CRs (hostile content) is met without a call per byte.
      const cr = chunk[at] === CR ? at : chunk.indexOf(CR, at);
      if (cr < 0) {
        if (emit) this.#data(chunk.subarray(start, n));
        return -1;
      }
      let k = 1;
      let i = cr + 1;
      while (k < m && i < n && chunk[i] === delimiter[k]) {
        k++;
        i++;
      }
      if (k === m || i === n) {
        if (emit) this.#data(chunk.subarray(start, cr));
        if (k === m) return i;
        this.#matched = k;
        return -1;
      }
      at = i;
    }
  }
}
