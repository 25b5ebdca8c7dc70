import type { RequestHead } from "../../http/request-head.ts";
import { type BodyFraming, isBodylessResponse, serializeResponseHead } from "../../http1/response-serializer.ts";
import { assertValidHeaders } from "../../http/field-validation.ts";
import { TEXT_PLAIN } from "../../http/wire-errors.ts";
import type { RequestBody } from "../../exchange/request-body.ts";
import type { TransportInfo } from "../../transport/transport.ts";
import type { BodyStream, TrailerSource } from "../../exchange/exchange.ts";
import { acceptsTrailers, announcedTrailers, checkTrailers, trailerSection } from "./trailers.ts";
import type { ProtocolSession, UpgradableExchange } from "../upgrade.ts";
import type { SessionHost } from "../session-host.ts";
import type { Transport } from "../../transport/transport.ts";
import { utf8Length } from "../../bytes/utf8-length.ts";
import { assertFinalStatus } from "../../http/final-status.ts";
import { ExchangeAbort } from "../../exchange/exchange-abort.ts";
import { BodyChunkReader, cancelQuietly } from "../../exchange/body-reader.ts";
import { DRAIN_LIMIT } from "../drain-limit.ts";
import type { ServerView } from "../../exchange/server-view.ts";

/** What an exchange needs of its connection: the write side, and word when a response is done. */
export interface Http1Channel {
  readonly host: SessionHost;
  readonly transport: Transport;
  /** No more requests are read on this connection. */
  readonly closing: boolean;
  /** The transport is above its high-water mark. */
  readonly writeBlocked: boolean;
  writeHead(head: string): void;
  /** Write a response head (see writeResponseHead in core/http1/response-serializer.ts). */
  writeResponseHead(
    status: number,
    headers: readonly string[],
    framing: BodyFraming,
    contentLength: number,
    keepAlive: boolean,
    versionMinor: number,
  ): void;
  writeBody(body: string | Uint8Array): void;
  writeChunk(chunk: Uint8Array, chunked: boolean): void;
  writeLastChunk(trailers?: string): void;
  writeContinue(): void;
  /** Send what is batched unless a batch is open. */
  commit(): void;
  waitDrain(): Promise<void>;
  destroy(): void;
  responseComplete(exchange: Http1Exchange): void;
}

/** One request/response on an HTTP/1.x connection. */
export class Http1Exchange extends ExchangeAbort implements UpgradableExchange {
  readonly head: RequestHead;
  readonly body: RequestBody | null;
  readonly #conn: Http1Channel;
  /** When the head arrived (server clock). */
  readonly startedAt: number;
  #responded = false;
  #responseDone = false;
  #requestDone = false;
  #discarding = false;
  #continueSent = false;
  /** The connection answered this exchange itself (a framing error); the app's late answer is dropped. */
  #superseded = false;
  #keepAlive = true;
  #bodyWillBeRead = false;
  /** Trailers to send after the body; only kept when the client takes them (see trailers.ts). */
  #trailers: TrailerSource | null = null;
  /** After a 101: what takes the socket once the request is complete. */
  #upgradeTo: ((transport: Transport) => ProtocolSession) | null = null;

  constructor(conn: Http1Channel, head: RequestHead, body: RequestBody | null, now: number) {
    super();
    this.#conn = conn;
    this.head = head;
    this.body = body;
    this.startedAt = now;
  }

  get host(): SessionHost {
    return this.#conn.host;
  }

  get info(): TransportInfo {
    return this.#conn.transport.info;
  }

  /** `http/1.1`, or `http/1.0` for an HTTP/1.0 request. */
  get protocol(): string {
    return this.head.versionMinor === 0 ? "http/1.0" : "http/1.1";
  }

  get server(): ServerView {
    return this.#conn.host;
  }

  /** Whether a response has been started. */
  get responded(): boolean {
    return this.#responded;
  }
  /** The response is fully written. */
  get responseDone(): boolean {
    return this.#responseDone;
  }
  /** The request (head, body, trailers) is fully read. */
  get requestDone(): boolean {
    return this.#requestDone;
  }
  /** The handler no longer wants the body: the connection reads and drops it. */
  get discarding(): boolean {
    return this.#discarding;
  }
  /** The connection may carry another request after this response. */
  get keepAlive(): boolean {
    return this.#keepAlive;
  }
  /** After a 101: what takes the socket once the request is complete, else null. */
  get upgradeTo(): ((transport: Transport) => ProtocolSession) | null {
    return this.#upgradeTo;
  }

