/**
 * Incremental UTF-8 validation for text messages and close reasons (RFC 6455 §8.1: a text
 * message whose payload is not valid UTF-8 fails the connection with 1007).
 *
 * A deterministic automaton over byte classes in the style of Hoehrmann's decoder, its state
 * carried across calls, so a message split into fragments and fragments split across reads
 * validate exactly like the whole. Two shortcuts keep it fast without changing a verdict or a
 * failure offset: ASCII runs are skipped a word at a time, and a character that lies whole in
 * the piece is checked in one step by the automaton's own byte ranges. The automaton is the RFC 3629
 * §4 grammar, so it rejects at the first byte that cannot continue a well-formed sequence:
 * overlong forms (`C0 80`, `E0 80 80`, `F0 80 80 80`), surrogates (`ED A0`…`ED BF`), code points
 * above U+10FFFF (`F4 90`, `F5`…`FF`) and stray continuation bytes. A sequence still open when
 * the message ends is caught by {@link Utf8Validator.finish}.
 *
 * The tables are built below from the grammar rather than written out, so they can be read.
 *
 * @example
 * ```ts
 * const v = new Utf8Validator();
 * v.update(new Uint8Array([0xe2, 0x82]));   // true: so far a valid prefix of "€"
 * v.update(new Uint8Array([0xac]));         // true
 * v.finish();                               // true, and the validator is ready for the next message
 * ```
 * @module
 */

// ─── Byte classes (RFC 3629 §4) ───────────────────────────────────────────────────────────────
const C_ASCII = 0; //       00–7F   UTF8-1
const C_TAIL_80_8F = 1; //  80–8F   UTF8-tail, also the only second byte after F4
const C_TAIL_90_9F = 2; //  90–9F   UTF8-tail, also allowed after ED and F0
const C_TAIL_A0_BF = 3; //  A0–BF   UTF8-tail, also the only second bytes after E0
const C_INVALID = 4; //     C0–C1 (overlong 2-byte), F5–FF (beyond U+10FFFF)
const C_LEAD2 = 5; //       C2–DF
const C_E0 = 6; //          E0      then A0–BF (shorter forms are overlong)
const C_LEAD3 = 7; //       E1–EC, EE–EF
const C_ED = 8; //          ED      then 80–9F (A0–BF would be surrogates U+D800–U+DFFF)
const C_F0 = 9; //          F0      then 90–BF (shorter forms are overlong)
const C_LEAD4 = 10; //      F1–F3
const C_F4 = 11; //         F4      then 80–8F (90–BF would exceed U+10FFFF)
const CLASSES = 12;

// ─── States, premultiplied by CLASSES so a transition is one add and one load ─────────────────
const S_ACCEPT = 0; // between characters
const S_REJECT = 1 * CLASSES; // sticky failure
const S_TAIL1 = 2 * CLASSES; // one tail byte missing
const S_TAIL2 = 3 * CLASSES; // two tail bytes missing
const S_TAIL3 = 4 * CLASSES; // three tail bytes missing
const S_AFTER_E0 = 5 * CLASSES;
const S_AFTER_ED = 6 * CLASSES;
const S_AFTER_F0 = 7 * CLASSES;
const S_AFTER_F4 = 8 * CLASSES;
const STATES = 9;

const CLASS: Uint8Array = new Uint8Array(256);
const NEXT: Uint8Array = new Uint8Array(STATES * CLASSES).fill(S_REJECT);

function classify(from: number, to: number, c: number): void {
  for (let b = from; b <= to; b++) CLASS[b] = c;
}
classify(0x00, 0x7f, C_ASCII);
classify(0x80, 0x8f, C_TAIL_80_8F);
classify(0x90, 0x9f, C_TAIL_90_9F);
classify(0xa0, 0xbf, C_TAIL_A0_BF);
classify(0xc0, 0xc1, C_INVALID);
classify(0xc2, 0xdf, C_LEAD2);
classify(0xe0, 0xe0, C_E0);
classify(0xe1, 0xec, C_LEAD3);
classify(0xed, 0xed, C_ED);
classify(0xee, 0xef, C_LEAD3);
classify(0xf0, 0xf0, C_F0);
classify(0xf1, 0xf3, C_LEAD4);
classify(0xf4, 0xf4, C_F4);
classify(0xf5, 0xff, C_INVALID);

function edge(state: number, classes: number[], to: number): void {
  for (const c of classes) NEXT[state + c] = to;
}
const TAILS = [C_TAIL_80_8F, C_TAIL_90_9F, C_TAIL_A0_BF];
edge(S_ACCEPT, [C_ASCII], S_ACCEPT);
edge(S_ACCEPT, [C_LEAD2], S_TAIL1);
edge(S_ACCEPT, [C_E0], S_AFTER_E0);
edge(S_ACCEPT, [C_LEAD3], S_TAIL2);
edge(S_ACCEPT, [C_ED], S_AFTER_ED);
edge(S_ACCEPT, [C_F0], S_AFTER_F0);
edge(S_ACCEPT, [C_LEAD4], S_TAIL3);
edge(S_ACCEPT, [C_F4], S_AFTER_F4);
edge(S_TAIL1, TAILS, S_ACCEPT);
edge(S_TAIL2, TAILS, S_TAIL1);
edge(S_TAIL3, TAILS, S_TAIL2);
edge(S_AFTER_E0, [C_TAIL_A0_BF], S_TAIL1);
edge(S_AFTER_ED, [C_TAIL_80_8F, C_TAIL_90_9F], S_TAIL1);
edge(S_AFTER_F0, [C_TAIL_90_9F, C_TAIL_A0_BF], S_TAIL2);
edge(S_AFTER_F4, [C_TAIL_80_8F], S_TAIL2);
// Every other edge, and every edge out of S_REJECT, stays S_REJECT.

