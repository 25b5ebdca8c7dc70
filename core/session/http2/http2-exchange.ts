/**
 * One request/response on an HTTP/2 stream: the protocol-independent {@link Exchange} the app
 * layer serves, mirroring `Http1Exchange` — header validation, no body for HEAD/204/304, streamed
 * bodies with backpressure, the request signal aborted when the stream is reset or the
 * connection lost — plus response trailers ({@link Http2Exchange.setTrailers}).
 *
 * Differences from HTTP/1.1, all in the peer's favour: a failure midway through a streamed body
 * resets only this stream (RST_STREAM INTERNAL_ERROR), never the connection; and a response body
 * is sent as the peer's flow-control windows allow (RFC 9113 §5.2), the producer waiting while
 * more than `maxStreamBuffer` octets are queued.
 * @module
 */
import { HttpError } from "../../http/http-error.ts";
import type { RequestHead } from "../../http/request-head.ts";
import { WIRE_ERRORS } from "../../http/wire-errors.ts";
import type { RequestBody } from "../../exchange/request-body.ts";
import { ExchangeAbort } from "../../exchange/exchange-abort.ts";
import { BodyChunkReader, cancelQuietly } from "../../exchange/body-reader.ts";
import type { BodyStream, Exchange } from "../../exchange/exchange.ts";
import type { TransportInfo } from "../../transport/transport.ts";
import { ErrorCode } from "../../http2/errors.ts";
import { prepareResponseHeaders, prepareTrailers } from "../../http2/response-headers.ts";
import type { Http2Stream, StreamExchange } from "./stream.ts";
import type { ServerView } from "../../exchange/server-view.ts";

const encoder = new TextEncoder();
const EMPTY = new Uint8Array(0);
const TEXT_PLAIN = ["content-type", "text/plain; charset=utf-8"];

/** Trailer fields, or a function producing them once the body has been sent. */
export type TrailerSource = string[] | (() => string[]);

/** What an exchange needs of its connection: the write side of its stream, and word when its handler settles. */
export interface StreamChannel {
  readonly info: TransportInfo;
  /** The server this connection runs in. */
  readonly server: ServerView;
  /** Response bytes queued per stream before a streamed body waits for the peer. */
  readonly maxStreamBuffer: number;
  /** The transport is above its high-water mark: a streamed body waits. */
  readonly writeBlocked: boolean;
  /** The response head (§8.1): HEADERS (+ CONTINUATION) frames. */
  sendHeaders(stream: Http2Stream, status: number, fields: readonly string[], length: number, end: boolean): void;
  /** An interim `100 Continue` (RFC 9110 §15.2.1). */
  sendContinue(stream: Http2Stream): void;
  /** Queue body bytes (kept by reference until sent); with `end`, the end of the body and its trailers. */
  queueData(stream: Http2Stream, bytes: Uint8Array, end: boolean, trailers: string[] | null): void;
  /** Send what is queued soon. */
  commit(): void;
  /** Reset the stream from our side (RST_STREAM, §6.4). */
  resetStream(stream: Http2Stream, code: number): void;
  /** A handler whose stream had closed under it settled: it no longer counts against the concurrency limit. */
  zombieSettled(): void;
}

/** One request/response on an HTTP/2 stream. */
export class Http2Exchange extends ExchangeAbort implements Exchange, StreamExchange {
  readonly head: RequestHead;
  readonly body: RequestBody | null;
  readonly #stream: Http2Stream;
  readonly #channel: StreamChannel;
  #trailers: TrailerSource | null = null;
  #responded = false;
  /** The handler has answered (or given up); until then a reset stream still counts as busy. */
  #settled = false;
  /** The stream closed while the handler was still running (counted against concurrency). */
  #zombie = false;
  /** The connection answered for the app (a timeout); the app's late answer is dropped. */
  #superseded = false;
  #continueSent = false;

  constructor(channel: StreamChannel, stream: Http2Stream, head: RequestHead, body: RequestBody | null) {
    super();
    this.#channel = channel;
    this.#stream = stream;
    this.head = head;
    this.body = body;
  }

