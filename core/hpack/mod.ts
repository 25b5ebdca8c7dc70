/**
 * HPACK, header compression for HTTP/2 (RFC 7541): an {@link HpackDecoder} and an
 * {@link HpackEncoder} per connection, each with its own dynamic table.
 *
 * @example
 * ```ts
 * import { BlockBuffer, HpackDecoder, HpackEncoder } from "./mod.ts";
 * const encoder = new HpackEncoder();
 * const decoder = new HpackDecoder();
 * const out = new BlockBuffer();
 * encoder.encode([":status", "200", "server", "wirecore"], out);
 * decoder.decode(out.view()); // [":status", "200", "server", "wirecore"]
 * ```
 * @module
 */
export { BlockBuffer } from "./block-buffer.ts";
export { HpackDecoder, type HpackDecoderOptions } from "./decoder.ts";
export { DynamicTable, ENTRY_OVERHEAD } from "./dynamic-table.ts";
export { HpackEncoder, type HpackEncoderOptions, type HuffmanMode } from "./encoder.ts";
export { HpackError, type HpackErrorCode } from "./hpack-error.ts";
export { huffmanDecode, huffmanEncode, huffmanEncodedLength } from "./huffman.ts";
export { isSensitive, isWorthIndexing } from "./index-policy.ts";
export { decodeInteger, encodeInteger, MAX_INTEGER } from "./integer.ts";
