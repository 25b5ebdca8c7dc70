/**
 * What core asks of a runtime for response compression beyond what `CompressionStream` offers
 * (brotli, zstd): each adapter passes its runtime's compressors as `ServeOptions.compression`.
 * @module
 */

/** A content coding (RFC 9110 §8.4.1). */
export type ContentCoding = "br" | "zstd" | "gzip" | "deflate";

/** A runtime's streaming compressors. */
export interface CompressionProvider {
  /** The codings this runtime can produce. */
  readonly codings: readonly ContentCoding[];
  /** A stream that compresses what is written to it; each chunk written is flushed through. */
  create(coding: ContentCoding, level?: number): TransformStream<Uint8Array, Uint8Array>;
}