/**
 * Validates one UTF-8 byte sequence fed in pieces of any size.
 *
 * `update` returns false at the first piece holding an invalid byte, and stays false until
 * `reset`/`finish`; `invalidAt` then says where the sequence broke.
 */
export class Utf8Validator {
  #state = S_ACCEPT;
  #seen = 0;
  #failed = -1;

  /**
   * Feeds `bytes[start, end)`. Returns false as soon as the bytes so far cannot be the prefix
   * of valid UTF-8 (the rest of the piece is not looked at).
   */
  update(bytes: Uint8Array, start = 0, end: number = bytes.length): boolean {
    if (this.#state === S_REJECT) return false;
    if (this.#seen === 0) this.#failed = -1;
    const s = advance(bytes, start, end, this.#state);
    this.#state = s;
    if (s === S_REJECT) this.#failed = this.#seen + (rejectedAt - start);
    this.#seen += end - start;
    return s !== S_REJECT;
  }

  /**
   * Ends the sequence: true when everything fed was valid and no character is left unfinished
   * (a truncated sequence at message end is invalid). Resets the validator either way.
   */
  finish(): boolean {
    const ok = this.#state === S_ACCEPT;
    if (!ok && this.#state !== S_REJECT) this.#failed = this.#seen;
    this.#state = S_ACCEPT;
    this.#seen = 0;
    return ok;
  }

  /** Forgets everything fed so far. */
  reset(): void {
    this.#state = S_ACCEPT;
    this.#seen = 0;
    this.#failed = -1;
  }

  /**
   * Offset (from the start of the sequence) of the first invalid byte after a failed `update`,
   * or the sequence length after `finish` found it truncated; -1 if nothing failed yet.
   * Kept after `finish` until the next sequence starts.
   */
  get invalidAt(): number {
    return this.#failed;
  }
}

/** Whether `bytes[start, end)` is complete, valid UTF-8 (RFC 3629). */
export function isValidUtf8(bytes: Uint8Array, start = 0, end: number = bytes.length): boolean {
  return advance(bytes, start, end, S_ACCEPT) === S_ACCEPT;
}

/** Where the last {@link advance} that returned S_REJECT found the invalid byte. */
let rejectedAt = -1;

/** ASCII bytes in a row before switching to the word scan: mixed text stays on the byte loop. */
const ASCII_RUN = 16;
/** Fewest bytes left for the word scan to be worth its setup. */
const WORD_SCAN = 64;

/**
 * Runs the automaton over `bytes[i, end)` from state `s` and returns the final state. Two
 * shortcuts leave the result unchanged: ASCII between characters is skipped, and a complete
 * 2-, 3- or 4-byte character is checked in one step by the same ranges as the automaton
 * (RFC 3629 §4). Anything else — an invalid byte, a character split by `end` or begun in an
 * earlier piece — goes through the automaton one byte at a time, which finds the exact byte.
 */
function advance(bytes: Uint8Array, i: number, end: number, s: number): number {
  let run = 0;
  for (; i < end; i++) {
    const b = bytes[i]!;
    if (s === S_ACCEPT) {
      if (b < 0x80) {
        // A long ASCII run: jump over it a word at a time.
        if (++run === ASCII_RUN && end - i > WORD_SCAN) {
          i = skipAscii(bytes, i + 1, end) - 1;
          run = 0;
        }
        continue;
      }
      run = 0;
      if (b >= 0xc2) {
        if (b <= 0xdf) {
          if (i + 1 < end && (bytes[i + 1]! & 0xc0) === 0x80) {
            i += 1;
            continue;
          }
        } else if (b <= 0xef) {
          if (i + 2 < end) {
            const b1 = bytes[i + 1]!;
            // E0 needs A0–BF (no overlong), ED needs 80–9F (no surrogates).
            if (
              b1 >= (b === 0xe0 ? 0xa0 : 0x80) &&
              b1 <= (b === 0xed ? 0x9f : 0xbf) &&
              (bytes[i + 2]! & 0xc0) === 0x80
            ) {
              i += 2;
              continue;
            }
          }
        } else if (b <= 0xf4 && i + 3 < end) {
          const b1 = bytes[i + 1]!;
          // F0 needs 90–BF (no overlong), F4 needs 80–8F (≤ U+10FFFF).
          if (
            b1 >= (b === 0xf0 ? 0x90 : 0x80) &&
            b1 <= (b === 0xf4 ? 0x8f : 0xbf) &&
            (bytes[i + 2]! & 0xc0) === 0x80 &&
            (bytes[i + 3]! & 0xc0) === 0x80
          ) {
            i += 3;
            continue;
          }
        }
      }
    }
    s = NEXT[s + CLASS[b]!]!;
    if (s === S_REJECT) {
      rejectedAt = i;
      return S_REJECT;
    }
  }
  return s;
}

/**
 * The index of the first byte ≥ 0x80 in `bytes[i, end)`, or `end`, checking four bytes at a
 * time through an aligned `Uint32Array` view: the 0x80 bit of every byte lane is tested at
 * once, whatever the platform's byte order.
 */
function skipAscii(bytes: Uint8Array, i: number, end: number): number {
  const base = bytes.byteOffset;
  while (i < end && ((base + i) & 3) !== 0) {
    if (bytes[i]! >= 0x80) return i;
    i++;
  }
  const words = (end - i) >>> 2;
  const view = new Uint32Array(bytes.buffer, base + i, words);
  let w = 0;
  while (w < words && (view[w]! & 0x80808080) === 0) w++;
  i += w * 4;
  while (i < end && bytes[i]! < 0x80) i++;
  return i;
}
