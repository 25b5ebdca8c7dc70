/**
 * What each frame type does on a server connection (RFC 9113 §6): one handler per type,
 * dispatched by table like the codec's `FRAME_PARSERS` (Go's `frameParsers`). The parser has
 * checked what the frame alone can tell; a handler checks the rules that need the connection's
 * state — windows, stream states, budgets — and acts on the connection's parts. A broken rule is
 * thrown as a {@link ConnectionError} or {@link StreamError}, answered by the connection in one
 * place.
 * @module
 */
import { HttpError } from "../../http/http-error.ts";
import type { RequestHead } from "../../http/request-head.ts";
import { WIRE_ERRORS } from "../../http/wire-errors.ts";
import { ConnectionError, ErrorCode, errorCodeName, StreamError } from "../../http2/errors.ts";
import type { Frame } from "../../http2/frame-header.ts";
import {
  FLAG_ACK,
  FLAG_END_STREAM,
  FRAME_CONTINUATION,
  FRAME_DATA,
  FRAME_GOAWAY,
  FRAME_HEADERS,
  FRAME_PING,
  FRAME_PRIORITY,
  FRAME_RST_STREAM,
  FRAME_SETTINGS,
  FRAME_WINDOW_UPDATE,
} from "../../http2/frame-types.ts";
import { buildRequestHead, validateTrailers } from "../../http2/request-headers.ts";
import type { SessionHost } from "../session-host.ts";
import type { Defences } from "./defences.ts";
import type { FieldBlockAssembler } from "./field-block.ts";
import type { RequestHold } from "./request-hold.ts";
import type { Http2Limits } from "./limits.ts";
import type { Http2Stream } from "./stream.ts";
import { CLOSED_ENDED, CLOSED_RESET_RECEIVED, type StreamTable } from "./stream-table.ts";
import type { WriteScheduler } from "./write-scheduler.ts";

/** What the frame handlers ask of the connection itself: its lifecycle and its streams' lives. */
export interface FrameSession {
  /** We sent GOAWAY: new streams are not processed (§6.8). */
  readonly goawaySent: boolean;
  /** Answer a protocol error (GOAWAY or RST_STREAM, §5.4). */
  fail(error: ConnectionError | StreamError): void;
  /** Serve a new request on stream `id` (dispatched once the next frame is known, request-hold.ts). */
  openRequest(id: number, head: RequestHead, endStream: boolean): void;
  /** Answer a request the app never sees (431, 413) on a stream of its own. */
  reject(id: number, endStream: boolean, status: number, message: string): void;
  /** Reset a stream from our side (RST_STREAM, §6.4). */
  resetStream(stream: Http2Stream, code: number): void;
  /** A stream closed (§5.1); `kind` says how (stream-table.ts). */
  closeStream(stream: Http2Stream, kind: number, reason?: unknown): void;
  /** The peer sent GOAWAY: it opens no more streams (§6.8). */
  peerGoaway(): void;
}

/** The parts of one connection the handlers work on; made once per connection. */
export interface FrameContext {
  readonly host: SessionHost;
  readonly limits: Http2Limits;
  readonly session: FrameSession;
  readonly streams: StreamTable;
  readonly writer: WriteScheduler;
  readonly blocks: FieldBlockAssembler;
  readonly defences: Defences;
  /** Rapid Reset: a new request waits for the next frame. */
  readonly hold: RequestHold;
}

/** Acts on one frame whose payload `parseFrame` has checked and located (`f.start..f.end` of `b`). */
export type FrameHandler = (c: FrameContext, f: Frame, b: Uint8Array) => void;

