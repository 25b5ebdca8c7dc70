/**
 * One HTTP/2 stream as a server sees it (RFC 9113 §5.1): its state, both flow-control windows,
 * the request body accounting, and the response bytes queued until the peer's window opens.
 *
 * A server that never pushes only meets these states (the reserved ones need PUSH_PROMISE):
 *
 * ```
 *            recv HEADERS                      recv HEADERS + END_STREAM
 *   idle ───────────────────▶ open             idle ──────▶ half-closed (remote)
 *   open ── recv END_STREAM ─▶ half-closed (remote) ── send END_STREAM ─▶ closed
 *   open ── send END_STREAM ─▶ half-closed (local)  ── recv END_STREAM ─▶ closed
 *   any  ── send/recv RST_STREAM ─▶ closed
 * ```
 *
 * The stream is the {@link BodySource} of its request body: reading the body returns credit to
 * the peer (WINDOW_UPDATE) through its {@link StreamHost}.
 * @module
 */
import type { BodySource, RequestBody } from "../../exchange/request-body.ts";
import { StreamError } from "../../http2/errors.ts";
import { InboundWindow } from "./flow-control.ts";

export const STATE_IDLE = 0;
export const STATE_OPEN = 1;
export const STATE_HALF_CLOSED_LOCAL = 2;
export const STATE_HALF_CLOSED_REMOTE = 3;
export const STATE_CLOSED = 4;

const STATE_NAMES = ["idle", "open", "half-closed (local)", "half-closed (remote)", "closed"];

/** The name of a stream state, as RFC 9113 §5.1 spells it. */
export function streamStateName(state: number): string {
  return STATE_NAMES[state] ?? "unknown";
}

/** What a stream needs from its connection. */
export interface StreamHost {
  /** The request body of `stream` was read from: return credit to the peer. */
  bodyConsumed(stream: Http2Stream): void;
  /** The handler gave up on the body of `stream`: drop and credit what comes. */
  bodyDiscarded(stream: Http2Stream): void;
}

/** What the connection asks of the exchange served on a stream (`Http2Exchange` is one). */
export interface StreamExchange {
  readonly body: RequestBody | null;
  /** A response has been started. */
  readonly responded: boolean;
  /** The response is complete (END_STREAM sent). */
  readonly responseDone: boolean;
  /** The connection is gone: abort the request signal, the body and a streamed response. */
  disconnect(reason: unknown): void;
  /**
   * The stream closed (reset, or both sides ended; `reason` undefined: a plain close). Returns
   * true while the handler still runs: it then counts against the concurrency limit until it
   * settles (Rapid Reset, MadeYouReset).
   */
  streamClosed(reason: unknown): boolean;
  /** The handler reads the body: send the `100 Continue` the client may wait for (RFC 9110 §10.1.1). */
  inviteBody(): void;
  /** END_STREAM went out: the whole response is handed to the transport. */
  responseSent(): void;
  /** The connection answers for the app (the request timed out); the app's late answer is dropped. */
  answerInstead(status: number, message: string): void;
}

/** One stream of a connection. */
export class Http2Stream implements BodySource {
  readonly id: number;
  readonly #host: StreamHost;
  #state: number = STATE_IDLE;
  /** Credit the peer gave us (§6.9); negative after the peer shrank its initial window (§6.9.2). */
  #sendWindow: number;
  /** Credit we gave the peer (§6.9). */
  readonly recv: InboundWindow;
  /** Server clock when the request head arrived. */
  readonly openedAt: number;
  #exchange: StreamExchange | null = null;

  // ── request side ──
  /** The request's content-length, or -1 (§8.1.1 checks DATA against it). */
  #declaredLength = -1;
  /** DATA octets received, padding excluded. */
  #received = 0;
  /** Octets handed to the request body and accepted by it. */
  #delivered = 0;
  /** Of those, octets already credited back to the connection window. */
  #credited = 0;
  /** Request DATA is dropped (and credited at once): the handler discarded the body, or answered. */
  #discarding = false;
  /** Server clock when the response ended with the request still open (drained since), or 0. */
  #drainSince = 0;
  /** `#received` past which a drained request is cut with RST_STREAM NO_ERROR. */
  #drainUntil = 0;