  get info(): TransportInfo {
    return this.#channel.info;
  }

  /** `h2` over TLS (ALPN), `h2c` over cleartext TCP (prior knowledge or upgrade). */
  get protocol(): string {
    return this.#channel.info.tls ? "h2" : "h2c";
  }

  get server(): ServerView {
    return this.#channel.server;
  }

  /** Octets of response body sent in DATA frames (what is still queued when a stream is reset never counts). */
  override get bytesOut(): number {
    return this.#stream.dataSent;
  }

  /** Whether a response has been started. */
  get responded(): boolean {
    return this.#responded;
  }

  /** The response is complete: END_STREAM has been sent. */
  get responseDone(): boolean {
    return this.#stream.endSent;
  }
  /**
   * HTTP/2 only (an optional extension of {@link Exchange}): send trailer fields after the
   * response body (RFC 9113 §8.1, a HEADERS frame with END_STREAM). Call it before the body ends
   * — before `respond()`, or while `respondStream()` runs; a function is called once the last
   * body chunk is queued, so trailers can depend on the body (a checksum, a status). Names must be
   * valid field names (lowercased here), values without CR/LF; pseudo-header fields are refused.
   * Ignored for responses without a body (HEAD, 204, 304).
   *
   * @example
   * ```ts
   * app.get("/t", (c) => {
   *   const ex = c.exchange as { setTrailers?: (t: string[]) => void };
   *   ex.setTrailers?.(["x-checksum", "abc"]);
   *   return c.text("body");
   * });
   * ```
   */
  setTrailers(trailers: TrailerSource): void {
    if (this.responseDone) throw new Error("The response is already complete");
    if (Array.isArray(trailers)) prepareTrailers(trailers);
    this.#trailers = trailers;
  }

