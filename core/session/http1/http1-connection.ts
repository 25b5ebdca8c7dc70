import { HttpError } from "../../http/http-error.ts";
import { TEXT_PLAIN, WIRE_ERRORS } from "../../http/wire-errors.ts";
import type { RequestHead } from "../../http/request-head.ts";
import type { RequestParserEvents } from "../../http1/request-parser.ts";
import { type BodyFraming, writeResponseHead } from "../../http1/response-serializer.ts";
import { type BodySource, RequestBody } from "../../exchange/request-body.ts";
import type { Transport } from "../../transport/transport.ts";
import { type Http1Channel, Http1Exchange } from "./http1-exchange.ts";
import type { ConnectionKind, ManagedConnection } from "../../transport/managed-connection.ts";
import { stamp } from "../clock.ts";
import { Linger } from "../linger.ts";
import { BodyRate } from "../body-rate.ts";
import type { ProtocolSwitch, SessionHost } from "../session-host.ts";
import { WriteBatch } from "../write-batch.ts";
import { ParserLease } from "./parser-pool.ts";
import { writeBodyTo, writeChunkTo, writeErrorTo, writeLastChunkTo } from "./response-writes.ts";

/** Unparsed pipelined bytes kept while a response is pending; past this we stop reading. */
const PENDING_LIMIT = 64 * 1024;
const CONTINUE = "HTTP/1.1 100 Continue\r\n\r\n";

/**
 * One HTTP/1.x connection: feeds bytes to the parser, runs one exchange at a time in order,
 * batches the responses of one read into one write, and applies backpressure both ways.
 *
 * Parsing stops at each request boundary while the previous response is unfinished or the
 * socket is above its high-water mark; the rest of the input waits in `#pending`, and reading
 * pauses when that grows. So a client that pipelines without reading cannot grow our memory.
 */
export class Http1Connection implements ManagedConnection, RequestParserEvents, BodySource, Http1Channel {
  readonly transport: Transport;
  readonly host: SessionHost;
  readonly #switch: ProtocolSwitch;
  /** Held only while a request is being read (idle connections lend it back: parser-pool.ts). */
  #parser: ParserLease | null = null;
  readonly #batch: WriteBatch;
  exchange: Http1Exchange | null = null;
  #pending: Uint8Array | null = null;
  #halted = false;
  #parsing = false;
  /** An exchange with a body of declared length, dispatched once the parser returns (see onHead). */
  #deferred: Http1Exchange | null = null;
  #readPaused = false;
  /** The minimum body rate of the request being read. */
  #bodyRate: BodyRate | null = null;
  #peerEnded = false;
  #drainWaiters: (() => void)[] = [];
  /** No more requests are read: a `connection: close` response or an error is on its way. */
  closing = false;
  isClosed = false;
  /** Started when we half-close: a peer that does not close in time is cut. */
  readonly #linger: Linger = new Linger();
  /** Server clock of the last activity, for the keep-alive timeout. */
  lastActive: number;
  /** Server clock when the first byte of a not yet complete head arrived, or 0. */
  headStartedAt = 0;
  /** Whether a request head was ever parsed on this connection. */
  #servedAny = false;
  /** The protocol this connection switched to (WebSocket, HTTP/2), once it did. */
  #successor: ManagedConnection | null = null;

  constructor(transport: Transport, host: SessionHost, owner: ProtocolSwitch) {
    this.transport = transport;
    this.host = host;
    this.#switch = owner;
    this.#batch = new WriteBatch(transport, host);
    this.lastActive = host.now;
  }

  get kind(): ConnectionKind {
    return "http/1.1";
  }

  /** The transport is above its high-water mark. */
  get writeBlocked(): boolean {
    return this.#batch.blocked;
  }

  /** True while no request is in progress and no bytes wait: safe to close on shutdown. */
  get idle(): boolean {
    return this.exchange === null && this.#pending === null && this.headStartedAt === 0;
  }

  // ── ConnectionHandler ──────────────────────────────────────────────────────────────────────

  data(bytes: Uint8Array): void {
    if (this.closing || this.isClosed) return;
    this.lastActive = this.host.now;
    if (this.#halted) {
      this.#stash(bytes);
      return;
    }
    const batch = this.#batch;
    batch.cork();
    try {
      this.#parse(bytes);
    } catch (error) {
      // A bug of ours must cost one connection, never the process.
      this.host.options.onError(error);
      this.destroy();
      return;
    } finally {
      batch.uncork();
    }
    batch.flush();
  }

