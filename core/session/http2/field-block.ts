/**
 * Field-block assembly (RFC 9113 §4.3): a HEADERS frame and the CONTINUATION frames that follow
 * it form one field block, which is decoded with the connection's HPACK decoder once complete.
 * Every block is decoded — even one for a stream that will be refused — so the decoder's
 * dynamic table stays in step with the peer's encoder.
 *
 * A fragment is used in place when the block fits in one frame; fragments of a longer block are
 * gathered in one buffer, capped (CONTINUATION flood, 2024): at most `maxContinuationFrames`
 * frames and twice `maxHeaderListSize` octets, else GOAWAY ENHANCE_YOUR_CALM.
 * @module
 */
import { HpackDecoder, HpackError } from "../../hpack/mod.ts";
import { ConnectionError, type StreamError } from "../../http2/errors.ts";
import type { Frame } from "../../http2/frame-header.ts";
import { FLAG_END_HEADERS, FLAG_END_STREAM, FRAME_CONTINUATION, frameTypeName } from "../../http2/frame-types.ts";
import type { Defences } from "./defences.ts";
import type { Http2Limits } from "./limits.ts";

/** Gathers HEADERS + CONTINUATION into field blocks and decodes them. */
export class FieldBlockAssembler {
  readonly #decoder: HpackDecoder;
  readonly #defences: Defences;
  readonly #maxContinuationFrames: number;
  /** The encoded block may be at most this long, across all its frames. */
  readonly #cap: number;
  /** The stream of a block still missing frames, or 0. */
  #open = 0;
  #frames = 0;
  #startedAt = 0;
  #buf: Uint8Array | null = null;
  #length = 0;
  // The block last started: its stream, flags of its HEADERS frame, and the stream error its
  // HEADERS frame carried (raised once the block is decoded, §6.2).
  #streamId = 0;
  #flags = 0;
  #deferred: StreamError | null = null;
  #fields: string[] | null = null;

  /** `maxFields`: the most fields a block may decode to before it counts as too large. */
  constructor(limits: Http2Limits, defences: Defences, maxFields: number = Number.POSITIVE_INFINITY) {
    this.#decoder = new HpackDecoder({ maxTableSize: 4096, maxHeaderListSize: limits.maxHeaderListSize, maxFields });
    this.#defences = defences;
    this.#maxContinuationFrames = limits.maxContinuationFrames;
    this.#cap = limits.maxHeaderListSize * 2;
  }

  /** Whether a block waits for CONTINUATION frames. */
  get open(): boolean {
    return this.#open !== 0;
  }

  /** Server clock when the block still open began. */
  get startedAt(): number {
    return this.#startedAt;
  }

  // The completed block, after headers() or continuation() returned true.

  /** The stream of the completed block. */
  get streamId(): number {
    return this.#streamId;
  }

  /** The block's HEADERS frame carried END_STREAM. */
  get endStream(): boolean {
    return (this.#flags & FLAG_END_STREAM) !== 0;
  }

  /** A stream error found in the HEADERS frame, raised once the block is decoded (§6.2), or null. */
  get deferred(): StreamError | null {
    return this.#deferred;
  }

  /** The decoded fields, or null when the list is over SETTINGS_MAX_HEADER_LIST_SIZE (§6.5.2). */
  get fields(): string[] | null {
    return this.#fields;
  }

  /** Any frame: inside an open block only its CONTINUATION frames may come (§6.10, §4.3). */
  checkInterleave(f: Frame): void {
    if (this.#open !== 0 && (f.type !== FRAME_CONTINUATION || f.streamId !== this.#open)) {
      // §6.10: "A receiver MUST treat the receipt of any other type of frame or a frame on a
      // different stream as a connection error of type PROTOCOL_ERROR."
      throw new ConnectionError(
        "FIELD_BLOCK_INTERRUPTED",
        `${
          frameTypeName(f.type)
        } frame on stream ${f.streamId} inside the field block of stream ${this.#open} (RFC 9113 §6.10)`,
      );
    }
  }

  /** §6.2 HEADERS starts a block; true when it is complete (END_HEADERS) and decoded. */
  headers(f: Frame, b: Uint8Array, now: number): boolean {
    this.#streamId = f.streamId;
    this.#flags = f.flags;
    this.#deferred = f.deferred;
    if ((f.flags & FLAG_END_HEADERS) !== 0) {
      this.#decode(b, f.start, f.end);
      return true;
    }
    this.#open = f.streamId;
    this.#frames = 1;
    this.#length = 0;
    this.#startedAt = now;
    this.#append(b, f.start, f.end);
    return false;
  }

  /** §6.10 CONTINUATION adds to the open block; true when it completes it. */
  continuation(f: Frame, b: Uint8Array, now: number): boolean {
    // §6.10: "A CONTINUATION frame MUST be preceded by a HEADERS, PUSH_PROMISE or CONTINUATION
    // frame without the END_HEADERS flag set. A recipient that observes violation of this rule
    // MUST respond with a connection error of type PROTOCOL_ERROR."
    if (this.#open === 0) {
      throw new ConnectionError(
        "UNEXPECTED_CONTINUATION",
        `CONTINUATION on stream ${f.streamId} without an open field block (RFC 9113 §6.10)`,
      );
    }
    // CONTINUATION flood (2024): a block may not grow without end, in octets or in frames.
    if (++this.#frames > this.#maxContinuationFrames + 1) {
      throw new ConnectionError(
        "CONTINUATION_FLOOD",
        `More than ${this.#maxContinuationFrames} CONTINUATION frames in one field block`,
      );
    }
    const endHeaders = (f.flags & FLAG_END_HEADERS) !== 0;
    if (f.length === 0 && !endHeaders) this.#defences.spendControl(now); // empty frames, CVE-2019-9518
    this.#append(b, f.start, f.end);
    if (!endHeaders) return false;
    this.#open = 0;
    const buf = this.#buf!;
    // A buffer grown for one large block is not kept for the life of the connection.
    if (buf.length > 16384) this.#buf = null;
    this.#decode(buf, 0, this.#length);
    return true;
  }

  /** The connection failed: a block still open will never complete. */
  abandon(): void {
    this.#open = 0;
  }

  #append(b: Uint8Array, start: number, end: number): void {
    const n = end - start;
    const need = this.#length + n;
    const cap = this.#cap;
    if (need > cap) {
      throw new ConnectionError("FIELD_BLOCK_TOO_LARGE", `Field block over ${cap} octets (CONTINUATION flood)`);
    }
    let buf = this.#buf;
    if (buf === null || buf.length < need) {
      const next = new Uint8Array(Math.min(cap, Math.max(need, (buf?.length ?? 0) * 2, 4096)));
      if (buf !== null) next.set(buf.subarray(0, this.#length));
      this.#buf = buf = next;
    }
    buf.set(b.subarray(start, end), this.#length);
    this.#length = need;
  }

  /** Decode a complete block — always, to keep HPACK in step. */
  #decode(block: Uint8Array, start: number, end: number): void {
    try {
      this.#fields = this.#decoder.decode(block, start, end);
    } catch (error) {
      if (!(error instanceof HpackError) || error.fatal) {
        // §4.3: "A decoding error in a field block MUST be treated as a connection error of type
        // COMPRESSION_ERROR."
        throw new ConnectionError(
          "FIELD_BLOCK_UNDECODABLE",
          `Field block of stream ${this.#streamId}: ${(error as Error).message} (RFC 9113 §4.3)`,
        );
      }
      this.#fields = null; // over SETTINGS_MAX_HEADER_LIST_SIZE: decoded in full, table in step (HPACK bomb)
    }
  }
}
