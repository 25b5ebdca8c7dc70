/**
 * Octets to a JavaScript string, one character per octet (ISO-8859-1). HTTP/2 field names and
 * values are octet sequences (RFC 9113 §8.2); mapping them 1:1 keeps every octet, and the
 * caller validates field syntax. (`TextDecoder("latin1")` is windows-1252, which remaps
 * 0x80–0x9F, so it is not used for that.)
 *
 * Which way is fastest depends on the length (measured on Node 24 and Bun): a few octets as
 * arguments to `String.fromCharCode`, short strings char by char, longer ASCII strings through
 * the UTF-8 `TextDecoder` (identical to latin1 for ASCII, and natively fast), and longer strings
 * with octets above 0x7F through `String.fromCharCode.apply` in chunks.
 *
 * @module
 */

const asciiDecoder = new TextDecoder();
const CHUNK = 4096;

/** The octets `src[start..end)` as a latin1 string. */
export function latin1(src: Uint8Array, start: number, end: number): string {
  switch (end - start) {
    case 0:
      return "";
    case 1:
      return String.fromCharCode(src[start]!);
    case 2:
      return String.fromCharCode(src[start]!, src[start + 1]!);
    case 3:
      return String.fromCharCode(src[start]!, src[start + 1]!, src[start + 2]!);
    case 4:
      return String.fromCharCode(src[start]!, src[start + 1]!, src[start + 2]!, src[start + 3]!);
  }
  if (end - start <= 12) {
    let s = "";
    for (let i = start; i < end; i++) s += String.fromCharCode(src[i]!);
    return s;
  }
  let high = 0;
  for (let i = start; i < end; i++) high |= src[i]!;
  if (high < 0x80) return asciiDecoder.decode(src.subarray(start, end));
  let s = "";
  for (let i = start; i < end; i += CHUNK) {
    s += String.fromCharCode.apply(null, src.subarray(i, Math.min(end, i + CHUNK)) as unknown as number[]);
  }
  return s;
}
