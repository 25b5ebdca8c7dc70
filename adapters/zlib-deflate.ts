/**
 * permessage-deflate (RFC 7692) for the WebSocket core, over `node:zlib`, which Node, Bun and
 * Deno all provide (https://nodejs.org/api/zlib.html). Shared by the three adapters.
 *
 * Each message is one synchronous raw-DEFLATE call ending in a sync flush
 * (`finishFlush: Z_SYNC_FLUSH`). Context takeover (§7.1.1) is kept by passing the last window of
 * earlier messages as the preset dictionary: the peer's LZ77 window holds exactly those bytes, so
 * back-references into it decode the same as with one long-lived stream. Decompression stops at
 * `maxOutputLength`, so a bomb costs at most the limit.
 * @module
 */
import zlib from "node:zlib";
import type { DeflateProvider, RawDeflater, RawInflater } from "../core/ws/deflate-provider.ts";

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

class ZlibInflater implements RawInflater {
  readonly #windowBits: number;
  #window: Uint8Array | null = null;

  constructor(windowBits: number) {
    // zlib's raw inflate needs a window of at least 2^9 to read 2^8-window streams too.
    this.#windowBits = Math.max(windowBits, 9);
  }
  inflate(data: Uint8Array, maxOutput: number): Uint8Array | null {
    const options: zlib.ZlibOptions = {
      windowBits: 15,
      finishFlush: Z_SYNC_FLUSH,
      maxOutputLength: Math.max(1, maxOutput),
    };
    if (this.#window !== null) options.dictionary = this.#window;
    let out: Uint8Array;
    try {
      out = zlib.inflateRawSync(data, options);
    } catch (error) {
      if ((error as { code?: string }).code === "ERR_BUFFER_TOO_LARGE") return null;
      throw error;
    }
    if (out.length > maxOutput) return null;
    this.#window = slide(this.#window, out, 1 << this.#windowBits);
    return new Uint8Array(out.buffer, out.byteOffset, out.byteLength);
  }
  reset(): void {
    this.#window = null;
  }
  close(): void {
    this.#window = null;
  }
}

/** The `node:zlib` implementation of the core's {@link DeflateProvider}. */
export const zlibDeflateProvider: DeflateProvider = {
  createDeflate: (windowBits, level) => new ZlibDeflater(windowBits, level),
  createInflate: (windowBits) => new ZlibInflater(windowBits),
};
