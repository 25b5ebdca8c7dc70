/**
 * An incremental parser for frames sent by a client (RFC 6455 §5), delivering whole messages
 * and control frames.
 *
 * Shape: numbered states and one `switch` in a loop; each state returns early when too few
 * bytes have arrived and resumes on the next {@link FrameParser.push}. Frames may be split
 * anywhere and many may share one read. A payload that lies whole in one read is delivered as a
 * view into it; only a payload that spans reads, or a fragmented message, is copied.
 *
 * Unmasking (§5.3) happens in place: the parser XORs the payload bytes of the array it is given.
 *
 * Every failing rule returns a {@link WsError} with the close code to fail the connection with
 * (§7.1.7): 1002 for protocol violations, 1007 for invalid UTF-8, 1009 for oversized messages.
 * Text messages are validated incrementally as their bytes arrive, so an invalid byte fails the
 * connection before the rest of the message is received (§8.1) — except compressed messages,
 * whose characters only exist after inflating: they are delivered with `compressed` set, for the
 * receiver to inflate and validate (the server session decodes them with a fatal decoder; a
 * client can call `PerMessageCodec.decompress(payload, max, true)`).
 *
 * Length encodings: §5.2 says "the minimal number of bytes MUST be used to encode the length".
 * That is a sender's requirement with no receiver rule attached; like the HTTP parser, this one
 * is strict by default (1002) and lenient only behind `allowNonMinimalLength`.
 *
 * @example
 * ```ts
 * const parser = new FrameParser({
 *   onMessage(opcode, payload, compressed) {},
 *   onPing(payload) { transport.write(encodePongFrame(payload)); },
 *   onPong(payload) {},
 *   onClose(code, reason) {},
 * }, { maxMessageSize: 1 << 20 });
 * const error = parser.push(bytes);
 * if (error) transport.write(encodeCloseFrame(error.closeCode, error.message));
 * ```
 * @module
 */
import { WsError } from "./ws-error.ts";
import { isValidCloseCode } from "./close-codes.ts";
import {
  type DataOpcode,
  MAX_CONTROL_PAYLOAD,
  OPCODE_BINARY,
  OPCODE_CLOSE,
  OPCODE_CONTINUATION,
  OPCODE_PING,
  OPCODE_PONG,
  OPCODE_TEXT,
} from "./opcodes.ts";
import { unmask } from "./mask.ts";
import { isValidUtf8, Utf8Validator } from "./utf8-validator.ts";
import { MessageAssembler } from "./message-assembler.ts";

/**
 * What the parser reports. Payloads are valid only during the call — copy what you keep —
 * except a message payload delivered with `owned` set.
 */
export interface FrameParserEvents {
  /**
   * A whole data message. Text is valid UTF-8 unless `compressed` (RSV1 on the first frame,
   * RFC 7692 §6): then `payload` is still deflated and unchecked. `owned`: the payload was
   * assembled into an array of its own (it spanned reads or fragments), which the receiver may
   * keep; otherwise it is a view into the bytes given to `push`.
   */
  onMessage(opcode: DataOpcode, payload: Uint8Array, compressed: boolean, owned: boolean): void;
  /** A Ping (§5.5.2): answer with a Pong carrying the same payload. */
  onPing(payload: Uint8Array): void;
  /** A Pong (§5.5.3). */
  onPong(payload: Uint8Array): void;
  /**
   * A valid Close frame (§5.5.1): `code` undefined when the frame had no body (report 1005).
   * The parser ignores all bytes after it.
   */
  onClose(code: number | undefined, reason: string): void;
}

/** Parser settings. */
export interface FrameParserOptions {
  /**
   * Largest message in bytes, summed over its fragments, checked from each frame header before
   * its payload is buffered (1009). For a compressed message this bounds the compressed bytes,
   * with a little room for deflate's overhead; bound the inflated size when decompressing.
   * Default 16 MiB.
   */
  maxMessageSize?: number;
  /** permessage-deflate was negotiated: RSV1 may mark the first frame of a data message. */
  perMessageDeflate?: boolean;
  /** Accept lengths not encoded in the fewest bytes (§5.2). Default false: 1002. */
  allowNonMinimalLength?: boolean;
}