  /**
   * Trailer fields after the body: sent in the chunked coding's trailer section when the request
   * said `TE: trailers`, else dropped (core/session/http1/trailers.ts says why).
   */
  setTrailers(trailers: TrailerSource): void {
    if (this.#responseDone) throw new Error("The response is already complete");
    checkTrailers(trailers);
    if (acceptsTrailers(this.head)) this.#trailers = trailers;
  }

  /** Headers plus a `Trailer` field naming a list of trailers given up front (RFC 9110 §6.6.2). */
  #announce(clean: string[]): string[] {
    const names = announcedTrailers(this.#trailers!);
    if (names === "") return clean;
    for (let i = 0; i < clean.length; i += 2) if (clean[i]!.toLowerCase() === "trailer") return clean;
    return [...clean, "trailer", names];
  }

  /** The connection read the whole request. */
  requestComplete(trailers: string[] | null): void {
    this.#requestDone = true;
    this.body?.end(trailers);
  }

  /** Read and drop the rest of the body (the handler cancelled it, or the response is done). */
  discardBody(): void {
    this.#discarding = true;
  }

  /** The handler asks for body bytes: send the `100 Continue` the client waits for, if owed. */
  inviteBody(): void {
    if (this.expectsContinue && !this.#responded) {
      this.#continueSent = true;
      this.#conn.writeContinue();
    }
  }

  /** A broken request body arrived after the response started: the connection ends after it. */
  endConnectionAfterResponse(): void {
    this.#keepAlive = false;
  }

  /**
   * The connection answers the exchange itself (a framing error or timeout of the request):
   * the app's own answer, if it comes later, is dropped.
   */
  answerInstead(status: number, message: string): void {
    this.respond(status, ["content-type", TEXT_PLAIN], message);
    this.#superseded = true;
  }

  /** A `100 Continue` is owed: the client waits for it before sending the body (RFC 9110 §10.1.1). */
  get expectsContinue(): boolean {
    // RFC 9110 §10.1.1: ignore the expectation in an HTTP/1.0 request.
    return this.head.expectContinue && this.head.versionMinor === 1 && !this.#continueSent;
  }

  /** Strip the framing fields we own, note `connection: close`, validate the rest. */
  #prepare(headers: string[]): string[] {
    assertValidHeaders(headers);
    let clean = headers;
    for (let i = 0; i < headers.length; i += 2) {
      const name = headers[i]!;
      const lower = name.length >= 4 && name.length <= 17 ? name.toLowerCase() : "";
      if (
        lower === "content-length" || lower === "transfer-encoding" || lower === "connection" || lower === "date" ||
        lower === "keep-alive"
      ) {
        if (clean === headers) clean = headers.slice(0, i);
        if (lower === "connection" && /(?:^|,)\s*close\s*(?:,|$)/i.test(headers[i + 1]!)) this.#keepAlive = false;
      } else if (clean !== headers) {
        clean.push(name, headers[i + 1]!);
      }
    }
    this.#keepAlive = this.#keepAlive && this.#canKeepAlive();
    return clean;
  }

  /** Whether a request body this far from its end is worth reading and dropping. */
  get restIsDrainable(): boolean {
    const body = this.body;
    return body === null || body.ended ||
      (body.contentLength >= 0 && body.contentLength - body.received <= DRAIN_LIMIT);
  }

