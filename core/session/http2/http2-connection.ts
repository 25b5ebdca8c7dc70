/**
 * An HTTP/2 server connection (RFC 9113): its life — preface, graceful shutdown, timeouts, the
 * end — and the lives of its streams. It serves each request as an {@link Http2Exchange}
 * through the server's dispatcher, the same way HTTP/1.1 requests are served.
 *
 * The work is done by parts, each in a file of its own, wired here:
 *
 * - {@link FrameReader}: the preface and the frame loop; a handler per frame type (frame-handlers.ts);
 * - {@link FieldBlockAssembler}: HEADERS + CONTINUATION into decoded field blocks (HPACK);
 * - {@link WriteScheduler}: what is written and when — frames, flow control, fairness, batching;
 * - {@link StreamTable}: open streams, and the memory of closed ones;
 * - {@link Defences}: the flood budgets.
 *
 * Protocol errors are thrown as {@link ConnectionError} or {@link StreamError} by parsers and
 * handlers and answered in one place, `fail`: GOAWAY and close, or RST_STREAM.
 * @module
 */
import { HttpError } from "../../http/http-error.ts";
import { TEXT_PLAIN as PLAIN, WIRE_ERRORS } from "../../http/wire-errors.ts";
import type { RequestHead } from "../../http/request-head.ts";
import { RequestBody } from "../../exchange/request-body.ts";
import type { ConnectionKind, ManagedConnection } from "../../transport/managed-connection.ts";
import { stamp } from "../clock.ts";
import { DRAIN_LIMIT } from "../drain-limit.ts";
import { Linger } from "../linger.ts";
import type { SessionHost } from "../session-host.ts";
import { WriteBatch } from "../write-batch.ts";
import type { Transport, TransportInfo } from "../../transport/transport.ts";
import { ConnectionError, ErrorCode, errorCodeName, StreamError } from "../../http2/errors.ts";
import { Defences } from "./defences.ts";
import { FieldBlockAssembler } from "./field-block.ts";
import type { FrameSession } from "./frame-handlers.ts";
import { FrameReader } from "./frame-reader.ts";
import { Http2Exchange, type StreamChannel } from "./http2-exchange.ts";
import { type Http2Limits, resolveHttp2Limits } from "./limits.ts";
import { RequestHold } from "./request-hold.ts";
import { Http2Stream, type StreamHost } from "./stream.ts";
import { CLOSED_ENDED, CLOSED_RESET_SENT, StreamTable } from "./stream-table.ts";
import { type SchedulerEvents, WriteScheduler } from "./write-scheduler.ts";

const textEncoder = new TextEncoder();
const TEXT_PLAIN = ["content-type", PLAIN];

/** The request of an `Upgrade: h2c` (RFC 7540 §3.2) that becomes stream 1. */
export interface Http2Upgrade {
  head: RequestHead;
  /** The decoded HTTP2-Settings payload, applied as the client's first SETTINGS. */
  settings: Uint8Array;
}

/** One HTTP/2 connection; made by the server's protocol sniffer or an h2c upgrade. */
export class Http2Connection implements ManagedConnection, FrameSession, SchedulerEvents, StreamChannel, StreamHost {
  readonly #transport: Transport;
  readonly #host: SessionHost;
  readonly #limits: Http2Limits;
  readonly #batch: WriteBatch;
  readonly #defences: Defences;
  readonly #streams: StreamTable;
  readonly #writer: WriteScheduler;
  readonly #blocks: FieldBlockAssembler;
  readonly #reader: FrameReader;
  #upgrade: Http2Upgrade | null;
  #goawaySent = false;
  #peerGoaway = false;
  #peerEnded = false;
  readonly #createdAt: number;
  #lastActive: number;
  #closed = false;
  #streamsOpened = 0;
  /** Started when we end our side: a peer that does not close in time is cut. */
  readonly #linger: Linger = new Linger();
  /** Rapid Reset: a new request waits for the next frame (`openRequest`). */
  readonly #hold: RequestHold;

