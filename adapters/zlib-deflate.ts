/**
 * permessage-deflate (RFC 7692) for the WebSocket core, over `node:zlib`, which Node, Bun and
 * Deno all provide (https://nodejs.org/api/zlib.html). Shared by the three adapters.
 *
 * Each message is one synchronous raw-DEFLATE call ending in a sync flush
 * (`finishFlush: Z_SYNC_FLUSH`). Context takeover (§7.1.1) keeps the last window of earlier
 * messages: inflating puts it in front of the message as stored blocks, so the peer's
 * back-references into it resolve as with one long-lived stream; deflating passes it as the
 * preset dictionary (Deno's node:zlib ignores that for raw streams: there the output is still
 * valid, only less compressed). Without context takeover no window is kept at all.
 * Decompression stops at `maxOutputLength`, so a bomb costs at most the limit.
 *
 * A runtime with whole-stream codecs of its own (Bun's native `deflateSync`/`inflateSync`, which
 * skip the stream object that every `node:zlib` call builds) hands them in as
 * {@link OneShotDeflate}; they are used where they are safe: compressing a message that starts
 * from an empty window, and inflating a message too short to exceed the size limit.
 * @module
 */
import zlib from "node:zlib";
import type { DeflateProvider, RawDeflater, RawInflater } from "../core/mod.ts";

const { Z_SYNC_FLUSH } = zlib.constants;

/** A runtime's codecs for complete raw-DEFLATE streams (RFC 1951), window 2^15. */
export interface OneShotDeflate {
  /** `data` as one complete stream: its last block has BFINAL set. */
  deflate(data: Uint8Array, level: number | undefined): Uint8Array;
  /** The bytes of one complete stream, with no limit on their size: the caller bounds it. */
  inflate(stream: Uint8Array): Uint8Array;
}

/**
 * No DEFLATE stream expands more than 1032:1 (RFC 1951 §3.2.5: a 258-byte match, coded in one
 * bit of length and one of distance, is the densest form), so an input this many times smaller
 * than the limit cannot inflate past it.
 */
const MAX_INFLATE_RATIO = 1032;

/**
 * The empty stored block `00 00 ff ff` that ends a sync-flushed message (RFC 7692 §7.2.2), then
 * an empty final stored block: a message's bytes followed by these form one complete stream.
 */
const COMPLETE_STREAM_TAIL = Uint8Array.of(0x00, 0x00, 0xff, 0xff, 0x01, 0x00, 0x00, 0xff, 0xff);

/**
 * After a final block: the rest of the empty stored block §7.2.1 appends (its header bits and
 * padding as a whole byte), then the `00 00 ff ff` the codec removes again. RFC 7692 §7.2.3.3's
 * "Hello" example ends the same way.
 */
const AFTER_FINAL_BLOCK = Uint8Array.of(0x00, 0x00, 0x00, 0xff, 0xff);

/** The last `size` bytes of `history` followed by `data`. */
function slide(history: Uint8Array | null, data: Uint8Array, size: number): Uint8Array {
  if (data.length >= size) return data.slice(data.length - size);
  const keep = history === null ? 0 : Math.min(history.length, size - data.length);
  const out = new Uint8Array(keep + data.length);
  if (keep > 0) out.set(history!.subarray(history!.length - keep));
  out.set(data, keep);
  return out;
}

class ZlibDeflater implements RawDeflater {
  readonly #windowBits: number;
  readonly #level: number | undefined;
  readonly #contextTakeover: boolean;
  readonly #oneShot: OneShotDeflate | null;
  #window: Uint8Array | null = null;

