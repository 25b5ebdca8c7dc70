/**
 * Client-to-server masking (RFC 6455 §5.3): payload byte i is XORed with mask key byte
 * (i mod 4). Masking and unmasking are the same operation.
 *
 * Done in place, four bytes at a time through a `Uint32Array` view over the aligned middle of
 * the payload, byte by byte for the unaligned head and the tail. The key is rotated so the
 * 32-bit word lines up with the current position, and the platform's byte order never matters:
 * the word is read from the rotated key bytes through the same kind of view.
 *
 * A frame's payload may arrive in several reads; `offset` is the position within the payload
 * (only its value mod 4 matters) and the return value is the offset to pass with the next piece.
 *
 * @example
 * ```ts
 * const key = new Uint8Array([0x37, 0xfa, 0x21, 0x3d]);
 * const data = new Uint8Array([0x7f, 0x9f, 0x4d, 0x51, 0x58]); // RFC 6455 §5.7, masked "Hello"
 * let at = unmask(data.subarray(0, 2), key, 0);
 * at = unmask(data.subarray(2), key, at);
 * new TextDecoder().decode(data); // "Hello"
 * ```
 * @module
 */

/** Below this length the word loop's setup costs more than it saves. */
const WORD_THRESHOLD = 32;

const keyBytes = new Uint8Array(4);
const keyWord = new Uint32Array(keyBytes.buffer);

/**
 * XORs `data` in place with the 4-byte `key`, starting at position `offset` of the masked
 * payload. Returns the position after `data`, mod 4.
 */
export function unmask(data: Uint8Array, key: Uint8Array, offset: number): number {
  const length = data.length;
  let i = 0;
  if (length >= WORD_THRESHOLD) {
    // Bytes before the first 4-aligned address of the underlying buffer.
    const head = (4 - (data.byteOffset & 3)) & 3;
    for (; i < head; i++) data[i]! ^= key[(offset + i) & 3]!;
    const words = (length - head) >>> 2;
    keyBytes[0] = key[(offset + head) & 3]!;
    keyBytes[1] = key[(offset + head + 1) & 3]!;
    keyBytes[2] = key[(offset + head + 2) & 3]!;
    keyBytes[3] = key[(offset + head + 3) & 3]!;
    const k = keyWord[0]!;
    const view = new Uint32Array(data.buffer, data.byteOffset + head, words);
    for (let w = 0; w < words; w++) view[w]! ^= k;
    i = head + words * 4;
  } else {
    // Short payloads: the key rotated into four locals, four bytes per iteration.
    const k0 = key[offset & 3]!;
    const k1 = key[(offset + 1) & 3]!;
    const k2 = key[(offset + 2) & 3]!;
    const k3 = key[(offset + 3) & 3]!;
    for (; i + 4 <= length; i += 4) {
      data[i]! ^= k0;
      data[i + 1]! ^= k1;
      data[i + 2]! ^= k2;
      data[i + 3]! ^= k3;
    }
  }
  for (; i < length; i++) data[i]! ^= key[(offset + i) & 3]!;
  return (offset + length) & 3;
}
