/**
 * Compresses and decompresses message payloads under agreed permessage-deflate parameters
 * (RFC 7692 §7.2), over a runtime's {@link DeflateProvider}:
 *
 * - sending (§7.2.1): compress with a sync flush, then remove the trailing `00 00 ff ff`;
 *   an empty message becomes the single byte `00` (§7.2.3.6). Such a message is sent with RSV1.
 * - receiving (§7.2.2): decompress the payload as if `00 00 ff ff` followed it; the size of the
 *   result is limited while decompressing (1009 beyond it).
 * - context takeover (§7.1.1): without it, the compressor/decompressor is reset after each
 *   message.
 *
 * Text messages received compressed are validated as UTF-8 after inflating (§8.1): the frame
 * parser cannot see their characters. {@link PerMessageCodec.decompress} does that when asked.
 *
 * @example
 * ```ts
 * const codec = new PerMessageCodec(provider, agreement.params);
 * const wire = codec.compress(payload);                     // send with RSV1
 * const message = codec.decompress(received, 16 << 20, true); // throws WsError 1007/1009
 * ```
 * @module
 */
import type { DeflateProvider, RawDeflater, RawInflater } from "./deflate-provider.ts";
import type { PerMessageDeflateParams } from "./permessage-deflate.ts";
import { WsError } from "./ws-error.ts";
import { isValidUtf8 } from "./utf8-validator.ts";

/** One connection's compression state for both directions. */
export class PerMessageCodec {
  readonly #provider: DeflateProvider;
  readonly #params: PerMessageDeflateParams;
  readonly #level: number | undefined;
  #deflater: RawDeflater | null = null;
  #inflater: RawInflater | null = null;

  constructor(provider: DeflateProvider, params: PerMessageDeflateParams, level?: number) {
    this.#provider = provider;
    this.#params = params;
    this.#level = level;
  }

  /**
   * The compressed payload of a message (send it with RSV1 set). The result is a fresh array
   * owned by the caller, so one compressed frame can be written to many sockets.
   */
  compress(payload: Uint8Array): Uint8Array {
    const params = this.#params;
    this.#deflater ??= this.#provider.createDeflate(
      params.serverMaxWindowBits,
      this.#level,
      !params.serverNoContextTakeover,
    );
    const out = this.#deflater.deflate(payload);
    const n = out.length;
    // §7.2.1 step 3: the output ends with 00 00 ff ff because of the sync flush; remove it.
    if (n < 4 || out[n - 4] !== 0 || out[n - 3] !== 0 || out[n - 2] !== 0xff || out[n - 1] !== 0xff) {
      throw new Error("The deflate provider did not end its output with a sync flush");
    }
    if (params.serverNoContextTakeover) this.#deflater.reset();
    // §7.2.3.6: an empty payload compresses to 00 (the stored block's header bits) — kept as is.
    return out.subarray(0, n - 4);
  }

  /**
   * The decompressed payload of a message received with RSV1. Throws {@link WsError} 1009 when
   * it would exceed `maxSize` bytes, 1007 when `text` and the result is not UTF-8 (§8.1), and
   * 1007 when the compressed data is corrupt ("data inconsistent with the type of the message",
   * §7.4.1 — RFC 7692 §8 leaves the code open). The result is a fresh array.
   */
  decompress(payload: Uint8Array, maxSize: number, text: boolean): Uint8Array {
    const params = this.#params;
    this.#inflater ??= this.#provider.createInflate(params.clientMaxWindowBits, !params.clientNoContextTakeover);
    let message: Uint8Array | null;
    try {
      message = this.#inflater.inflate(payload, maxSize);
    } catch (error) {
      this.#dropInflater();
      const reason = `Invalid compressed data: ${(error as Error).message}`;
      throw new WsError("INFLATE_FAILED", reason);
    }
    if (message === null) {
      this.#dropInflater();
      throw new WsError("MESSAGE_TOO_BIG", `Message exceeds ${maxSize} bytes once decompressed`);
    }
    if (params.clientNoContextTakeover) this.#inflater.reset();
    if (text && !isValidUtf8(message)) {
      throw new WsError("INVALID_UTF8", "Text message is not valid UTF-8");
    }
    return message;
  }

  /** Releases the provider's native memory. */
  close(): void {
    this.#deflater?.close();
    this.#deflater = null;
    this.#dropInflater();
  }

  #dropInflater(): void {
    this.#inflater?.close();
    this.#inflater = null;
  }
}