  /** Whether the connection can carry the next request after this response. */
  #canKeepAlive(): boolean {
    if (!this.head.keepAlive || this.#conn.closing || this.#conn.host.draining) return false;
    const body = this.body;
    if (body === null || body.ended || this.#bodyWillBeRead) return true;
    // The client may never send a body it was not invited to (RFC 9110 §10.1.1).
    if (this.expectsContinue) return false;
    // A declared rest small enough is drained; a chunked or large rest is not worth reading.
    return this.restIsDrainable;
  }

  respond(status: number, headers: string[], body: string | Uint8Array | null): void {
    if (this.#superseded) return;
    if (this.#responded) throw new Error("A response was already sent for this request");
    // Before anything is marked sent: a bad status must leave the exchange able to answer 500.
    assertFinalStatus(status);
    const clean = this.#prepare(headers);
    const bodyless = isBodylessResponse(status, this.head.method);
    // The whole body is known: so may trailers be, made now while an error can still answer 500.
    const section = this.#trailers !== null && !bodyless ? trailerSection(this.#trailers) : null;
    this.#responded = true;
    this.recordStatus(status);
    let framing: BodyFraming = "length";
    let length = 0;
    if (status < 200 || status === 204 || status === 304) framing = "none";
    else if (body !== null) length = typeof body === "string" ? utf8Length(body) : body.length;
    const conn = this.#conn;
    if (section !== null && framing === "length") {
      // Trailers need the chunked coding even for a body of known length (RFC 9112 §7.1.2).
      const head = serializeResponseHead(status, this.#announce(clean), "chunked", -1, this.#keepAlive, 1);
      conn.writeHead(length > 0 ? head + length.toString(16) + "\r\n" : head);
      if (length > 0) {
        conn.writeBody(body!);
        conn.writeHead("\r\n");
      }
      conn.writeLastChunk(section);
    } else {
      conn.writeResponseHead(status, clean, framing, length, this.#keepAlive, this.head.versionMinor);
      if (!bodyless && length > 0) conn.writeBody(body!);
    }
    if (!bodyless) this.recordOut(length);
    conn.commit();
    this.#complete();
  }

  upgrade(head: string, next: (transport: Transport) => ProtocolSession): void {
    if (this.#superseded) return;
    if (this.#responded) throw new Error("A response was already sent for this request");
    this.#responded = true;
    this.recordStatus(101);
    this.#upgradeTo = next;
    const conn = this.#conn;
    conn.writeHead(head);
    conn.commit();
    this.#complete();
  }

  async respondStream(status: number, headers: string[], source: BodyStream, contentLength: number): Promise<void> {
    if (this.#superseded) return cancelQuietly(source);
    if (this.#responded) throw new Error("A response was already sent for this request");
    if (this.body !== null && source === this.body.existingStream) {
      // The response streams the request body (an echo): it will be read to the end, so the
      // connection can stay; and it must be invited before the final head, or the client waits
      // for a 100 that would never come (RFC 9110 §10.1.1).
      this.#bodyWillBeRead = true;
      // Its length is the request's when declared and none of it was read yet: no chunk framing
      // then, so each read of a large body leaves in one write rather than a size line and it.
      if (contentLength < 0 && this.body.contentLength >= 0 && !this.body.touched) {
        contentLength = this.body.contentLength;
      }
      this.inviteBody();
    }
    // Before anything is marked sent: a bad status must leave the exchange able to answer 500.
    assertFinalStatus(status);
    const clean = this.#prepare(headers);
    this.#responded = true;
    this.recordStatus(status);
    const bodyless = isBodylessResponse(status, this.head.method);
    let framing: BodyFraming;
    const trailed = this.#trailers !== null && !bodyless;
    if (status < 200 || status === 204 || status === 304) framing = "none";
    else if (contentLength >= 0 && !trailed) framing = "length";
    else if (this.head.versionMinor === 1) framing = "chunked";
    else {
      // HTTP/1.0 has no chunked coding: the end of the body is the end of the connection.
      framing = "close";
      this.#keepAlive = false;
    }
    const conn = this.#conn;
    const fields = trailed && framing === "chunked" ? this.#announce(clean) : clean;
    conn.writeResponseHead(status, fields, framing, contentLength, this.#keepAlive, this.head.versionMinor);
    if (bodyless || framing === "none") {
      conn.commit();
      await cancelQuietly(source);
      this.#complete();
      return;
    }
    conn.commit();
    await this.#pump(source, framing === "chunked", contentLength);
  }

  async #pump(source: BodyStream, chunked: boolean, declared: number): Promise<void> {
    const conn = this.#conn;
    const reader = new BodyChunkReader(source, this.body, declared);
    this.cancelSource = (reason) => reader.cancel(reason);
    try {
      for (;;) {
        // What is here already goes out in this turn (an echo's body that came with its head).
        // Chunks at hand join the batch; it is sent before waiting for more, and at the end.
        let chunk = reader.nextNow();
        if (chunk === undefined) {
          conn.commit();
          chunk = await reader.next();
        }
        if (this.aborted) return conn.destroy();
        if (chunk === null) break;
        conn.writeChunk(chunk, chunked);
        this.recordOut(chunk.length);
        if (conn.writeBlocked) {
          await conn.waitDrain();
          if (this.aborted) return conn.destroy();
        }
      }
    } catch (error) {
      // Midway through a body there is no way to send an error: cut the connection (the client
      // sees a truncated body, RFC 9112 §8) and report the error.
      reader.cancel(error);
      if (!this.aborted) this.abort(error);
      throw error;
    } finally {
      this.cancelSource = null;
    }
    if (chunked) {
      let section: string;
      try {
        section = trailerSection(this.#trailers);
      } catch (error) {
        // The body is out: a broken trailer list can only cut the connection.
        this.abort(error);
        throw error;
      }
      conn.writeLastChunk(section);
    }
    conn.commit();
    this.#complete();
  }

  #complete(): void {
    this.#responseDone = true;
    this.recordEnd(false);
    this.#conn.responseComplete(this);
  }

  /** The client is gone (or we gave up): abort the signal, the body and a streaming source. */
  disconnect(reason: unknown): void {
    if (!this.cutShort(reason, this.body, new Error("Client disconnected"))) return;
  }

  abort(reason?: unknown): void {
    this.disconnect(reason);
    this.#conn.destroy();
  }
}
