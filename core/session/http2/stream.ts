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
 * the peer (WINDOW_UPDATE) through the connection.
 * @module
 */
import type { BodySource, RequestBody } from "../../exchange/request-body.ts";
import { InboundWindow } from "./flow-control.ts";
import type { Http2Exchange } from "./http2-exchange.ts";

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

/** One stream of a connection. */
export class Http2Stream implements BodySource {
  readonly id: number;
  readonly #host: StreamHost;
  state: number = STATE_IDLE;
  /** Credit the peer gave us (§6.9); negative after the peer shrank its initial window (§6.9.2). */
  sendWindow: number;
  /** Credit we gave the peer (§6.9). */
  readonly recv: InboundWindow;
  /** Server clock when the request head arrived. */
  readonly openedAt: number;
  /** The request's content-length, or -1 (§8.1.1 checks DATA against it). */
  declaredLength = -1;
  /** DATA octets received, padding excluded. */
  received = 0;
  /** Octets handed to the request body and accepted by it. */
  delivered = 0;
  /** Of those, octets already credited back to the connection window. */
  credited = 0;
  /** Request DATA is dropped (and credited at once): the handler discarded the body, or answered. */
  discarding = false;
  exchange: Http2Exchange | null = null;
  /** Server clock when the response ended with the request still open (drained since), or 0. */
  drainSince = 0;
  /** `received` past which a drained request is cut with RST_STREAM NO_ERROR. */
  drainUntil = 0;

  // ── response side ──
  /** Response body chunks not yet sent; the first is sent from `queueOffset`. */
  readonly queue: Uint8Array[] = [];
  queueOffset = 0;
  /** Octets in `queue` not yet sent. */
  queued = 0;
  /** No more response data will be queued. */
  endQueued = false;
  /** END_STREAM (or the trailers carrying it) has been written. */
  endSent = false;
  /** Prepared trailer fields to send after the body, or null. */
  trailers: string[] | null = null;
  /** Server clock since when queued data waits for flow-control window, or 0. */
  stalledSince = 0;
  #writer: (() => void) | null = null;

  constructor(id: number, host: StreamHost, sendWindow: number, recvWindow: number, now: number) {
    this.id = id;
    this.#host = host;
    this.sendWindow = sendWindow;
    this.recv = new InboundWindow(recvWindow);
    this.openedAt = now;
  }

  /** The peer has sent END_STREAM (or the stream is closed): no more DATA or HEADERS may come. */
  get remoteClosed(): boolean {
    return this.state === STATE_HALF_CLOSED_REMOTE || this.state === STATE_CLOSED;
  }

  /** We have sent END_STREAM (or the stream is closed). */
  get localClosed(): boolean {
    return this.state === STATE_HALF_CLOSED_LOCAL || this.state === STATE_CLOSED;
  }

  /** §5.1 idle → open, or → half-closed (remote) when the HEADERS frame carries END_STREAM. */
  receiveHeaders(endStream: boolean): void {
    this.state = endStream ? STATE_HALF_CLOSED_REMOTE : STATE_OPEN;
  }

  /** §5.1 recv END_STREAM: open → half-closed (remote), half-closed (local) → closed. */
  receiveEndStream(): void {
    if (this.state === STATE_OPEN) this.state = STATE_HALF_CLOSED_REMOTE;
    else if (this.state === STATE_HALF_CLOSED_LOCAL) this.state = STATE_CLOSED;
  }

  /** §5.1 send END_STREAM: open → half-closed (local), half-closed (remote) → closed. */
  sendEndStream(): void {
    if (this.state === STATE_OPEN) this.state = STATE_HALF_CLOSED_LOCAL;
    else if (this.state === STATE_HALF_CLOSED_REMOTE) this.state = STATE_CLOSED;
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
