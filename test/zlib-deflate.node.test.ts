/**
 * The shared permessage-deflate provider (adapters/zlib-deflate.ts) with a runtime's one-shot
 * codecs handed in — here `node:zlib`'s own whole-stream calls, standing in for Bun's — checked
 * through the core's codec against an independent long-lived inflate stream, as a peer reads.
 * `npx vitest run test/zlib-deflate.node.test.ts`
 */
import { describe, expect, it } from "vitest";
import zlib from "node:zlib";
import { createZlibDeflateProvider, type OneShotDeflate } from "../adapters/zlib-deflate.ts";
import { PerMessageCodec } from "../core/ws/permessage-codec.ts";
import type { PerMessageDeflateParams } from "../core/ws/permessage-deflate.ts";
import { pseudoRandom } from "./support/pseudo-random.ts";

/** Whole-stream codecs that count their calls. */
function countingOneShot(): OneShotDeflate & { deflates: number; inflates: number } {
  const calls = {
    deflates: 0,
    inflates: 0,
    deflate(data: Uint8Array, level: number | undefined): Uint8Array {
      calls.deflates++;
      return zlib.deflateRawSync(data, level === undefined ? {} : { level });
    },
    inflate(stream: Uint8Array): Uint8Array {
      calls.inflates++;
      return zlib.inflateRawSync(stream);
    },
  };
  return calls;
}

const FRESH: PerMessageDeflateParams = {
  serverNoContextTakeover: true,
  clientNoContextTakeover: true,
  serverMaxWindowBits: 15,
  clientMaxWindowBits: 15,
};
const TAKEOVER: PerMessageDeflateParams = { ...FRESH, serverNoContextTakeover: false, clientNoContextTakeover: false };

const text = (n: number): Uint8Array => new TextEncoder().encode("wirecore deflate ".repeat(n));
const SYNC_TAIL = Uint8Array.of(0x00, 0x00, 0xff, 0xff);

/**
 * A peer's decompressor as RFC 7692 §7.2.2 describes it: append `00 00 ff ff`, inflate; after a
 * final block (§7.2.3.3) it starts a new stream, as Chromium and `ws` do.
 */