/** §6.1 DATA. */
function handleData(c: FrameContext, f: Frame, b: Uint8Array): void {
  const id = f.streamId;
  const length = f.length;
  const writer = c.writer;
  // §6.9: "The entire DATA frame payload is included in flow control, including the Pad Length
  // and Padding fields if present." §6.9.1: exceeding the window is a FLOW_CONTROL_ERROR.
  if (!writer.receive(length)) {
    throw new ConnectionError(
      "WINDOW_EXCEEDED",
      `DATA of ${length} octets exceeds the connection window (RFC 9113 §6.9.1)`,
    );
  }
  const stream = c.streams.get(id);
  if (stream === undefined) {
    writer.creditConnection(length); // nobody will read it
    c.streams.checkUntracked(id, FRAME_DATA);
    return;
  }
  if (stream.remoteClosed) {
    writer.creditConnection(length);
    // §5.1 half-closed (remote): "If an endpoint receives additional frames, other than
    // WINDOW_UPDATE, PRIORITY, or RST_STREAM, for a stream that is in this state, it MUST
    // respond with a stream error of type STREAM_CLOSED."
    throw new StreamError(id, "DATA_AFTER_END_STREAM", "DATA after END_STREAM (RFC 9113 §5.1)");
  }
  if (!stream.recv.receive(length)) {
    writer.creditConnection(length);
    throw new StreamError(
      id,
      "WINDOW_EXCEEDED",
      `DATA of ${length} octets exceeds the stream window (RFC 9113 §6.9.1)`,
    );
  }
  if (f.padding > 0) {
    writer.creditConnection(f.padding);
    writer.creditStream(stream, f.padding);
  }
  const dataLength = f.end - f.start;
  stream.receiveData(dataLength); // §8.1.1: no more than the content-length
  const endStream = (f.flags & FLAG_END_STREAM) !== 0;
  if (stream.overDrainLimit && !endStream) {
    // The response is done and the rest of the request is more than we care to drain.
    writer.creditConnection(dataLength);
    c.session.resetStream(stream, ErrorCode.NO_ERROR);
    return;
  }
  if (dataLength > 0) deliver(c, stream, b, f.start, f.end);
  else if (!endStream && f.padding === 0) c.defences.spendControl(c.host.now); // empty frames flood, CVE-2019-9518
  if (endStream) endOfRequest(c, stream, null);
}

/** Hand request body bytes to the handler; what nobody will read is credited back at once. */
function deliver(c: FrameContext, stream: Http2Stream, b: Uint8Array, start: number, end: number): void {
  const n = end - start;
  const body = stream.exchange?.body ?? null;
  if (body !== null && !stream.discarding) {
    const before = body.buffered;
    body.push(b.slice(start, end));
    if (body.buffered === before + n) {
      stream.delivered(n);
      return;
    }
  }
  // No body, discarded, failed (over its limit) or ended: dropped.
  c.writer.creditConnection(n);
  c.writer.creditStream(stream, n);
}

/** The peer ended the request (END_STREAM on DATA or trailers). */
function endOfRequest(c: FrameContext, stream: Http2Stream, trailers: string[] | null): void {
  stream.receiveEndStream(); // §8.1.1: the DATA received must match the content-length
  stream.exchange?.body?.end(trailers);
  if (stream.isClosed) c.session.closeStream(stream, CLOSED_ENDED);
}

/** §6.2 HEADERS: a new request, or trailers. */
function handleHeaders(c: FrameContext, f: Frame, b: Uint8Array): void {
  const id = f.streamId;
  // §5.1.1: "Streams initiated by a client MUST use odd-numbered stream identifiers";
  // "An endpoint that receives an unexpected stream identifier MUST respond with a connection
  // error of type PROTOCOL_ERROR."
  if ((id & 1) === 0) {
    throw new ConnectionError("EVEN_STREAM_ID", `HEADERS on even-numbered stream ${id} (RFC 9113 §5.1.1)`);
  }
  if (c.blocks.headers(f, b, c.host.now)) fieldBlock(c);
}

/** §6.10 CONTINUATION. */
function handleContinuation(c: FrameContext, f: Frame, b: Uint8Array): void {
  if (c.blocks.continuation(f, b, c.host.now)) fieldBlock(c);
}