  /** Hand the socket to another protocol; `rest` is what it gets first. */
  #switchProtocol(next: ManagedConnection): void {
    this.#batch.flush();
    this.#successor = next;
    this.#pending = null;
    this.#halted = false;
    if (this.#readPaused) {
      this.#readPaused = false;
      this.transport.resume();
    }
    this.#switch.switchTo(next, null);
  }

  drain(): void {
    this.#batch.drained();
    const waiters = this.#drainWaiters;
    if (waiters.length > 0) {
      this.#drainWaiters = [];
      for (const resolve of waiters) resolve();
    }
    if (this.#halted && this.exchange === null && !this.#parsing) this.#resumeParsing();
    this.#updateReading();
  }

  end(): void {
    this.#peerEnded = true;
    const ex = this.exchange;
    if (ex === null) {
      if (this.#pending === null) this.#closeAfterFlush();
      return;
    }
    if (!ex.requestDone) {
      ex.body?.fail(new HttpError("INCOMPLETE_BODY"));
    }
    if (!ex.responseDone) {
      // As the runtimes' own servers do, a peer that closes its side has gone away: abort the
      // request signal and cancel a streamed body. A plain response the app still makes is
      // written, then the connection closes.
      this.closing = true;
      ex.disconnect(new Error("Client closed the connection"));
    }
  }

  closed(error?: unknown): void {
    if (this.isClosed) return;
    this.isClosed = true;
    this.closing = true;
    this.host.forget(this);
    const ex = this.exchange;
    if (ex !== null && !ex.responseDone) ex.disconnect(error ?? new Error("Client disconnected"));
    this.exchange = null;
    this.#pending = null;
    this.#releaseParser();
    const waiters = this.#drainWaiters;
    this.#drainWaiters = [];
    for (const resolve of waiters) resolve();
    this.#batch.close();
  }

  // ── parsing ────────────────────────────────────────────────────────────────────────────────

  #parse(input: Uint8Array): void {
    let data = input;
    this.#parsing = true;
    try {
      while (data.length > 0 && !this.closing) {
        if (this.exchange === null) {
          if (this.writeBlocked) {
            // Earlier responses wait above the high-water mark: read no further requests.
            this.#stash(data);
            return;
          }
          if (this.headStartedAt === 0) this.headStartedAt = stamp(this.host.now);
        }
        const parser = (this.#parser ??= ParserLease.take(this, this.host.options)).parser;
        const used = parser.execute(data);
        if (this.#deferred !== null) this.#dispatchDeferred();
        if (used < 0) {
          this.#parseError(parser.error ?? new HttpError("BAD_REQUEST"));
          return;
        }
        if (used >= data.length) return;
        data = data.subarray(used);
        if (this.#successor !== null) {
          // The request switched protocols: the rest belongs to the new one.
          this.#successor.data(data);
          return;
        }
        // A request is complete. Go on only once its response is done; send what a long burst
        // produced so far, so a read full of requests for large bodies cannot pile up in memory.
        this.#batch.flushIfFull();
        if (this.exchange !== null) {
          this.#stash(data);
          return;
        }
      }
    } finally {
      this.#parsing = false;
      if (this.exchange === null) this.#releaseParser();
    }
  }

  /** Between requests the parser goes back to the pool (kept if it holds a partial head). */
  #releaseParser(): void {
    const lease = this.#parser;
    if (lease === null || !(lease.parser.atRest || this.isClosed || this.closing)) return;
    this.#parser = null;
    lease.release();
  }

  #stash(data: Uint8Array): void {
    const pending = this.#pending;
    if (pending === null) this.#pending = data.slice();
    else {
      const joined = new Uint8Array(pending.length + data.length);
      joined.set(pending);
      joined.set(data, pending.length);
      this.#pending = joined;
    }
    this.#halted = true;
    this.#updateReading();
  }

  #resumeParsing(): void {
    const data = this.#pending;
    this.#pending = null;
    this.#halted = false;
    if (data !== null) {
      const batch = this.#batch;
      batch.cork();
      this.#parse(data);
      batch.uncork();
      batch.flush();
    }
    if (this.#peerEnded && this.exchange === null && this.#pending === null) this.#closeAfterFlush();
    this.#updateReading();
  }

  /** Pause reading while the body queue or the pipelined backlog is full. */
  #updateReading(): void {
    if (this.isClosed) return;
    const ex = this.exchange;
    const bodyFull = ex !== null && ex.body !== null && !ex.discarding && ex.body.buffered >= RequestBody.highWaterMark;
    const backlogFull = this.#pending !== null && this.#pending.length >= PENDING_LIMIT;
    // While closing we read on and drop what comes, so the peer's FIN arrives and a response
    // is not lost to a reset from unread data (the "lingering close" of RFC 9112 §9.6).
    const pause = (bodyFull || backlogFull) && !this.closing;
    if (pause !== this.#readPaused) {
      this.#readPaused = pause;
      if (pause) this.transport.pause();
      else this.transport.resume();
    }
  }

  #parseError(error: HttpError): void {
    const ex = this.exchange;
    this.closing = true;
    if (ex === null && !this.#servedAny && error.code === "INVALID_VERSION") {
      // The first line does not even end in an HTTP version: the peer speaks another protocol
      // (a wrong HTTP/2 preface, TLS on the plain port) and could not read an HTTP/1.1 answer.
      this.destroy();
      return;
    }
    if (ex !== null) {
      ex.body?.fail(error);
      if (ex.responded) {
        // The answer is (being) written; the broken request body ends the connection after it.
        ex.endConnectionAfterResponse();
        if (ex.responseDone) this.#closeAfterFlush();
        return;
      }
      ex.answerInstead(error.status, error.message);
      ex.disconnect(error);
      return;
    }
    writeErrorTo(this.#batch, error.status, error.message);
    this.#closeAfterFlush();
  }

  // ── RequestParserEvents ────────────────────────────────────────────────────────────────────

  onHead(head: RequestHead): void {
    this.headStartedAt = 0;
    this.#servedAny = true;
    const hasBody = head.contentLength > 0 || head.chunked;
    const body = hasBody ? new RequestBody(this, head.contentLength, this.host.options.maxBodySize) : null;
    const ex = new Http1Exchange(this, head, body, this.host.now);
    this.exchange = ex;
    if (!head.expectContinue && hasExpect(head.headers)) {
      // RFC 9110 §10.1.1: an expectation we do not know gets 417.
      this.closing = true;
      const { status, reason } = WIRE_ERRORS.UNSUPPORTED_EXPECTATION;
      ex.respond(status, ["content-type", TEXT_PLAIN], reason);
      return;
    }
    if (body !== null && !head.chunked && !head.expectContinue && head.upgrade === "" && this.#parsing) {
      // A body of declared length: let the parser take what of it came in this read first, so
      // the handler finds it there (an echo then answers head, body and end in one write).
      this.#deferred = ex;
      return;
    }
    this.host.dispatcher.dispatch(ex);
  }

  /** Dispatch the exchange whose head waited for the body bytes of the same read. */
  #dispatchDeferred(): void {
    const ex = this.#deferred!;
    this.#deferred = null;
    if (ex === this.exchange && !this.isClosed) this.host.dispatcher.dispatch(ex);
  }

  onBody(chunk: Uint8Array): void {
    const ex = this.exchange;
    if (ex === null || ex.body === null || ex.discarding) return;
    // A view of a read the adapter never reuses needs no copy (Transport.freshReads).
    ex.body.push(this.transport.freshReads === true ? chunk : chunk.slice());
    if (ex.body.buffered >= RequestBody.highWaterMark) this.#updateReading();
  }

  onMessageComplete(trailers: string[] | null): void {
    const ex = this.exchange;
    if (ex === null) return;
    ex.requestComplete(trailers);
    if (ex.responseDone) this.#finishExchange(ex);
  }

  // ── BodySource ─────────────────────────────────────────────────────────────────────────────

  wantMore(body: RequestBody): void {
    const ex = this.exchange;
    if (ex === null || ex.body !== body) return;
    ex.inviteBody();
    this.#updateReading();
  }

  discard(body: RequestBody): void {
    const ex = this.exchange;
    if (ex === null || ex.body !== body) return;
    ex.discardBody();
    this.#updateReading();
  }

  // ── exchange lifecycle ─────────────────────────────────────────────────────────────────────

  /** Called by the exchange when its response is fully written. */
  responseComplete(ex: Http1Exchange): void {
    if (!ex.keepAlive) {
      this.#closeAfterFlush();
      return;
    }
    if (ex.requestDone) this.#finishExchange(ex);
    else if (!ex.restIsDrainable) {
      // The response is done but much of the body is still to come: not worth reading.
      this.#closeAfterFlush();
    } else {
      ex.discardBody();
      ex.body?.discardRest();
    }
  }

  #finishExchange(ex: Http1Exchange): void {
    if (this.exchange !== ex) return;
    this.exchange = null;
    if (!this.#parsing) this.#releaseParser();
    this.lastActive = this.host.now;
    const upgradeTo = ex.upgradeTo;
    if (upgradeTo !== null) {
      // The 101 is out; the socket now speaks the new protocol (RFC 9110 §7.8).
      this.#batch.flush();
      const next = upgradeTo(this.transport);
      const pending = this.#pending;
      this.#switchProtocol(next);
      next.open?.();
      if (pending !== null) next.data(pending);
      return;
    }
    if (this.host.draining || (this.#peerEnded && this.#pending === null)) {
      this.#closeAfterFlush();
      return;
    }
    if (this.#halted && !this.#parsing && !this.writeBlocked) this.#resumeParsing();
    else this.#updateReading();
  }

  #closeAfterFlush(): void {
    if (this.isClosed || this.#linger.started) return;
    this.closing = true;
    this.#linger.start(this.host.now);
    this.#batch.flush();
    this.#updateReading();
    this.transport.end();
  }

  /** Close now, dropping whatever is queued. */
  destroy(): void {
    if (this.isClosed) return;
    this.closing = true;
    this.#batch.discard();
    this.transport.close();
  }

  /** Close an idle connection (shutdown), or make the running exchange the last one. */
  closeIdle(): void {
    if (this.idle) this.#closeAfterFlush();
  }

  /** Check the timeouts; `now` is the server clock. */
  tick(now: number): void {
    if (this.isClosed) return;
    if (this.#linger.started) {
      if (this.#linger.expired(now)) this.destroy();
      return;
    }
    const { options } = this.host;
    // A client that reads nothing we write (RFC 9112 §9.5: a server may close an idle or
    // unresponsive connection); this also ends a close that could never be flushed.
    if (this.#batch.stalled(now, options.writeTimeout)) return this.destroy();
    if (this.closing) return;
    const ex = this.exchange;
    if (ex === null) {
      this.#bodyRate?.reset();
      if (this.headStartedAt !== 0) {
        if (now - this.headStartedAt > options.headersTimeout) {
          this.closing = true;
          writeErrorTo(this.#batch, 408, "Request head not received in time");
          this.#closeAfterFlush();
        }
      } else if (!this.#halted && now - this.lastActive > options.keepAliveTimeout) {
        this.#closeAfterFlush();
      }
    } else if (!ex.requestDone && !ex.discarding) {
      if (now - ex.startedAt > options.requestTimeout) return this.#parseError(new HttpError("REQUEST_TIMEOUT"));
      const body = ex.body;
      if (body === null || body.ended) return;
      // Waiting on the client: the app asked for the body and we are reading the socket.
      const waiting = body.touched && !this.#readPaused;
      const rate = this.#bodyRate ??= new BodyRate(options.minBodyRate);
      if (rate.tooSlow(now, body.received, waiting)) this.#parseError(new HttpError("BODY_TOO_SLOW"));
    } else this.#bodyRate?.reset();
  }

  // ── writing ────────────────────────────────────────────────────────────────────────────────

  /** `100 Continue`: the client may send the body now (RFC 9110 §15.2.1). */
  writeContinue(): void {
    this.#batch.sink().writeLatin1(CONTINUE);
    this.commit();
  }

  writeHead(head: string): void {
    this.#batch.sink().writeLatin1(head);
  }

  writeResponseHead(
    status: number,
    headers: readonly string[],
    framing: BodyFraming,
    contentLength: number,
    keepAlive: boolean,
    versionMinor: number,
  ): void {
    writeResponseHead(this.#batch.sink(), status, headers, framing, contentLength, keepAlive, versionMinor);
  }

  writeBody(body: string | Uint8Array): void {
    writeBodyTo(this.#batch, body);
  }

  writeChunk(chunk: Uint8Array, chunked: boolean): void {
    writeChunkTo(this.#batch, chunk, chunked);
  }

  writeLastChunk(trailers = ""): void {
    writeLastChunkTo(this.#batch, trailers);
  }

  /** Send what is batched unless a batch is open (then the batch end sends it). */
  commit(): void {
    this.#batch.commit();
  }

  /** Resolves once the transport drains (or closes). */
  waitDrain(): Promise<void> {
    if (!this.writeBlocked || this.isClosed) return Promise.resolve();
    return new Promise((resolve) => this.#drainWaiters.push(resolve));
  }
}

function hasExpect(headers: string[]): boolean {
  for (let i = 0; i < headers.length; i += 2) if (headers[i] === "expect") return true;
  return false;
}
