import { HttpError } from "../http/http-error.ts";
import type { RequestBody } from "./request-body.ts";
import type { BodyStream } from "./exchange.ts";

const encoder = new TextEncoder();

/**
 * Reads a streamed response body as non-empty byte chunks, whatever its source: the request's
 * own body (an echo reads its queue directly, without the stream machinery), a web
 * `ReadableStream`, or an async iterable of bytes or strings. It enforces a declared
 * content-length, so the framing a protocol announced is never broken silently.
 */
export class BodyChunkReader {
  readonly #echo: RequestBody | null;
  readonly #reader: ReadableStreamDefaultReader<Uint8Array | string> | null = null;
  readonly #iterator: AsyncIterator<Uint8Array | string> | null = null;
  readonly #declared: number;
  #written = 0;
  #done = false;

  constructor(source: BodyStream, requestBody: RequestBody | null, declared: number) {
    this.#declared = declared;
    this.#echo = requestBody !== null && source === requestBody.existingStream ? requestBody : null;
    if (this.#echo !== null) return;
    if (source instanceof ReadableStream) this.#reader = source.getReader();
    else this.#iterator = source[Symbol.asyncIterator]();
  }

  /** The next chunk, or null at the end. Throws on a chunk of the wrong type or a length mismatch. */
  async next(): Promise<Uint8Array | null> {
    for (;;) {
      let value: Uint8Array | string | null;
      if (this.#echo !== null) value = await this.#echo.read();
      else {
        const next = this.#reader !== null ? await this.#reader.read() : await this.#iterator!.next();
        value = next.done ? null : next.value;
      }
      const chunk = this.#accept(value);
      if (chunk !== undefined) return chunk;
    }
  }

  /**
   * For an echo of the request body: the next chunk if it is here already, null at the end, or
   * undefined when {@link next} must wait for it (always undefined for other sources).
   */
  nextNow(): Uint8Array | null | undefined {
    const echo = this.#echo;
    if (echo === null || this.#done) return undefined;
    for (;;) {
      const value = echo.readNow();
      if (value === undefined) return undefined;
      const chunk = this.#accept(value);
      if (chunk !== undefined) return chunk;
    }
  }

  /** Check one value of the source: a chunk to send, null at the end, undefined to skip (empty). */
  #accept(value: Uint8Array | string | null): Uint8Array | null | undefined {
    if (value === null) {
      this.#done = true;
      if (this.#declared >= 0 && this.#written !== this.#declared) {
        throw new HttpError(
          "BODY_LENGTH_MISMATCH",
          `Response body is shorter than its content-length ${this.#declared}`,
        );
      }
      return null;
    }
    const chunk = typeof value === "string" ? encoder.encode(value) : value;
    if (!(chunk instanceof Uint8Array)) throw new TypeError("Response body chunks must be Uint8Array or string");
    if (chunk.length === 0) return undefined;
    this.#written += chunk.length;
    if (this.#declared >= 0 && this.#written > this.#declared) {
      throw new HttpError(
        "BODY_LENGTH_MISMATCH",
        `Response body is longer than its content-length ${this.#declared}`,
      );
    }
    return chunk;
  }

  /** Stop the source (the client went away, or the body failed midway). */
  cancel(reason?: unknown): void {
    if (this.#done) return;
    this.#done = true;
    if (this.#echo !== null) this.#echo.discardRest();
    else if (this.#reader !== null) void this.#reader.cancel(reason).catch(() => {});
    else void Promise.resolve(this.#iterator!.return?.()).catch(() => {});
  }
}

/** Cancel a body source that will not be read (HEAD, 204, a superseded answer). */
export async function cancelQuietly(source: BodyStream): Promise<void> {
  try {
    if (source instanceof ReadableStream) await source.cancel();
    else await source[Symbol.asyncIterator]().return?.();
  } catch {
    // a source that fails to cancel has nothing more to say to us
  }
}
