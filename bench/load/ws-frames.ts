/**
 * WebSocket framing in client mode (RFC 6455 §5), for the load generator.
 *
 * - {@link encodeClientFrame}: a client frame is always masked (§5.3): the header of
 *   `core/ws/frame-writer.ts` with the MASK bit set, a 4-byte key, and the payload XORed with it
 *   by `core/ws/mask.ts`. {@link buildFramePool} prebuilds many such frames, each with its own
 *   random key, so the generator writes ready bytes and never masks on the hot path.
 * - {@link ClientFrameReader}: an incremental reader of server frames. The core's FrameParser is
 *   the server's side and rightly rejects unmasked frames; a client must do the opposite (§5.1:
 *   a client closes the connection on a masked frame). It checks the rules a server's frames
 *   must follow and hands data payloads out as views into the input, piece by piece, so a
 *   client can verify an echo without copying it.
 *
 * @example
 * ```ts
 * const frame = encodeClientFrame(OPCODE_TEXT, new TextEncoder().encode("Hello"), randomMaskKey());
 * const reader = new ClientFrameReader({
 *   onMessageStart(opcode, compressed) {}, onMessageData(piece) {}, onMessageEnd() {},
 *   onPing(payload) {}, onPong(payload) {}, onClose(code, reason) {},
 * });
 * const error = reader.push(bytesFromServer); // null, or a WsError (its closeCode and code)
 * ```
 * @module
 */
import { frameHeaderSize, writeFrameHeader } from "../../core/ws/frame-writer.ts";
import { unmask } from "../../core/ws/mask.ts";
import {
  MAX_CONTROL_PAYLOAD,
  OPCODE_BINARY,
  OPCODE_CLOSE,
  OPCODE_CONTINUATION,
  OPCODE_PING,
  OPCODE_PONG,
  OPCODE_TEXT,
} from "../../core/ws/opcodes.ts";
import { WsError } from "../../core/ws/ws-error.ts";
import { CLOSE_PROTOCOL_ERROR } from "../../core/ws/close-codes.ts";

/** A fresh, unpredictable 4-byte masking key (§5.3: "MUST be derived from a strong source of entropy"). */
export function randomMaskKey(): Uint8Array {
  return crypto.getRandomValues(new Uint8Array(4));
}

/** The size of a client frame carrying `length` payload bytes: header + 4-byte key + payload. */
export function clientFrameSize(length: number): number {
  return frameHeaderSize(length) + 4 + length;
}

/**
 * Writes one masked client frame at `target[offset]`; returns the offset after it. The caller
 * makes room for {@link clientFrameSize} bytes. `payload` is left as it is.
 */
export function writeClientFrame(
  target: Uint8Array,
  offset: number,
  opcode: number,
  payload: Uint8Array,
  key: Uint8Array,
  fin = true,
  rsv1 = false,
): number {
  let at = writeFrameHeader(target, offset, opcode, payload.length, fin, rsv1);
  target[offset + 1]! |= 0x80; // MASK (§5.2)
  target[at] = key[0]!;
  target[at + 1] = key[1]!;
  target[at + 2] = key[2]!;
  target[at + 3] = key[3]!;
  at += 4;
  target.set(payload, at);
  unmask(target.subarray(at, at + payload.length), key, 0); // XOR: masking is the same operation
  return at + payload.length;
}

/** One masked client frame in a new array. */
export function encodeClientFrame(
  opcode: number,
  payload: Uint8Array,
  key: Uint8Array = randomMaskKey(),
  fin = true,
  rsv1 = false,
): Uint8Array {
  const out = new Uint8Array(clientFrameSize(payload.length));
  writeClientFrame(out, 0, opcode, payload, key, fin, rsv1);
  return out;
}

/**
 * `distinct` frames of the same payload, each masked with its own random key, laid end to end —
 * followed by the first `window - 1` of them again, so that any run of up to `window`
 * consecutive frames (cyclically) is one contiguous view: `bytes.subarray(i * frameSize,
 * (i + n) * frameSize)` for `i < distinct`, `n ≤ window`. One write then sends n frames.
 */
export interface FramePool {
  bytes: Uint8Array;
  frameSize: number;
  distinct: number;
  window: number;
}

/** Build a {@link FramePool}; `rsv1` marks compressed payloads (RFC 7692 §6). */
export function buildFramePool(
  opcode: number,
  payload: Uint8Array,
  distinct: number,
  window: number,
  rsv1 = false,
): FramePool {
  if (!Number.isInteger(distinct) || distinct < 1) throw new RangeError("distinct must be ≥ 1");
  if (!Number.isInteger(window) || window < 1) throw new RangeError("window must be ≥ 1");
  const frameSize = clientFrameSize(payload.length);
  const total = distinct + window - 1;
  const bytes = new Uint8Array(frameSize * total);
  for (let i = 0; i < distinct; i++) {
    writeClientFrame(bytes, i * frameSize, opcode, payload, randomMaskKey(), true, rsv1);
  }
  for (let i = distinct; i < total; i++) {
    bytes.copyWithin(i * frameSize, (i % distinct) * frameSize, (i % distinct + 1) * frameSize);
  }
  return { bytes, frameSize, distinct, window };
}