  #resolveTrailers(): string[] | null {
    const source = this.#trailers;
    if (source === null) return null;
    const list = typeof source === "function" ? source() : source;
    if (list.length === 0) return null;
    return prepareTrailers(list);
  }

  #settle(): void {
    if (this.#settled) return;
    this.#settled = true;
    if (this.#zombie) {
      this.#zombie = false;
      this.#channel.zombieSettled();
    }
  }

  #isBodyless(status: number): boolean {
    return this.head.method === "HEAD" || status === 204 || status === 304;
  }

  respond(status: number, headers: string[], body: string | Uint8Array | null): void {
    if (this.#superseded) return this.#settle();
    if (this.#responded) throw new Error("A response was already sent for this request");
    const fields = prepareResponseHeaders(headers);
    checkFinalStatus(status);
    this.#responded = true;
    this.recordStatus(status);
    this.#settle();
    if (this.aborted) return; // the stream is gone: nothing to send
    const bytes = body === null ? EMPTY : typeof body === "string" ? encoder.encode(body) : body;
    const bodyless = this.#isBodyless(status);
    const trailers = bodyless ? null : this.#resolveTrailers();
    const declared = status === 204 || status === 304 ? -1 : bytes.length;
    const channel = this.#channel;
    const endOnHeaders = bodyless || (bytes.length === 0 && trailers === null);
    channel.sendHeaders(this.#stream, status, fields, declared, endOnHeaders);
    if (!endOnHeaders) channel.queueData(this.#stream, bytes, true, trailers);
    channel.commit();
  }

  async respondStream(status: number, headers: string[], source: BodyStream, contentLength: number): Promise<void> {
    if (this.#superseded) {
      this.#settle();
      return cancelQuietly(source);
    }
    if (this.#responded) throw new Error("A response was already sent for this request");
    const fields = prepareResponseHeaders(headers);
    checkFinalStatus(status);
    // An echo reads the whole request body: invite it before the final head (RFC 9110 §10.1.1).
    if (this.body !== null && source === this.body.existingStream) this.inviteBody();
    this.#responded = true;
    this.recordStatus(status);
    this.#settle();
    if (this.aborted) return cancelQuietly(source);
    const bodyless = this.#isBodyless(status);
    const declared = status === 204 || status === 304 ? -1 : contentLength;
    const channel = this.#channel;
    channel.sendHeaders(this.#stream, status, fields, declared, bodyless);
    channel.commit();
    if (bodyless) {
      await cancelQuietly(source);
      return;
    }
    await this.#pump(source, declared);
  }

  async #pump(source: BodyStream, declared: number): Promise<void> {
    const channel = this.#channel;
    const stream = this.#stream;
    const limit = channel.maxStreamBuffer;
    const reader = new BodyChunkReader(source, this.body, declared);
    this.cancelSource = (reason) => reader.cancel(reason);
    try {
      for (;;) {
        const chunk = await reader.next();
        if (this.aborted) return;
        if (chunk === null) break;
        // The chunk is queued by reference: a producer must not reuse its buffer (web streams don't).
        channel.queueData(stream, chunk, false, null);
        channel.commit();
        while (!this.aborted && (stream.queued >= limit || channel.writeBlocked)) await stream.waitWritable();
        if (this.aborted) return;
      }
      channel.queueData(stream, EMPTY, true, this.#resolveTrailers());
      channel.commit();
    } catch (error) {
      // Midway through a body the only honest answer is to reset the stream (the client sees
      // the response fail); the connection and its other streams go on.
      reader.cancel(error);
      if (!this.aborted) this.abort(error);
      throw error;
    } finally {
      this.cancelSource = null;
    }
  }

  // ── StreamExchange: what the connection tells the exchange ──

  /** The handler reads the body: send the `100 Continue` the client may wait for (RFC 9110 §10.1.1). */
  inviteBody(): void {
    if (!this.head.expectContinue || this.#continueSent || this.#responded || this.#stream.localClosed) return;
    this.#continueSent = true;
    this.#channel.sendContinue(this.#stream);
  }

  /**
   * The connection answers for the app (the request timed out): a plain-text response goes out
   * now, and the app's own answer, if it comes later, is dropped.
   */
  answerInstead(status: number, message: string): void {
    this.#superseded = true;
    this.recordStatus(status);
    const bytes = encoder.encode(message);
    this.#channel.sendHeaders(this.#stream, status, TEXT_PLAIN, bytes.length, false);
    this.#channel.queueData(this.#stream, bytes, true, null);
  }

  /** END_STREAM went out: the exchange is over for its observers. */
  responseSent(): void {
    this.recordEnd(false);
  }

  /**
   * The stream closed (reset, or both sides ended): a response still under way is cut short.
   * Returns true while the handler still runs — until it settles, it counts against the
   * concurrency limit (Rapid Reset, MadeYouReset).
   */
  streamClosed(reason: unknown): boolean {
    if (!this.responseDone) this.disconnect(reason ?? new Error("Stream closed"));
    if (this.#settled) return false;
    this.#zombie = true;
    return true;
  }

  /** The stream is gone (reset, connection lost): abort the signal, the body and a streaming source. */
  disconnect(reason: unknown): void {
    if (!this.cutShort(reason, this.body, new Error("Stream closed"))) return;
    this.#stream.wakeWriter();
  }

  /** Give up on the exchange: reset this stream (RST_STREAM INTERNAL_ERROR); the connection stays. */
  abort(reason?: unknown): void {
    this.#settle();
    if (this.aborted) return;
    this.disconnect(reason ?? new Error("Exchange aborted"));
    this.#channel.resetStream(this.#stream, ErrorCode[WIRE_ERRORS.EXCHANGE_ABORTED.h2]);
  }
}

/** HTTP/2 has no status line for interim answers to replace: a final status is 200..999 (RFC 9113 §8.1). */
function checkFinalStatus(status: number): void {
  if (!Number.isInteger(status) || status < 200 || status > 999) {
    throw new HttpError("INVALID_STATUS", `Invalid final response status ${status}`);
  }
}