  constructor(transport: Transport, host: SessionHost, upgrade: Http2Upgrade | null = null) {
    this.#transport = transport;
    this.#host = host;
    // Options resolved by resolveOptions always carry limits; a hand-made options object may not.
    const limits = this.#limits = host.options.http2 ?? resolveHttp2Limits();
    const now = host.now;
    this.#lastActive = this.#createdAt = now;
    const defences = this.#defences = new Defences(limits, now);
    const streams = this.#streams = new StreamTable(limits.maxConcurrentStreams);
    const batch = this.#batch = new WriteBatch(transport, host);
    const writer = this.#writer = new WriteScheduler(batch, host, this, streams, defences, limits);
    // A request may have `maxHeaders` fields besides its pseudo-header fields (at most five,
    // RFC 9113 §8.3.1 and RFC 8441 §4): decoding stops making fields past that.
    const maxFields = host.options.maxHeaders + 5;
    const blocks = this.#blocks = new FieldBlockAssembler(limits, defences, maxFields);
    const hold = this.#hold = new RequestHold(host.dispatcher);
    this.#reader = new FrameReader({ host, limits, session: this, streams, writer, blocks, defences, hold });
    this.#upgrade = upgrade;
    if (upgrade !== null) {
      // RFC 7540 §3.2.1: HTTP2-Settings counts as the client's first SETTINGS, acknowledged by
      // the 101 itself; the request was stream 1.
      writer.applyUpgradeSettings(upgrade.settings);
      streams.claimUpgrade();
    }
    writer.writePreface();
    batch.commitSoon();
  }

  /** `h2` over TLS, `h2c` over cleartext TCP. */
  get kind(): ConnectionKind {
    return this.#transport.info.tls ? "h2" : "h2c";
  }

  get openStreams(): number {
    return this.#streams.size;
  }

  get streamsOpened(): number {
    return this.#streamsOpened;
  }

  /** After an h2c upgrade: serve the upgraded request as stream 1 (half-closed remote). */
  open(): void {
    const upgrade = this.#upgrade;
    if (upgrade === null) return;
    this.#upgrade = null;
    const batch = this.#batch;
    batch.cork();
    try {
      this.openRequest(1, upgrade.head, true);
    } finally {
      batch.uncork();
    }
    batch.commitSoon();
  }

  // ── ConnectionHandler ──────────────────────────────────────────────────────────────────────

