/**
 * What an HTTP/2 connection writes, and when: the frames themselves (HEADERS with HPACK, DATA
 * cut to the peer's frame size, the control answers), flow control both ways (RFC 9113 §5.2,
 * §6.9) and fairness between streams waiting for window.
 *
 * Frames go into the connection's {@link WriteBatch}: everything written while the connection
 * handles one read leaves in one write at its end; writes made later — by async handlers — are
 * coalesced per microtask (`WriteBatch.commitSoon`).
 *
 * Response data is queued per stream by reference and sent as both windows and the socket
 * allow. Streams that wait — for window, or for the socket to drain — are served round-robin,
 * one DATA frame each per round, so one large response cannot starve the others.
 * @module
 */
import { BlockBuffer, HpackEncoder } from "../../hpack/mod.ts";
import { ConnectionError, StreamError } from "../../http2/errors.ts";
import { DEFAULT_WINDOW, FRAME_HEADER_LENGTH, MAX_WINDOW } from "../../http2/frame-types.ts";
import {
  writeData,
  writeGoaway,
  writeHeaderBlock,
  writePing,
  writeRstStream,
  writeSettings,
  writeSettingsAck,
  writeWindowUpdate,
} from "../../http2/frame-writer.ts";
import { encodeResponseBlock, encodeTrailerBlock, statusField } from "../../http2/response-headers.ts";
import {
  applySettings,
  encodeSettings,
  PeerSettings,
  SETTINGS_INITIAL_WINDOW_SIZE,
  SETTINGS_MAX_CONCURRENT_STREAMS,
  SETTINGS_MAX_FRAME_SIZE,
  SETTINGS_MAX_HEADER_LIST_SIZE,
} from "../../http2/settings.ts";
import { type Clock, stamp } from "../clock.ts";
import type { WriteBatch } from "../write-batch.ts";
import type { Defences } from "./defences.ts";
import { addCredit, InboundWindow } from "./flow-control.ts";
import type { Http2Limits } from "./limits.ts";
import type { Http2Stream } from "./stream.ts";
import type { StreamTable } from "./stream-table.ts";

/** What the scheduler tells its connection. */
export interface SchedulerEvents {
  /** END_STREAM went out on `stream` (§5.1). */
  endSent(stream: Http2Stream): void;
  /** The peer keeps sending frames that need an answer while it reads none: give up on it. */
  destroy(): void;
}

/** The write side and the flow-control windows of one connection. */
export class WriteScheduler {
  readonly #batch: WriteBatch;
  readonly #clock: Clock;
  readonly #events: SchedulerEvents;
  readonly #streams: StreamTable;
  readonly #defences: Defences;
  readonly #limits: Http2Limits;
  /** The client's settings (§6.5.2). */
  readonly #peer: PeerSettings = new PeerSettings();
  readonly #encoder: HpackEncoder = new HpackEncoder();
  readonly #block: BlockBuffer = new BlockBuffer(512);

  /** Credit the peer gave the connection (§6.9). */
  #sendWindow = DEFAULT_WINDOW;
  /** Credit we gave the peer on the connection. */
  readonly #recv: InboundWindow = new InboundWindow(DEFAULT_WINDOW);
  /** Our initial stream window as the peer knows it: the default until it acknowledges ours. */
  #recvInitial = DEFAULT_WINDOW;
  #settingsAcked = false;
  /** Streams with response data waiting for window or for the socket. */
  readonly #waiting = new Set<Http2Stream>();

  constructor(
    batch: WriteBatch,
    clock: Clock,
    events: SchedulerEvents,
    streams: StreamTable,
    defences: Defences,
    limits: Http2Limits,
  ) {
    this.#batch = batch;
    this.#clock = clock;
    this.#events = events;
    this.#streams = streams;
    this.#defences = defences;
    this.#limits = limits;
  }

  /** The window a new stream starts with, each way (§6.9.2). */
  get initialSendWindow(): number {
    return this.#peer.initialWindowSize;
  }
  get initialRecvWindow(): number {
    return this.#recvInitial;
  }

