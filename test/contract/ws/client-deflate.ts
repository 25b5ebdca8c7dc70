/**
 * The client's side of permessage-deflate (RFC 7692), done in the test with `node:zlib`: an
 * independent deflate stream, not the server's codec, so a case checks the server against
 * another implementation.
 */
import assert from "node:assert/strict";
import { Buffer } from "node:buffer";
import zlib from "node:zlib";

/** The end of a sync flush, removed from / added to compressed messages (RFC 7692 §7.2.1–2). */
const DEFLATE_TAIL = Buffer.from([0x00, 0x00, 0xff, 0xff]);
const { Z_SYNC_FLUSH } = zlib.constants;

/** A client compressor with context takeover: one raw-deflate stream, sync-flushed per message. */
export class StreamDeflater {
  readonly #z: zlib.DeflateRaw;
  #out: Buffer[] = [];

  constructor() {
    this.#z = zlib.createDeflateRaw({ windowBits: 15 });
    this.#z.on("data", (chunk: Buffer) => this.#out.push(chunk));
  }

  /** The message compressed, without the trailing `00 00 ff ff` (RFC 7692 §7.2.1). */
  async deflate(data: Uint8Array): Promise<Buffer> {
    this.#z.write(data);
    await new Promise<void>((resolve) => this.#z.flush(Z_SYNC_FLUSH, () => resolve()));
    const deadline = Date.now() + 2000;
    let all = Buffer.concat(this.#out);
    while (!(all.length >= 4 && all.subarray(all.length - 4).equals(DEFLATE_TAIL))) {
      if (Date.now() > deadline) throw new Error("the test's deflate stream did not flush");
      await new Promise((resolve) => setTimeout(resolve, 1));
      all = Buffer.concat(this.#out);
    }
    this.#out = [];
    return all.subarray(0, all.length - 4);
  }

  close(): void {
    this.#z.close();
  }
}

/** One message compressed on its own (no context takeover). */
export function deflateAlone(data: Uint8Array): Buffer {
  const out = zlib.deflateRawSync(data, { finishFlush: Z_SYNC_FLUSH });
  assert.ok(out.subarray(out.length - 4).equals(DEFLATE_TAIL), "zlib did not end with a sync flush");
  return out.subarray(0, out.length - 4);
}

/** One message decompressed on its own (the sender had no context). */
export function inflateAlone(payload: Uint8Array): Buffer {
  return zlib.inflateRawSync(Buffer.concat([payload, DEFLATE_TAIL]), { finishFlush: Z_SYNC_FLUSH });
}

/**
 * A decompressor with context takeover, the plain way: the compressed messages form one deflate
 * stream, so inflate all of it and take the new bytes (quadratic, fine for a few messages).
 */
export class StreamInflater {
  #stream: Buffer[] = [];
  #produced = 0;

  inflate(payload: Uint8Array): Buffer {
    this.#stream.push(Buffer.from(payload), DEFLATE_TAIL);
    const all = zlib.inflateRawSync(Buffer.concat(this.#stream), { finishFlush: Z_SYNC_FLUSH });
    const out = all.subarray(this.#produced);
    this.#produced = all.length;
    return out;
  }
}
