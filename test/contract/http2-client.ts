/**
 * The HTTP/2 client of the semantics cases: `node:http2`, which Node (nghttp2), Bun (its own
 * implementation) and Deno (its own implementation) all provide. Checked on Bun 1.4.5 and Deno
 * 2.9.6 before writing this: GET, a streamed multi-MiB POST, request and response trailers,
 * RST_STREAM(CANCEL), 100 concurrent streams and TLS with ALPN `h2` all work, so the one client
 * serves all three runners. One client is one connection (a session): every request is a stream
 * on it (RFC 9113 §5).
 */
import * as http2 from "node:http2";
import {
  type ClientBody,
  type ClientRequest,
  type ClientResponse,
  type HttpClient,
  readAll,
  type StreamingResponse,
} from "./http-client.ts";
import { Wakeup } from "./harness.ts";

/** TLS settings of an `h2` client: the CA to trust (its certificate names 127.0.0.1). */
export interface Http2Tls {
  ca: string;
}

/** Fields as a web `Headers`, pseudo-fields left out; a repeated field (an array) stays repeated. */
function toHeaders(fields: http2.IncomingHttpHeaders): Headers {
  const headers = new Headers();
  for (const [name, value] of Object.entries(fields)) {
    if (name.startsWith(":") || value === undefined) continue;
    for (const one of Array.isArray(value) ? value : [value]) headers.append(name, one);
  }
  return headers;
}

function requestFields(request: ClientRequest): http2.OutgoingHttpHeaders {
  const fields: http2.OutgoingHttpHeaders = { ":method": request.method ?? "GET", ":path": request.path };
  for (const [name, value] of request.headers ?? []) {
    const key = name.toLowerCase();
    const had = fields[key];
    fields[key] = had === undefined ? value : [...(Array.isArray(had) ? had : [String(had)]), value];
  }
  return fields;
}

/** Resolves on `drain`, or once the stream is gone (a reset ends the upload; the response says why). */
function drained(stream: http2.ClientHttp2Stream): Promise<void> {
  return new Promise((resolve) => {
    const done = (): void => {
      stream.off("drain", done);
      stream.off("close", done);
      resolve();
    };
    stream.on("drain", done);
    stream.on("close", done);
  });
}

/** Write the request body, honouring backpressure; errors show on the stream, not here. */
async function send(stream: http2.ClientHttp2Stream, body: ClientBody | undefined): Promise<void> {
  if (body === undefined) return void stream.end();
  if (typeof body === "string" || body instanceof Uint8Array) return void stream.end(body);
  for await (const chunk of body) {
    if (stream.destroyed || stream.closed) return;
    if (!stream.write(chunk)) await drained(stream);
  }
  if (!stream.destroyed && !stream.closed) stream.end();
}

/** The response body of one stream, as it arrives. */
class BodyQueue {
  #chunks: Uint8Array[] = [];
  #ended = false;
  #error: Error | null = null;
  readonly #wakeup = new Wakeup();

  constructor(stream: http2.ClientHttp2Stream) {
    stream.on("data", (chunk: Uint8Array) => {
      this.#chunks.push(new Uint8Array(chunk));
      this.#wakeup.wake();
    });
    stream.on("end", () => {
      this.#ended = true;
      this.#wakeup.wake();
    });
    stream.on("close", () => {
      // RFC 9113 §8.1: a reset with NO_ERROR after a complete response is not a failure.
      if (!this.#ended && this.#error === null) {
        this.#error = new Error(`stream closed before the end of the body (RST_STREAM code ${stream.rstCode})`);
      }
      this.#wakeup.wake();
    });
    stream.on("error", (error: Error) => {
      this.#error ??= error;
      this.#wakeup.wake();
    });
  }

