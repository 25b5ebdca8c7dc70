/**
 * Response field blocks (RFC 9113 §8.3.2, §8.2): the `:status` field comes from a cache of
 * encoded octets — the static table entries for 200, 204, 206, 304, 400, 404 and 500 (RFC 7541
 * Appendix A) and a literal with the indexed name `:status` for the rest — then the app's fields,
 * validated, lowercased and stripped of connection-specific ones, then `content-length` and `date`.
 *
 * @example
 * ```ts
 * import { BlockBuffer, HpackEncoder } from "../hpack/mod.ts";
 * import { encodeResponseBlock } from "./response-headers.ts";
 * const out = new BlockBuffer();
 * encodeResponseBlock(new HpackEncoder(), out, 200, ["content-type", "text/plain"], 2);
 * out.bytes[0]; // 0x88: indexed field 8, ":status: 200"
 * ```
 * @module
 */
import { HttpError } from "../http/http-error.ts";
import type { BlockBuffer, HpackEncoder } from "../hpack/mod.ts";
import { httpDate } from "../http/date-cache.ts";
import { assertValidHeaders } from "../http/field-validation.ts";

/** RFC 7541 Appendix A: the static table indexes of `:status` values. */
const STATIC_STATUS: Readonly<Record<number, number>> = { 200: 8, 204: 9, 206: 10, 304: 11, 400: 12, 404: 13, 500: 14 };
const statusCache: Uint8Array[] = [];

/** The encoded `:status` field of `status` (cached). */
export function statusField(status: number): Uint8Array {
  let bytes = statusCache[status];
  if (bytes === undefined) {
    if (!Number.isInteger(status) || status < 100 || status > 999) {
      throw new HttpError("INVALID_STATUS", `Invalid response status ${status}`);
    }
    const index = STATIC_STATUS[status];
    if (index !== undefined) bytes = Uint8Array.of(0x80 | index); // §6.1 indexed field
    else {
      // §6.2.2 literal without indexing, name index 8 (":status"), 3-octet raw string.
      const s = String(status);
      bytes = Uint8Array.of(0x08, 3, s.charCodeAt(0), s.charCodeAt(1), s.charCodeAt(2));
    }
    statusCache[status] = bytes;
  }
  return bytes;
}

/** Fields the connection sets itself or that HTTP/2 forbids (§8.2.2). */
function isStripped(lower: string): boolean {
  switch (lower) {
    case "content-length":
    case "date":
    case "connection":
    case "keep-alive":
    case "proxy-connection":
    case "transfer-encoding":
    case "upgrade":
      return true;
    default:
      return false;
  }
}

function hasUpper(s: string): boolean {
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c >= 0x41 && c <= 0x5a) return true;
  }
  return false;
}

function needsTrim(v: string): boolean {
  if (v.length === 0) return false;
  const a = v.charCodeAt(0);
  const b = v.charCodeAt(v.length - 1);
  return a === 0x20 || a === 0x09 || b === 0x20 || b === 0x09;
}

/**
 * Validate a flat response field list and make it fit for HTTP/2: names lowercased (§8.2.1:
 * "field names MUST be converted to lowercase when constructing an HTTP/2 message"), values
 * without surrounding whitespace (§8.2.1), and connection-specific fields, `content-length` and
 * `date` removed (the connection sends its own). Returns `headers` itself when nothing changes.
 *
 * @throws {HttpError} 500 for an invalid name or value (no CR/LF can reach the wire).
 */
export function prepareResponseHeaders(headers: string[]): string[] {
  assertValidHeaders(headers);
  let out: string[] | null = null;
  for (let i = 0; i < headers.length; i += 2) {
    let name = headers[i]!;
    let value = headers[i + 1]!;
    const upper = hasUpper(name);
    if (upper) name = name.toLowerCase();
    const strip = name.length >= 4 && name.length <= 17 && isStripped(name);
    const trim = needsTrim(value);
    if (out === null && (upper || strip || trim)) out = headers.slice(0, i);
    if (out !== null && !strip) {
      if (trim) value = value.trim();
      out.push(name, value);
    }
  }
  return out ?? headers;
}

/**
 * Validate and prepare trailer fields (same rules as {@link prepareResponseHeaders}; pseudo-header
 * names are already refused as invalid tokens).
 */
export function prepareTrailers(trailers: string[]): string[] {
  return prepareResponseHeaders(trailers);
}

const NO_FIELDS: readonly string[] = [];
const LENGTH_FIELD = ["content-length", ""];
const DATE_FIELD = ["date", ""];

/**
 * Append a response field block to `out`: `:status`, the prepared `fields`, `content-length`
 * (when `contentLength >= 0`) and `date`.
 */
export function encodeResponseBlock(
  encoder: HpackEncoder,
  out: BlockBuffer,
  status: number,
  fields: readonly string[],
  contentLength: number,
): void {
  const status_ = statusField(status);
  // A pending dynamic table size update must open the block (RFC 7541 §4.2): flush it first.
  encoder.encode(NO_FIELDS, out);
  const buf = out.ensure(status_.length);
  buf.set(status_, out.length);
  out.length += status_.length;
  if (fields.length > 0) encoder.encode(fields, out);
  if (contentLength >= 0) {
    LENGTH_FIELD[1] = String(contentLength);
    encoder.encode(LENGTH_FIELD, out);
  }
  DATE_FIELD[1] = httpDate();
  encoder.encode(DATE_FIELD, out);
}

/** Append a trailer field block (no pseudo-header fields, §8.1). */
export function encodeTrailerBlock(encoder: HpackEncoder, out: BlockBuffer, fields: readonly string[]): void {
  encoder.encode(fields, out);
}
