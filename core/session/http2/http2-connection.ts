/**
 * An HTTP/2 server connection (RFC 9113): the connection preface, the frame loop, streams and
 * their states, flow control both ways, HPACK, graceful shutdown, timeouts and the defences
 * against abusive peers. It serves each request as an {@link Http2Exchange} through the server's
 * dispatcher, the same way HTTP/1.1 requests are served.
 *
 * Input is parsed in place: complete frames are handled straight from the bytes the transport
 * gave, only a frame split across reads is copied (into one buffer of the largest frame size).
 * Everything written while handling one read — SETTINGS ACKs, PING ACKs, WINDOW_UPDATEs, the
 * responses a synchronous handler produced — is appended to the process-wide byte sink and leaves
 * in one write; writes made later (async handlers) are coalesced per microtask.
 *
 * Errors are thrown as {@link ConnectionError} or {@link StreamError} by parsers and handlers and
 * answered in one place, `#fail`: GOAWAY and close, or RST_STREAM.
 * @module
 */
import { HttpError } from "../../http/http-error.ts";
import { TEXT_PLAIN as PLAIN } from "../../http/wire-errors.ts";
import { BlockBuffer, HpackDecoder, HpackEncoder, HpackError } from "../../hpack/mod.ts";
import type { RequestHead } from "../../http/request-head.ts";
import { RequestBody } from "../../exchange/request-body.ts";
import { type ByteSink, sharedSink } from "../../bytes/byte-sink.ts";
import type { ManagedConnection } from "../../transport/managed-connection.ts";
import type { SessionHost } from "../session-host.ts";
import type { Transport } from "../../transport/transport.ts";
import { Defences } from "./defences.ts";
import { ConnectionError, ErrorCode, errorCodeName, StreamError } from "../../http2/errors.ts";
import { addCredit, InboundWindow } from "./flow-control.ts";
import { type Frame, newFrame, readFrameHeader } from "../../http2/frame-header.ts";
import { parseFrame } from "../../http2/frame-parsers.ts";
import {
  CLIENT_PREFACE,
  DEFAULT_WINDOW,
  FLAG_ACK,
  FLAG_END_HEADERS,
  FLAG_END_STREAM,
  FRAME_CONTINUATION,
  FRAME_DATA,
  FRAME_GOAWAY,
  FRAME_HEADER_LENGTH,
  FRAME_HEADERS,
  FRAME_PING,
  FRAME_PRIORITY,
  FRAME_RST_STREAM,
  FRAME_SETTINGS,
  FRAME_WINDOW_UPDATE,
  frameTypeName,
  MAX_WINDOW,
} from "../../http2/frame-types.ts";
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
import { Http2Exchange } from "./http2-exchange.ts";
import { type Http2Limits, resolveHttp2Limits } from "./limits.ts";
import { buildRequestHead, validateTrailers } from "../../http2/request-headers.ts";
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
import { Http2Stream, STATE_CLOSED, type StreamHost } from "./stream.ts";

/** Where the connection is in its life. */
const PHASE_PREFACE = 0; // reading the 24-octet client preface (§3.4)
const PHASE_SETTINGS = 1; // the next frame must be the client's SETTINGS (§3.4)
const PHASE_FRAMES = 2;
const PHASE_DONE = 3; // GOAWAY for an error sent, or closed: input is ignored

/** How a stream we no longer track ended; decides the answer to late frames (§5.1). */
const CLOSED_ENDED = 1; // both sides sent END_STREAM
const CLOSED_RESET_SENT = 2; // we sent RST_STREAM (or ignored the stream after GOAWAY)
const CLOSED_RESET_RECEIVED = 3; // the peer sent RST_STREAM

/** A batch is sent early once it holds this much. */
const FLUSH_THRESHOLD = 256 * 1024;
/** After our GOAWAY for an error, or our end, the peer has this long to close. */
const LINGER_MS = 5_000;
/** WINDOW_UPDATE increments below this count against the control budget (data dribble). */
const TINY_INCREMENT = 1024;
/** Control frames written while the peer does not read (PING/SETTINGS/RST floods, CVE-2019-9512). */
const MAX_BLOCKED_CONTROL = 1000;
/** Request body left to receive after the response that is still read and dropped, not reset. */
const DRAIN_LIMIT = 256 * 1024;

const textEncoder = new TextEncoder();
const TEXT_PLAIN = ["content-type", PLAIN];

/** The request of an `Upgrade: h2c` (RFC 7540 §3.2) that becomes stream 1. */
export interface Http2Upgrade {
  head: RequestHead;
  /** The decoded HTTP2-Settings payload, applied as the client's first SETTINGS. */
  settings: Uint8Array;
}

/** One HTTP/2 connection; made by the server's protocol sniffer or an h2c upgrade. */
export class Http2Connection implements ManagedConnection, StreamHost {
  readonly transport: Transport;
  readonly #host: SessionHost;
  readonly limits: Http2Limits;
  /** The client's settings (§6.5.2). */
  readonly peer: PeerSettings = new PeerSettings();
  readonly #decoder: HpackDecoder;
  readonly #encoder: HpackEncoder = new HpackEncoder();
  readonly #block: BlockBuffer = new BlockBuffer(512);
  readonly #frame: Frame = newFrame();
  readonly #defences: Defences;
  #phase = PHASE_PREFACE;
  #prefaceAt = 0;

  // A frame split across reads.
  #held: Uint8Array | null = null;
  #heldLength = 0;

  // A field block spread over HEADERS + CONTINUATION frames (§4.3).
  #blockStream = 0;
  #blockFlags = 0;
  #blockDeferred: StreamError | null = null;
  #blockFrames = 0;
  #blockStartedAt = 0;
  #blockBuf: Uint8Array | null = null;
  #blockLength = 0;

  readonly #streams = new Map<number, Http2Stream>();
  /** Recently closed streams and how they ended, oldest first (bounded). */
  readonly #closed = new Map<number, number>();
  /** Highest client stream id seen: lower idle ids are implicitly closed (§5.1.1). */
  #highestStreamId = 0;
  /** Highest stream id processed: the GOAWAY Last-Stream-ID (§6.8). */
  #lastProcessed = 0;
  /** Exchanges whose stream closed while the handler still runs (MadeYouReset, Rapid Reset). */
  #zombies = 0;

  /** Credit the peer gave the connection (§6.9). */
  #sendWindow = DEFAULT_WINDOW;
  /** Credit we gave the peer on the connection. */
  readonly #recv: InboundWindow;
  /** Our initial stream window as the peer knows it: the default until it acknowledges ours. */
  #recvInitial = DEFAULT_WINDOW;
  /** Streams with response data waiting for window or for the socket. */
  readonly #waiting = new Set<Http2Stream>();

  #corked = 0;
  #flushQueued = false;
  readonly #flushTask: () => void;
  /** The transport is above its high-water mark: DATA waits for `drain()`. */
  writeBlocked = false;
  #blockedSince = 0;
  #controlWhileBlocked = 0;

