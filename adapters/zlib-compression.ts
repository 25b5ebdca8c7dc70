/**
 * Response compression for the `compress()` middleware over `node:zlib`, which Node, Bun and Deno
 * all provide (https://nodejs.org/api/zlib.html). Shared by the three adapters, which pass it to
 * the app as `ServeOptions.compression`.
 *
 * gzip and deflate are everywhere; brotli and zstd are offered where this runtime's `node:zlib`
 * has them, found once at startup by compressing a few bytes (zstd came to Node in 24; Bun 1.4
 * and Deno 2.9 have both). A streamed body is flushed after each chunk (`Z_SYNC_FLUSH`,
 * `BROTLI_OPERATION_FLUSH`, `ZSTD_e_flush`): what the handler writes reaches the client now,
 * which `CompressionStream` does not promise (Node and Bun hold small chunks back).
 * @module
 */
import zlib from "node:zlib";
import type { CompressionProvider, ContentCoding } from "../core/mod.ts";

type ZlibStream = zlib.Gzip | zlib.Deflate | zlib.BrotliCompress;

/** zstd arrived in Node 24 (`createZstdCompress`); older typings do not know it. */
interface ZstdZlib {
  createZstdCompress?(options?: { params?: Record<number, number> }): ZlibStream;
  zstdCompress?(data: Uint8Array, options: { params?: Record<number, number> }, cb: Done): void;
  zstdCompressSync?(data: Uint8Array): Uint8Array;
}
type Done = (error: Error | null, result: Uint8Array) => void;

const zz = zlib as unknown as ZstdZlib;
const C = zlib.constants as Record<string, number>;
/** zstd's level parameter (ZSTD_c_compressionLevel = 100 in zstd.h) where the constants lack it. */
const ZSTD_LEVEL = C.ZSTD_c_compressionLevel ?? 100;
/** Brotli's default quality is 11, made for static files; 4 compresses about as well as gzip 6, faster. */
const BROTLI_QUALITY = 4;
const ZSTD_DEFAULT_LEVEL = 3;

function works(probe: () => unknown): boolean {
  try {
    probe();
    return true;
  } catch {
    return false;
  }
}

function detect(): ContentCoding[] {
  const codings: ContentCoding[] = [];
  const sample = new Uint8Array(64).fill(0x61);
  if (typeof zlib.createBrotliCompress === "function" && works(() => zlib.brotliCompressSync(sample))) {
    codings.push("br");
  }
  if (typeof zz.createZstdCompress === "function" && works(() => zz.zstdCompressSync!(sample))) codings.push("zstd");
  codings.push("gzip", "deflate");
  return codings;
}

function brotliOptions(level: number | undefined): zlib.BrotliOptions {
  return { params: { [zlib.constants.BROTLI_PARAM_QUALITY]: level ?? BROTLI_QUALITY } };
}
function zstdOptions(level: number | undefined): { params: Record<number, number> } {
  return { params: { [ZSTD_LEVEL]: level ?? ZSTD_DEFAULT_LEVEL } };
}
function zlibOptions(level: number | undefined): zlib.ZlibOptions {
  return level === undefined ? {} : { level };
}

function createZlib(coding: ContentCoding, level: number | undefined): ZlibStream {
  switch (coding) {
    case "br":
      return zlib.createBrotliCompress(brotliOptions(level));
    case "zstd":
      return zz.createZstdCompress!(zstdOptions(level));
    case "gzip":
      return zlib.createGzip(zlibOptions(level));
    case "deflate":
      return zlib.createDeflate(zlibOptions(level));
  }
}

/** A Buffer as a plain view of the same bytes. */
function view(chunk: Uint8Array): Uint8Array {
  return new Uint8Array(chunk.buffer, chunk.byteOffset, chunk.byteLength);
}

function createStream(coding: ContentCoding, level?: number): TransformStream<Uint8Array, Uint8Array> {
  const z = createZlib(coding, level);
  // The flush kind of each coding's stream: zlib's `flush()` defaults to Z_FULL_FLUSH, which also
  // resets the dictionary; a sync flush only empties the buffers. Brotli and zstd default to theirs.
  const sync = coding === "gzip" || coding === "deflate";
  let sink: TransformStreamDefaultController<Uint8Array> | null = null;
  // A zlib error may come instead of the callback the pending write or end waits for.
  let pending: ((error: Error) => void) | null = null;
  z.on("data", (chunk: Uint8Array) => sink?.enqueue(view(chunk)));
  z.on("error", (error: Error) => pending?.(error));
  return new TransformStream<Uint8Array, Uint8Array>({
    start(controller) {
      sink = controller;
    },
    transform(chunk) {
      return new Promise<void>((resolve, reject) => {
        pending = reject;
        z.write(chunk);
        if (sync) z.flush(zlib.constants.Z_SYNC_FLUSH, () => resolve());
        else z.flush(() => resolve());
      });
    },
    flush() {
      return new Promise<void>((resolve, reject) => {
        pending = reject;
        z.once("end", resolve);
        z.end();
      });
    },
    cancel() {
      z.destroy();
    },
  } as Transformer<Uint8Array, Uint8Array>);
}

function compressWhole(coding: ContentCoding, data: Uint8Array, level?: number): Promise<Uint8Array> {
  return new Promise((resolve, reject) => {
    const done: Done = (error, result) => (error !== null ? reject(error) : resolve(view(result)));
    switch (coding) {
      case "br":
        return zlib.brotliCompress(data, brotliOptions(level), done);
      case "zstd":
        return zz.zstdCompress!(data, zstdOptions(level), done);
      case "gzip":
        return zlib.gzip(data, zlibOptions(level), done);
      case "deflate":
        return zlib.deflate(data, zlibOptions(level), done);
    }
  });
}

/** The compressors of this runtime's `node:zlib`: brotli and zstd where it has them, gzip, deflate. */
export const zlibCompression: CompressionProvider = Object.freeze({
  codings: Object.freeze(detect()),
  create: createStream,
  compress: compressWhole,
});