  data(bytes: Uint8Array): void {
    if (this.#closed || (this.#reader.stopped && this.#linger.absorb(bytes.length))) return;
    // Closing, and the peer still sends after our GOAWAY: past LINGER_BYTES it is cut.
    if (this.#reader.stopped) return this.destroy();
    this.#lastActive = this.#host.now;
    const batch = this.#batch;
    batch.cork();
    try {
      this.#hold.startRead();
      this.#reader.read(bytes);
      this.#hold.endRead();
    } catch (error) {
      // A bug of ours must cost one connection, never the process.
      this.#hold.abandon();
      batch.uncork();
      this.#host.options.onError(error);
      this.destroy();
      return;
    }
    batch.uncork();
    batch.flush();
  }

  drain(): void {
    this.#batch.drained();
    this.#writer.resume();
  }

  /**
   * The peer half-closed TCP: it has gone away. Requests still incomplete can never complete; a
   * complete request still being answered is given up too: RFC 9113 gives a half-closed
   * connection no meaning, the peer can no longer send the WINDOW_UPDATE a response may need,
   * and HTTP/1.1 (`Http1Connection.end`) and the runtimes' own servers treat it as gone. So every
   * open stream closes here, aborting its request signal and cancelling a streamed body; then
   * the connection ends. (Without this, a client that closes its socket — Bun's `node:http2`
   * does exactly that — left the handler's signal unaborted and the connection open.)
   */
  end(): void {
    this.#peerEnded = true;
    if (this.#closed) return;
    const batch = this.#batch;
    batch.cork();
    for (const stream of this.#streams.list()) {
      this.closeStream(
        stream,
        CLOSED_RESET_SENT,
        stream.remoteClosed
          ? new Error("Client closed the connection")
          : new HttpError("INCOMPLETE_BODY", "Connection closed before the request was complete"),
      );
    }
    batch.uncork();
    this.#maybeFinish();
    batch.flush();
  }

  closed(error?: unknown): void {
    if (this.#closed) return;
    this.#closed = true;
    this.#reader.stop();
    this.#host.forget(this);
    const reason = error ?? new Error("Client disconnected");
    for (const stream of this.#streams.values()) {
      stream.close();
      const ex = stream.exchange;
      if (ex !== null && !ex.responseDone) ex.disconnect(reason);
      stream.wakeWriter();
    }
    this.#streams.clear();
    this.#writer.stop();
    this.#batch.close();
  }

  // ── ManagedConnection ──────────────────────────────────────────────────────────────────────

  /** Graceful shutdown (§6.8): GOAWAY with the last processed stream, finish those, then close. */
  closeIdle(): void {
    if (this.#closed || this.#linger.started) return;
    if (!this.#goawaySent) {
      this.#goawaySent = true;
      this.#writer.goaway(this.#streams.lastProcessed, ErrorCode.NO_ERROR);
    }
    // An h2c upgrade's stream 1 is served first (open() runs right after this on a draining server).
    if (this.#streams.size === 0 && this.#upgrade === null) this.#endTransport();
    else this.#batch.commitSoon();
  }

  /** Close now, dropping what is queued. */
  destroy(): void {
    if (this.#closed) return;
    this.#reader.stop();
    this.#batch.discard();
    this.#transport.close();
  }

  tick(now: number): void {
    if (this.#closed) return;
    if (this.#linger.started) {
      if (this.#linger.expired(now)) this.destroy();
      return;
    }
    const limits = this.#limits;
    const options = this.#host.options;
    const batch = this.#batch;
    // A peer that does not read: nothing we write can reach it (CVE-2019-9517).
    if (batch.stalled(now, limits.stallTimeout)) {
      this.destroy();
      return;
    }
    if (this.#reader.inPreface) {
      if (now - this.#createdAt > options.headersTimeout) this.destroy();
      return;
    }
    batch.cork();
    try {
      if (!this.#writer.settingsAcked && now - this.#createdAt > limits.settingsTimeout) {
        // §6.5.3: "If the sender of a SETTINGS frame does not receive an acknowledgment within a
        // reasonable amount of time, it MAY issue a connection error of type SETTINGS_TIMEOUT."
        this.fail(new ConnectionError("SETTINGS_TIMEOUT"));
        return;
      }
      if (this.#blocks.open && now - this.#blocks.startedAt > options.headersTimeout) {
        this.fail(new ConnectionError("FIELD_BLOCK_TIMEOUT"));
        return;
      }
      if (this.#streams.size === 0) {
        if (now - this.#lastActive > options.keepAliveTimeout) this.closeIdle();
        return;
      }
      for (const stream of this.#streams.list()) {
        const ex = stream.exchange;
        if (!stream.remoteClosed && !stream.discarding && now - stream.openedAt > options.requestTimeout) {
          if (ex !== null && !ex.responded) {
            ex.body?.fail(new HttpError("REQUEST_TIMEOUT"));
            ex.answerInstead(WIRE_ERRORS.REQUEST_TIMEOUT.status, WIRE_ERRORS.REQUEST_TIMEOUT.reason);
            // The client is too slow to be worth draining.
            if (this.#streams.isOpen(stream)) this.resetStream(stream, ErrorCode.NO_ERROR);
          } else {
            this.resetStream(stream, ErrorCode.CANCEL);
          }
        } else if (stream.drainSince !== 0 && now - stream.drainSince > options.keepAliveTimeout) {
          // The response is done; the client is slow to finish a request nobody reads.
          this.resetStream(stream, ErrorCode.NO_ERROR);
        } else if (stream.stalledSince !== 0 && now - stream.stalledSince > limits.stallTimeout) {
          // A zero window the peer never reopens must not hold the stream and its data forever;
          // a peer that keeps doing so loses the connection.
          this.resetStream(stream, ErrorCode.CANCEL);
          try {
            this.#defences.spendStall(now);
          } catch (calm) {
            this.fail(calm as ConnectionError);
            return;
          }
        }
      }
    } finally {
      batch.uncork();
      batch.flush();
    }
  }

  // ── FrameSession ───────────────────────────────────────────────────────────────────────────

  get goawaySent(): boolean {
    return this.#goawaySent;
  }

  /**
   * The one place where protocol errors become frames (RFC 9113 §5.4): a stream error
   * resets the stream (and counts against the reset budget: the peer caused it, CVE-2025-8671);
   * a connection error sends GOAWAY with the last processed stream and closes (§5.4.1).
   */
  fail(error: ConnectionError | StreamError): void {
    if (error instanceof StreamError) {
      const stream = this.#streams.get(error.streamId);
      if (stream !== undefined) this.resetStream(stream, error.code, error.message);
      else {
        // A stream we do not track (idle or closed): RST_STREAM all the same.
        this.#writer.reset(error.streamId, error.code);
        this.#streams.ignore(error.streamId);
      }
      if (error.code === ErrorCode.NO_ERROR) return;
      try {
        this.#defences.spendReset(this.#host.now);
        return;
      } catch (calm) {
        error = calm as ConnectionError;
      }
    }
    if (this.#reader.stopped) return;
    // A request parsed before the error is served, as it would have been without the hold.
    this.#hold.release();
    this.#reader.stop();
    this.#blocks.abandon();
    this.#goawaySent = true;
    this.#writer.goaway(this.#streams.lastProcessed, error.code, error.message);
    if (error.code === ErrorCode.ENHANCE_YOUR_CALM) this.#host.flooded(this.#transport.info.remoteAddress);
    const reason = new Error(`HTTP/2 connection error ${errorCodeName(error.code)}: ${error.message}`);
    for (const stream of this.#streams.list()) this.closeStream(stream, CLOSED_RESET_SENT, reason);
    this.#endTransport();
  }

  /** A new request stream, served by the dispatcher once the next frame is known (request-hold.ts). */
  openRequest(id: number, head: RequestHead, endStream: boolean): void {
    const stream = this.#newStream(id, endStream, head.contentLength);
    const body = endStream ? null : new RequestBody(stream, head.contentLength, this.#host.options.maxBodySize);
    const ex = new Http2Exchange(this, stream, head, body);
    stream.serve(ex);
    this.#hold.open(ex, id);
  }

  /** Answer a request the app never sees (431, 413) on a stream of its own. */
  reject(id: number, endStream: boolean, status: number, message: string): void {
    const stream = this.#newStream(id, endStream, -1);
    stream.discardBody();
    const bytes = textEncoder.encode(message);
    this.#writer.sendHeaders(stream, status, TEXT_PLAIN, bytes.length, false);
    this.#writer.queueData(stream, bytes, true, null);
  }

  #newStream(id: number, endStream: boolean, declaredLength: number): Http2Stream {
    const writer = this.#writer;
    const stream = new Http2Stream(id, this, writer.initialSendWindow, writer.initialRecvWindow, this.#host.now);
    stream.receiveHeaders(endStream, declaredLength);
    this.#streams.add(stream);
    this.#streamsOpened++;
    return stream;
  }

  /** Reset a stream from our side (RST_STREAM, §6.4). */
  resetStream(stream: Http2Stream, code: number, reason?: string): void {
    if (stream.isClosed || this.#closed) return;
    this.#writer.reset(stream.id, code);
    this.closeStream(stream, CLOSED_RESET_SENT, new Error(reason ?? `Stream reset (${errorCodeName(code)})`));
    this.#batch.commitSoon();
  }

  /** A stream is closed (§5.1): forget it, return its credit, stop its exchange. */
  closeStream(stream: Http2Stream, kind: number, reason?: unknown): void {
    if (!this.#streams.remove(stream, kind)) return;
    stream.close();
    this.#writer.forget(stream);
    // Unread body bytes will never be read: the connection window gets them back.
    const owed = stream.takeUncredited();
    if (owed > 0 && !this.#closed && !this.#reader.stopped) this.#writer.creditConnection(owed);
    const ex = stream.exchange;
    if (ex !== null && !this.#hold.drop(ex) && ex.streamClosed(reason)) this.#streams.zombieStarted();
    stream.wakeWriter();
    this.#lastActive = this.#host.now;
    this.#maybeFinish();
  }

  /** The peer sent GOAWAY (§6.8): the connection ends once its streams are done. */
  peerGoaway(): void {
    this.#peerGoaway = true;
    this.#maybeFinish();
  }

  // ── SchedulerEvents ────────────────────────────────────────────────────────────────────────

  /** We sent END_STREAM (§5.1). */
  endSent(stream: Http2Stream): void {
    stream.exchange?.responseSent();
    stream.wakeWriter();
    if (stream.isClosed) {
      this.closeStream(stream, CLOSED_ENDED);
      return;
    }
    // The response is complete but the request is not (§8.1). The rest of the body is read and
    // dropped — so its framing is still checked, and the stream still answers the client's
    // frames — up to DRAIN_LIMIT octets for a short while; a longer rest is cut with RST_STREAM
    // NO_ERROR: "a server MAY request that the client abort transmission of a request without
    // error by sending a RST_STREAM with an error code of NO_ERROR after sending a complete response".
    const body = stream.exchange?.body ?? null;
    if (body !== null && !stream.discarding) body.discardRest();
    if (!stream.drainRest(DRAIN_LIMIT, stamp(this.#host.now))) this.resetStream(stream, ErrorCode.NO_ERROR);
  }

  // ── StreamHost ─────────────────────────────────────────────────────────────────────────────

  /** The handler read from the body — give the peer credit for it (§6.9). */
  bodyConsumed(stream: Http2Stream): void {
    const ex = stream.exchange;
    if (ex === null || this.#closed) return;
    const body = ex.body;
    if (body === null) return;
    ex.inviteBody();
    const consumed = stream.takeConsumed(body.buffered);
    if (consumed > 0) {
      this.#writer.creditConnection(consumed);
      this.#writer.creditStream(stream, consumed);
    }
    this.#batch.commitSoon();
  }

  /** The handler gave up on the body: credit what it held, drop what comes. */
  bodyDiscarded(stream: Http2Stream): void {
    stream.discardBody();
    if (this.#closed) return;
    const owed = stream.takeUncredited();
    if (owed > 0) {
      this.#writer.creditConnection(owed);
      this.#writer.creditStream(stream, owed);
      this.#batch.commitSoon();
    }
  }

  // ── StreamChannel ──────────────────────────────────────────────────────────────────────────

  get info(): TransportInfo {
    return this.#transport.info;
  }

  get server(): SessionHost {
    return this.#host;
  }

  get maxStreamBuffer(): number {
    return this.#limits.maxStreamBuffer;
  }

  get writeBlocked(): boolean {
    return this.#batch.blocked;
  }

  sendHeaders(
    stream: Http2Stream,
    status: number,
    fields: readonly string[],
    contentLength: number,
    endStream: boolean,
  ): void {
    this.#writer.sendHeaders(stream, status, fields, contentLength, endStream);
  }

  sendContinue(stream: Http2Stream): void {
    this.#writer.sendContinue(stream);
  }

  queueData(stream: Http2Stream, bytes: Uint8Array, end: boolean, trailers: string[] | null): void {
    this.#writer.queueData(stream, bytes, end, trailers);
  }

  commit(): void {
    this.#batch.commitSoon();
  }

  zombieSettled(): void {
    this.#streams.zombieSettled();
  }

  // ── the end ────────────────────────────────────────────────────────────────────────────────

  /** Close once nothing is left to do after GOAWAY (either way) or the peer's end. */
  #maybeFinish(): void {
    if (this.#streams.size > 0 || this.#closed || this.#linger.started) return;
    if (this.#goawaySent || this.#peerGoaway || this.#peerEnded) this.#endTransport();
  }

  #endTransport(): void {
    if (this.#closed || this.#linger.started) return;
    this.#reader.stop();
    this.#linger.start(this.#host.now);
    this.#batch.flush();
    this.#transport.end();
  }
}