/** Default {@link FrameParserOptions.maxMessageSize}: 16 MiB. */
export const DEFAULT_MAX_MESSAGE_SIZE: number = 16 * 1024 * 1024;

// ─── States ───────────────────────────────────────────────────────────────────────────────────
/** First two bytes: FIN, RSV1–3, opcode, MASK, 7-bit length. */
const S_HEADER = 0;
/** 16-bit extended length. */
const S_LENGTH_16 = 1;
/** 64-bit extended length. */
const S_LENGTH_64 = 2;
/** 4-byte masking key. */
const S_MASK = 3;
/** Payload bytes. */
const S_DATA = 4;
/** A Close frame arrived; later bytes are ignored (§5.5.1). */
const S_CLOSED = 5;
/** A rule failed; the parser only repeats its error. */
const S_FAILED = 6;

const EMPTY = new Uint8Array(0);
/** Keeps a leading U+FEFF of a close reason, as of a text message (see the session's decoder). */
const reasonDecoder = new TextDecoder("utf-8", { ignoreBOM: true });

/** Parses the frames of one connection, client to server. */
export class FrameParser {
  readonly #events: FrameParserEvents;
  readonly #maxMessageSize: number;
  /** The wire limit for compressed messages: deflate may expand incompressible data slightly. */
  readonly #maxCompressedSize: number;
  readonly #perMessageDeflate: boolean;
  readonly #allowNonMinimalLength: boolean;

  #state = S_HEADER;
  #failure: WsError | null = null;

  /** Header bytes that arrived split across reads, and how many of them are in. */
  readonly #scratch = new Uint8Array(8);
  #fill = 0;
  /** Where the header bytes of the current step are: `chunk` or `scratch`, from `at` (see `take`). */
  #src: Uint8Array = EMPTY;
  #at = 0;

  // The frame being read.
  #fin = false;
  #opcode = 0;
  #frameLength = 0;
  #remaining = 0;
  readonly #mask = new Uint8Array(4);
  #maskOffset = 0;
  /** A control frame's payload when it spans reads (at most 125 bytes, §5.5). */
  readonly #control = new Uint8Array(MAX_CONTROL_PAYLOAD);

  // The data message being read (possibly over several fragments, §5.4).
  /** The message's opcode while one is in progress, else 0. */
  #messageOpcode = 0;
  #compressed = false;
  /** Payload bytes of the message's earlier frames plus the current frame's declared length. */
  #messageSize = 0;
  readonly #utf8 = new Utf8Validator();
  readonly #assembler = new MessageAssembler();

  constructor(events: FrameParserEvents, options: FrameParserOptions = {}) {
    this.#events = events;
    this.#maxMessageSize = options.maxMessageSize ?? DEFAULT_MAX_MESSAGE_SIZE;
    this.#maxCompressedSize = this.#maxMessageSize + Math.ceil(this.#maxMessageSize / 4096) + 64;
    this.#perMessageDeflate = options.perMessageDeflate === true;
    this.#allowNonMinimalLength = options.allowNonMinimalLength === true;
  }
  /** Bytes allocated for a fragmented message in progress (grows with what arrived, RFC 6455 §5.4). */
  get messageCapacity(): number {
    return this.#assembler.capacity;
  }

  /** The error that stopped the parser, or null. */
  get error(): WsError | null {
    return this.#failure;
  }

  /** Whether a Close frame has been received (later bytes are ignored). */
  get closed(): boolean {
    return this.#state === S_CLOSED;
  }

