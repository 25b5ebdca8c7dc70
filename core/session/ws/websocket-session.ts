import type { Transport } from "../../transport/transport.ts";
import type { ConnectionKind, ManagedConnection } from "../../transport/managed-connection.ts";
import { WIRE_ERRORS, type WsErrorCode } from "../../http/wire-errors.ts";
import { CLOSE_ABNORMAL, CLOSE_NO_STATUS, CLOSE_NORMAL } from "../../ws/close-codes.ts";
import { FrameParser, type FrameParserEvents } from "../../ws/frame-parser.ts";
import {
  appendFrame,
  appendTextFrame,
  encodeCloseFrame,
  encodeFrame,
  encodePingFrame,
  encodePongFrame,
  encodeTextFrame,
} from "../../ws/frame-writer.ts";
import { type DataOpcode, OPCODE_BINARY, OPCODE_PONG, OPCODE_TEXT } from "../../ws/opcodes.ts";
import type { PerMessageCodec } from "../../ws/permessage-codec.ts";
import type { PubSub } from "./pubsub.ts";
import { ServerWebSocket, type WebSocketSessionControl } from "./server-websocket.ts";
import type { ResolvedWebSocketOptions, WebSocketHandlers } from "./websocket-options.ts";
import { WsError } from "../../ws/ws-error.ts";
import { Linger } from "../linger.ts";
import { type BackpressureListener, WriteBatch } from "../write-batch.ts";

/** What a session needs from the server it runs in. */
export interface WebSocketHost {
  now: number;
  readonly pubsub: PubSub;
  forget(conn: ManagedConnection): void;
  readonly options: { onError(error: unknown): void };
}

const OPEN = 1;
const CLOSING = 2;
const CLOSED = 3;
/**
 * Frames made while handling one read are encoded into the shared sink and written together,
 * up to this many bytes.
 */
const BATCH_LIMIT = 64 * 1024;
// ignoreBOM: a leading U+FEFF is a character of the message (browsers keep it); the default
// decoder would drop it (WHATWG Encoding's BOM sniff).
const textDecoder = new TextDecoder("utf-8", { ignoreBOM: true });
/** For compressed text, whose characters only the decode checks (§8.1): it throws on bad UTF-8. */
const strictTextDecoder = new TextDecoder("utf-8", { ignoreBOM: true, fatal: true });
const textEncoder = new TextEncoder();

/**
 * One WebSocket connection after the 101: frames in through the parser, messages out to the
 * handlers; the closing handshake, pings on idle, backpressure and topics.
 */
