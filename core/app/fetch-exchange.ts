import { assertFinalStatus } from "../http/final-status.ts";
import type { RequestHead } from "../http/request-head.ts";
import { statusText } from "../http/status-text.ts";
import { assertValidHeaders } from "../http/field-validation.ts";
import { utf8Length } from "../bytes/utf8-length.ts";
import { BodyChunkReader, cancelQuietly } from "../exchange/body-reader.ts";
import type { BodyStream, Exchange, TrailerSource } from "../exchange/exchange.ts";
import { ExchangeAbort } from "../exchange/exchange-abort.ts";
import { type BodySource, RequestBody } from "../exchange/request-body.ts";
import type { TransportInfo } from "../transport/transport.ts";
import type { ServerView } from "../exchange/server-view.ts";

/**
 * One exchange that came as a web `Request` (from a fetch host, or `app.request()` in a test)
 * and leaves as a web `Response`: what lets an {@link App} run on Bun's serve(), Deno's serve() or a
 * worker, and be tested with no socket. The app sees the same {@link Exchange} as over a socket;
 * the rules a socket session applies are applied here too, so a handler behaves the same:
 * invalid statuses and header fields are refused before anything is sent, framing fields are the
 * server's (a known body gets `Content-Length`, a stream its declared length only), HEAD, 204 and
 * 304 carry no body (RFC 9110 §6.4.1), and several `Set-Cookie` stay several fields.
 *
 * The request signal follows the `Request`'s signal (a host aborts it when the client leaves) and
 * also aborts when the response body is cancelled before its end.
 */
export class FetchExchange extends ExchangeAbort implements Exchange, BodySource {
  readonly head: RequestHead;
  readonly body: RequestBody | null;
  readonly info: TransportInfo;
  /** Resolves with the response once the app starts it; rejects if the app gives up first. */
  readonly response: Promise<Response>;
  readonly #request: Request;
  #resolve!: (response: Response) => void;
  #reject!: (reason: unknown) => void;
  #responded = false;
  #reader: ReadableStreamDefaultReader<Uint8Array> | null = null;
  #pulling = false;
  /** Errors the response body stream, while it is being produced. */
  #failStream: ((reason: unknown) => void) | null = null;
  readonly #onAbort = (): void =>
    void this.cutShort(this.#request.signal.reason, this.body, this.#request.signal.reason);

  constructor(request: Request, info: TransportInfo) {
    super();
    this.#request = request;
    this.info = info;
    this.response = new Promise<Response>((resolve, reject) => {
      this.#resolve = resolve;
      this.#reject = reject;
    });
    const url = new URL(request.url);
    const headers: string[] = [];
    request.headers.forEach((value, name) => {
      if (name !== "set-cookie") headers.push(name, value);
    });
    const declared = request.headers.get("content-length");
    const contentLength = declared !== null && /^\d+$/.test(declared) ? Number(declared) : -1;
    this.head = {
      method: request.method,
      target: url.pathname + url.search,
      path: url.pathname,
      query: url.search.slice(1),
      versionMinor: 1,
      headers,
      host: url.host,
      contentLength,
      chunked: false,
      keepAlive: true,
      expectContinue: false,
      upgrade: "",
    };
    this.body = request.body === null ? null : new RequestBody(this, contentLength, Number.POSITIVE_INFINITY);
    if (request.signal.aborted) this.#onAbort();
    else request.signal.addEventListener("abort", this.#onAbort, { once: true });
  }

  get responded(): boolean {
    return this.#responded;
  }

  /** Unknown: the host does not say which protocol carried the `Request`. */
  get protocol(): string {
    return "";
  }

  /** A fetch host's server is not ours to see. */
  get server(): ServerView | null {
    return null;
  }

  /** The request body wants bytes: pull the next chunk of the `Request`'s body. */
  wantMore(body: RequestBody): void {
    if (this.#pulling || body.ended) return;
    this.#pulling = true;
    const reader = (this.#reader ??= this.#request.body!.getReader());
    reader.read().then((next) => {
      this.#pulling = false;
      if (next.done) body.end(null);
      else body.push(next.value);
    }, (error) => {
      this.#pulling = false;
      body.fail(error);
    });
  }

  /** The handler gave up on the request body. */
  discard(): void {
    const reader = this.#reader ?? this.#request.body?.getReader();
    void reader?.cancel().catch(() => {});
  }

  /** Web `Response` (and fetch hosts) have no trailers: they are dropped, as on HTTP/1.1 without `TE: trailers`. */
  setTrailers(_trailers: TrailerSource): void {}

  /** Validate, then make the fields of the web Response (the framing ones are ours to set). */
  #fields(status: number, headers: string[]): Headers {
    assertFinalStatus(status);
    assertValidHeaders(headers);
    const out = new Headers();
    for (let i = 0; i < headers.length; i += 2) {
      const name = headers[i]!.toLowerCase();
      if (
        name === "content-length" || name === "transfer-encoding" || name === "connection" ||
        name === "keep-alive" || name === "date"
      ) continue;
      out.append(name, headers[i + 1]!);
    }
    return out;
  }

  #bodyless(status: number): boolean {
    return this.head.method === "HEAD" || status === 204 || status === 304;
  }

  #start(response: Response): void {
    this.#responded = true;
    this.recordStatus(response.status);
    this.#resolve(response);
  }

  #done(): void {
    this.#request.signal.removeEventListener("abort", this.#onAbort);
  }

