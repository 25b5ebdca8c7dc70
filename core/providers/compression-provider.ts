/**
 * What core asks of a runtime for response compression beyond what `CompressionStream` offers
 * (brotli, zstd, and a flush after every chunk, which `CompressionStream` does not do on Node and
 * Bun): each adapter passes its runtime's compressors as `ServeOptions.compression`.
 * @module
 */

/** A content coding (RFC 9110 §8.4.1). */
export type ContentCoding = "br" | "zstd" | "gzip" | "deflate";

/** A runtime's compressors. */
export interface CompressionProvider {
  /** The codings this runtime can produce. */
  readonly codings: readonly ContentCoding[];
  /**
   * A stream that compresses what is written to it; each chunk written is flushed through (a
   * sync flush), so a streamed response (SSE) reaches the client chunk by chunk. `level` is the
   * coding's own scale (zlib 0–9, brotli quality 0–11, zstd level); absent, a level fit for
   * compressing per request.
   */
  create(coding: ContentCoding, level?: number): TransformStream<Uint8Array, Uint8Array>;
  /** Compress a whole body at once, off the event loop where the runtime can; optional. */
  compress?(coding: ContentCoding, data: Uint8Array, level?: number): Promise<Uint8Array>;
}