/** A complete, decoded field block (§4.3): a request head, or trailers. */
function fieldBlock(c: FrameContext): void {
  const blocks = c.blocks;
  const id = blocks.streamId;
  const fields = blocks.fields;
  const endStream = blocks.endStream;
  const deferred = blocks.deferred;
  const streams = c.streams;
  const stream = streams.get(id);
  if (stream !== undefined) return trailers(c, stream, fields, endStream, deferred);
  if (!streams.claim(id)) return streams.checkUntracked(id, FRAME_HEADERS);
  if (c.session.goawaySent) {
    // §6.8: after GOAWAY, streams above the Last-Stream-ID are not processed.
    streams.ignore(id);
    return;
  }
  if (deferred !== null) throw deferred;
  const max = c.limits.maxConcurrentStreams;
  if (streams.busy >= max) {
    // §5.1.2: "An endpoint that receives a HEADERS frame that causes its advertised concurrent
    // stream limit to be exceeded MUST treat this as a stream error of type PROTOCOL_ERROR or
    // REFUSED_STREAM." Reset streams whose handler still runs count too (Rapid Reset).
    throw new StreamError(id, "TOO_MANY_STREAMS", `More than ${max} concurrent streams (RFC 9113 §5.1.2)`);
  }
  const session = c.session;
  if (fields === null) {
    c.defences.spendOversized(c.host.now);
    const { status, reason } = WIRE_ERRORS.HEADER_LIST_TOO_LARGE; // RFC 9113 §10.5.1
    return session.reject(id, endStream, status, reason);
  }
  const options = c.host.options;
  let head: RequestHead;
  try {
    head = buildRequestHead(id, fields, options.maxHeaders);
  } catch (error) {
    if (error instanceof HttpError) {
      if (error.status === 431) c.defences.spendOversized(c.host.now);
      return session.reject(id, endStream, error.status, error.message);
    }
    throw error;
  }
  if (endStream && head.contentLength > 0) {
    // §8.1.1: a content-length that the (absent) DATA cannot match.
    throw new StreamError(
      id,
      "CONTENT_LENGTH_MISMATCH",
      "content-length on a request without content (RFC 9113 §8.1.1)",
    );
  }
  if (head.contentLength > options.maxBodySize) {
    const { status, reason } = WIRE_ERRORS.BODY_TOO_LARGE;
    return session.reject(id, endStream, status, reason);
  }
  session.openRequest(id, head, endStream);
}

/** A second field block on a stream: trailers (§8.1). */
function trailers(
  c: FrameContext,
  stream: Http2Stream,
  fields: string[] | null,
  endStream: boolean,
  deferred: StreamError | null,
): void {
  if (deferred !== null) throw deferred;
  if (stream.remoteClosed) {
    // §5.1 half-closed (remote): frames other than WINDOW_UPDATE, PRIORITY, RST_STREAM → STREAM_CLOSED.
    throw new StreamError(stream.id, "HEADERS_AFTER_END_STREAM", "HEADERS after END_STREAM (RFC 9113 §5.1)");
  }
  // §8.1: trailers come in a HEADERS frame that carries END_STREAM; "An endpoint that receives a
  // HEADERS frame without the END_STREAM flag set after receiving the HEADERS frame that opens a
  // request ... MUST treat the corresponding request or response as malformed."
  if (!endStream) {
    throw new StreamError(
      stream.id,
      "TRAILERS_WITHOUT_END_STREAM",
      "Second HEADERS frame without END_STREAM (RFC 9113 §8.1)",
    );
  }
  if (fields === null) {
    throw new StreamError(
      stream.id,
      "TRAILERS_TOO_LARGE",
      "Trailers larger than SETTINGS_MAX_HEADER_LIST_SIZE (RFC 9113 §6.5.2)",
    );
  }
  endOfRequest(c, stream, validateTrailers(stream.id, fields));
}