  #goawaySent = false;
  #peerGoaway = false;
  #peerEnded = false;
  #settingsSentAt: number;
  #settingsAcked = false;
  #upgrade: Http2Upgrade | null;
  readonly #createdAt: number;
  closing = false;
  isClosed = false;
  closingSince = 0;
  lastActive: number;

  constructor(transport: Transport, host: SessionHost, upgrade: Http2Upgrade | null = null) {
    this.transport = transport;
    this.#host = host;
    // Options resolved by resolveOptions always carry limits; a hand-made options object may not.
    this.limits = host.options.http2 ?? resolveHttp2Limits();
    const now = host.now;
    this.lastActive = this.#createdAt = this.#settingsSentAt = now;
    this.#decoder = new HpackDecoder({ maxTableSize: 4096, maxHeaderListSize: this.limits.maxHeaderListSize });
    this.#recv = new InboundWindow(DEFAULT_WINDOW);
    this.#defences = new Defences(this.limits, now);
    this.#flushTask = () => {
      this.#flushQueued = false;
      this.flush();
    };
    this.#upgrade = upgrade;
    if (upgrade !== null) {
      // RFC 7540 §3.2.1: HTTP2-Settings counts as the client's first SETTINGS, acknowledged by
      // the 101 itself; the request was stream 1.
      applySettings(this.peer, upgrade.settings, 0, upgrade.settings.length);
      this.#encoder.setMaxTableSize(this.peer.headerTableSize);
      this.#highestStreamId = this.#lastProcessed = 1;
    }
    this.#writePreface();
  }

  /** §3.4: the server preface is a SETTINGS frame; then open the connection window. */
  #writePreface(): void {
    const limits = this.limits;
    const entries: [number, number][] = [
      [SETTINGS_MAX_CONCURRENT_STREAMS, limits.maxConcurrentStreams],
      [SETTINGS_MAX_HEADER_LIST_SIZE, limits.maxHeaderListSize],
    ];
    if (limits.initialWindowSize !== DEFAULT_WINDOW) {
      entries.push([SETTINGS_INITIAL_WINDOW_SIZE, limits.initialWindowSize]);
    }
    if (limits.maxFrameSize !== 16384) entries.push([SETTINGS_MAX_FRAME_SIZE, limits.maxFrameSize]);
    const sink = this.#sink();
    writeSettings(sink, encodeSettings(entries));
    const grow = limits.connectionWindowSize - DEFAULT_WINDOW;
    if (grow > 0) {
      writeWindowUpdate(sink, 0, grow);
      this.#recv.size = this.#recv.available = limits.connectionWindowSize;
    }
    this.commit();
  }

  /** After an h2c upgrade: serve the upgraded request as stream 1 (half-closed remote). */
  open(): void {
    const upgrade = this.#upgrade;
    if (upgrade === null) return;
    this.#upgrade = null;
    this.#corked++;
    try {
      this.#openStream(1, upgrade.head, true);
    } finally {
      this.#corked--;
    }
    this.commit();
  }

  /** Open streams (for tests and diagnostics). */
  get streamCount(): number {
    return this.#streams.size;
  }

  // ── ConnectionHandler ──────────────────────────────────────────────────────────────────────

  data(bytes: Uint8Array): void {
    if (this.isClosed || this.#phase === PHASE_DONE) return;
    this.lastActive = this.#host.now;
    this.#corked++;
    try {
      this.#read(bytes);
    } catch (error) {
      // A bug of ours must cost one connection, never the process.
      this.#corked--;
      this.#host.options.onError(error);
      this.destroy();
      return;
    }
    this.#corked--;
    this.flush();
  }

  drain(): void {
    this.writeBlocked = false;
    this.#blockedSince = 0;
    this.#controlWhileBlocked = 0;
    if (this.isClosed) return;
    this.#corked++;
    this.#pumpWaiting();
    for (const stream of this.#streams.values()) {
      if (stream.hasWriter && stream.queued < this.limits.maxStreamBuffer) stream.wakeWriter();
    }
    this.#corked--;
    this.flush();
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
    if (this.isClosed) return;
    this.#corked++;
    for (const stream of [...this.#streams.values()]) {
      this.#closeStream(
        stream,
        CLOSED_RESET_SENT,
        stream.remoteClosed
          ? new Error("Client closed the connection")
          : new HttpError(400, "Connection closed before the request was complete", "INCOMPLETE_BODY"),
      );
    }
    this.#corked--;
    this.#maybeFinish();
    this.flush();
  }

  closed(error?: unknown): void {
    if (this.isClosed) return;
    this.isClosed = true;
    this.closing = true;
    this.#phase = PHASE_DONE;
    this.#host.forget(this);
    const reason = error ?? new Error("Client disconnected");
    for (const stream of this.#streams.values()) {
      stream.state = STATE_CLOSED;
      const ex = stream.exchange;
      if (ex !== null && !ex.responseDone) ex.disconnect(reason);
      stream.wakeWriter();
    }
    this.#streams.clear();
    this.#waiting.clear();
    if (sharedSink.owner === this) sharedSink.take();
  }

  // ── ManagedConnection ──────────────────────────────────────────────────────────────────────

  /** Graceful shutdown (§6.8): GOAWAY with the last processed stream, finish those, then close. */
  closeIdle(): void {
    if (this.isClosed || this.closingSince !== 0) return;
    if (!this.#goawaySent) {
      this.#goawaySent = true;
      writeGoaway(this.#sink(), this.#lastProcessed, ErrorCode.NO_ERROR);
    }
    // An h2c upgrade's stream 1 is served first (open() runs right after this on a draining server).
    if (this.#streams.size === 0 && this.#upgrade === null) this.#endTransport();
    else this.commit();
  }

  /** Close now, dropping what is queued. */
  destroy(): void {
    if (this.isClosed) return;
    this.closing = true;
    this.#phase = PHASE_DONE;
    if (sharedSink.owner === this) sharedSink.take();
    this.transport.close();
  }

  tick(now: number): void {
    if (this.isClosed) return;
    if (this.closingSince !== 0) {
      if (now - this.closingSince > LINGER_MS) this.destroy();
      return;
    }
    const limits = this.limits;
    const options = this.#host.options;
    // A peer that does not read: nothing we write can reach it (CVE-2019-9517).
    if (this.writeBlocked && this.#blockedSince !== 0 && now - this.#blockedSince > limits.stallTimeout) {
      this.destroy();
      return;
    }
    if (this.#phase < PHASE_FRAMES) {
      if (now - this.#createdAt > options.headersTimeout) this.destroy();
      return;
    }
    this.#corked++;
    try {
      if (!this.#settingsAcked && now - this.#settingsSentAt > limits.settingsTimeout) {
        // §6.5.3: "If the sender of a SETTINGS frame does not receive an acknowledgment within a
        // reasonable amount of time, it MAY issue a connection error of type SETTINGS_TIMEOUT."
        this.#fail(
          new ConnectionError(ErrorCode.SETTINGS_TIMEOUT, "SETTINGS not acknowledged in time (RFC 9113 §6.5.3)"),
        );
        return;
      }
      if (this.#blockStream !== 0 && now - this.#blockStartedAt > options.headersTimeout) {
        this.#fail(new ConnectionError(ErrorCode.ENHANCE_YOUR_CALM, "Field block not completed in time"));
        return;
      }
      if (this.#streams.size === 0) {
        if (now - this.lastActive > options.keepAliveTimeout) this.closeIdle();
        return;
      }
      for (const stream of [...this.#streams.values()]) {
        const ex = stream.exchange;
        if (!stream.remoteClosed && !stream.discarding && now - stream.openedAt > options.requestTimeout) {
          if (ex !== null && !ex.responded) {
            ex.body?.fail(new HttpError(408, "Request body not received in time", "REQUEST_TIMEOUT"));
            this.#answer(stream, 408, "Request body not received in time");
            ex.superseded = true;
            // The client is too slow to be worth draining.
            if (this.#streams.has(stream.id)) this.resetStream(stream, ErrorCode.NO_ERROR);
          } else {
            this.resetStream(stream, ErrorCode.CANCEL);
          }
        } else if (stream.drainSince !== 0 && now - stream.drainSince > options.keepAliveTimeout) {
          // The response is done; the client is slow to finish a request nobody reads.
          this.resetStream(stream, ErrorCode.NO_ERROR);
        } else if (stream.stalledSince !== 0 && now - stream.stalledSince > limits.stallTimeout) {
          // A zero window the peer never reopens must not hold the stream and its data forever.
          this.resetStream(stream, ErrorCode.CANCEL);
        }
      }
    } finally {
      this.#corked--;
      this.flush();
    }
  }

  // ── reading ────────────────────────────────────────────────────────────────────────────────

  #read(bytes: Uint8Array): void {
    const end = bytes.length;
    let at = 0;
    if (this.#phase === PHASE_PREFACE) {
      const preface = CLIENT_PREFACE;
      while (at < end && this.#prefaceAt < preface.length) {
        if (bytes[at] !== preface[this.#prefaceAt]) {
          // §3.4: "Clients and servers MUST treat an invalid connection preface as a connection
          // error of type PROTOCOL_ERROR."
          this.#fail(new ConnectionError(ErrorCode.PROTOCOL_ERROR, "Invalid connection preface (RFC 9113 §3.4)"));
          return;
        }
        at++;
        this.#prefaceAt++;
      }
      if (this.#prefaceAt < preface.length) return;
      this.#phase = PHASE_SETTINGS;
    }
    if (this.#heldLength > 0) {
      at = this.#completeHeld(bytes, at);
      if (at < 0 || this.#phase === PHASE_DONE) return;
    }
    const f = this.#frame;
    const maxFrameSize = this.limits.maxFrameSize;
    while (end - at >= FRAME_HEADER_LENGTH) {
      readFrameHeader(bytes, at, f);
      if (f.length > maxFrameSize) return this.#frameTooLarge(f);
      const total = FRAME_HEADER_LENGTH + f.length;
      if (end - at < total) break;
      this.#handleFrame(bytes, at + FRAME_HEADER_LENGTH);
      if (this.#phase === PHASE_DONE) return;
      at += total;
    }
    if (at < end) {
      const held = (this.#held ??= new Uint8Array(FRAME_HEADER_LENGTH + maxFrameSize));
      held.set(bytes.subarray(at, end));
      this.#heldLength = end - at;
    }
  }

  /** Complete a frame split across reads; returns where the unread input starts, or -1 when all went into the held frame. */
  #completeHeld(bytes: Uint8Array, at: number): number {
    const held = this.#held!;
    const end = bytes.length;
    if (this.#heldLength < FRAME_HEADER_LENGTH) {
      const take = Math.min(FRAME_HEADER_LENGTH - this.#heldLength, end - at);
      held.set(bytes.subarray(at, at + take), this.#heldLength);
      this.#heldLength += take;
      at += take;
      if (this.#heldLength < FRAME_HEADER_LENGTH) return -1;
    }
    const f = this.#frame;
    readFrameHeader(held, 0, f);
    if (f.length > this.limits.maxFrameSize) {
      this.#frameTooLarge(f);
      return -1;
    }
    const total = FRAME_HEADER_LENGTH + f.length;
    const take = Math.min(total - this.#heldLength, end - at);
    held.set(bytes.subarray(at, at + take), this.#heldLength);
    this.#heldLength += take;
    at += take;
    if (this.#heldLength < total) return -1;
    this.#heldLength = 0;
    this.#handleFrame(held, FRAME_HEADER_LENGTH);
    return at;
  }

  #frameTooLarge(f: Frame): void {
    // §4.2: "An endpoint MUST send an error code of FRAME_SIZE_ERROR if a frame exceeds the size
    // defined in SETTINGS_MAX_FRAME_SIZE"; we do not read past it, so it ends the connection.
    this.#fail(
      new ConnectionError(
        ErrorCode.FRAME_SIZE_ERROR,
        `${
          frameTypeName(f.type)
        } frame of ${f.length} octets exceeds SETTINGS_MAX_FRAME_SIZE ${this.limits.maxFrameSize} (RFC 9113 §4.2)`,
      ),
    );
  }

  /** One complete frame; its header is in `#frame`, its payload at `b[p..]`. */
  #handleFrame(b: Uint8Array, p: number): void {
    const f = this.#frame;
    try {
      if (this.#blockStream !== 0 && (f.type !== FRAME_CONTINUATION || f.streamId !== this.#blockStream)) {
        // §6.10: "A receiver MUST treat the receipt of any other type of frame or a frame on a
        // different stream as a connection error of type PROTOCOL_ERROR." (also §4.3)
        throw new ConnectionError(
          ErrorCode.PROTOCOL_ERROR,
          `${
            frameTypeName(f.type)
          } frame on stream ${f.streamId} inside the field block of stream ${this.#blockStream} (RFC 9113 §6.10)`,
        );
      }
      if (this.#phase === PHASE_SETTINGS) {
        // §3.4: the client preface "MUST be followed by a SETTINGS frame".
        if (f.type !== FRAME_SETTINGS || (f.flags & FLAG_ACK) !== 0) {
          throw new ConnectionError(
            ErrorCode.PROTOCOL_ERROR,
            "The client preface must be followed by a SETTINGS frame (RFC 9113 §3.4)",
          );
        }
        this.#phase = PHASE_FRAMES;
      }
      parseFrame(f, b, p);
      switch (f.type) {
        case FRAME_DATA:
          return this.#onData(f, b);
        case FRAME_HEADERS:
          return this.#onHeaders(f, b);
        case FRAME_PRIORITY:
          // §5.3.2: the priority signals of RFC 7540 are deprecated; validated, then ignored.
          this.#spendControl();
          return;
        case FRAME_RST_STREAM:
          return this.#onRstStream(f);
        case FRAME_SETTINGS:
          return this.#onSettings(f, b);
        case FRAME_PING:
          return this.#onPing(f, b);
        case FRAME_GOAWAY:
          return this.#onGoaway();
        case FRAME_WINDOW_UPDATE:
          return this.#onWindowUpdate(f);
        case FRAME_CONTINUATION:
          return this.#onContinuation(f, b);
        default:
          // §5.5: "Implementations MUST discard frames that have unknown or unsupported types."
          this.#spendControl();
          return;
      }
    } catch (error) {
      if (error instanceof ConnectionError || error instanceof StreamError) this.#fail(error);
      else throw error;
    }
  }

  /**
   * The one place where protocol errors become frames (RFC 9113 §5.4): a stream error resets the
   * stream (and counts against the reset budget: the peer caused it, CVE-2025-8671); a connection
   * error sends GOAWAY with the last processed stream and closes (§5.4.1).
   */
  #fail(error: ConnectionError | StreamError): void {
    if (error instanceof StreamError) {
      const stream = this.#streams.get(error.streamId);
      if (stream !== undefined) this.resetStream(stream, error.code, error.message);
      else this.#resetIdle(error.streamId, error.code);
      if (error.code !== ErrorCode.NO_ERROR) this.#spendReset();
      return;
    }
    if (this.#phase === PHASE_DONE) return;
    this.#phase = PHASE_DONE;
    this.#heldLength = 0;
    this.#blockStream = 0;
    this.#goawaySent = true;
    const sink = this.#sink();
    writeGoaway(sink, this.#lastProcessed, error.code, error.message);
    const reason = new Error(`HTTP/2 connection error ${errorCodeName(error.code)}: ${error.message}`);
    for (const stream of [...this.#streams.values()]) this.#closeStream(stream, CLOSED_RESET_SENT, reason);
    this.#endTransport();
  }

  /** Spend a reset from the budget; GOAWAY ENHANCE_YOUR_CALM when it is exhausted. */
  #spendReset(): boolean {
    if (this.#defences.resets.spend(this.#host.now)) return true;
    this.#fail(
      new ConnectionError(ErrorCode.ENHANCE_YOUR_CALM, "Too many streams reset (CVE-2023-44487, CVE-2025-8671)"),
    );
    return false;
  }

  /** Spend a control frame from the budget; GOAWAY ENHANCE_YOUR_CALM when it is exhausted. */
  #spendControl(): boolean {
    if (this.#defences.control.spend(this.#host.now)) return true;
    this.#fail(new ConnectionError(ErrorCode.ENHANCE_YOUR_CALM, "Too many control frames (CVE-2019-9512, 9515, 9518)"));
    return false;
  }

  // ── frame handlers ─────────────────────────────────────────────────────────────────────────

  /** §6.1 DATA. */
  #onData(f: Frame, b: Uint8Array): void {
    const id = f.streamId;
    const length = f.length;
    // §6.9: "The entire DATA frame payload is included in flow control, including the Pad Length
    // and Padding fields if present." §6.9.1: exceeding the window is a FLOW_CONTROL_ERROR.
    if (!this.#recv.receive(length)) {
      throw new ConnectionError(
        ErrorCode.FLOW_CONTROL_ERROR,
        `DATA of ${length} octets exceeds the connection window (RFC 9113 §6.9.1)`,
      );
    }
    const stream = this.#streams.get(id);
    if (stream === undefined) {
      this.#creditConnection(length); // nobody will read it
      this.#closedStreamFrame(id, FRAME_DATA);
      return;
    }
    if (stream.remoteClosed) {
      this.#creditConnection(length);
      // §5.1 half-closed (remote): "If an endpoint receives additional frames, other than
      // WINDOW_UPDATE, PRIORITY, or RST_STREAM, for a stream that is in this state, it MUST
      // respond with a stream error of type STREAM_CLOSED."
      throw new StreamError(id, ErrorCode.STREAM_CLOSED, "DATA after END_STREAM (RFC 9113 §5.1)");
    }
    if (!stream.recv.receive(length)) {
      this.#creditConnection(length);
      throw new StreamError(
        id,
        ErrorCode.FLOW_CONTROL_ERROR,
        `DATA of ${length} octets exceeds the stream window (RFC 9113 §6.9.1)`,
      );
    }
    if (f.padding > 0) {
      this.#creditConnection(f.padding);
      this.#creditStream(stream, f.padding);
    }
    const dataLength = f.end - f.start;
    stream.received += dataLength;
    if (stream.declaredLength >= 0 && stream.received > stream.declaredLength) {
      // §8.1.1: "A request or response is also malformed if the value of a content-length header
      // field does not equal the sum of the DATA frame payload lengths that form the content."
      throw new StreamError(
        id,
        ErrorCode.PROTOCOL_ERROR,
        `More DATA than the content-length ${stream.declaredLength} (RFC 9113 §8.1.1)`,
      );
    }
    const endStream = (f.flags & FLAG_END_STREAM) !== 0;
    if (stream.drainSince !== 0 && stream.received > stream.drainUntil && !endStream) {
      // The response is done and the rest of the request is more than we care to drain.
      this.#creditConnection(dataLength);
      this.resetStream(stream, ErrorCode.NO_ERROR);
      return;
    }
    if (dataLength > 0) this.#deliver(stream, b, f.start, f.end);
    else if (!endStream && f.padding === 0 && !this.#spendControl()) return; // empty frames flood, CVE-2019-9518
    if (endStream) this.#endOfRequest(stream, null);
  }

  /** Hand request body bytes to the handler; what nobody will read is credited back at once. */
  #deliver(stream: Http2Stream, b: Uint8Array, start: number, end: number): void {
    const n = end - start;
    const body = stream.exchange?.body ?? null;
    if (body !== null && !stream.discarding) {
      const before = body.buffered;
      body.push(b.slice(start, end));
      if (body.buffered === before + n) {
        stream.delivered += n;
        return;
      }
    }
    // No body, discarded, failed (over its limit) or ended: dropped.
    this.#creditConnection(n);
    this.#creditStream(stream, n);
  }

  /** The peer ended the request (END_STREAM on DATA or trailers). */
  #endOfRequest(stream: Http2Stream, trailers: string[] | null): void {
    if (stream.declaredLength >= 0 && stream.received !== stream.declaredLength) {
      // §8.1.1: content-length must equal the DATA received.
      throw new StreamError(
        stream.id,
        ErrorCode.PROTOCOL_ERROR,
        `DATA of ${stream.received} octets, content-length ${stream.declaredLength} (RFC 9113 §8.1.1)`,
      );
    }
    stream.receiveEndStream();
    stream.exchange?.body?.end(trailers);
    if (stream.state === STATE_CLOSED) this.#closeStream(stream, CLOSED_ENDED);
  }

  /** §6.2 HEADERS: a new request, or trailers. */
  #onHeaders(f: Frame, b: Uint8Array): void {
    const id = f.streamId;
    // §5.1.1: "Streams initiated by a client MUST use odd-numbered stream identifiers";
    // "An endpoint that receives an unexpected stream identifier MUST respond with a connection
    // error of type PROTOCOL_ERROR."
    if ((id & 1) === 0) {
      throw new ConnectionError(ErrorCode.PROTOCOL_ERROR, `HEADERS on even-numbered stream ${id} (RFC 9113 §5.1.1)`);
    }
    if ((f.flags & FLAG_END_HEADERS) !== 0) {
      this.#onFieldBlock(id, f.flags, b.subarray(f.start, f.end), f.deferred);
      return;
    }
    this.#blockStream = id;
    this.#blockFlags = f.flags;
    this.#blockDeferred = f.deferred;
    this.#blockFrames = 1;
    this.#blockLength = 0;
    this.#blockStartedAt = this.#host.now;
    this.#appendFragment(b, f.start, f.end);
  }

  /** §6.10 CONTINUATION. */
  #onContinuation(f: Frame, b: Uint8Array): void {
    // §6.10: "A CONTINUATION frame MUST be preceded by a HEADERS, PUSH_PROMISE or CONTINUATION
    // frame without the END_HEADERS flag set. A recipient that observes violation of this rule
    // MUST respond with a connection error of type PROTOCOL_ERROR."
    if (this.#blockStream === 0) {
      throw new ConnectionError(
        ErrorCode.PROTOCOL_ERROR,
        `CONTINUATION on stream ${f.streamId} without an open field block (RFC 9113 §6.10)`,
      );
    }
    // CONTINUATION flood (2024): a block may not grow without end, in octets or in frames.
    if (++this.#blockFrames > this.limits.maxContinuationFrames + 1) {
      throw new ConnectionError(
        ErrorCode.ENHANCE_YOUR_CALM,
        `More than ${this.limits.maxContinuationFrames} CONTINUATION frames in one field block`,
      );
    }
    const endHeaders = (f.flags & FLAG_END_HEADERS) !== 0;
    if (f.length === 0 && !endHeaders && !this.#spendControl()) return;
    this.#appendFragment(b, f.start, f.end);
    if (!endHeaders) return;
    const id = this.#blockStream;
    this.#blockStream = 0;
    const buf = this.#blockBuf!;
    // A buffer grown for one large block is not kept for the life of the connection.
    if (buf.length > 16384) this.#blockBuf = null;
    this.#onFieldBlock(id, this.#blockFlags, buf.subarray(0, this.#blockLength), this.#blockDeferred);
  }

  #appendFragment(b: Uint8Array, start: number, end: number): void {
    const n = end - start;
    const need = this.#blockLength + n;
    const cap = this.limits.maxHeaderListSize * 2;
    if (need > cap) {
      throw new ConnectionError(ErrorCode.ENHANCE_YOUR_CALM, `Field block over ${cap} octets (CONTINUATION flood)`);
    }
    let buf = this.#blockBuf;
    if (buf === null || buf.length < need) {
      const next = new Uint8Array(Math.min(cap, Math.max(need, (buf?.length ?? 0) * 2, 4096)));
      if (buf !== null) next.set(buf.subarray(0, this.#blockLength));
      this.#blockBuf = buf = next;
    }
    buf.set(b.subarray(start, end), this.#blockLength);
    this.#blockLength = need;
  }

  /** A complete field block (§4.3): decode it — always, to keep HPACK in step — then act. */
  #onFieldBlock(id: number, flags: number, block: Uint8Array, deferred: StreamError | null): void {
    let fields: string[] | null;
    try {
      fields = this.#decoder.decode(block);
    } catch (error) {
      if (!(error instanceof HpackError) || error.fatal) {
        // §4.3: "A decoding error in a field block MUST be treated as a connection error of type
        // COMPRESSION_ERROR."
        throw new ConnectionError(
          ErrorCode.COMPRESSION_ERROR,
          `Field block of stream ${id}: ${(error as Error).message} (RFC 9113 §4.3)`,
        );
      }
      fields = null; // over SETTINGS_MAX_HEADER_LIST_SIZE: decoded in full, table in step (HPACK bomb)
    }
    const endStream = (flags & FLAG_END_STREAM) !== 0;
    const stream = this.#streams.get(id);
    if (stream !== undefined) return this.#onTrailers(stream, fields, endStream, deferred);
    if (id <= this.#highestStreamId) return this.#closedStreamFrame(id, FRAME_HEADERS);
    this.#highestStreamId = id;
    if (this.#goawaySent) {
      // §6.8: after GOAWAY, streams above the Last-Stream-ID are not processed.
      this.#rememberClosed(id, CLOSED_RESET_SENT);
      return;
    }
    if (deferred !== null) throw deferred;
    if (this.#streams.size + this.#zombies >= this.limits.maxConcurrentStreams) {
      // §5.1.2: "An endpoint that receives a HEADERS frame that causes its advertised concurrent
      // stream limit to be exceeded MUST treat this as a stream error of type PROTOCOL_ERROR or
      // REFUSED_STREAM." Reset streams whose handler still runs count too (Rapid Reset).
      throw new StreamError(
        id,
        ErrorCode.REFUSED_STREAM,
        `More than ${this.limits.maxConcurrentStreams} concurrent streams (RFC 9113 §5.1.2)`,
      );
    }
    if (fields === null) return this.#reject(id, endStream, 431, "Request header fields too large");
    let head: RequestHead;
    try {
      head = buildRequestHead(id, fields, this.#host.options.maxHeaders);
    } catch (error) {
      if (error instanceof HttpError) return this.#reject(id, endStream, error.status, error.message);
      throw error;
    }
    if (endStream && head.contentLength > 0) {
      // §8.1.1: a content-length that the (absent) DATA cannot match.
      throw new StreamError(
        id,
        ErrorCode.PROTOCOL_ERROR,
        "content-length on a request without content (RFC 9113 §8.1.1)",
      );
    }
    if (head.contentLength > this.#host.options.maxBodySize) {
      return this.#reject(id, endStream, 413, "Request body is larger than the limit");
    }
    this.#openStream(id, head, endStream);
  }

  /** A new request stream, served by the dispatcher. */
  #openStream(id: number, head: RequestHead, endStream: boolean): void {
    this.#lastProcessed = id;
    const stream = new Http2Stream(id, this, this.peer.initialWindowSize, this.#recvInitial, this.#host.now);
    stream.receiveHeaders(endStream);
    stream.declaredLength = head.contentLength;
    this.#streams.set(id, stream);
    const body = endStream ? null : new RequestBody(stream, head.contentLength, this.#host.options.maxBodySize);
    const ex = new Http2Exchange(this, stream, head, body);
    stream.exchange = ex;
    this.#host.dispatcher.dispatch(ex);
  }

  /** Answer a request the app never sees (431, 413, 417) on a stream of its own. */
  #reject(id: number, endStream: boolean, status: number, message: string): void {
    this.#lastProcessed = id;
    const stream = new Http2Stream(id, this, this.peer.initialWindowSize, this.#recvInitial, this.#host.now);
    stream.receiveHeaders(endStream);
    stream.discarding = true;
    this.#streams.set(id, stream);
    this.#answer(stream, status, message);
  }

  /** A plain-text response written by the connection itself. */
  #answer(stream: Http2Stream, status: number, message: string): void {
    const bytes = textEncoder.encode(message);
    this.sendHeaders(stream, status, TEXT_PLAIN, bytes.length, false);
    this.queueData(stream, bytes, true, null);
  }

  /** A second field block on a stream: trailers (§8.1). */
  #onTrailers(stream: Http2Stream, fields: string[] | null, endStream: boolean, deferred: StreamError | null): void {
    if (deferred !== null) throw deferred;
    if (stream.remoteClosed) {
      // §5.1 half-closed (remote): frames other than WINDOW_UPDATE, PRIORITY, RST_STREAM → STREAM_CLOSED.
      throw new StreamError(stream.id, ErrorCode.STREAM_CLOSED, "HEADERS after END_STREAM (RFC 9113 §5.1)");
    }
    // §8.1: trailers come in a HEADERS frame that carries END_STREAM; "An endpoint that receives a
    // HEADERS frame without the END_STREAM flag set after receiving the HEADERS frame that opens a
    // request ... MUST treat the corresponding request or response as malformed."
    if (!endStream) {
      throw new StreamError(
        stream.id,
        ErrorCode.PROTOCOL_ERROR,
        "Second HEADERS frame without END_STREAM (RFC 9113 §8.1)",
      );
    }
    if (fields === null) {
      throw new StreamError(
        stream.id,
        ErrorCode.PROTOCOL_ERROR,
        "Trailers larger than SETTINGS_MAX_HEADER_LIST_SIZE (RFC 9113 §6.5.2)",
      );
    }
    this.#endOfRequest(stream, validateTrailers(stream.id, fields));
  }

  /**
   * A frame for a stream we do not track: idle (never opened), or closed — by both END_STREAMs,
   * by our RST_STREAM or the peer's, or implicitly by a higher stream (§5.1, §5.1.1).
   */
  #closedStreamFrame(id: number, type: number): void {
    const name = frameTypeName(type);
    if (id > this.#highestStreamId || (id & 1) === 0) {
      // §5.1 idle: "Receiving any frame other than HEADERS or PRIORITY on a stream in this state
      // MUST be treated as a connection error of type PROTOCOL_ERROR."
      throw new ConnectionError(ErrorCode.PROTOCOL_ERROR, `${name} on idle stream ${id} (RFC 9113 §5.1)`);
    }
    const kind = this.#closed.get(id);
    // §5.4.2: after our RST_STREAM, frames the peer sent before seeing it are ignored (§6.4).
    if (kind === CLOSED_RESET_SENT) return;
    // §5.1 closed: WINDOW_UPDATE and RST_STREAM may still arrive for a short while; PRIORITY any time.
    if (type === FRAME_WINDOW_UPDATE || type === FRAME_RST_STREAM || type === FRAME_PRIORITY) return;
    if (kind === CLOSED_RESET_RECEIVED) {
      // §5.1 closed: "An endpoint that receives any frame other than PRIORITY after receiving a
      // RST_STREAM MUST treat that as a stream error of type STREAM_CLOSED."
      throw new StreamError(
        id,
        ErrorCode.STREAM_CLOSED,
        `${name} on stream ${id} after its RST_STREAM (RFC 9113 §5.1)`,
      );
    }
    if (type === FRAME_HEADERS && kind === undefined) {
      // §5.1.1: "The identifier of a newly established stream MUST be numerically greater than
      // all streams that the initiating endpoint has opened" — PROTOCOL_ERROR.
      throw new ConnectionError(
        ErrorCode.PROTOCOL_ERROR,
        `HEADERS on stream ${id}, below stream ${this.#highestStreamId} (RFC 9113 §5.1.1)`,
      );
    }
    // §5.1 closed: "An endpoint MAY treat receipt of any other type of frame on a closed stream as
    // a connection error of type STREAM_CLOSED."
    throw new ConnectionError(ErrorCode.STREAM_CLOSED, `${name} on closed stream ${id} (RFC 9113 §5.1)`);
  }

  /** §6.4 RST_STREAM from the peer. */
  #onRstStream(f: Frame): void {
    const stream = this.#streams.get(f.streamId);
    if (stream === undefined) {
      // §6.4: "If a RST_STREAM frame identifying an idle stream is received, the recipient MUST
      // treat this as a connection error of type PROTOCOL_ERROR."
      this.#closedStreamFrame(f.streamId, FRAME_RST_STREAM);
      return;
    }
    this.#closeStream(
      stream,
      CLOSED_RESET_RECEIVED,
      new Error(`Stream reset by the client (${errorCodeName(f.errorCode)})`),
    );
    // Rapid Reset (CVE-2023-44487): streams opened and reset at once cost the server work each.
    this.#spendReset();
  }

  /** §6.5 SETTINGS. */
  #onSettings(f: Frame, b: Uint8Array): void {
    if ((f.flags & FLAG_ACK) !== 0) {
      // §6.5.3: our settings now apply — the initial window of streams we receive on (§6.9.2).
      if (!this.#settingsAcked) {
        this.#settingsAcked = true;
        const size = this.limits.initialWindowSize;
        if (size !== this.#recvInitial) {
          this.#recvInitial = size;
          for (const stream of this.#streams.values()) stream.recv.resize(size);
        }
      }
      return;
    }
    if (!this.#spendControl()) return; // SETTINGS flood, CVE-2019-9515
    const peer = this.peer;
    const oldWindow = peer.initialWindowSize;
    applySettings(peer, b, f.start, f.end);
    this.#encoder.setMaxTableSize(peer.headerTableSize);
    const delta = peer.initialWindowSize - oldWindow;
    if (delta !== 0) {
      // §6.9.2: "a receiver MUST adjust the size of all stream flow-control windows that it
      // maintains by the difference between the new value and the old value"; "An endpoint MUST
      // treat a change to SETTINGS_INITIAL_WINDOW_SIZE that causes any flow-control window to
      // exceed the maximum size as a connection error of type FLOW_CONTROL_ERROR."
      for (const stream of this.#streams.values()) {
        stream.sendWindow += delta;
        if (stream.sendWindow > MAX_WINDOW) {
          throw new ConnectionError(
            ErrorCode.FLOW_CONTROL_ERROR,
            `SETTINGS_INITIAL_WINDOW_SIZE takes stream ${stream.id} past 2^31-1 (RFC 9113 §6.9.2)`,
          );
        }
      }
    }
    // §6.5.3: "Upon receiving a SETTINGS frame without the ACK flag set, the recipient MUST
    // immediately emit a SETTINGS frame with the ACK flag set."
    writeSettingsAck(this.#sink());
    this.#countControlWrite();
    if (delta > 0) this.#pumpWaiting();
  }

  /** §6.7 PING. */
  #onPing(f: Frame, b: Uint8Array): void {
    if ((f.flags & FLAG_ACK) !== 0) return; // we send no PINGs; an unsolicited ACK is ignored
    if (!this.#spendControl()) return; // PING flood, CVE-2019-9512
    // §6.7: "Receivers of a PING frame that does not include an ACK flag MUST send a PING frame
    // with the ACK flag set in response, with an identical frame payload."
    writePing(this.#sink(), true, b, f.start);
    this.#countControlWrite();
  }

  /** §6.8 GOAWAY from the peer: it opens no more streams; finish ours, then close. */
  #onGoaway(): void {
    this.#peerGoaway = true;
    this.#maybeFinish();
  }

  /** §6.9 WINDOW_UPDATE. */
  #onWindowUpdate(f: Frame): void {
    const increment = f.value;
    if (increment < TINY_INCREMENT && !this.#spendControl()) return; // data dribble, CVE-2019-9511
    if (f.streamId === 0) {
      const next = addCredit(this.#sendWindow, increment);
      // §6.9.1: "If a sender receives a WINDOW_UPDATE that causes a flow-control window to exceed
      // this maximum, it MUST terminate either the stream or the connection, as appropriate."
      if (next < 0) {
        throw new ConnectionError(
          ErrorCode.FLOW_CONTROL_ERROR,
          "WINDOW_UPDATE takes the connection window past 2^31-1 (RFC 9113 §6.9.1)",
        );
      }
      this.#sendWindow = next;
      this.#pumpWaiting();
      return;
    }
    const stream = this.#streams.get(f.streamId);
    if (stream === undefined) {
      this.#closedStreamFrame(f.streamId, FRAME_WINDOW_UPDATE);
      return;
    }
    const next = addCredit(stream.sendWindow, increment);
    if (next < 0) {
      throw new StreamError(
        stream.id,
        ErrorCode.FLOW_CONTROL_ERROR,
        "WINDOW_UPDATE takes the stream window past 2^31-1 (RFC 9113 §6.9.1)",
      );
    }
    stream.sendWindow = next;
    if (this.#waiting.has(stream)) this.#writeStream(stream, Number.POSITIVE_INFINITY);
  }

  // ── flow control, inbound ──────────────────────────────────────────────────────────────────

  #creditConnection(n: number): void {
    const increment = this.#recv.consume(n);
    if (increment > 0) writeWindowUpdate(this.#sink(), 0, increment);
  }

  #creditStream(stream: Http2Stream, n: number): void {
    if (stream.remoteClosed) return; // no more DATA can come: no credit needed
    const increment = stream.recv.consume(n);
    if (increment > 0) writeWindowUpdate(this.#sink(), stream.id, increment);
  }

  /** @internal StreamHost: the handler read from the body — give the peer credit for it (§6.9). */
  bodyConsumed(stream: Http2Stream): void {
    const ex = stream.exchange;
    if (ex === null || this.isClosed) return;
    const body = ex.body;
    if (body === null) return;
    if (ex.head.expectContinue && !ex.continueSent && !ex.responded && !stream.localClosed) {
      // RFC 9110 §10.1.1: the handler wants the body, so invite it.
      ex.continueSent = true;
      this.sendContinue(stream);
    }
    const consumed = stream.delivered - body.buffered - stream.credited;
    if (consumed > 0) {
      stream.credited += consumed;
      this.#creditConnection(consumed);
      this.#creditStream(stream, consumed);
    }
    this.commit();
  }

  /** @internal StreamHost: the handler gave up on the body: credit what it held, drop what comes. */
  bodyDiscarded(stream: Http2Stream): void {
    stream.discarding = true;
    const owed = stream.delivered - stream.credited;
    if (owed > 0 && !this.isClosed) {
      stream.credited = stream.delivered;
      this.#creditConnection(owed);
      this.#creditStream(stream, owed);
      this.commit();
    }
  }

  // ── writing ────────────────────────────────────────────────────────────────────────────────

  #sink(): ByteSink {
    return sharedSink.acquire(this);
  }

  /** Send what the sink holds for this connection. */
  flush(): void {
    if (sharedSink.owner !== this) return;
    const bytes = sharedSink.take();
    if (bytes.length === 0 || this.isClosed) return;
    if (!this.transport.write(bytes) && !this.writeBlocked) {
      this.writeBlocked = true;
      this.#blockedSince = this.#host.now || 1;
    }
  }

  /** Send soon: at the end of the current read, or in a microtask (coalescing async responses). */
  commit(): void {
    if (this.#corked > 0 || this.#flushQueued) return;
    this.#flushQueued = true;
    queueMicrotask(this.#flushTask);
  }

  #countControlWrite(): void {
    // A peer that floods us with frames needing an answer while not reading our answers.
    if (this.writeBlocked && ++this.#controlWhileBlocked > MAX_BLOCKED_CONTROL) this.destroy();
  }

  /** @internal The response head of a stream (§8.1): HEADERS (+ CONTINUATION) frames. */
  sendHeaders(
    stream: Http2Stream,
    status: number,
    fields: readonly string[],
    contentLength: number,
    endStream: boolean,
  ): void {
    if (stream.state === STATE_CLOSED || this.isClosed) return;
    const out = this.#block;
    out.reset();
    out.ensure(FRAME_HEADER_LENGTH);
    out.length = FRAME_HEADER_LENGTH;
    encodeResponseBlock(this.#encoder, out, status, fields, contentLength);
    writeHeaderBlock(
      this.#sink(),
      stream.id,
      out.bytes,
      FRAME_HEADER_LENGTH,
      out.length,
      endStream,
      this.peer.maxFrameSize,
    );
    if (endStream) {
      stream.endSent = true;
      stream.endQueued = true;
      this.#localEnd(stream);
    }
  }

  /** @internal An interim `100 Continue` (RFC 9110 §15.2.1) as a HEADERS frame without END_STREAM. */
  sendContinue(stream: Http2Stream): void {
    if (stream.state === STATE_CLOSED || this.isClosed) return;
    const out = this.#block;
    out.reset();
    out.ensure(FRAME_HEADER_LENGTH);
    out.length = FRAME_HEADER_LENGTH;
    this.#encoder.encode([], out);
    const status = statusField(100);
    out.ensure(status.length).set(status, out.length);
    out.length += status.length;
    writeHeaderBlock(
      this.#sink(),
      stream.id,
      out.bytes,
      FRAME_HEADER_LENGTH,
      out.length,
      false,
      this.peer.maxFrameSize,
    );
    this.commit();
  }

  /**
   * @internal Queue response body bytes (kept by reference until sent) and, with `end`, the end
   * of the body and its trailers; sends what the windows allow now.
   */
  queueData(stream: Http2Stream, bytes: Uint8Array, end: boolean, trailers: string[] | null): void {
    if (stream.state === STATE_CLOSED || stream.endQueued || this.isClosed) return;
    if (bytes.length > 0) {
      stream.queue.push(bytes);
      stream.queued += bytes.length;
    }
    if (end) {
      stream.endQueued = true;
      stream.trailers = trailers;
    }
    this.#writeStream(stream, Number.POSITIVE_INFINITY);
  }

  /**
   * Write a stream's queued response data as the windows (§6.9) and the socket allow, at most
   * `maxFrames` DATA frames; then END_STREAM (on the last DATA, an empty DATA, or the trailers).
   * Returns whether anything was written.
   */
  #writeStream(stream: Http2Stream, maxFrames: number): boolean {
    if (stream.endSent || stream.state === STATE_CLOSED) return false;
    const sink = this.#sink();
    let frames = 0;
    while (stream.queued > 0) {
      if (this.writeBlocked) {
        this.#waiting.add(stream);
        return frames > 0;
      }
      const avail = Math.min(stream.sendWindow, this.#sendWindow);
      if (avail <= 0) {
        // §6.9.2: a window may even be negative; wait for WINDOW_UPDATE or SETTINGS.
        this.#waiting.add(stream);
        if (stream.stalledSince === 0) stream.stalledSince = this.#host.now || 1;
        return frames > 0;
      }
      if (frames >= maxFrames) {
        this.#waiting.add(stream);
        return true;
      }
      const chunk = stream.queue[0]!;
      const offset = stream.queueOffset;
      const n = Math.min(chunk.length - offset, avail, this.peer.maxFrameSize);
      const rest = stream.queued - n;
      const last = rest === 0 && stream.endQueued && stream.trailers === null;
      writeData(this.#sink(), stream.id, chunk, offset, offset + n, last); // re-acquire: a flush below hands the sink back
      frames++;
      stream.sendWindow -= n;
      this.#sendWindow -= n;
      stream.queued = rest;
      if (offset + n === chunk.length) {
        stream.queue.shift();
        stream.queueOffset = 0;
      } else {
        stream.queueOffset = offset + n;
      }
      stream.stalledSince = 0;
      if (last) stream.endSent = true;
      if (sink.length >= FLUSH_THRESHOLD) this.flush();
    }
    this.#waiting.delete(stream);
    stream.stalledSince = 0;
    if (stream.endQueued && !stream.endSent) {
      if (stream.trailers !== null) {
        const out = this.#block;
        out.reset();
        out.ensure(FRAME_HEADER_LENGTH);
        out.length = FRAME_HEADER_LENGTH;
        encodeTrailerBlock(this.#encoder, out, stream.trailers);
        writeHeaderBlock(
          this.#sink(),
          stream.id,
          out.bytes,
          FRAME_HEADER_LENGTH,
          out.length,
          true,
          this.peer.maxFrameSize,
        );
      } else {
        writeData(this.#sink(), stream.id, null, 0, 0, true);
      }
      stream.endSent = true;
    }
    if (stream.endSent) this.#localEnd(stream);
    else if (stream.hasWriter && !this.writeBlocked) stream.wakeWriter();
    return true;
  }

  /** Round-robin the streams waiting for window, one frame each per round, fairly. */
  #pumpWaiting(): void {
    let progress = true;
    while (progress && this.#waiting.size > 0 && !this.writeBlocked && this.#sendWindow > 0 && !this.isClosed) {
      progress = false;
      for (const stream of [...this.#waiting]) {
        if (this.#writeStream(stream, 1)) progress = true;
      }
    }
    for (const stream of this.#waiting) {
      if (stream.hasWriter && stream.queued < this.limits.maxStreamBuffer && !this.writeBlocked) stream.wakeWriter();
    }
  }

  /** We sent END_STREAM (§5.1). */
  #localEnd(stream: Http2Stream): void {
    stream.sendEndStream();
    const ex = stream.exchange;
    if (ex !== null) ex.responseDone = true;
    stream.wakeWriter();
    if (stream.state === STATE_CLOSED) {
      this.#closeStream(stream, CLOSED_ENDED);
      return;
    }
    // The response is complete but the request is not (§8.1). The rest of the body is read and
    // dropped — so its framing is still checked, and the stream still answers the client's
    // frames — up to DRAIN_LIMIT octets for a short while; a longer rest is cut with RST_STREAM
    // NO_ERROR: "a server MAY request that the client abort transmission of a request without
    // error by sending a RST_STREAM with an error code of NO_ERROR after sending a complete response".
    const body = ex?.body ?? null;
    if (body !== null && !stream.discarding) body.discardRest();
    stream.discarding = true;
    stream.drainUntil = stream.received + DRAIN_LIMIT;
    stream.drainSince = this.#host.now || 1;
    if (stream.declaredLength > stream.drainUntil) this.resetStream(stream, ErrorCode.NO_ERROR);
  }

  /** @internal Reset a stream from our side (RST_STREAM, §6.4). */
  resetStream(stream: Http2Stream, code: number, reason?: string): void {
    if (stream.state === STATE_CLOSED || this.isClosed) return;
    writeRstStream(this.#sink(), stream.id, code);
    this.#countControlWrite();
    this.#closeStream(stream, CLOSED_RESET_SENT, new Error(reason ?? `Stream reset (${errorCodeName(code)})`));
    this.commit();
  }

  /** A stream error on a stream we do not track (idle or closed): RST_STREAM all the same. */
  #resetIdle(id: number, code: number): void {
    writeRstStream(this.#sink(), id, code);
    this.#countControlWrite();
    if (id <= this.#highestStreamId) this.#rememberClosed(id, CLOSED_RESET_SENT);
  }

  /** A stream is closed (§5.1): forget it, return its credit, stop its exchange. */
  #closeStream(stream: Http2Stream, kind: number, reason?: unknown): void {
    if (!this.#streams.has(stream.id)) return;
    stream.state = STATE_CLOSED;
    this.#streams.delete(stream.id);
    this.#rememberClosed(stream.id, kind);
    this.#waiting.delete(stream);
    stream.queue.length = 0;
    stream.queued = 0;
    const owed = stream.delivered - stream.credited;
    if (owed > 0) {
      // Unread body bytes will never be read: the connection window gets them back.
      stream.credited = stream.delivered;
      if (!this.isClosed && this.#phase !== PHASE_DONE) this.#creditConnection(owed);
    }
    const ex = stream.exchange;
    if (ex !== null) {
      if (!ex.responseDone) ex.disconnect(reason ?? new Error("Stream closed"));
      if (!ex.settled) {
        ex.zombie = true;
        this.#zombies++;
      }
    }
    stream.wakeWriter();
    this.lastActive = this.#host.now;
    this.#maybeFinish();
  }

  /** @internal The handler of `ex` answered or gave up. */
  exchangeSettled(ex: Http2Exchange): void {
    if (ex.zombie) {
      ex.zombie = false;
      this.#zombies--;
    }
  }

  #rememberClosed(id: number, kind: number): void {
    const closed = this.#closed;
    closed.delete(id);
    closed.set(id, kind);
    if (closed.size > Math.max(64, this.limits.maxConcurrentStreams * 2)) {
      closed.delete(closed.keys().next().value!);
    }
  }

  /** Close once nothing is left to do after GOAWAY (either way) or the peer's end. */
  #maybeFinish(): void {
    if (this.#streams.size > 0 || this.isClosed || this.closingSince !== 0) return;
    if (this.#goawaySent || this.#peerGoaway || this.#peerEnded) this.#endTransport();
  }

  #endTransport(): void {
    if (this.isClosed || this.closingSince !== 0) return;
    this.closing = true;
    this.#phase = PHASE_DONE;
    this.closingSince = this.#host.now || 1;
    this.flush();
    this.transport.end();
  }
}