  // ── response side ──
  /** Response body chunks not yet sent; the first is sent from `#queueOffset`. */
  readonly #queue: Uint8Array[] = [];
  #queueOffset = 0;
  /** Octets in `#queue` not yet sent. */
  #queued = 0;
  #dataSent = 0;
  /** No more response data will be queued. */
  #endQueued = false;
  /** END_STREAM (or the trailers carrying it) has been written. */
  #endSent = false;
  /** Prepared trailer fields to send after the body, or null. */
  #trailers: string[] | null = null;
  /** Server clock since when queued data waits for flow-control window, or 0. */
  #stalledSince = 0;
  #writer: (() => void) | null = null;

  constructor(id: number, host: StreamHost, sendWindow: number, recvWindow: number, now: number) {
    this.id = id;
    this.#host = host;
    this.#sendWindow = sendWindow;
    this.recv = new InboundWindow(recvWindow);
    this.openedAt = now;
  }

  // ── state (§5.1) ──

  get state(): number {
    return this.#state;
  }

  /** The peer has sent END_STREAM (or the stream is closed): no more DATA or HEADERS may come. */
  get remoteClosed(): boolean {
    return this.#state === STATE_HALF_CLOSED_REMOTE || this.#state === STATE_CLOSED;
  }

  /** We have sent END_STREAM (or the stream is closed). */
  get localClosed(): boolean {
    return this.#state === STATE_HALF_CLOSED_LOCAL || this.#state === STATE_CLOSED;
  }

  get isClosed(): boolean {
    return this.#state === STATE_CLOSED;
  }

  /**
   * §5.1 idle → open, or → half-closed (remote) when the HEADERS frame carries END_STREAM;
   * `declaredLength` is the request's content-length or -1.
   */
  receiveHeaders(endStream: boolean, declaredLength: number): void {
    this.#state = endStream ? STATE_HALF_CLOSED_REMOTE : STATE_OPEN;
    this.#declaredLength = declaredLength;
  }

