/**
 * Verifying an echo before it counts: its type (text stays text, binary stays binary), its
 * length and its bytes, compared with the message sent as the pieces arrive, without copying —
 * or, for a compressed echo, once inflated at its end.
 */
import { OPCODE_TEXT } from "../../core/ws/opcodes.ts";
import type { PerMessageCodec } from "../../core/ws/permessage-codec.ts";
import { WS_ERROR_CONTENT, WS_ERROR_INFLATE, WS_ERROR_LENGTH, WS_ERROR_TYPE, type WsRun } from "./ws-run.ts";

/** The check of the echo being read on one connection; errors are counted on the run. */
export class EchoCheck {
  readonly #run: WsRun;
  #ok = true;
  /** Bytes of the echo compared so far. */
  #offset = 0;
  #compressed = false;
  #compressedParts: Uint8Array[] = [];

  constructor(run: WsRun) {
    this.#run = run;
  }

  /** A new echo begins, of `opcode`, compressed or not. */
  start(opcode: number, compressed: boolean): void {
    this.#offset = 0;
    this.#ok = true;
    this.#compressed = compressed;
    if (opcode !== this.#run.opcode) {
      this.#ok = false;
      this.#run.count(
        WS_ERROR_TYPE,
        `expected ${this.#run.opcode === OPCODE_TEXT ? "text" : "binary"}, got ${
          opcode === OPCODE_TEXT ? "text" : "binary"
        }`,
      );
    }
  }

  /** A piece of the echo (a view, valid during the call). */
  data(piece: Uint8Array): void {
    if (this.#compressed) {
      this.#compressedParts.push(piece.slice());
      return;
    }
    if (this.#ok) this.#checkPiece(piece);
    this.#offset += piece.length;
  }

  /** The echo ended: whether it is the message sent (inflated first with `codec` if compressed). */
  end(codec: PerMessageCodec | null): boolean {
    const run = this.#run;
    if (this.#compressed) {
      const parts = this.#compressedParts;
      this.#compressedParts = [];
      let size = 0;
      for (const p of parts) size += p.length;
      const joined = new Uint8Array(size);
      size = 0;
      for (const p of parts) {
        joined.set(p, size);
        size += p.length;
      }
      try {
        const message = codec!.decompress(joined, run.expected.length + 1, run.opcode === OPCODE_TEXT);
        this.#offset = 0;
        if (this.#ok) this.#checkPiece(message);
        this.#offset = message.length;
      } catch (error) {
        if (this.#ok) run.count(WS_ERROR_INFLATE, (error as Error).message);
        this.#ok = false;
      }
    }
    if (this.#ok && this.#offset !== run.expected.length) {
      this.#ok = false;
      run.count(WS_ERROR_LENGTH, `expected ${run.expected.length} bytes, got ${this.#offset}`);
    }
    return this.#ok;
  }

  /** Forget a half-read compressed echo (its connection was dropped). */
  reset(): void {
    this.#compressedParts = [];
  }

  /** Compare a piece of the echo with what was sent, at the current offset. */
  #checkPiece(piece: Uint8Array): void {
    const expected = this.#run.expected;
    const at = this.#offset;
    const end = at + piece.length;
    if (end > expected.length) {
      this.#ok = false;
      this.#run.count(WS_ERROR_LENGTH, `expected ${expected.length} bytes, got more`);
      return;
    }
    let same = true;
    if (piece.length < 64) {
      for (let i = 0; i < piece.length; i++) {
        if (piece[i] !== expected[at + i]) {
          same = false;
          break;
        }
      }
    } else {
      same = expected.compare(piece, 0, piece.length, at, end) === 0;
    }
    if (!same) {
      this.#ok = false;
      this.#run.count(WS_ERROR_CONTENT, `the echo differs from the message within bytes ${at}–${end}`);
    }
  }
}