export class WebSocketSession
  implements ManagedConnection, FrameParserEvents, WebSocketSessionControl, BackpressureListener {
  readonly ws: ServerWebSocket<unknown>;
  readonly #transport: Transport;
  readonly #host: WebSocketHost;
  readonly #options: ResolvedWebSocketOptions;
  readonly #handlers: WebSocketHandlers<unknown>;
  readonly #parser: FrameParser;
  readonly #codec: PerMessageCodec | null;
  /** Frames made while handling one read go out in one write (see "bytes out"). */
  readonly #batch: WriteBatch;
  #state: 1 | 2 | 3 = OPEN;
  /** Started when we send our Close: a peer that does not close in time is cut (RFC 6455 §7.1.1). */
  readonly #linger: Linger = new Linger();
  #closeReported = false;
  #lastActive: number;
  #pingSent = false;
  #pingSentAt = 0;
  #topics: Set<string> | null = null;

  constructor(
    transport: Transport,
    host: WebSocketHost,
    options: ResolvedWebSocketOptions,
    handlers: WebSocketHandlers<unknown>,
    codec: PerMessageCodec | null,
    data: unknown,
    protocol: string,
    extensions: string,
  ) {
    this.#transport = transport;
    this.#host = host;
    this.#options = options;
    this.#handlers = handlers;
    this.#codec = codec;
    this.#batch = new WriteBatch(transport, host, options.maxBackpressure, this);
    this.#parser = new FrameParser(this, { maxMessageSize: options.maxMessageSize, perMessageDeflate: codec !== null });
    this.#lastActive = host.now;
    this.ws = new ServerWebSocket(this, data, protocol, extensions, transport.info.remoteAddress);
  }

  /** Call once the 101 is written: runs the `open` handler. */
  open(): void {
    this.#guard(() => this.#handlers.open?.(this.ws));
  }

  #guard(fn: () => void): void {
    try {
      fn();
    } catch (error) {
      this.#handlerFailed(error);
    }
  }

  /** A handler threw: report it and close with 1011. */
  #handlerFailed(error: unknown): void {
    this.#host.options.onError(error);
    if (this.#state === OPEN) this.#closeFor("HANDLER_FAILED");
  }

  // ── bytes in ────────────────────────────────────────────────────────────────────────────────

  data(bytes: Uint8Array): void {
    if (this.#state === CLOSED) return;
    this.#lastActive = this.#host.now;
    this.#pingSent = false;
    // Frames made while the read is parsed are batched in the shared sink, sent in one write.
    const batch = this.#batch;
    batch.cork();
    let error: WsError | null;
    try {
      error = this.#parser.push(bytes);
    } finally {
      batch.uncork();
    }
    if (error !== null) this.#fail(error);
    batch.flush();
  }

  onMessage(opcode: DataOpcode, payload: Uint8Array, compressed: boolean, owned: boolean): void {
    if (this.#state !== OPEN) return;
    let bytes = payload;
    let text: string | undefined;
    if (compressed) {
      try {
        // Text is checked as UTF-8 once, by the strict decode below, not by the codec too.
        bytes = this.#codec!.decompress(payload, this.#options.maxMessageSize, false);
      } catch (error) {
        this.#fail(
          error instanceof WsError ? error : new WsError("INFLATE_INTERNAL_ERROR"),
        );
        return;
      }
      // §8.1: checked whether or not a handler takes the message.
      if (opcode === OPCODE_TEXT) {
        try {
          text = strictTextDecoder.decode(bytes);
        } catch {
          this.#fail(new WsError("INVALID_UTF8", "Text message is not valid UTF-8"));
          return;
        }
      }
    }
    const handler = this.#handlers.message;
    if (handler === undefined) return;
    // Uncompressed text was validated as UTF-8 by the parser. Binary is the handler's to keep,
    // alone in its ArrayBuffer (Bun's handlers get that, and code such as hono/bun reads
    // `message.buffer`): a view into the read buffer, or into a larger assembled array, is copied
    // (with the constructor: `slice()` of a Node or Bun Buffer is a view).
    const message = opcode === OPCODE_TEXT
      ? text ?? textDecoder.decode(bytes)
      : (compressed || owned) && bytes.byteOffset === 0 && bytes.byteLength === bytes.buffer.byteLength
      ? bytes
      : new Uint8Array(bytes);
    // Inline rather than #guard: no closure per message.
    try {
      handler(this.ws, message);
    } catch (error) {
      this.#handlerFailed(error);
    }
  }

  onPing(payload: Uint8Array): void {
    // RFC 6455 §5.5.2: answer with a Pong carrying the same payload (at most 125 bytes).
    if (this.#state === OPEN) this.#writeFrame(OPCODE_PONG, payload);
    const handler = this.#handlers.ping;
    if (handler !== undefined) this.#guard(() => handler(this.ws, new Uint8Array(payload)));
  }

  onPong(payload: Uint8Array): void {
    const handler = this.#handlers.pong;
    if (handler !== undefined) this.#guard(() => handler(this.ws, new Uint8Array(payload)));
  }

  onClose(code: number | undefined, reason: string): void {
    // §5.5.1: answer a Close with a Close (echoing the code), then the server closes TCP first (§7.1.1).
    if (this.#state === OPEN) this.#write(code === undefined ? encodeCloseFrame() : encodeCloseFrame(code));
    this.#state = CLOSING;
    this.#reportClose(code ?? CLOSE_NO_STATUS, reason);
    this.#batch.flush();
    this.#transport.end();
  }

  #fail(error: WsError): void {
    if (this.#state === CLOSED) return;
    if (this.#state === OPEN) this.#sendClose(error.closeCode, error.message);
    this.#reportClose(error.closeCode, error.message);
    this.#batch.flush();
    this.#transport.end();
  }

  // ── bytes out ───────────────────────────────────────────────────────────────────────────────
  //
  // Inside `data()` (corked) frames are encoded straight into the batch in the process-wide sink,
  // which goes out once at the end of the read, at once past BATCH_LIMIT, or when another
  // connection takes the sink (it flushes us first). Outside a batch every frame is written at
  // once, as its own array: no other owner's batch is cut short.

  /** A frame made with `payload`, which is copied (into the batch, or a new array). */
  #writeFrame(opcode: number, payload: Uint8Array, rsv1 = false): void {
    if (this.#state === CLOSED) return;
    const batch = this.#batch;
    if (batch.corked && payload.length < BATCH_LIMIT) {
      appendFrame(batch.sink(), opcode, payload, true, rsv1);
      batch.flushIfFull(BATCH_LIMIT);
    } else this.#write(encodeFrame(opcode, payload, true, rsv1));
  }

  #writeText(text: string): void {
    if (this.#state === CLOSED) return;
    const batch = this.#batch;
    if (batch.corked && text.length < BATCH_LIMIT) {
      appendTextFrame(batch.sink(), text);
      batch.flushIfFull(BATCH_LIMIT);
    } else this.#write(encodeTextFrame(text));
  }

  /** An encoded frame: into the batch when one is open, else out now. */
  #write(frame: Uint8Array): void {
    if (this.#state === CLOSED) return;
    const batch = this.#batch;
    // Outside a batch, or a large frame with nothing batched before it: it goes as it is, uncopied.
    if (!batch.corked || (frame.length >= BATCH_LIMIT && batch.pending === 0)) {
      batch.writeThrough(frame);
      return;
    }
    batch.sink().writeBytes(frame);
    // A large batch goes now, so send() sees the socket's backpressure as it happens.
    batch.flushIfFull(BATCH_LIMIT);
  }

  /** A consumer this slow would hold our memory: close it (RFC 6455 §7.4.1, 1008). */
  backpressureExceeded(): void {
    if (this.#state !== OPEN) return;
    this.#state = CLOSING;
    this.#cut("BACKPRESSURE_EXCEEDED");
  }

  /** A frame made once for many sockets (pub/sub). */
  writeFrame(frame: Uint8Array): void {
    if (this.#state === OPEN) this.#write(frame);
  }

  drain(): void {
    const batch = this.#batch;
    if (!batch.blocked) return;
    batch.drained();
    const handler = this.#handlers.drain;
    if (handler !== undefined && this.#state === OPEN) this.#guard(() => handler(this.ws));
  }

  // ── WebSocketSessionControl ─────────────────────────────────────────────────────────────────

  get kind(): ConnectionKind {
    return "websocket";
  }

  get readyState(): 0 | 1 | 2 | 3 {
    return this.#state;
  }
  get bufferedAmount(): number {
    return this.#batch.blockedBytes + this.#batch.pending;
  }

  send(data: string | Uint8Array, compress: boolean): boolean {
    if (this.#state !== OPEN) return false;
    const codec = this.#codec;
    if (codec !== null && compress) {
      const bytes = typeof data === "string" ? textEncoder.encode(data) : data;
      const opcode = typeof data === "string" ? OPCODE_TEXT : OPCODE_BINARY;
      // RFC 7692 §6: RSV1 is set per message, so one below the threshold may go as it is.
      if (bytes.length < this.#options.deflateThreshold) this.#writeFrame(opcode, bytes);
      else this.#writeFrame(opcode, codec.compress(bytes), true);
    } else if (typeof data === "string") this.#writeText(data);
    else this.#writeFrame(OPCODE_BINARY, data);
    return this.#batch.blocked;
  }

  close(code: number | undefined, reason: string): void {
    if (this.#state !== OPEN) return;
    this.#sendClose(code ?? CLOSE_NORMAL, reason);
  }

  /** Start the closing handshake with the table's close code and reason for `code`. */
  #closeFor(code: WsErrorCode): void {
    const { close, reason } = WIRE_ERRORS[code];
    this.#sendClose(close, reason);
  }

  /** Drop the connection with no closing handshake, reporting the table's answer for `code`. */
  #cut(code: WsErrorCode): void {
    const { close, reason } = WIRE_ERRORS[code];
    this.#reportClose(close, reason);
    this.destroy();
  }

  #sendClose(code: number, reason: string): void {
    this.#write(encodeCloseFrame(code, reason));
    this.#state = CLOSING;
    this.#linger.start(this.#host.now);
    this.#batch.commit();
  }

  terminate(): void {
    this.destroy();
  }
  ping(data?: Uint8Array): void {
    if (this.#state === OPEN) this.#write(encodePingFrame(data));
  }
  pong(data?: Uint8Array): void {
    if (this.#state === OPEN) this.#write(encodePongFrame(data));
  }
  subscribe(topic: string): void {
    if (this.#state === CLOSED) return;
    (this.#topics ??= new Set()).add(topic);
    this.#host.pubsub.subscribe(topic, this);
  }
  unsubscribe(topic: string): void {
    this.#topics?.delete(topic);
    this.#host.pubsub.unsubscribe(topic, this);
  }
  isSubscribed(topic: string): boolean {
    return this.#topics?.has(topic) ?? false;
  }
  publish(topic: string, data: string | Uint8Array): number {
    return this.#host.pubsub.publish(topic, data, this);
  }

  // ── lifecycle ───────────────────────────────────────────────────────────────────────────────

  #reportClose(code: number, reason: string): void {
    if (this.#closeReported) return;
    this.#closeReported = true;
    this.#leaveTopics();
    const handler = this.#handlers.close;
    if (handler !== undefined) this.#guard(() => handler(this.ws, code, reason));
  }

  #leaveTopics(): void {
    const topics = this.#topics;
    if (topics === null) return;
    this.#topics = null;
    for (const topic of topics) this.#host.pubsub.unsubscribe(topic, this);
  }

  end(): void {
    // The peer closed its side without a closing handshake, or after ours.
    this.#transport.end();
  }

  closed(_error?: unknown): void {
    if (this.#state === CLOSED) return;
    this.#state = CLOSED;
    // Bytes still batched for this socket have nowhere to go.
    this.#batch.close();
    this.#reportClose(CLOSE_ABNORMAL, "");
    this.#codec?.close();
    this.#host.forget(this);
  }

  tick(now: number): void {
    if (this.#state === CLOSED) return;
    if (this.#state === CLOSING) {
      if (this.#linger.expired(now)) this.destroy();
      return;
    }
    const idle = this.#options.idleTimeoutMs;
    if (idle <= 0) return;
    const quiet = now - this.#lastActive;
    if (quiet > idle / 2 && !this.#pingSent) {
      // Ask for a sign of life before giving up; any frame back counts.
      this.#pingSent = true;
      this.#pingSentAt = now;
      this.#write(encodePingFrame());
    } else if (quiet > idle && this.#pingSent && now - this.#pingSentAt >= idle / 2) {
      this.#cut("IDLE_TIMEOUT");
    }
  }

  closeIdle(): void {
    if (this.#state === OPEN) this.#closeFor("SHUTTING_DOWN");
  }

  destroy(): void {
    if (this.#state === CLOSED) return;
    this.#transport.close();
  }
}