// ─── Reading server frames ────────────────────────────────────────────────────────────────────

/** What the reader reports. Payload views are valid only during the call. */
export interface ClientFrameEvents {
  /** The first frame of a data message (text or binary); `compressed` is its RSV1 (RFC 7692 §6). */
  onMessageStart(opcode: typeof OPCODE_TEXT | typeof OPCODE_BINARY, compressed: boolean): void;
  /** Payload bytes of the message, in order, over all its fragments; a view into the input. */
  onMessageData(piece: Uint8Array): void;
  /** The final frame of the message is complete. */
  onMessageEnd(): void;
  onPing(payload: Uint8Array): void;
  onPong(payload: Uint8Array): void;
  /** A Close frame (§5.5.1): `code` undefined for an empty body. Later bytes are ignored. */
  onClose(code: number | undefined, reason: string): void;
}

/** Reader settings. */
export interface ClientFrameReaderOptions {
  /** permessage-deflate was negotiated: RSV1 may mark the first frame of a data message. */
  perMessageDeflate?: boolean;
}

const S_HEADER = 0;
const S_LENGTH_16 = 1;
const S_LENGTH_64 = 2;
const S_DATA = 3;
const S_CLOSED = 4;
const S_FAILED = 5;

const reasonDecoder = new TextDecoder();

function protocolError(message: string, code: string): WsError {
  return new WsError(CLOSE_PROTOCOL_ERROR, message, code);
}

/**
 * Reads the frames a server sends (RFC 6455 §5), incrementally: frames may be split anywhere
 * and many may share one chunk. Enforces: no MASK bit (§5.1), RSV2/RSV3 clear and RSV1 only with
 * permessage-deflate on a message's first frame, no reserved opcodes (§5.2), control frames
 * unfragmented and ≤ 125 bytes (§5.5), continuation only inside a fragmented message and no new
 * message inside one (§5.4), minimal length encoding and a clear 64-bit MSB (§5.2). Text is not
 * validated as UTF-8 here: the generator compares it byte for byte with what it sent.
 */
export class ClientFrameReader {
  private readonly events: ClientFrameEvents;
  private readonly perMessageDeflate: boolean;
  private state = S_HEADER;
  private failure: WsError | null = null;
  private readonly scratch = new Uint8Array(8);
  private fill = 0;
  private fin = false;
  private opcode = 0;
  private frameLength = 0;
  private remaining = 0;
  /** Opcode of the data message in progress (over its fragments), else 0. */
  private messageOpcode = 0;
  private readonly control = new Uint8Array(MAX_CONTROL_PAYLOAD);

  constructor(events: ClientFrameEvents, options: ClientFrameReaderOptions = {}) {
    this.events = events;
    this.perMessageDeflate = options.perMessageDeflate === true;
  }

  /** The error that stopped the reader, or null. */
  get error(): WsError | null {
    return this.failure;
  }

  /** Whether a Close frame was read. */
  get closed(): boolean {
    return this.state === S_CLOSED;
  }

  /** Read `chunk`; returns null or the error that fails the connection (then on every call). */
  push(chunk: Uint8Array): WsError | null {
    const end = chunk.length;
    let pos = 0;
    let error: WsError | null = null;
    for (;;) {
      switch (this.state) {
        case S_HEADER: {
          if (pos === end) return null;
          let b0: number;
          let b1: number;
          if (this.fill === 0 && end - pos >= 2) {
            b0 = chunk[pos]!;
            b1 = chunk[pos + 1]!;
            pos += 2;
          } else {
            pos = this.gather(chunk, pos, 2);
            if (this.fill < 2) return null;
            b0 = this.scratch[0]!;
            b1 = this.scratch[1]!;
            this.fill = 0;
          }
          error = this.header(b0, b1);
          break;
        }
        case S_LENGTH_16: {
          if (pos === end) return null;
          pos = this.gather(chunk, pos, 2);
          if (this.fill < 2) return null;
          this.fill = 0;
          const length = (this.scratch[0]! << 8) | this.scratch[1]!;
          error = length < 126
            ? protocolError(`Length ${length} must use the 7-bit form`, "NON_MINIMAL_LENGTH")
            : this.haveLength(length);
          break;
        }
        case S_LENGTH_64: {
          if (pos === end) return null;
          pos = this.gather(chunk, pos, 8);
          if (this.fill < 8) return null;
          this.fill = 0;
          const s = this.scratch;
          const high = ((s[0]! << 24) | (s[1]! << 16) | (s[2]! << 8) | s[3]!) >>> 0;
          const low = ((s[4]! << 24) | (s[5]! << 16) | (s[6]! << 8) | s[7]!) >>> 0;
          if (high >= 0x80000000) {
            error = protocolError("The most significant bit of a 64-bit length must be 0", "LENGTH_MSB_SET");
          } else if (high > 0x1fffff) error = protocolError("Frame length exceeds 2^53 - 1 bytes", "FRAME_TOO_BIG");
          else if (high === 0 && low < 0x10000) {
            error = protocolError(`Length ${low} must use the 16-bit form`, "NON_MINIMAL_LENGTH");
          } else error = this.haveLength(high * 0x100000000 + low);
          break;
        }
        case S_DATA: {
          if (pos === end) return null;
          const take = Math.min(end - pos, this.remaining);
          const piece = chunk.subarray(pos, pos + take);
          pos += take;
          this.remaining -= take;
          if (this.opcode >= OPCODE_CLOSE) {
            this.control.set(piece, this.frameLength - this.remaining - take);
            if (this.remaining === 0) error = this.controlFrame(this.control.subarray(0, this.frameLength));
          } else {
            this.events.onMessageData(piece);
            if (this.remaining === 0) this.endFrame();
          }
          break;
        }
        case S_CLOSED:
          return null;
        default:
          return this.failure;
      }
      if (error !== null) {
        this.state = S_FAILED;
        this.failure = error;
        return error;
      }
    }
  }

