/**
 * The HPACK static Huffman code (RFC 7541 §5.2, Appendix B): encoding of latin1 strings and a
 * table-driven decoder.
 *
 * The decoder is a finite state machine over input octets, built once from the
 * generated code table on first use (a few milliseconds, so apps that never speak HTTP/2 do not
 * pay it at import). Its 256 states are the internal nodes of the code tree (a complete tree
 * of 257 leaves has 256 internal nodes): the bits read since the last complete symbol. Each of
 * the 256 transitions of a state walks eight bits down the tree and emits at most two symbols,
 * since the shortest code is 5 bits. Decoding costs one table load per input octet and no
 * allocation; the table (256 × 256 entries, 256 KiB) is composed from a 4-bit one for speed of
 * construction.
 *
 * @example
 * ```ts
 * import { huffmanDecode, huffmanEncode, huffmanEncodedLength } from "./huffman.ts";
 * const n = huffmanEncodedLength("no-cache");               // 6
 * const enc = new Uint8Array(n);
 * huffmanEncode("no-cache", enc, 0);                         // a8 eb 10 64 9c bf (RFC 7541 C.4.2)
 * const out = new Uint8Array(16);
 * const len = huffmanDecode(enc, 0, enc.length, out, 16);   // 8 octets: "no-cache"
 * ```
 * @module
 */
import { HUFFMAN_CODES, HUFFMAN_EOS, HUFFMAN_LENGTHS } from "./huffman-table.ts";
import { HpackError } from "./hpack-error.ts";

// ─── Decoding state machine ───────────────────────────────────────────────────────────────────

/** Transition flag: the step completed one symbol, in bits 8–15 of the entry. */
const EMIT_ONE = 1 << 24;
/** Transition flag: the step completed two symbols, in bits 8–15 then 16–23. */
const EMIT_TWO = 1 << 25;
/** Transition flag: the step decoded EOS, which a string must not contain (RFC 7541 §5.2). */
const FAIL = 1 << 26;

/**
 * `TRANSITIONS[state << 8 | octet]`: the next state in bits 0–7, the symbols completed on the way
 * ({@link EMIT_ONE}, {@link EMIT_TWO}), or {@link FAIL} when the octet runs into EOS.
 */
let TRANSITIONS: Uint32Array = new Uint32Array(0);

/**
 * Per state: 1 when the bits read since the last complete symbol may end the string, i.e. they
 * are at most 7 bits and all ones, the most significant bits of EOS (RFC 7541 §5.2).
 */
const ACCEPTING = new Uint8Array(256);

/** Per state: 1 when the bits since the last symbol are all ones (padding, if it ended there). */
const ALL_ONES = new Uint8Array(256);

function buildDecoder(): void {
  const transitions = new Uint32Array(256 * 256);
  // The code tree: children[node * 2 + bit] is an internal node id (> 0), or ~symbol for a leaf.
  const children = new Int32Array(256 * 2);
  const depth = new Uint8Array(256);
  let nodes = 1; // node 0 is the root
  ALL_ONES[0] = 1;
  for (let sym = 0; sym <= HUFFMAN_EOS; sym++) {
    const code = HUFFMAN_CODES[sym]!;
    const len = HUFFMAN_LENGTHS[sym]!;
    let node = 0;
    for (let i = len - 1; i > 0; i--) {
      const bit = (code >>> i) & 1;
      let next = children[node * 2 + bit]!;
      if (next === 0) {
        next = nodes++;
        children[node * 2 + bit] = next;
        depth[next] = depth[node]! + 1;
        ALL_ONES[next] = ALL_ONES[node]! & bit;
      }
      node = next;
    }
    children[node * 2 + (code & 1)] = ~sym;
  }
  if (nodes !== 256) throw new Error(`Huffman code tree has ${nodes} internal nodes, expected 256`);

  // Four bits at a time first: at most one symbol per nibble. nibbles[state << 4 | nibble] holds
  // the next state in bits 0–7, a symbol in bits 8–15 with bit 16 set, or bit 17 for EOS.
  const nibbles = new Uint32Array(256 * 16);
  for (let state = 0; state < 256; state++) {
    ACCEPTING[state] = ALL_ONES[state]! & (depth[state]! <= 7 ? 1 : 0);
    for (let nibble = 0; nibble < 16; nibble++) {
      let node = state;
      let entry = 0;
      for (let i = 3; i >= 0; i--) {
        const child = children[node * 2 + ((nibble >>> i) & 1)]!;
        if (child >= 0) {
          node = child;
          continue;
        }
        const sym = ~child;
        if (sym === HUFFMAN_EOS) {
          entry = 1 << 17;
          break;
        }
        entry = (1 << 16) | (sym << 8);
        node = 0;
      }
      nibbles[(state << 4) | nibble] = entry | node;
    }
  }
  // Then an octet is two nibbles.
  for (let state = 0; state < 256; state++) {
    for (let octet = 0; octet < 256; octet++) {
      const high = nibbles[(state << 4) | (octet >>> 4)]!;
      const low = nibbles[((high & 0xff) << 4) | (octet & 0x0f)]!;
      let entry = low & 0xff;
      if (((high | low) & (1 << 17)) !== 0) entry = FAIL;
      else if ((high & low & (1 << 16)) !== 0) entry |= EMIT_TWO | (high & 0xff00) | ((low & 0xff00) << 8);
      else if ((high & (1 << 16)) !== 0) entry |= EMIT_ONE | (high & 0xff00);
      else if ((low & (1 << 16)) !== 0) entry |= EMIT_ONE | (low & 0xff00);
      transitions[(state << 8) | octet] = entry;
    }
  }
  TRANSITIONS = transitions;
}
/**
 * Decodes the Huffman-coded octets `src[start..end)` into `dst` and returns the decoded length.
 * At most `limit` octets are written; `dst` must hold that many.
 *
 * @throws {HpackError} `HUFFMAN_EOS` when the string contains EOS, `HUFFMAN_PADDING` when it ends
 * with more than 7 bits of padding or with padding that is not all ones (RFC 7541 §5.2), and
 * `STRING_TOO_LONG` when the output would exceed `limit`.
 */