/** §6.3 PRIORITY: the priority signals of RFC 7540 are deprecated (§5.3.2); validated, then ignored. */
function handlePriority(c: FrameContext): void {
  c.defences.spendControl(c.host.now);
}

/** §6.4 RST_STREAM from the peer. */
function handleRstStream(c: FrameContext, f: Frame): void {
  const stream = c.streams.get(f.streamId);
  if (stream === undefined) {
    // §6.4: "If a RST_STREAM frame identifying an idle stream is received, the recipient MUST
    // treat this as a connection error of type PROTOCOL_ERROR."
    c.streams.checkUntracked(f.streamId, FRAME_RST_STREAM);
    // A reset of a stream we already answered costs a request all the same: a reset flood whose
    // requests are answered before their RST_STREAM arrives must spend the budget too.
    c.defences.spendReset(c.host.now);
    return;
  }
  c.session.closeStream(
    stream,
    CLOSED_RESET_RECEIVED,
    new Error(`Stream reset by the client (${errorCodeName(f.errorCode)})`),
  );
  // Rapid Reset (CVE-2023-44487): streams opened and reset at once cost the server work each.
  c.defences.spendReset(c.host.now);
}

/** §6.5 SETTINGS. */
function handleSettings(c: FrameContext, f: Frame, b: Uint8Array): void {
  if ((f.flags & FLAG_ACK) !== 0) {
    c.writer.settingsAcknowledged();
    return;
  }
  c.defences.spendControl(c.host.now); // SETTINGS flood, CVE-2019-9515
  c.writer.applyPeerSettings(b, f.start, f.end);
}

/** §6.7 PING. */
function handlePing(c: FrameContext, f: Frame, b: Uint8Array): void {
  if ((f.flags & FLAG_ACK) !== 0) return; // we send no PINGs; an unsolicited ACK is ignored
  c.defences.spendControl(c.host.now); // PING flood, CVE-2019-9512
  c.writer.pingAck(b, f.start);
}

/** §6.8 GOAWAY from the peer: it opens no more streams; ours are finished, then the connection closes. */
function handleGoaway(c: FrameContext): void {
  c.session.peerGoaway();
}

/** §6.9 WINDOW_UPDATE. */
function handleWindowUpdate(c: FrameContext, f: Frame): void {
  c.defences.spendWindowUpdate(f.value, c.host.now); // data dribble, CVE-2019-9511
  if (f.streamId === 0) return c.writer.windowUpdate(null, f.value);
  const stream = c.streams.get(f.streamId);
  if (stream === undefined) return c.streams.checkUntracked(f.streamId, FRAME_WINDOW_UPDATE);
  c.writer.windowUpdate(stream, f.value);
}

/** §5.5: "Implementations MUST discard frames that have unknown or unsupported types." */
function handleUnknown(c: FrameContext): void {
  c.defences.spendControl(c.host.now);
}

/** Handlers by frame type (RFC 9113 §6); PUSH_PROMISE never gets here (its parser refuses it, §8.4). */
export const FRAME_HANDLERS: readonly FrameHandler[] = (() => {
  const table: FrameHandler[] = [];
  table[FRAME_DATA] = handleData;
  table[FRAME_HEADERS] = handleHeaders;
  table[FRAME_PRIORITY] = handlePriority;
  table[FRAME_RST_STREAM] = handleRstStream;
  table[FRAME_SETTINGS] = handleSettings;
  table[FRAME_PING] = handlePing;
  table[FRAME_GOAWAY] = handleGoaway;
  table[FRAME_WINDOW_UPDATE] = handleWindowUpdate;
  table[FRAME_CONTINUATION] = handleContinuation;
  return table;
})();

/** Act on a parsed frame. */
export function handleFrame(c: FrameContext, f: Frame, b: Uint8Array): void {
  (FRAME_HANDLERS[f.type] ?? handleUnknown)(c, f, b);
}