  private gather(chunk: Uint8Array, pos: number, n: number): number {
    const take = Math.min(n - this.fill, chunk.length - pos);
    this.scratch.set(chunk.subarray(pos, pos + take), this.fill);
    this.fill += take;
    return pos + take;
  }

  private header(b0: number, b1: number): WsError | null {
    const fin = (b0 & 0x80) !== 0;
    const rsv1 = (b0 & 0x40) !== 0;
    const opcode = b0 & 0x0f;
    const length7 = b1 & 0x7f;
    if ((b0 & 0x30) !== 0) return protocolError("RSV2 and RSV3 must be clear", "RSV_SET");
    // §5.1: "A client MUST close a connection if it detects a masked frame."
    if ((b1 & 0x80) !== 0) return protocolError("Server frames must not be masked", "MASKED_FRAME");
    switch (opcode) {
      case OPCODE_CONTINUATION:
        if (this.messageOpcode === 0) {
          return protocolError("Continuation frame without a message to continue", "UNEXPECTED_CONTINUATION");
        }
        if (rsv1) return protocolError("RSV1 must be clear on a continuation frame", "RSV_SET");
        break;
      case OPCODE_TEXT:
      case OPCODE_BINARY:
        if (this.messageOpcode !== 0) {
          return protocolError("New data frame while a fragmented message is in progress", "EXPECTED_CONTINUATION");
        }
        if (rsv1 && !this.perMessageDeflate) {
          return protocolError("RSV1 must be clear without a negotiated extension", "RSV_SET");
        }
        this.messageOpcode = opcode;
        this.events.onMessageStart(opcode, rsv1);
        break;
      case OPCODE_CLOSE:
      case OPCODE_PING:
      case OPCODE_PONG:
        if (!fin) return protocolError("Control frames must not be fragmented", "FRAGMENTED_CONTROL");
        if (rsv1) return protocolError("RSV1 must be clear on a control frame", "RSV_SET");
        if (length7 > MAX_CONTROL_PAYLOAD) {
          return protocolError("Control frame payload is longer than 125 bytes", "CONTROL_TOO_LONG");
        }
        break;
      default:
        return protocolError(`Reserved opcode 0x${opcode.toString(16)}`, "RESERVED_OPCODE");
    }
    this.fin = fin;
    this.opcode = opcode;
    if (length7 === 126) this.state = S_LENGTH_16;
    else if (length7 === 127) this.state = S_LENGTH_64;
    else return this.haveLength(length7);
    return null;
  }

  private haveLength(length: number): WsError | null {
    this.frameLength = length;
    this.remaining = length;
    if (length > 0) {
      this.state = S_DATA;
      return null;
    }
    this.state = S_HEADER;
    if (this.opcode >= OPCODE_CLOSE) return this.controlFrame(this.control.subarray(0, 0));
    this.endFrame();
    return null;
  }

  private endFrame(): void {
    this.state = S_HEADER;
    if (this.fin) {
      this.messageOpcode = 0;
      this.events.onMessageEnd();
    }
  }

  private controlFrame(payload: Uint8Array): WsError | null {
    this.state = S_HEADER;
    if (this.opcode === OPCODE_PING) this.events.onPing(payload);
    else if (this.opcode === OPCODE_PONG) this.events.onPong(payload);
    else {
      if (payload.length === 1) return protocolError("Close frame body of 1 byte", "INVALID_CLOSE_LENGTH");
      this.state = S_CLOSED;
      if (payload.length === 0) this.events.onClose(undefined, "");
      else this.events.onClose((payload[0]! << 8) | payload[1]!, reasonDecoder.decode(payload.subarray(2)));
    }
    return null;
  }
}
