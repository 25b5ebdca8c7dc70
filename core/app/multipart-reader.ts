/**
 * `c.req.parts()`: a request's `multipart/form-data` body as parts a handler pulls one at a
 * time. The body is read only as fast as the handler consumes it: each body chunk goes through
 * the parser (core/multipart) into a short queue of events, and the next chunk is read only
 * when that queue is empty — so a file of any size streams through with the connection's
 * backpressure intact, and nothing is buffered beyond one body chunk.
 * @module
 */
import { HttpError } from "../http/http-error.ts";
import type { RequestBody } from "../exchange/request-body.ts";
import { MultipartParser } from "../multipart/parser.ts";
import type { MultipartLimits } from "../multipart/limits.ts";
import type { PartHead } from "../multipart/part-headers.ts";

/** One part of a `multipart/form-data` body, as `c.req.parts()` yields it. */
export interface FormPart {
  /** The form field's name. */
  readonly name: string;
  /** The file name for a file part; undefined for a plain field. */
  readonly filename: string | undefined;
  /** The part's Content-Type (`text/plain` when it has none, RFC 7578 §4.4). */
  readonly type: string;
  /** Every header line of the part as `[lowercased name, value]`. */
  readonly headers: readonly (readonly [string, string])[];
  /** The content as a stream; read it (or skip the part) before asking for the next part. */
  readonly stream: ReadableStream<Uint8Array>;
  /** The whole content as bytes (held in memory: for fields and small files). */
  bytes(): Promise<Uint8Array>;
  /** The whole content decoded as UTF-8 (invalid sequences become U+FFFD, as `Blob.text()` does). */
  text(): Promise<string>;
  /** Drop the rest of this part's content. */
  skip(): Promise<void>;
}

const END = Symbol("end of part");
type PartEvent = PartHead | Uint8Array | typeof END;
const EMPTY = new Uint8Array(0);
const decoder = new TextDecoder();

/** Pulls body chunks through the parser, one event at a time. */
class MultipartReader {
  readonly #body: RequestBody | null;
  readonly #parser: MultipartParser;
  #queue: PartEvent[] = [];
  #head = 0;
  #ended = false;
  #error: unknown = undefined;
  /** Sequence number of the part whose content is being read; -1 between parts. */
  current = -1;
  #count = 0;

  constructor(body: RequestBody | null, boundary: string, limits: MultipartLimits) {
    this.#body = body;
    this.#parser = new MultipartParser(boundary, {
      part: (head) => this.#queue.push(head),
      data: (bytes) => this.#queue.push(bytes),
      partEnd: () => this.#queue.push(END),
    }, limits);
  }

  /**
   * The next event, or null once the body (epilogue included) is read. An error of the parser or
   * the body comes after the events before it, where it happened in the body.
   */
  async #next(): Promise<PartEvent | null> {
    while (this.#head === this.#queue.length) {
      if (this.#error !== undefined) throw this.#error;
      this.#queue.length = 0;
      this.#head = 0;
      if (this.#ended) return null;
      try {
        const chunk = this.#body === null ? null : await this.#body.read();
        if (chunk === null) {
          this.#ended = true;
          this.#parser.finish();
        } else this.#parser.push(chunk);
      } catch (error) {
        this.#error = error;
        this.abandon();
      }
    }
    return this.#queue[this.#head++]!;
  }

  /** The next part's head, after dropping what is left of the current part; null after the last. */
  async nextPart(): Promise<PartHead | null> {
    while (this.current >= 0) await this.read(this.current);
    const event = await this.#next();
    if (event === null) return null;
    // The parser emits a part's head, its data, then its end: only a head can come here.
    const head = event as PartHead;
    this.current = this.#count++;
    return head;
  }

  /** The next content bytes of part `index`, or null at its end. */
  async read(index: number): Promise<Uint8Array | null> {
    if (index !== this.current) {
      throw new TypeError("This part's content was already read or skipped: read a part before the next one");
    }
    const event = await this.#next();
    if (event === END || event === null) {
      this.current = -1;
      return null;
    }
    return event as Uint8Array;
  }

  /** The handler gave up on the body: the rest is drained or the connection closed by the session. */
  abandon(): void {
    this.#ended = true;
    this.#body?.discardRest();
  }
}

class Part implements FormPart {
  readonly name: string;
  readonly filename: string | undefined;
  readonly type: string;
  readonly headers: readonly (readonly [string, string])[];
  readonly #reader: MultipartReader;
  readonly #index: number;
  #stream: ReadableStream<Uint8Array> | null = null;

  constructor(head: PartHead, reader: MultipartReader, index: number) {
    this.name = head.name;
    this.filename = head.filename;
    this.type = head.type;
    this.headers = head.headers;
    this.#reader = reader;
    this.#index = index;
  }

  get stream(): ReadableStream<Uint8Array> {
    return (this.#stream ??= new ReadableStream<Uint8Array>({
      pull: async (controller) => {
        const chunk = await this.#reader.read(this.#index);
        if (chunk === null) controller.close();
        else controller.enqueue(chunk);
      },
    }, { highWaterMark: 0 }));
  }

  async bytes(): Promise<Uint8Array> {
    const chunks: Uint8Array[] = [];
    let total = 0;
    for (;;) {
      const chunk = await this.#reader.read(this.#index);
      if (chunk === null) break;
      chunks.push(chunk);
      total += chunk.length;
    }
    if (chunks.length === 0) return EMPTY;
    if (chunks.length === 1) return chunks[0]!;
    const out = new Uint8Array(total);
    let at = 0;
    for (const chunk of chunks) {
      out.set(chunk, at);
      at += chunk.length;
    }
    return out;
  }

  async text(): Promise<string> {
    return decoder.decode(await this.bytes());
  }

  async skip(): Promise<void> {
    if (this.#reader.current !== this.#index) return;
    while ((await this.#reader.read(this.#index)) !== null);
  }
}

/**
 * Iterate the parts of a multipart body with `boundary`. The next part comes once the current
 * one is read or skipped (its unread rest is dropped); leaving the loop early drops the rest of
 * the body. Errors are the parser's 400/413 and the body's own (413 past the body limit).
 */
export async function* multipartParts(
  body: RequestBody | null,
  boundary: string,
  limits: MultipartLimits,
): AsyncGenerator<FormPart, void, undefined> {
  const maxTotal = limits.maxTotalSize;
  if (body !== null && maxTotal !== undefined && body.contentLength > maxTotal) {
    body.discardRest();
    throw new HttpError("BODY_TOO_LARGE", `Multipart body is larger than the limit of ${maxTotal} bytes`);
  }
  const reader = new MultipartReader(body, boundary, limits);
  let complete = false;
  try {
    for (;;) {
      const head = await reader.nextPart();
      if (head === null) {
        complete = true;
        return;
      }
      yield new Part(head, reader, reader.current);
    }
  } finally {
    if (!complete) reader.abandon();
  }
}