  /**
   * Parses `chunk`, emitting events for every complete message and control frame in it.
   * Returns null, or the error that fails the connection — then and on every later call.
   * Payload bytes of `chunk` are unmasked in place.
   */
  push(chunk: Uint8Array): WsError | null {
    const end = chunk.length;
    let pos = 0;
    let error: WsError | null = null;
    for (;;) {
      if (pos === end && this.#state !== S_FAILED) return null;
      switch (this.#state) {
        case S_HEADER: {
          pos = this.#take(chunk, pos, 2);
          if (pos < 0) return null;
          const src = this.#src;
          const at = this.#at;
          error = this.#readHeader(src[at]!, src[at + 1]!);
          break;
        }
        case S_LENGTH_16: {
          pos = this.#take(chunk, pos, 2);
          if (pos < 0) return null;
          const length = (this.#src[this.#at]! << 8) | this.#src[this.#at + 1]!;
          // §5.2: 126 announces a 16-bit length, meant for 126–65535.
          if (length < 126 && !this.#allowNonMinimalLength) {
            error = new WsError("NON_MINIMAL_LENGTH", `Length ${length} must use the 7-bit form`);
          } else {
            error = this.#haveLength(length);
          }
          break;
        }
        case S_LENGTH_64: {
          pos = this.#take(chunk, pos, 8);
          if (pos < 0) return null;
          const high = readUint32(this.#src, this.#at);
          const low = readUint32(this.#src, this.#at + 4);
          if (high >= 0x80000000) {
            // §5.2: "the most significant bit MUST be 0".
            error = new WsError("LENGTH_MSB_SET");
          } else if (high > 0x1fffff) {
            // Beyond 2^53 - 1: not representable, and beyond any message size limit.
            error = new WsError("MESSAGE_TOO_BIG", "Frame length exceeds 2^53 - 1 bytes");
          } else if (high === 0 && low < 0x10000 && !this.#allowNonMinimalLength) {
            // §5.2: 127 announces a 64-bit length, meant for 65536 and more.
            error = new WsError("NON_MINIMAL_LENGTH", `Length ${low} must use the 16-bit form`);
          } else {
            error = this.#haveLength(high * 0x100000000 + low);
          }
          break;
        }
        case S_MASK: {
          pos = this.#take(chunk, pos, 4);
          if (pos < 0) return null;
          const src = this.#src;
          const at = this.#at;
          const mask = this.#mask;
          mask[0] = src[at]!;
          mask[1] = src[at + 1]!;
          mask[2] = src[at + 2]!;
          mask[3] = src[at + 3]!;
          this.#maskOffset = 0;
          if (this.#frameLength === 0) error = this.#emptyFrame();
          else this.#state = S_DATA;
          break;
        }
        case S_DATA: {
          // Payload bytes stay where they are: a view, unmasked in place.
          const take = Math.min(end - pos, this.#remaining);
          const piece = chunk.subarray(pos, pos + take);
          pos += take;
          this.#maskOffset = unmask(piece, this.#mask, this.#maskOffset);
          if (this.#opcode >= OPCODE_CLOSE) error = this.#controlData(piece);
          else error = this.#messageData(piece);
          break;
        }
        case S_CLOSED:
          return null;
        default:
          return this.#failure;
      }
      if (error !== null) {
        this.#state = S_FAILED;
        this.#failure = error;
        return error;
      }
    }
  }

  /**
   * Make the next `n` bytes of a frame header readable at `src[at]`, wherever they are: in place
   * when they lie whole in `chunk` (the common case, no copy), else gathered into `scratch` as
   * reads arrive — only bytes that straddle a read border are copied. Returns the position in
   * `chunk` after them, or -1 when the chunk ended first (what it had is kept for the next call).
   */
  #take(chunk: Uint8Array, pos: number, n: number): number {
    const fill = this.#fill;
    if (fill === 0 && chunk.length - pos >= n) {
      this.#src = chunk;
      this.#at = pos;
      return pos + n;
    }
    const count = Math.min(n - fill, chunk.length - pos);
    this.#scratch.set(chunk.subarray(pos, pos + count), fill);
    if (fill + count < n) {
      this.#fill = fill + count;
      return -1;
    }
    this.#fill = 0;
    this.#src = this.#scratch;
    this.#at = 0;
    return pos + count;
  }

  /** The first two bytes of a frame (§5.2). */
  #readHeader(b0: number, b1: number): WsError | null {
    const fin = (b0 & 0x80) !== 0;
    const rsv1 = (b0 & 0x40) !== 0;
    const opcode = b0 & 0x0f;
    const length7 = b1 & 0x7f;

    // §5.2: RSV1–3 "MUST be 0 unless an extension is negotiated that defines meanings".
    // permessage-deflate defines RSV1 only (RFC 7692 §6); nothing defines RSV2 or RSV3.
    if ((b0 & 0x30) !== 0) return new WsError("RSV_SET", "RSV2 and RSV3 must be clear");
    switch (opcode) {
      case OPCODE_CONTINUATION:
        // §5.4: a continuation belongs to a message started by a non-final text/binary frame.
        if (this.#messageOpcode === 0) {
          return new WsError("UNEXPECTED_CONTINUATION", "Continuation frame without a message to continue");
        }
        // RFC 7692 §6.1: RSV1 marks the first frame of a compressed message only.
        if (rsv1) return new WsError("RSV_SET", "RSV1 must be clear on a continuation frame");
        break;
      case OPCODE_TEXT:
      case OPCODE_BINARY:
        // §5.4: fragments of one message are not interleaved with another message's frames.
        if (this.#messageOpcode !== 0) {
          return new WsError("EXPECTED_CONTINUATION");
        }
        if (rsv1 && !this.#perMessageDeflate) {
          return new WsError("RSV_SET", "RSV1 must be clear without a negotiated extension");
        }
        this.#messageOpcode = opcode;
        this.#compressed = rsv1;
        break;
      case OPCODE_CLOSE:
      case OPCODE_PING:
      case OPCODE_PONG:
        // §5.5: "Control frames themselves MUST NOT be fragmented".
        if (!fin) return new WsError("FRAGMENTED_CONTROL");
        // RFC 7692 §6.1: control frames are never compressed.
        if (rsv1) return new WsError("RSV_SET", "RSV1 must be clear on a control frame");
        // §5.5: "All control frames MUST have a payload length of 125 bytes or less".
        if (length7 > MAX_CONTROL_PAYLOAD) {
          return new WsError("CONTROL_TOO_LONG");
        }
        break;
      default:
        // §5.2: 0x3–0x7 and 0xB–0xF are reserved.
        return new WsError("RESERVED_OPCODE", `Reserved opcode 0x${opcode.toString(16)}`);
    }
    // §5.1: "The server MUST close the connection upon receiving a frame that is not masked".
    if ((b1 & 0x80) === 0) return new WsError("UNMASKED_FRAME");

    this.#fin = fin;
    this.#opcode = opcode;
    if (length7 === 126) this.#state = S_LENGTH_16;
    else if (length7 === 127) this.#state = S_LENGTH_64;
    else return this.#haveLength(length7);
    return null;
  }

  /** The payload length is known: enforce the size limit before any of it is buffered. */
  #haveLength(length: number): WsError | null {
    if (this.#opcode < OPCODE_CLOSE) {
      const size = this.#messageSize + length;
      const limit = this.#compressed ? this.#maxCompressedSize : this.#maxMessageSize;
      if (size > limit) {
        return new WsError("MESSAGE_TOO_BIG", `Message exceeds the limit of ${this.#maxMessageSize} bytes`);
      }
      this.#messageSize = size;
    }
    this.#frameLength = length;
    this.#remaining = length;
    this.#state = S_MASK;
    return null;
  }

  /** A frame with no payload is complete as soon as its mask is read. */
  #emptyFrame(): WsError | null {
    this.#state = S_HEADER;
    if (this.#opcode >= OPCODE_CLOSE) return this.#controlFrame(EMPTY);
    if (!this.#fin) return null;
    return this.#assembler.size > 0 ? this.#endMessage(this.#assembler.take(), true) : this.#endMessage(EMPTY, false);
  }

  /** Unmasked payload bytes of a data frame. */
  #messageData(piece: Uint8Array): WsError | null {
    this.#remaining -= piece.length;
    // §8.1: fail as soon as the bytes so far cannot be UTF-8, not at the end of the message.
    if (this.#messageOpcode === OPCODE_TEXT && !this.#compressed && !this.#utf8.update(piece)) {
      return new WsError("INVALID_UTF8", `Text message is not valid UTF-8 at byte ${this.#utf8.invalidAt}`);
    }
    const frameDone = this.#remaining === 0;
    if (frameDone && this.#fin && piece.length === this.#frameLength && this.#assembler.size === 0) {
      // The whole message lies in this read: hand out a view, no copy.
      this.#state = S_HEADER;
      return this.#endMessage(piece, false);
    }
    // At most the rest of a final frame may follow; after a non-final one, up to the limit.
    const limit = this.#compressed ? this.#maxCompressedSize : this.#maxMessageSize;
    this.#assembler.append(piece, this.#fin ? this.#remaining : limit - this.#assembler.size - piece.length);
    if (!frameDone) return null;
    this.#state = S_HEADER;
    return this.#fin ? this.#endMessage(this.#assembler.take(), true) : null;
  }

  /** The last frame of a data message is complete. */
  #endMessage(payload: Uint8Array, owned: boolean): WsError | null {
    const opcode = this.#messageOpcode as DataOpcode;
    const compressed = this.#compressed;
    // §8.1: a sequence cut off by the end of the message is invalid too.
    if (opcode === OPCODE_TEXT && !compressed && !this.#utf8.finish()) {
      return new WsError("INVALID_UTF8", `Text message is not valid UTF-8: truncated at byte ${this.#utf8.invalidAt}`);
    }
    this.#messageOpcode = 0;
    this.#compressed = false;
    this.#messageSize = 0;
    this.#events.onMessage(opcode, payload, compressed, owned);
    return null;
  }

  /** Unmasked payload bytes of a control frame: deliver once all have arrived. */
  #controlData(piece: Uint8Array): WsError | null {
    this.#remaining -= piece.length;
    if (this.#remaining === 0 && piece.length === this.#frameLength) {
      this.#state = S_HEADER;
      return this.#controlFrame(piece);
    }
    const at = this.#frameLength - this.#remaining - piece.length;
    this.#control.set(piece, at);
    if (this.#remaining !== 0) return null;
    this.#state = S_HEADER;
    return this.#controlFrame(this.#control.subarray(0, this.#frameLength));
  }

  /** A complete Close, Ping or Pong frame. */
  #controlFrame(payload: Uint8Array): WsError | null {
    if (this.#opcode === OPCODE_PING) {
      this.#events.onPing(payload);
      return null;
    }
    if (this.#opcode === OPCODE_PONG) {
      this.#events.onPong(payload);
      return null;
    }
    // §5.5.1: an empty body, or a 2-byte code followed by a UTF-8 reason.
    if (payload.length === 0) {
      this.#state = S_CLOSED;
      this.#events.onClose(undefined, "");
      return null;
    }
    if (payload.length === 1) return new WsError("INVALID_CLOSE_LENGTH");
    const code = (payload[0]! << 8) | payload[1]!;
    // §7.4: codes reserved or unassigned fail the connection.
    if (!isValidCloseCode(code)) return new WsError("INVALID_CLOSE_CODE", `Invalid close code ${code}`);
    // §5.5.1: "the data MUST be UTF-8-encoded"; §8.1 maps invalid UTF-8 to 1007.
    if (!isValidUtf8(payload, 2)) {
      return new WsError("INVALID_UTF8", "Close reason is not valid UTF-8");
    }
    this.#state = S_CLOSED;
    this.#events.onClose(code, payload.length === 2 ? "" : reasonDecoder.decode(payload.subarray(2)));
    return null;
  }
}

function readUint32(bytes: Uint8Array, at: number): number {
  return ((bytes[at]! << 24) | (bytes[at + 1]! << 16) | (bytes[at + 2]! << 8) | bytes[at + 3]!) >>> 0;
}
