/**
 * The byte pattern of every big body in the stress cases, made and checked as it streams.
 */

/**
 * The byte at `offset` of every big body: the low byte of the offset XOR a hash of its 256-byte
 * block, so a lost, repeated or reordered chunk of any size shows.
 */
function blockKey(block: number): number {
  return Math.imul(block, 0x9e3779b1) >>> 24;
}

export function patternChunk(offset: number, length: number): Uint8Array {
  const out = new Uint8Array(length);
  for (let i = 0; i < length;) {
    const at = offset + i;
    const key = blockKey(at >>> 8);
    const end = Math.min(length, i + (256 - (at & 0xff)));
    for (let o = at; i < end; i++, o++) out[i] = (o & 0xff) ^ key;
  }
  return out;
}

/** Checks a stream of bytes against the pattern as it arrives. */
export class PatternCheck {
  offset = 0;
  /** The first mismatch, or null. */
  error: string | null = null;

  push(bytes: Uint8Array): void {
    if (this.error !== null) return;
    let o = this.offset;
    for (let i = 0; i < bytes.length; i++, o++) {
      if (bytes[i] !== ((o & 0xff) ^ blockKey(o >>> 8))) {
        this.error = `byte ${o} is ${bytes[i]}, expected ${(o & 0xff) ^ blockKey(o >>> 8)}`;
        break;
      }
    }
    this.offset += bytes.length;
  }
}