export function huffmanDecode(src: Uint8Array, start: number, end: number, dst: Uint8Array, limit: number): number {
  if (TRANSITIONS.length === 0) buildDecoder();
  const transitions = TRANSITIONS;
  let state = 0;
  let out = 0;
  for (let i = start; i < end; i++) {
    const e = transitions[(state << 8) | src[i]!]!;
    if (e >= EMIT_ONE) {
      if (e >= EMIT_TWO) {
        if (e >= FAIL) throw eos(i);
        if (out + 2 > limit) throw tooLong(limit);
        dst[out++] = e >>> 8;
        dst[out++] = e >>> 16;
      } else {
        if (out >= limit) throw tooLong(limit);
        dst[out++] = e >>> 8;
      }
    }
    state = e & 0xff;
  }
  if (ACCEPTING[state] === 0) {
    throw new HpackError(
      "HUFFMAN_PADDING",
      ALL_ONES[state] === 1
        ? `Huffman string ending at offset ${end} has more than 7 bits of padding`
        : `Huffman string ending at offset ${end} ends with padding that is not all ones`,
    );
  }
  return out;
}

function eos(at: number): HpackError {
  return new HpackError("HUFFMAN_EOS", `Huffman string contains EOS at offset ${at}`);
}

function tooLong(limit: number): HpackError {
  return new HpackError("STRING_TOO_LONG", `Huffman string decodes to more than ${limit} octets`);
}

// ─── Encoding ─────────────────────────────────────────────────────────────────────────────────

/**
 * Octets the Huffman coding of `s` takes (RFC 7541 §5.2), or -1 when `s` holds a character above
 * U+00FF: header fields are octets, one latin1 character each.
 */
export function huffmanEncodedLength(s: string): number {
  let bits = 0;
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c > 0xff) return -1;
    bits += HUFFMAN_LENGTHS[c]!;
  }
  return (bits + 7) >>> 3;
}

/**
 * Writes the Huffman coding of the latin1 string `s` at `dst[pos]`, padded with the most
 * significant bits of EOS (RFC 7541 §5.2), and returns the position after it. `dst` must have
 * {@link huffmanEncodedLength} octets of room.
 */
export function huffmanEncode(s: string, dst: Uint8Array, pos: number): number {
  // `acc` holds `bits` (< 8) pending bits; a code of at most 24 bits keeps it within 31 bits.
  let acc = 0;
  let bits = 0;
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i) & 0xff;
    let code = HUFFMAN_CODES[c]!;
    let len = HUFFMAN_LENGTHS[c]!;
    if (len > 24) {
      // Rare octets (controls and most of 0x80–0xFF): put the high part first.
      const high = len - 16;
      acc = (acc << high) | (code >>> 16);
      bits += high;
      while (bits >= 8) {
        bits -= 8;
        dst[pos++] = acc >>> bits;
      }
      acc &= (1 << bits) - 1;
      code &= 0xffff;
      len = 16;
    }
    acc = (acc << len) | code;
    bits += len;
    while (bits >= 8) {
      bits -= 8;
      dst[pos++] = acc >>> bits;
    }
    acc &= (1 << bits) - 1;
  }
  if (bits > 0) dst[pos++] = (acc << (8 - bits)) | (0xff >>> bits);
  return pos;
}