  /** The chunks in order; stopping early cancels the stream (RST_STREAM CANCEL, RFC 9113 §8.7). */
  async *read(stream: http2.ClientHttp2Stream): AsyncGenerator<Uint8Array> {
    try {
      for (;;) {
        const chunk = this.#chunks.shift();
        if (chunk !== undefined) {
          yield chunk;
          continue;
        }
        if (this.#ended) return;
        if (this.#error !== null) throw this.#error;
        await this.#wakeup.next(60_000);
      }
    } finally {
      if (!this.#ended && !stream.closed) stream.close(http2.constants.NGHTTP2_CANCEL);
    }
  }
}

/**
 * Connect to 127.0.0.1:`port`: h2c by prior knowledge (RFC 9113 §3.3), or, with `tls`, HTTPS
 * where ALPN must pick `h2` (RFC 9113 §3.2).
 */
function openSession(port: number, tls: Http2Tls | undefined): Promise<http2.ClientHttp2Session> {
  const session = tls === undefined
    ? http2.connect(`http://127.0.0.1:${port}`)
    : http2.connect(`https://127.0.0.1:${port}`, { ca: tls.ca });
  return new Promise((resolve, reject) => {
    session.once("error", reject);
    session.once("connect", () => {
      session.off("error", reject);
      // A later session error also fails the streams in flight, which is where tests see it.
      session.on("error", () => {});
      const alpn = session.alpnProtocol;
      if (tls !== undefined && alpn !== "h2") {
        session.destroy();
        reject(new Error(`ALPN chose ${String(alpn)}, not h2`));
        return;
      }
      resolve(session);
    });
  });
}

/**
 * An HTTP/2 client over one `node:http2` session at a time. Like a browser, it opens a new
 * connection for the next request once the server has said GOAWAY or closed (after its
 * keepAliveTimeout, say); every request in flight shares the current one.
 */
export class Http2Client implements HttpClient {
  readonly protocol: "h2c" | "h2";
  readonly #port: number;
  readonly #tls: Http2Tls | undefined;
  #session: Promise<http2.ClientHttp2Session> | null = null;

  constructor(port: number, tls?: Http2Tls) {
    this.#port = port;
    this.#tls = tls;
    this.protocol = tls === undefined ? "h2c" : "h2";
  }

  /** A client with its first connection open. */
  static async connect(port: number, tls?: Http2Tls): Promise<Http2Client> {
    const client = new Http2Client(port, tls);
    await client.#current();
    return client;
  }

  /** The session to use: the open one, or a new one once it is going away. */
  #current(): Promise<http2.ClientHttp2Session> {
    if (this.#session !== null) return this.#session;
    const pending = openSession(this.#port, this.#tls);
    this.#session = pending;
    const stale = (): void => {
      if (this.#session === pending) this.#session = null;
    };
    pending.then((session) => {
      session.once("goaway", stale);
      session.once("close", stale);
    }, stale);
    return pending;
  }

  async open(request: ClientRequest): Promise<StreamingResponse> {
    const session = await this.#current();
    const withTrailers = request.trailers !== undefined;
    const stream = session.request(requestFields(request), {
      endStream: request.body === undefined && !withTrailers,
      waitForTrailers: withTrailers,
    });
    if (withTrailers) stream.once("wantTrailers", () => stream.sendTrailers({ ...request.trailers }));
    const queue = new BodyQueue(stream);
    let trailers = new Headers();
    stream.on("trailers", (fields: http2.IncomingHttpHeaders) => (trailers = toHeaders(fields)));
    const onAbort = (): void => {
      if (!stream.closed) stream.close(http2.constants.NGHTTP2_CANCEL);
    };
    request.signal?.addEventListener("abort", onAbort, { once: true });
    stream.once("close", () => request.signal?.removeEventListener("abort", onAbort));
    if (request.body !== undefined || withTrailers) void send(stream, request.body).catch(() => {});
    return await new Promise((resolve, reject) => {
      const fail = (error?: Error): void => {
        reject(
          request.signal?.aborted === true
            ? new DOMException("The request was aborted", "AbortError")
            : error ?? new Error(`stream closed before a response (RST_STREAM code ${stream.rstCode})`),
        );
      };
      stream.once("error", fail);
      stream.once("close", () => fail());
      stream.once("response", (fields: http2.IncomingHttpHeaders) => {
        stream.off("error", fail);
        resolve({
          status: Number(fields[":status"]),
          headers: toHeaders(fields),
          body: queue.read(stream),
          get trailers(): Headers {
            return trailers;
          },
        });
      });
    });
  }

  async request(request: ClientRequest): Promise<ClientResponse> {
    return await readAll(await this.open(request));
  }

  destroy(): void {
    void this.#session?.then((session) => session.destroy(), () => {});
    this.#session = null;
  }

  async close(): Promise<void> {
    const pending = this.#session;
    this.#session = null;
    const session = await pending?.catch(() => null);
    if (session === null || session === undefined || session.closed || session.destroyed) return;
    await new Promise<void>((resolve) => session.close(() => resolve()));
  }
}