  constructor(windowBits: number, level: number | undefined, contextTakeover: boolean, oneShot: OneShotDeflate | null) {
    this.#windowBits = windowBits;
    this.#level = level;
    this.#contextTakeover = contextTakeover;
    this.#oneShot = oneShot;
  }
  deflate(data: Uint8Array): Uint8Array {
    // A one-shot codec always uses a 2^15 window; a message no longer than a smaller agreed
    // window cannot reach further back than it either way.
    const windowFits = this.#windowBits === 15 || data.length <= 1 << this.#windowBits;
    if (!this.#contextTakeover && this.#oneShot !== null && windowFits) {
      return this.#finalBlockMessage(data);
    }
    const options: zlib.ZlibOptions = { windowBits: this.#windowBits, finishFlush: Z_SYNC_FLUSH };
    if (this.#level !== undefined) options.level = this.#level;
    if (this.#window !== null) options.dictionary = this.#window;
    const out = zlib.deflateRawSync(data, options);
    if (this.#contextTakeover) this.#window = slide(this.#window, data, 1 << this.#windowBits);
    return new Uint8Array(out.buffer, out.byteOffset, out.byteLength);
  }
  /** The message as its own stream (RFC 7692 §7.2.3.3), then {@link AFTER_FINAL_BLOCK}. */
  #finalBlockMessage(data: Uint8Array): Uint8Array {
    // §7.2.3.6: the empty message is the single byte 00 once the codec strips the tail.
    if (data.length === 0) return AFTER_FINAL_BLOCK.slice();
    const stream = this.#oneShot!.deflate(data, this.#level);
    const out = new Uint8Array(stream.length + AFTER_FINAL_BLOCK.length);
    out.set(stream);
    out.set(AFTER_FINAL_BLOCK, stream.length);
    return out;
  }
  reset(): void {
    this.#window = null;
  }
  close(): void {
    this.#window = null;
  }
}

/**
 * The last window of earlier output as stored (uncompressed) DEFLATE blocks (RFC 1951 §3.2.4):
 * inflating them first fills the decoder's window with exactly the history the peer's
 * back-references point into. This works on every zlib, where a preset dictionary on a raw
 * stream does not (Deno's node:zlib ignores it).
 */
function storedBlocks(history: Uint8Array): Uint8Array {
  const blocks = Math.ceil(history.length / 0xffff);
  const out = new Uint8Array(history.length + blocks * 5);
  let at = 0;
  for (let from = 0; from < history.length; from += 0xffff) {
    const length = Math.min(0xffff, history.length - from);
    out[at] = 0x00; // BFINAL 0, BTYPE 00, then padding to the byte boundary
    out[at + 1] = length & 0xff;
    out[at + 2] = length >>> 8;
    out[at + 3] = ~length & 0xff;
    out[at + 4] = (~length >>> 8) & 0xff;
    out.set(history.subarray(from, from + length), at + 5);
    at += 5 + length;
  }
  return out;
}

/** `prefix`, `data` and `suffix` (either may be null) in one array. */
function joined(prefix: Uint8Array | null, data: Uint8Array, suffix: Uint8Array | null): Uint8Array {
  const before = prefix?.length ?? 0;
  const out = new Uint8Array(before + data.length + (suffix?.length ?? 0));
  if (prefix !== null) out.set(prefix);
  out.set(data, before);
  if (suffix !== null) out.set(suffix, before + data.length);
  return out;
}

class ZlibInflater implements RawInflater {
  readonly #windowSize: number;
  readonly #contextTakeover: boolean;
  readonly #oneShot: OneShotDeflate | null;
  #window: Uint8Array | null = null;

  constructor(windowBits: number, contextTakeover: boolean, oneShot: OneShotDeflate | null) {
    this.#windowSize = 1 << windowBits;
    this.#contextTakeover = contextTakeover;
    this.#oneShot = oneShot;
  }
  inflate(data: Uint8Array, maxOutput: number): Uint8Array | null {
    // Each message starts on a byte boundary (the sender's sync flush aligned it), so it can
    // follow the stored history directly.
    const history = this.#window;
    const skip = history?.length ?? 0;
    const complete = this.#oneShot !== null && data.length * MAX_INFLATE_RATIO <= maxOutput;
    const prefix = skip > 0 ? storedBlocks(history!) : null;
    const tail = complete ? COMPLETE_STREAM_TAIL : null;
    const input = prefix === null && tail === null ? data : joined(prefix, data, tail);
    let out: Uint8Array;
    if (complete) out = this.#oneShot!.inflate(input);
    else {
      try {
        out = zlib.inflateRawSync(input, {
          windowBits: 15,
          finishFlush: Z_SYNC_FLUSH,
          maxOutputLength: skip + Math.max(1, maxOutput),
        });
      } catch (error) {
        if ((error as { code?: string }).code === "ERR_BUFFER_TOO_LARGE") return null;
        throw error;
      }
    }
    if (out.length - skip > maxOutput) return null;
    const message = new Uint8Array(out.buffer, out.byteOffset + skip, out.byteLength - skip);
    if (this.#contextTakeover) this.#window = slide(this.#window, message, this.#windowSize);
    return message;
  }
  reset(): void {
    this.#window = null;
  }
  close(): void {
    this.#window = null;
  }
}

/** Whether this zlib honours a preset dictionary on raw deflate (Deno's does not, today). */
function deflateUsesDictionary(): boolean {
  const sample = new TextEncoder().encode("wirecore permessage-deflate context takeover probe");
  const options: zlib.ZlibOptions = { finishFlush: Z_SYNC_FLUSH, dictionary: sample };
  return zlib.deflateRawSync(sample, options).length < sample.length / 2;
}

/**
 * The core's {@link DeflateProvider} on `node:zlib`, with a runtime's whole-stream codecs where
 * they are safe (see the module comment).
 */
export function createZlibDeflateProvider(oneShot: OneShotDeflate | null = null): DeflateProvider {
  return {
    serverContextTakeover: deflateUsesDictionary(),
    createDeflate: (windowBits, level, contextTakeover = true) =>
      new ZlibDeflater(windowBits, level, contextTakeover, oneShot),
    createInflate: (windowBits, contextTakeover = true) => new ZlibInflater(windowBits, contextTakeover, oneShot),
  };
}

/** The `node:zlib` implementation of the core's {@link DeflateProvider}. */
export const zlibDeflateProvider: DeflateProvider = createZlibDeflateProvider();
