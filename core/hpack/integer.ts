/**
 * Prefix integers (RFC 7541 §5.1): a value in the low N bits of the first octet, or, when it does
 * not fit, the prefix all ones followed by the rest in 7-bit groups, least significant first,
 * with the high bit of each octet flagging a continuation.
 *
 * @example
 * ```ts
 * import { decodeInteger, encodeInteger } from "./integer.ts";
 * const buf = new Uint8Array(6);
 * const end = encodeInteger(buf, 0, 1337, 5, 0); // 1f 9a 0a (RFC 7541 C.1.2)
 * const cursor = { pos: 0 };
 * decodeInteger(buf, end, cursor, 5); // 1337, cursor.pos === 3
 * ```
 * @module
 */
import { HpackError } from "./hpack-error.ts";

/**
 * The largest integer accepted: 2^32 - 1, the largest HTTP/2 SETTINGS value (RFC 9113 §6.5.1),
 * well above any index, string length or table size a peer can legitimately send.
 */
export const MAX_INTEGER = 0xffffffff;

/**
 * Most continuation octets read after the prefix: five carry 35 bits, enough for
 * {@link MAX_INTEGER}. More is an over-long encoding (e.g. padded with 0x80 octets) and is
 * refused as an implementation limit (RFC 7541 §5.1: "in value or octet length").
 */
const MAX_CONTINUATIONS = 5;

/** A read position, advanced by {@link decodeInteger}. */
export interface Cursor {
  pos: number;
}

/**
 * Reads a prefix integer starting at `cursor.pos` with a `prefixBits`-bit prefix (1–8) and
 * advances the cursor past it. The bits above the prefix in the first octet are ignored.
 *
 * @throws {HpackError} `TRUNCATED` when `end` comes first, `INTEGER_OVERFLOW` past
 * {@link MAX_INTEGER} or {@link MAX_CONTINUATIONS} octets (RFC 7541 §5.1).
 */
export function decodeInteger(src: Uint8Array, end: number, cursor: Cursor, prefixBits: number): number {
  let pos = cursor.pos;
  if (pos >= end) throw truncated(pos);
  const max = (1 << prefixBits) - 1;
  let value = src[pos++]! & max;
  if (value < max) {
    cursor.pos = pos;
    return value;
  }
  // Multiplication, not shifts: shifts are 32-bit signed in JS and the sum may need 33 bits.
  let scale = 1;
  for (let n = 0; n < MAX_CONTINUATIONS; n++) {
    if (pos >= end) throw truncated(pos);
    const b = src[pos++]!;
    value += (b & 0x7f) * scale;
    if (value > MAX_INTEGER) break;
    if ((b & 0x80) === 0) {
      cursor.pos = pos;
      return value;
    }
    scale *= 128;
  }
  throw new HpackError(
    "INTEGER_OVERFLOW",
    `Integer at offset ${cursor.pos} exceeds ${MAX_INTEGER} or 5 continuation octets`,
  );
}

function truncated(pos: number): HpackError {
  return new HpackError("TRUNCATED", `Header block ends inside an integer at offset ${pos}`);
}

/**
 * Writes `value` as a prefix integer at `dst[pos]` with a `prefixBits`-bit prefix, OR-ing `flags`
 * (the representation's pattern bits above the prefix) into the first octet. Returns the position
 * after it. `dst` must have room: at most 1 + 5 octets for values up to {@link MAX_INTEGER}.
 */
export function encodeInteger(dst: Uint8Array, pos: number, value: number, prefixBits: number, flags: number): number {
  const max = (1 << prefixBits) - 1;
  if (value < max) {
    dst[pos++] = flags | value;
    return pos;
  }
  dst[pos++] = flags | max;
  value -= max;
  while (value >= 128) {
    dst[pos++] = (value % 128) | 0x80;
    value = Math.floor(value / 128);
  }
  dst[pos++] = value;
  return pos;
}

/** Octets {@link encodeInteger} writes for `value` with a `prefixBits`-bit prefix. */
export function integerLength(value: number, prefixBits: number): number {
  const max = (1 << prefixBits) - 1;
  if (value < max) return 1;
  let n = 2;
  for (value -= max; value >= 128; value = Math.floor(value / 128)) n++;
  return n;
}
