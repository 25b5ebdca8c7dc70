/**
 * Errors of HPACK decoding (RFC 7541). Every code but one means the header block could not be
 * decoded, so the decoding context is lost: the connection must end with GOAWAY and
 * COMPRESSION_ERROR (RFC 9113 §4.3). The exception is `HEADER_LIST_TOO_LARGE` (`fatal: false`):
 * the block was decoded in full and the dynamic table kept in step, only the header list was
 * over the receiver's SETTINGS_MAX_HEADER_LIST_SIZE (RFC 9113 §6.5.2), so the caller may answer
 * that one stream (431, or RST_STREAM) and keep the connection (RFC 9113 §10.5.1).
 *
 * @example
 * ```ts
 * import { HpackDecoder } from "./decoder.ts";
 * import { HpackError } from "./hpack-error.ts";
 * try {
 *   new HpackDecoder().decode(Uint8Array.of(0x80));
 * } catch (e) {
 *   if (e instanceof HpackError && e.fatal) console.log("GOAWAY COMPRESSION_ERROR:", e.code);
 * }
 * ```
 * @module
 */
import { WIRE_ERRORS } from "../http/wire-errors.ts";

/** Stable names of the rules an HPACK decoder enforces; each is in the table of `core/http/wire-errors.ts`. */
export type HpackErrorCode =
  /** The block ends inside a representation, integer or string (RFC 7541 §5.1, §5.2). */
  | "TRUNCATED"
  /** An integer exceeds the implementation limit, in value or in octets (RFC 7541 §5.1). */
  | "INTEGER_OVERFLOW"
  /** Index 0, or an index past the end of the dynamic table (RFC 7541 §2.3.3, §6.1). */
  | "INVALID_INDEX"
  /** Huffman padding longer than 7 bits or not the most significant bits of EOS (RFC 7541 §5.2). */
  | "HUFFMAN_PADDING"
  /** The EOS symbol inside a Huffman-coded string (RFC 7541 §5.2). */
  | "HUFFMAN_EOS"
  /** A dynamic table size update after the first field representation (RFC 7541 §4.2). */
  | "SIZE_UPDATE_NOT_AT_START"
  /** A dynamic table size update above SETTINGS_HEADER_TABLE_SIZE (RFC 7541 §6.3). */
  | "SIZE_UPDATE_TOO_LARGE"
  /** The table limit was lowered but the block does not start with a size update (RFC 7541 §4.2). */
  | "SIZE_UPDATE_MISSING"
  /** A name or value longer than the decoder's `maxStringLength` (RFC 7541 §7.4). */
  | "STRING_TOO_LONG"
  /** The decoded header list is over `maxHeaderListSize` (RFC 9113 §6.5.2). Not fatal. */
  | "HEADER_LIST_TOO_LARGE";

/** A header block that failed to decode; `fatal` tells whether the HPACK context is lost. */
export class HpackError extends Error {
  /** A stable name of the failed rule. */
  readonly code: HpackErrorCode;
  /**
   * True when the decoding context is lost and the connection must be closed with
   * COMPRESSION_ERROR (RFC 9113 §4.3). False only for `HEADER_LIST_TOO_LARGE`.
   */
  readonly fatal: boolean;

  /** The error named `code`, with `detail` (the offset, the limit) or the table's reason. */
  constructor(code: HpackErrorCode, detail?: string) {
    const answer = WIRE_ERRORS[code];
    super(detail ?? answer.reason);
    this.name = "HpackError";
    this.code = code;
    // The table answers a lost context with COMPRESSION_ERROR; the one exception, a 431.
    this.fatal = "h2" in answer;
  }
}