  /** The peer acknowledged our SETTINGS (§6.5.3). */
  get settingsAcked(): boolean {
    return this.#settingsAcked;
  }

  // ── settings ───────────────────────────────────────────────────────────────────────────────

  /** §3.4: the server preface is a SETTINGS frame; then open the connection window. */
  writePreface(): void {
    const limits = this.#limits;
    const entries: [number, number][] = [
      [SETTINGS_MAX_CONCURRENT_STREAMS, limits.maxConcurrentStreams],
      [SETTINGS_MAX_HEADER_LIST_SIZE, limits.maxHeaderListSize],
    ];
    if (limits.initialWindowSize !== DEFAULT_WINDOW) {
      entries.push([SETTINGS_INITIAL_WINDOW_SIZE, limits.initialWindowSize]);
    }
    if (limits.maxFrameSize !== 16384) entries.push([SETTINGS_MAX_FRAME_SIZE, limits.maxFrameSize]);
    const sink = this.#batch.sink();
    writeSettings(sink, encodeSettings(entries));
    const grow = limits.connectionWindowSize - DEFAULT_WINDOW;
    if (grow > 0) {
      writeWindowUpdate(sink, 0, grow);
      this.#recv.resize(limits.connectionWindowSize);
    }
  }

  /** RFC 7540 §3.2.1: an h2c upgrade's HTTP2-Settings is the client's first SETTINGS, acknowledged by the 101. */
  applyUpgradeSettings(payload: Uint8Array): void {
    applySettings(this.#peer, payload, 0, payload.length);
    this.#encoder.setMaxTableSize(this.#peer.headerTableSize);
  }

  /** §6.5 SETTINGS from the peer: apply them in order, adjust the stream windows, acknowledge. */
  applyPeerSettings(b: Uint8Array, start: number, end: number): void {
    const peer = this.#peer;
    const oldWindow = peer.initialWindowSize;
    applySettings(peer, b, start, end);
    this.#encoder.setMaxTableSize(peer.headerTableSize);
    const delta = peer.initialWindowSize - oldWindow;
    if (delta !== 0) {
      // §6.9.2: "a receiver MUST adjust the size of all stream flow-control windows that it
      // maintains by the difference between the new value and the old value"; "An endpoint MUST
      // treat a change to SETTINGS_INITIAL_WINDOW_SIZE that causes any flow-control window to
      // exceed the maximum size as a connection error of type FLOW_CONTROL_ERROR."
      for (const stream of this.#streams.values()) {
        stream.creditSend(delta);
        if (stream.sendWindow > MAX_WINDOW) {
          throw new ConnectionError(
            "WINDOW_OVERFLOW",
            `SETTINGS_INITIAL_WINDOW_SIZE takes stream ${stream.id} past 2^31-1 (RFC 9113 §6.9.2)`,
          );
        }
      }
    }
    // §6.5.3: "Upon receiving a SETTINGS frame without the ACK flag set, the recipient MUST
    // immediately emit a SETTINGS frame with the ACK flag set."
    writeSettingsAck(this.#batch.sink());
    this.#answered();
    if (delta > 0) this.pump();
  }

  /** §6.5.3: our settings now apply — the initial window of streams we receive on (§6.9.2). */
  settingsAcknowledged(): void {
    if (this.#settingsAcked) return;
    this.#settingsAcked = true;
    const size = this.#limits.initialWindowSize;
    if (size === this.#recvInitial) return;
    this.#recvInitial = size;
    for (const stream of this.#streams.values()) stream.recv.resize(size);
  }

  // ── flow control, inbound ──────────────────────────────────────────────────────────────────

  /** A DATA frame of `n` octets arrived: false when it exceeds the connection window (§6.9.1). */
  receive(n: number): boolean {
    return this.#recv.receive(n);
  }

  /** `n` received octets were consumed or dropped: return them to the connection window. */
  creditConnection(n: number): void {
    const increment = this.#recv.consume(n);
    if (increment > 0) writeWindowUpdate(this.#batch.sink(), 0, increment);
  }

  /** `n` octets of `stream` were consumed or dropped: return them to its window. */
  creditStream(stream: Http2Stream, n: number): void {
    if (stream.remoteClosed) return; // no more DATA can come: no credit needed
    const increment = stream.recv.consume(n);
    if (increment > 0) writeWindowUpdate(this.#batch.sink(), stream.id, increment);
  }

  // ── flow control, outbound ─────────────────────────────────────────────────────────────────

  /** §6.9 WINDOW_UPDATE on the connection (`stream` null) or a stream. */
  windowUpdate(stream: Http2Stream | null, increment: number): void {
    if (stream === null) {
      const next = addCredit(this.#sendWindow, increment);
      // §6.9.1: "If a sender receives a WINDOW_UPDATE that causes a flow-control window to exceed
      // this maximum, it MUST terminate either the stream or the connection, as appropriate."
      if (next < 0) {
        throw new ConnectionError(
          "WINDOW_OVERFLOW",
          "WINDOW_UPDATE takes the connection window past 2^31-1 (RFC 9113 §6.9.1)",
        );
      }
      this.#sendWindow = next;
      this.pump();
      return;
    }
    const next = addCredit(stream.sendWindow, increment);
    if (next < 0) {
      throw new StreamError(
        stream.id,
        "WINDOW_OVERFLOW",
        "WINDOW_UPDATE takes the stream window past 2^31-1 (RFC 9113 §6.9.1)",
      );
    }
    stream.creditSend(increment);
    if (this.#waiting.has(stream)) this.#writeStream(stream, Number.POSITIVE_INFINITY);
  }

  // ── responses ──────────────────────────────────────────────────────────────────────────────

  /** The response head of a stream (§8.1): HEADERS (+ CONTINUATION) frames. */
  sendHeaders(
    stream: Http2Stream,
    status: number,
    fields: readonly string[],
    contentLength: number,
    endStream: boolean,
  ): void {
    if (stream.isClosed || this.#batch.closed) return;
    encodeResponseBlock(this.#encoder, this.#startBlock(), status, fields, contentLength);
    this.#writeBlock(stream, endStream);
    if (endStream) this.#endSent(stream);
  }

  /** An interim `100 Continue` (RFC 9110 §15.2.1) as a HEADERS frame without END_STREAM. */
  sendContinue(stream: Http2Stream): void {
    if (stream.isClosed || this.#batch.closed) return;
    const out = this.#startBlock();
    this.#encoder.encode([], out);
    const status = statusField(100);
    out.ensure(status.length).set(status, out.length);
    out.length += status.length;
    this.#writeBlock(stream, false);
    this.#batch.commitSoon();
  }

  /** The block buffer, emptied, with room for a frame header before the field block. */
  #startBlock(): BlockBuffer {
    const out = this.#block;
    out.reset();
    out.ensure(FRAME_HEADER_LENGTH);
    out.length = FRAME_HEADER_LENGTH;
    return out;
  }

  #writeBlock(stream: Http2Stream, endStream: boolean): void {
    const out = this.#block;
    writeHeaderBlock(
      this.#batch.sink(),
      stream.id,
      out.bytes,
      FRAME_HEADER_LENGTH,
      out.length,
      endStream,
      this.#peer.maxFrameSize,
    );
  }

  /**
   * Queue response body bytes (kept by reference until sent) and, with `end`, the end of the
   * body and its trailers; sends what the windows allow now.
   */
  queueData(stream: Http2Stream, bytes: Uint8Array, end: boolean, trailers: string[] | null): void {
    if (stream.isClosed || stream.endQueued || this.#batch.closed) return;
    stream.enqueue(bytes, end, trailers);
    this.#writeStream(stream, Number.POSITIVE_INFINITY);
  }

  /**
   * Write a stream's queued response data as the windows (§6.9) and the socket allow, at most
   * `maxFrames` DATA frames; then END_STREAM (on the last DATA, an empty DATA, or the trailers).
   * Returns whether anything was written.
   */
  #writeStream(stream: Http2Stream, maxFrames: number): boolean {
    if (stream.endSent || stream.isClosed) return false;
    const maxFrameSize = this.#peer.maxFrameSize;
    let frames = 0;
    let ended = false;
    while (stream.queued > 0) {
      if (this.#batch.blocked) {
        this.#waiting.add(stream);
        return frames > 0;
      }
      const avail = Math.min(stream.sendWindow, this.#sendWindow);
      if (avail <= 0) {
        // §6.9.2: a window may even be negative; wait for WINDOW_UPDATE or SETTINGS.
        this.#waiting.add(stream);
        stream.stall(stamp(this.#clock.now));
        return frames > 0;
      }
      if (frames >= maxFrames) {
        this.#waiting.add(stream);
        return true;
      }
      const chunk = stream.nextChunk;
      const offset = stream.chunkOffset;
      const n = Math.min(chunk.length - offset, avail, maxFrameSize);
      ended = n === stream.queued && stream.endQueued && stream.trailers === null;
      writeData(this.#batch.sink(), stream.id, chunk, offset, offset + n, ended); // acquired each time: a flush hands the sink back
      frames++;
      stream.sent(n);
      this.#sendWindow -= n;
      this.#batch.flushIfFull();
    }
    this.#waiting.delete(stream);
    if (stream.endQueued && !ended) {
      const trailers = stream.trailers;
      if (trailers !== null) {
        encodeTrailerBlock(this.#encoder, this.#startBlock(), trailers);
        this.#writeBlock(stream, true);
      } else {
        writeData(this.#batch.sink(), stream.id, null, 0, 0, true);
      }
      ended = true;
    }
    if (ended) this.#endSent(stream);
    else if (stream.hasWriter && !this.#batch.blocked) stream.wakeWriter();
    return true;
  }

  /** END_STREAM went out (§5.1). */
  #endSent(stream: Http2Stream): void {
    stream.sendEndStream();
    this.#events.endSent(stream);
  }

  /** Round-robin the streams waiting for window, one frame each per round, fairly. */
  pump(): void {
    let progress = true;
    while (progress && this.#waiting.size > 0 && !this.#batch.blocked && this.#sendWindow > 0 && !this.#batch.closed) {
      progress = false;
      for (const stream of [...this.#waiting]) {
        if (this.#writeStream(stream, 1)) progress = true;
      }
    }
    const limit = this.#limits.maxStreamBuffer;
    for (const stream of this.#waiting) {
      if (stream.hasWriter && stream.queued < limit && !this.#batch.blocked) stream.wakeWriter();
    }
  }

  /** A stream closed: it waits for nothing any more. */
  forget(stream: Http2Stream): void {
    this.#waiting.delete(stream);
  }

  // ── control frames ─────────────────────────────────────────────────────────────────────────

  /** §6.7: "Receivers of a PING frame that does not include an ACK flag MUST send a PING frame with the ACK flag set in response, with an identical frame payload." */
  pingAck(b: Uint8Array, start: number): void {
    writePing(this.#batch.sink(), true, b, start);
    this.#answered();
  }

  /** RST_STREAM (§6.4). */
  reset(id: number, code: number): void {
    writeRstStream(this.#batch.sink(), id, code);
    this.#answered();
  }

  /** GOAWAY (§6.8). */
  goaway(lastStreamId: number, code: number, debug?: string): void {
    writeGoaway(this.#batch.sink(), lastStreamId, code, debug);
  }

  /** A frame that answers the peer's was written. */
  #answered(): void {
    // A peer that floods us with frames needing an answer while not reading our answers.
    if (this.#batch.blocked && !this.#defences.answeredWhileBlocked()) this.#events.destroy();
  }

  /** The transport drained: send what waits, and wake producers with room in their buffer. */
  resume(): void {
    this.#defences.unblocked();
    const batch = this.#batch;
    if (batch.closed) return;
    batch.cork();
    this.pump();
    const limit = this.#limits.maxStreamBuffer;
    for (const stream of this.#streams.values()) {
      if (stream.hasWriter && stream.queued < limit) stream.wakeWriter();
    }
    batch.uncork();
    batch.flush();
  }

  /** The transport closed: nothing waits any more. */
  stop(): void {
    this.#waiting.clear();
  }
}
