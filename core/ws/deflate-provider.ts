/**
 * What a runtime must provide for permessage-deflate (RFC 7692): raw DEFLATE (RFC 1951, no zlib
 * or gzip wrapper) with a synchronous sync-flush, so a message is compressed or decompressed in
 * the same turn it is sent or received. The zlib module that Node, Bun and Deno all ship offers this; the
 * implementation lives outside core, which only depends on these interfaces.
 *
 * The framing rules of §7.2.1/§7.2.2 (strip / append `00 00 ff ff`) and context takeover are
 * applied by `PerMessageCodec`; a provider only compresses and decompresses bytes.
 *
 * @module
 */

/** A raw-DEFLATE compressor holding its LZ77 window between calls (context takeover). */
export interface RawDeflater {
  /**
   * Compresses `data` and ends with a sync flush (Z_SYNC_FLUSH), returning every byte produced
   * by this call — which therefore ends with the empty stored block `00 00 ff ff` (a compressor
   * created without context takeover may end with a final block instead: see `createDeflate`).
   * The result belongs to the caller (not overwritten by later calls).
   */
  deflate(data: Uint8Array): Uint8Array;
  /** Forgets the window (deflateReset): the next message starts from an empty context. */
  reset(): void;
  /** Releases native memory; the object is not used afterwards. */
  close(): void;
}

/** A raw-DEFLATE decompressor holding its window between calls. */
export interface RawInflater {
  /**
   * Decompresses one message's payload as received: a sync-flushed stream whose trailing
   * `00 00 ff ff` the sender removed (RFC 7692 §7.2.2) — the provider must accept it without
   * that tail (zlib: finish with Z_SYNC_FLUSH). Context carries over between calls until
   * `reset()`. Returns the bytes
   * produced by this call, or null as soon as they would exceed `maxOutput` bytes (a
   * decompression bomb, closed with 1009) — the provider must stop inflating at that point,
   * not after. The result belongs to the caller. Throws on corrupt input. A peer may end a
   * message with a BFINAL block (RFC 7692 §7.2.3.3): the provider must then still accept the
   * bytes and messages that follow, e.g. by starting a new stream.
   */
  inflate(data: Uint8Array, maxOutput: number): Uint8Array | null;
  /** Forgets the window (inflateReset). */
  reset(): void;
  /** Releases native memory. */
  close(): void;
}

/** Creates compressors and decompressors; one of each per connection that negotiated deflate. */
export interface DeflateProvider {
  /**
   * Whether compressors keep their window between messages. When false the server always
   * answers with `server_no_context_takeover` (RFC 7692 §7.1.1.1), which is what it then does.
   */
  readonly serverContextTakeover?: boolean;
  /**
   * A compressor with a window of 2^windowBits bytes (9–15). `level` 0–9, provider default if
   * omitted. `contextTakeover` false means it is reset after every message
   * (`server_no_context_takeover`): it need keep no window, and it may compress each message as
   * a complete stream whose last block has BFINAL set (RFC 7692 §7.2.3.3), followed by
   * `00 00 00 ff ff` — the leftover `00` of the empty stored block then stays on the wire, as in
   * that section's example, and a peer that starts a new stream after BFINAL reads it as one.
   */
  createDeflate(windowBits: number, level?: number, contextTakeover?: boolean): RawDeflater;
  /**
   * A decompressor that accepts streams made with windows up to 2^windowBits bytes (8–15).
   * `contextTakeover` false: it is reset after every message (`client_no_context_takeover`).
   */
  createInflate(windowBits: number, contextTakeover?: boolean): RawInflater;
}