class PeerInflater {
  #stream = zlib.createInflateRaw();
  #ended = false;
  read(payload: Uint8Array): Promise<Buffer> {
    if (this.#ended) this.#stream = zlib.createInflateRaw();
    this.#ended = false;
    const stream = this.#stream;
    return new Promise((resolve, reject) => {
      const chunks: Buffer[] = [];
      const onData = (chunk: Buffer): void => void chunks.push(chunk);
      stream.on("data", onData);
      stream.once("end", () => (this.#ended = true));
      stream.once("error", reject);
      stream.write(Buffer.concat([payload, SYNC_TAIL]));
      stream.flush(zlib.constants.Z_SYNC_FLUSH, () => {
        stream.off("data", onData);
        resolve(Buffer.concat(chunks));
      });
    });
  }
}

/** A peer's compressor with context takeover: one stream, sync-flushed, tail removed. */
function peerDeflater(): (data: Uint8Array) => Promise<Buffer> {
  const stream = zlib.createDeflateRaw();
  return (data) =>
    new Promise((resolve) => {
      const chunks: Buffer[] = [];
      const onData = (chunk: Buffer): void => void chunks.push(chunk);
      stream.on("data", onData);
      stream.write(data);
      stream.flush(zlib.constants.Z_SYNC_FLUSH, () => {
        stream.off("data", onData);
        const all = Buffer.concat(chunks);
        resolve(all.subarray(0, all.length - 4));
      });
    });
}

describe("createZlibDeflateProvider with one-shot codecs", () => {
  it("without server context takeover, each message is its own final-block stream a peer reads", async () => {
    const oneShot = countingOneShot();
    const codec = new PerMessageCodec(createZlibDeflateProvider(oneShot), FRESH);
    const peer = new PeerInflater();
    const random = pseudoRandom(70_000, 7);
    for (const message of [text(300), new Uint8Array(0), random, text(1), text(300)]) {
      const wire = codec.compress(message);
      if (message.length > 0) {
        expect(wire[0]! & 1, "BFINAL set on the (single) first block").toBe(message === random ? 0 : 1);
        expect(wire.at(-1), "the leftover byte of §7.2.1's empty stored block").toBe(0x00);
      } else expect(Array.from(wire)).toEqual([0x00]); // §7.2.3.6
      expect(Buffer.from(await peer.read(wire)).equals(Buffer.from(message))).toBe(true);
    }
    expect(oneShot.deflates).toBe(4); // not the empty message
    codec.close();
  });

  it("with server context takeover, messages refer back to earlier ones (no one-shot)", async () => {
    const oneShot = countingOneShot();
    const codec = new PerMessageCodec(createZlibDeflateProvider(oneShot), TAKEOVER);
    const peer = new PeerInflater();
    const message = pseudoRandom(2000, 3);
    const first = codec.compress(message);
    const second = codec.compress(message);
    expect(second.length).toBeLessThan(first.length / 10);
    expect(Buffer.from(await peer.read(first)).equals(Buffer.from(message))).toBe(true);
    expect(Buffer.from(await peer.read(second)).equals(Buffer.from(message))).toBe(true);
    expect(oneShot.deflates).toBe(0);
    codec.close();
  });

  it("keeps an agreed window under 2^15: one-shot only for messages that fit it", () => {
    const oneShot = countingOneShot();
    const codec = new PerMessageCodec(createZlibDeflateProvider(oneShot), { ...FRESH, serverMaxWindowBits: 10 });
    codec.compress(text(60)); // 1 020 bytes
    expect(oneShot.deflates).toBe(1);
    const repeated = new Uint8Array(3000);
    repeated.set(pseudoRandom(1500, 5));
    repeated.set(pseudoRandom(1500, 5), 1500); // a copy 1 500 bytes back: beyond a 1 KiB window
    const wire = codec.compress(repeated);
    expect(oneShot.deflates).toBe(1);
    expect(wire.length).toBeGreaterThan(2900);
    codec.close();
  });

  it("inflates with the one-shot codec, with and without the client's context, and bounds its size", async () => {
    for (const params of [FRESH, TAKEOVER]) {
      const oneShot = countingOneShot();
      const codec = new PerMessageCodec(createZlibDeflateProvider(oneShot), params);
      const deflate = peerDeflater();
      const messages = [text(200), text(200), pseudoRandom(5000, 9), text(200)];
      for (const message of messages) {
        const wire = params === FRESH ? await peerDeflaterFresh(message) : await deflate(message);
        expect(Buffer.from(codec.decompress(wire, 16 << 20, false)).equals(Buffer.from(message))).toBe(true);
      }
      expect(oneShot.inflates).toBe(messages.length);
      codec.close();
    }
  });

  it("inflates a message that might exceed the limit with the bounded stream, and refuses a bomb (1009)", async () => {
    const oneShot = countingOneShot();
    const codec = new PerMessageCodec(createZlibDeflateProvider(oneShot), FRESH);
    const bomb = await peerDeflaterFresh(new Uint8Array(8 << 20)); // ~8 KiB on the wire
    expect(() => codec.decompress(bomb, 1 << 20, false)).toThrow(/exceeds/);
    expect(oneShot.inflates).toBe(0);
    codec.close();
  });

  it("a peer's message ending with a final block of its own inflates too", () => {
    const oneShot = countingOneShot();
    const codec = new PerMessageCodec(createZlibDeflateProvider(oneShot), FRESH);
    const message = text(100);
    const wire = Buffer.concat([zlib.deflateRawSync(message), Buffer.of(0x00)]); // §7.2.3.3
    expect(Buffer.from(codec.decompress(wire, 1 << 20, true)).equals(Buffer.from(message))).toBe(true);
    expect(oneShot.inflates).toBe(1);
    codec.close();
  });
});

/** A peer compressing without context takeover: a fresh stream per message, tail removed. */
function peerDeflaterFresh(data: Uint8Array): Promise<Buffer> {
  return peerDeflater()(data);
}
