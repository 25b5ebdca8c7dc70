/**
 * permessage-deflate (RFC 7692) for the WebSocket core, over `node:zlib`, which Node, Bun and
 * Deno all provide (https://nodejs.org/api/zlib.html). Shared by the three adapters.
 *
 * Each message is one synchronous raw-DEFLATE call ending in a sync flush
 * (`finishFlush: Z_SYNC_FLUSH`). Context takeover (§7.1.1) keeps the last window of earlier
 * messages: inflating puts it in front of the message as stored blocks, so the peer's
 * back-references into it resolve as with one long-lived stream; deflating passes it as the
 * preset dictionary (Deno's node:zlib ignores that for raw streams: there the output is still
 * valid, only less compressed). Decompression stops at `maxOutputLength`, so a bomb costs at
 * most the limit.
 * @module
 */
import zlib from "node:zlib";
import type { DeflateProvider, RawDeflater, RawInflater } from "../core/mod.ts";

const { Z_SYNC_FLUSH } = zlib.constants;

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
  #window: Uint8Array | null = null;

  constructor(windowBits: number, level?: number) {
    this.#windowBits = windowBits;
    this.#level = level;
  }
  deflate(data: Uint8Array): Uint8Array {
    const options: zlib.ZlibOptions = { windowBits: this.#windowBits, finishFlush: Z_SYNC_FLUSH };
    if (this.#level !== undefined) options.level = this.#level;
    if (this.#window !== null) options.dictionary = this.#window;
    const out = zlib.deflateRawSync(data, options);
    this.#window = slide(this.#window, data, 1 << this.#windowBits);
    return new Uint8Array(out.buffer, out.byteOffset, out.byteLength);
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

class ZlibInflater implements RawInflater {
  readonly #windowSize: number;
  #window: Uint8Array | null = null;

  constructor(windowBits: number) {
    this.#windowSize = 1 << windowBits;
  }
  inflate(data: Uint8Array, maxOutput: number): Uint8Array | null {
    // Each message starts on a byte boundary (the sender's sync flush aligned it), so it can
    // follow the stored history directly.
    const history = this.#window;
    let input = data;
    if (history !== null && history.length > 0) {
      const prefix = storedBlocks(history);
      input = new Uint8Array(prefix.length + data.length);
      input.set(prefix);
      input.set(data, prefix.length);
    }
    const skip = history?.length ?? 0;
    let out: Uint8Array;
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
    if (out.length - skip > maxOutput) return null;
    const message = new Uint8Array(out.buffer, out.byteOffset + skip, out.byteLength - skip);
    this.#window = slide(this.#window, message, this.#windowSize);
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

/** The `node:zlib` implementation of the core's {@link DeflateProvider}. */
export const zlibDeflateProvider: DeflateProvider = {
  serverContextTakeover: deflateUsesDictionary(),
  createDeflate: (windowBits, level) => new ZlibDeflater(windowBits, level),
  createInflate: (windowBits) => new ZlibInflater(windowBits),
};
