/**
 * The HTTP/1.1 client of the semantics cases: the runtime's own `fetch` (undici on Node, Bun's
 * and Deno's native clients), cleartext to 127.0.0.1. `fetch` keeps its own connection pool, so
 * parallel requests spread over several connections, as HTTP/1.1 requires (RFC 9112 §9.3).
 */
import {
  type ClientBody,
  type ClientRequest,
  type ClientResponse,
  type HttpClient,
  readAll,
  type StreamingResponse,
} from "./http-client.ts";

/** An iterable as a web stream, for a streamed `fetch` request body. */
function toStream(source: AsyncIterable<Uint8Array>): ReadableStream<Uint8Array> {
  const iterator = source[Symbol.asyncIterator]();
  return new ReadableStream<Uint8Array>({
    async pull(controller) {
      const next = await iterator.next();
      if (next.done === true) controller.close();
      else controller.enqueue(next.value);
    },
    async cancel() {
      await iterator.return?.();
    },
  });
}

function fetchBody(body: ClientBody | undefined): BodyInit | undefined {
  if (body === undefined || typeof body === "string") return body;
  if (body instanceof Uint8Array) return body as Uint8Array<ArrayBuffer>;
  return toStream(body);
}

/**
 * A web stream's chunks as an async iterable (not every runtime makes ReadableStream iterable).
 * The caller takes the reader at once: undici cancels an unlocked body once its Response is
 * garbage-collected, and a test that reads the body only later would then see it empty.
 */
async function* chunksOf(reader: ReadableStreamDefaultReader<Uint8Array> | undefined): AsyncGenerator<Uint8Array> {
  if (reader === undefined) return;
  try {
    for (;;) {
      const next = await reader.read();
      if (next.done) return;
      yield next.value;
    }
  } finally {
    // Reached when the reader stops early too: cancelling drops the connection mid-response.
    await reader.cancel().catch(() => {});
  }
}

/** An HTTP/1.1 client over `fetch`. */
export class Http1Client implements HttpClient {
  readonly protocol = "http/1.1" as const;
  readonly #origin: string;
  /** Aborted by `destroy()`: every request in flight, whatever its own signal. */
  readonly #all = new AbortController();

  constructor(port: number) {
    this.#origin = `http://127.0.0.1:${port}`;
  }

  async open(request: ClientRequest): Promise<StreamingResponse> {
    if (request.trailers !== undefined) throw new Error("fetch cannot send request trailers");
    const signal = request.signal === undefined
      ? this.#all.signal
      : AbortSignal.any([request.signal, this.#all.signal]);
    const body = fetchBody(request.body);
    const response = await fetch(this.#origin + request.path, {
      method: request.method ?? "GET",
      headers: request.headers?.map(([name, value]) => [name, value]) ?? [],
      body,
      signal,
      redirect: "manual",
      // A streamed request body (RFC 9112 §7.1 chunked); the Fetch standard asks for `duplex`.
      ...(body instanceof ReadableStream ? { duplex: "half" } : {}),
    } as RequestInit);
    return {
      status: response.status,
      headers: response.headers,
      body: chunksOf(response.body?.getReader()),
      trailers: null,
    };
  }

  async request(request: ClientRequest): Promise<ClientResponse> {
    return await readAll(await this.open(request));
  }

  destroy(): void {
    this.#all.abort();
  }

  close(): Promise<void> {
    return Promise.resolve();
  }
}
