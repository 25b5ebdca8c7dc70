/**
 * A tiny HPACK encoder (RFC 7541) for the flood attacks: exactly the representations they need,
 * byte by byte, with no Huffman coding and no table bookkeeping — the attack decides what it
 * indexes. Test-tool code: the server's decoder (core/hpack) is what it attacks, so it does not
 * share code with it.
 */

const latin1 = (s: string): number[] => Array.from(s, (ch) => ch.charCodeAt(0) & 0xff);

/** An integer with an N-bit prefix (§5.1); `first` holds the representation's flag bits. */
export function hpackInt(value: number, prefixBits: number, first: number): number[] {
  const max = (1 << prefixBits) - 1;
  if (value < max) return [first | value];
  const out = [first | max];
  let rest = value - max;
  while (rest >= 128) {
    out.push((rest & 0x7f) | 0x80);
    rest = Math.floor(rest / 128);
  }
  out.push(rest);
  return out;
}

/** A string literal without Huffman coding (§5.2). */
export function hpackString(s: string): number[] {
  return [...hpackInt(s.length, 7, 0x00), ...latin1(s)];
}

/** An indexed field (§6.1): one byte for indices below 127. */
export function indexed(index: number): number[] {
  return hpackInt(index, 7, 0x80);
}

/** A literal with incremental indexing and a new name (§6.2.1): it enters the dynamic table. */
export function literalIndexed(name: string, value: string): number[] {
  return [0x40, ...hpackString(name), ...hpackString(value)];
}

/** A literal without indexing, new name (§6.2.2). */
export function literalNew(name: string, value: string): number[] {
  return [0x00, ...hpackString(name), ...hpackString(value)];
}

/** A literal without indexing whose name is static-table entry `nameIndex` (§6.2.2). */
export function literalNamed(nameIndex: number, value: string): number[] {
  return [...hpackInt(nameIndex, 4, 0x00), ...hpackString(value)];
}

/** Static-table indices (Appendix A) the attacks use. */
export const STATIC = { authority: 1, methodGet: 2, pathRoot: 4, schemeHttp: 6 } as const;

/** The first dynamic-table index (§2.3.3): the most recently inserted entry. */
export const FIRST_DYNAMIC = 62;

/** `GET / http` with `:authority`: the pseudo-header fields of a plain request. */
export function getRoot(authority: string): number[] {
  return [
    ...indexed(STATIC.methodGet),
    ...indexed(STATIC.schemeHttp),
    ...indexed(STATIC.pathRoot),
    ...literalNamed(STATIC.authority, authority),
  ];
}
