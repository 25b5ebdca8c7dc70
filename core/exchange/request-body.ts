import { HttpError } from "../http/http-error.ts";

/** What a request body needs from the connection that feeds it. */
export interface BodySource {
  /** The consumer wants bytes: resume reading, send `100 Continue` if it is owed. */
  wantMore(body: RequestBody): void;
  /** The consumer gave up on the body (cancelled the stream). */
  discard(body: RequestBody): void;
}

const EMPTY = new Uint8Array(0);
const decoder = new TextDecoder("utf-8", { fatal: true });

/**
 * The body of one request: a queue of chunks the connection pushes and the handler pulls.
 * The connection stops reading the socket while more than `highWaterMark` bytes wait here,
 * so a client that uploads faster than the handler reads cannot grow the server's memory.
 */
export class RequestBody {
  static readonly highWaterMark: number = 64 * 1024;

  readonly #source: BodySource;
  /** Declared length, or -1 when chunked. */
  readonly contentLength: number;
  /** Streamed-body cap (route or server limit); beyond it the read fails with 413. */
  limit: number;
  #chunks: Uint8Array[] = [];
  #buffered = 0;
  #received = 0;
  #ended = false;
  #error: unknown = undefined;
  #waiter: ((ok: boolean) => void) | null = null;
  #stream: ReadableStream<Uint8Array> | null = null;
  /** Whether the handler ever asked for bytes. */
  touched = false;
  trailers: string[] | null = null;

  constructor(source: BodySource, contentLength: number, limit: number) {
    this.#source = source;
    this.contentLength = contentLength;
    this.limit = limit;
  }

  /** Bytes queued and not yet read. */
  get buffered(): number {
    return this.#buffered;
  }
  get ended(): boolean {
    return this.#ended;
  }
  /** Bytes received so far. */
  get received(): number {
    return this.#received;
  }

  /** Called by the connection: a copy of the next body bytes. */
  push(chunk: Uint8Array): void {
    if (this.#ended || this.#error !== undefined) return;
    this.#received += chunk.length;
    if (this.#received > this.limit) {
      this.fail(new HttpError("BODY_TOO_LARGE"));
      return;
    }
    this.#chunks.push(chunk);
    this.#buffered += chunk.length;
    this.#wake(true);
  }

  /** Called by the connection: the body is complete. */
  end(trailers: string[] | null): void {
    this.trailers = trailers;
    this.#ended = true;
    this.#wake(true);
  }

  /** Called by the connection: the body cannot complete (bad framing, disconnect, limit). */
  fail(error: unknown): void {
    if (this.#ended || this.#error !== undefined) return;
    this.#error = error;
    this.#chunks.length = 0;
    this.#buffered = 0;
    this.#wake(false);
  }

  #wake(ok: boolean): void {
    const waiter = this.#waiter;
    if (waiter !== null) {
      this.#waiter = null;
      waiter(ok);
    }
  }

  /** The next chunk, or null at the end. Rejects if the body failed. */
  async read(): Promise<Uint8Array | null> {
    for (;;) {
      const now = this.readNow();
      if (now !== undefined) return now;
      this.#source.wantMore(this);
      await new Promise<boolean>((resolve) => (this.#waiter = resolve));
    }
  }

  /**
   * What {@link read} would give without waiting: the next chunk already here, null at the end,
   * or undefined when the next one is still to come. Throws if the body failed. An echo pumps
   * what arrived with the head in the same turn, so head, body and end leave in one write.
   */
  readNow(): Uint8Array | null | undefined {
    this.touched = true;
    if (this.#chunks.length > 0) {
      const chunk = this.#chunks.shift()!;
      this.#buffered -= chunk.length;
      if (this.#buffered < RequestBody.highWaterMark) this.#source.wantMore(this);
      return chunk;
    }
    if (this.#error !== undefined) throw this.#error;
    if (this.#ended) return null;
    return undefined;
  }

  /** The whole body as bytes, failing with 413 past `limit` bytes. */
  async bytes(limit: number): Promise<Uint8Array> {
    if (this.contentLength > limit) {
      throw new HttpError("BODY_TOO_LARGE");
    }
    const parts: Uint8Array[] = [];
    let total = 0;
    for (;;) {
      const chunk = await this.read();
      if (chunk === null) break;
      total += chunk.length;
      if (total > limit) {
        this.discardRest();
        throw new HttpError("BODY_TOO_LARGE");
      }
      parts.push(chunk);
    }
    if (parts.length === 0) return EMPTY;
    if (parts.length === 1) return parts[0]!;
    const out = new Uint8Array(total);
    let at = 0;
    for (const part of parts) {
      out.set(part, at);
      at += part.length;
    }
    return out;
  }

  /** The whole body decoded as UTF-8 (400 on invalid UTF-8). */
  async text(limit: number): Promise<string> {
    const bytes = await this.bytes(limit);
    try {
      return decoder.decode(bytes);
    } catch {
      throw new HttpError("INVALID_UTF8", "Request body is not valid UTF-8");
    }
  }

  /** The whole body parsed as JSON (400 on a parse error). */
  async json(limit: number): Promise<unknown> {
    const text = await this.text(limit);
    try {
      return JSON.parse(text);
    } catch {
      throw new HttpError("INVALID_JSON");
    }
  }

  /** Stop wanting the body: what is queued is dropped, the rest is drained or the connection closed. */
  discardRest(): void {
    this.#chunks.length = 0;
    this.#buffered = 0;
    this.#source.discard(this);
  }

  /** The stream made by `stream()`, if it was asked for. */
  get existingStream(): ReadableStream<Uint8Array> | null {
    return this.#stream;
  }

  /** The body as a web ReadableStream (created on first use). */
  stream(): ReadableStream<Uint8Array> {
    if (this.#stream === null) {
      this.#stream = new ReadableStream<Uint8Array>({
        pull: async (controller) => {
          const chunk = await this.read();
          if (chunk === null) controller.close();
          else controller.enqueue(chunk);
        },
        cancel: () => this.discardRest(),
      }, { highWaterMark: 0 });
    }
    return this.#stream;
  }
}