  respond(status: number, headers: string[], body: string | Uint8Array | null): void {
    if (this.#responded) throw new Error("A response was already sent for this request");
    const fields = this.#fields(status, headers);
    let payload: string | Uint8Array | null = body;
    if (status !== 204 && status !== 304) {
      const length = body === null ? 0 : typeof body === "string" ? utf8Length(body) : body.length;
      fields.set("content-length", String(length));
    }
    if (this.#bodyless(status) || (body !== null && body.length === 0)) payload = null;
    this.#start(
      new Response(payload as BodyInit | null, { status, statusText: statusText(status), headers: fields }),
    );
    // The whole body is in the Response: as far as the app can tell, it is sent.
    if (payload !== null) this.recordOut(typeof payload === "string" ? utf8Length(payload) : payload.length);
    this.recordEnd(false);
    this.#done();
  }

  respondStream(status: number, headers: string[], source: BodyStream, contentLength: number): Promise<void> {
    if (this.#responded) throw new Error("A response was already sent for this request");
    const fields = this.#fields(status, headers);
    const init = { status, statusText: statusText(status), headers: fields };
    if (this.#bodyless(status)) {
      if (contentLength >= 0 && status !== 204 && status !== 304) fields.set("content-length", String(contentLength));
      this.#start(new Response(null, init));
      this.recordEnd(false);
      this.#done();
      return cancelQuietly(source);
    }
    if (contentLength >= 0) fields.set("content-length", String(contentLength));
    const reader = new BodyChunkReader(source, this.body, contentLength);
    return new Promise<void>((resolve, reject) => {
      let finished = false;
      let controller!: ReadableStreamDefaultController<Uint8Array>;
      /** The body ended (no error), was abandoned (`error` given, `fail` false) or failed. */
      const finish = (error: unknown, fail: boolean): void => {
        if (finished) return;
        finished = true;
        this.cancelSource = null;
        this.#failStream = null;
        this.#done();
        if (error === undefined) {
          controller.close();
          this.recordEnd(false);
        } else {
          this.recordEnd(true);
          reader.cancel(error);
          controller.error(error);
        }
        if (fail) reject(error);
        else resolve();
      };
      // The client went away (the request signal aborted): stop the source, end the stream.
      this.cancelSource = (reason) => finish(reason ?? new Error("Client disconnected"), false);
      this.#failStream = (reason) => finish(reason, false);
      const stream = new ReadableStream<Uint8Array>({
        start: (c) => void (controller = c),
        pull: async () => {
          let chunk: Uint8Array | null;
          try {
            chunk = await reader.next();
          } catch (error) {
            finish(error, true);
            return;
          }
          if (finished) return;
          if (chunk === null) finish(undefined, false);
          else {
            this.recordOut(chunk.length);
            controller.enqueue(chunk);
          }
        },
        cancel: (reason) => {
          // The consumer (the host, for a client that left) stopped reading before the end.
          finished = true;
          this.cancelSource = null;
          this.#failStream = null;
          this.#done();
          reader.cancel(reason);
          this.cutShort(reason, this.body, reason);
          resolve();
        },
      }, { highWaterMark: 0 });
      this.#start(new Response(stream, init));
    });
  }

  abort(reason?: unknown): void {
    this.cutShort(reason, this.body, reason);
    if (!this.#responded) {
      this.#responded = true;
      this.#reject(reason ?? new Error("The exchange was aborted"));
      this.#done();
    } else this.#failStream?.(reason ?? new Error("The exchange was aborted"));
  }
}