  /**
   * §5.1 recv END_STREAM: open → half-closed (remote), half-closed (local) → closed. §8.1.1: the
   * DATA received must add up to the content-length.
   */
  receiveEndStream(): void {
    if (this.#declaredLength >= 0 && this.#received !== this.#declaredLength) {
      throw new StreamError(
        this.id,
        "CONTENT_LENGTH_MISMATCH",
        `DATA of ${this.#received} octets, content-length ${this.#declaredLength} (RFC 9113 §8.1.1)`,
      );
    }
    if (this.#state === STATE_OPEN) this.#state = STATE_HALF_CLOSED_REMOTE;
    else if (this.#state === STATE_HALF_CLOSED_LOCAL) this.#state = STATE_CLOSED;
  }

  /** §5.1 send END_STREAM: open → half-closed (local), half-closed (remote) → closed. */
  sendEndStream(): void {
    this.#endSent = true;
    this.#endQueued = true;
    if (this.#state === STATE_OPEN) this.#state = STATE_HALF_CLOSED_LOCAL;
    else if (this.#state === STATE_HALF_CLOSED_REMOTE) this.#state = STATE_CLOSED;
  }

  /** §5.1 → closed: reset either way, or the connection is gone. Queued response data is dropped. */
  close(): void {
    this.#state = STATE_CLOSED;
    this.#queue.length = 0;
    this.#queued = 0;
  }

  /** The exchange served on this stream, or null (a request the connection answered itself). */
  get exchange(): StreamExchange | null {
    return this.#exchange;
  }

  /** Serve the request of this stream with `exchange`. */
  serve(exchange: StreamExchange): void {
    this.#exchange = exchange;
  }

  // ── request body ──

  get received(): number {
    return this.#received;
  }

  /** Request DATA is read and dropped. */
  get discarding(): boolean {
    return this.#discarding;
  }

  /** Server clock when the response ended with the request still coming, or 0. */
  get drainSince(): number {
    return this.#drainSince;
  }

  /** DATA of `length` octets, padding excluded, arrived; §8.1.1: never more than the content-length. */
  receiveData(length: number): void {
    this.#received += length;
    if (this.#declaredLength >= 0 && this.#received > this.#declaredLength) {
      // §8.1.1: "A request or response is also malformed if the value of a content-length header
      // field does not equal the sum of the DATA frame payload lengths that form the content."
      throw new StreamError(
        this.id,
        "CONTENT_LENGTH_MISMATCH",
        `More DATA than the content-length ${this.#declaredLength} (RFC 9113 §8.1.1)`,
      );
    }
  }

  /** The request still coming after the response is more than we care to drain. */
  get overDrainLimit(): boolean {
    return this.#drainSince !== 0 && this.#received > this.#drainUntil;
  }

  /** The request body accepted `n` octets: they are credited once the handler reads them. */
  delivered(n: number): void {
    this.#delivered += n;
  }

  /** Octets the body accepted and no longer holds (`buffered` left): the credit owed now. */
  takeConsumed(buffered: number): number {
    const consumed = this.#delivered - buffered - this.#credited;
    if (consumed <= 0) return 0;
    this.#credited += consumed;
    return consumed;
  }

  /** Every octet the body accepted and was not yet credited for: nobody will read them. */
  takeUncredited(): number {
    const owed = this.#delivered - this.#credited;
    this.#credited = this.#delivered;
    return owed;
  }

  /** Drop request DATA from now on (the handler gave up on the body, or the app never sees it). */
  discardBody(): void {
    this.#discarding = true;
  }

  /**
   * The response is complete, the request is not (§8.1): read the rest and drop it, up to
   * `limit` more octets, from `since` on. Returns false when the declared rest is longer (then
   * the caller resets the stream).
   */
  drainRest(limit: number, since: number): boolean {
    this.#discarding = true;
    this.#drainUntil = this.#received + limit;
    this.#drainSince = since;
    return this.#declaredLength <= this.#drainUntil;
  }

  // ── response data ──

  /** Octets of response data queued and not yet sent. */
  get queued(): number {
    return this.#queued;
  }

  /** No more response data will be queued. */
  get endQueued(): boolean {
    return this.#endQueued;
  }

  /** END_STREAM has been written. */
  get endSent(): boolean {
    return this.#endSent;
  }

  /** Trailer fields to send after the body, or null. */
  get trailers(): string[] | null {
    return this.#trailers;
  }

  get sendWindow(): number {
    return this.#sendWindow;
  }

  /** Server clock since when queued data waits for window, or 0. */
  get stalledSince(): number {
    return this.#stalledSince;
  }

  /** The chunk the next DATA frame is cut from, at {@link chunkOffset}. */
  get nextChunk(): Uint8Array {
    return this.#queue[0]!;
  }

  get chunkOffset(): number {
    return this.#queueOffset;
  }

  /** Queue response bytes (by reference); with `end`, the body ends (with `trailers`, or null). */
  enqueue(bytes: Uint8Array, end: boolean, trailers: string[] | null): void {
    if (bytes.length > 0) {
      this.#queue.push(bytes);
      this.#queued += bytes.length;
    }
    if (end) {
      this.#endQueued = true;
      this.#trailers = trailers;
    }
  }

  /** `n` octets from the front of the queue went out in a DATA frame, spending our send window. */
  sent(n: number): void {
    const chunk = this.#queue[0]!;
    const offset = this.#queueOffset + n;
    if (offset === chunk.length) {
      this.#queue.shift();
      this.#queueOffset = 0;
    } else {
      this.#queueOffset = offset;
    }
    this.#queued -= n;
    this.#dataSent += n;
    this.#sendWindow -= n;
    this.#stalledSince = 0;
  }

  /** Octets of response data sent in DATA frames so far. */
  get dataSent(): number {
    return this.#dataSent;
  }

  /** Queued data waits for window (§6.9.2), since `since` unless it already did. */
  stall(since: number): void {
    if (this.#stalledSince === 0) this.#stalledSince = since;
  }

  /** The peer moved our send window by `delta` (WINDOW_UPDATE, or its initial window changed, §6.9.2). */
  creditSend(delta: number): void {
    this.#sendWindow += delta;
  }

  // ── BodySource ──

  wantMore(_body: RequestBody): void {
    this.#host.bodyConsumed(this);
  }

  discard(_body: RequestBody): void {
    this.#host.bodyDiscarded(this);
  }

  // ── response producer backpressure ──

  /** Resolves when the producer may queue more (or the stream is gone). */
  waitWritable(): Promise<void> {
    return new Promise((resolve) => (this.#writer = resolve));
  }

  /** Wake a producer waiting in {@link waitWritable}. */
  wakeWriter(): void {
    const writer = this.#writer;
    if (writer !== null) {
      this.#writer = null;
      writer();
    }
  }

  /** Whether a producer is waiting. */
  get hasWriter(): boolean {
    return this.#writer !== null;
  }
}
