/**
 * `compress()` through `app.request()`, with no socket: which responses are compressed, and the
 * fields of those that are and are not. With no provider (as under `app.fetch`), buffered bodies
 * go through `CompressionStream`; a recording provider stands in for the runtime's compressors
 * (the real ones are tested over sockets by the contract suite).
 */
import { describe, expect, it } from "vitest";
import { App } from "../../app/app.ts";
import type { CompressionProvider, ContentCoding } from "../../providers/compression-provider.ts";
import { compress, type CompressOptions } from "./compress.ts";

const BIG = "wirecore ".repeat(300); // 2700 bytes

async function gunzip(bytes: ArrayBuffer, format: "gzip" | "deflate" = "gzip"): Promise<string> {
  const stream = new Blob([bytes]).stream().pipeThrough(new DecompressionStream(format));
  return await new Response(stream).text();
}

/** A provider whose "br" marks each chunk, so a test sees that it ran and on what chunks. */
function markingProvider(): CompressionProvider & { chunks: string[] } {
  const chunks: string[] = [];
  return {
    chunks,
    codings: ["br"] as ContentCoding[],
    create: () =>
      new TransformStream<Uint8Array, Uint8Array>({
        transform(chunk, controller) {
          const text = new TextDecoder().decode(chunk);
          chunks.push(text);
          controller.enqueue(new TextEncoder().encode(`[${text}]`));
        },
      }),
  };
}

function appWith(options: CompressOptions = {}): App {
  const app = new App().use(compress(options));
  app.configure(1024 * 1024, () => {});
  app.get("/big", (c) => c.text(BIG));
  app.get("/small", (c) => c.text("tiny"));
  app.get("/bytes", (c) => c.header("content-type", "application/json").body(new TextEncoder().encode(BIG)));
  app.get("/png", (c) => c.header("content-type", "image/png").body(new TextEncoder().encode(BIG)));
  app.get("/etag", (c) => c.header("etag", '"v1"').header("accept-ranges", "bytes").text(BIG));
  app.get("/weak", (c) => c.header("etag", 'W/"v1"').text(BIG));
  app.get("/encoded", (c) => c.header("content-encoding", "gzip").body(new Uint8Array(2000)));
  app.get("/no-transform", (c) => c.header("cache-control", "public, no-transform").text(BIG));
  app.get("/vary", (c) => c.header("vary", "Origin").text(BIG));
  app.get("/vary-star", (c) => c.header("vary", "*").text(BIG));
  app.get("/204", (c) => c.body(null, 204));
  app.get("/304", (c) => c.header("etag", '"v1"').body(null, 304));
  app.get("/206", (c) => c.header("content-range", "bytes 0-1999/5000").body(new Uint8Array(2000), 206));
  app.get("/stream", (c) =>
    c.header("content-type", "text/plain").body((async function* () {
      yield "one,";
      yield "";
      yield new TextEncoder().encode("two");
    })()));
  app.get("/response", () => new Response(BIG, { headers: { "content-type": "text/plain" } }));
  return app;
}

function get(app: App, path: string, acceptEncoding?: string, method = "GET"): Promise<Response> {
  return app.request(path, {
    method,
    headers: acceptEncoding === undefined ? {} : { "accept-encoding": acceptEncoding },
  });
}

describe("compress() without a provider (CompressionStream)", () => {
  it("gzips a large text body; Content-Length is the compressed length", async () => {
    const response = await get(appWith(), "/big", "gzip");
    expect(response.headers.get("content-encoding")).toBe("gzip");
    expect(response.headers.get("vary")).toBe("Accept-Encoding");
    const bytes = await response.arrayBuffer();
    expect(Number(response.headers.get("content-length"))).toBe(bytes.byteLength);
    expect(bytes.byteLength).toBeLessThan(BIG.length / 10);
    expect(await gunzip(bytes)).toBe(BIG);
  });

  it("deflate (zlib format) for bytes, when the client only takes deflate", async () => {
    const response = await get(appWith(), "/bytes", "deflate, br;q=0");
    expect(response.headers.get("content-encoding")).toBe("deflate");
    expect(await gunzip(await response.arrayBuffer(), "deflate")).toBe(BIG);
  });

  it("offers only gzip and deflate: br and zstd need the runtime's provider", async () => {
    const response = await get(appWith(), "/big", "br, zstd");
    expect(response.headers.get("content-encoding")).toBe(null);
    expect(response.headers.get("vary")).toBe("Accept-Encoding");
    expect(await response.text()).toBe(BIG);
  });

  it("leaves streams alone: CompressionStream does not flush chunk by chunk", async () => {
    const response = await get(appWith(), "/stream", "gzip");
    expect(response.headers.get("content-encoding")).toBe(null);
    expect(response.headers.get("vary")).toBe(null);
    expect(await response.text()).toBe("one,two");
  });

  it("no Accept-Encoding, or one that refuses everything: identity, still with Vary", async () => {
    for (const accept of [undefined, "", "gzip;q=0, deflate;q=0", "identity"]) {
      const response = await get(appWith(), "/big", accept);
      expect(response.headers.get("content-encoding"), String(accept)).toBe(null);
      expect(response.headers.get("vary"), String(accept)).toBe("Accept-Encoding");
      expect(response.headers.get("content-length")).toBe(String(BIG.length));
      expect(await response.text()).toBe(BIG);
    }
  });

  it("does not compress below the threshold, nor change Vary then", async () => {
    const response = await get(appWith(), "/small", "gzip");
    expect(response.headers.get("content-encoding")).toBe(null);
    expect(response.headers.get("vary")).toBe(null);
    expect(await response.text()).toBe("tiny");
    const low = await get(appWith({ threshold: 0 }), "/small", "gzip");
    expect(low.headers.get("content-encoding")).toBe("gzip");
    expect(await gunzip(await low.arrayBuffer())).toBe("tiny");
  });

  it("leaves compressed types, encoded bodies and no-transform alone, without Vary", async () => {
    for (const path of ["/png", "/encoded", "/no-transform"]) {
      const response = await get(appWith(), path, "gzip");
      expect(response.headers.get("vary"), path).toBe(null);
      expect(response.headers.get("content-encoding"), path).toBe(path === "/encoded" ? "gzip" : null);
      expect((await response.arrayBuffer()).byteLength, path).toBe(path === "/encoded" ? 2000 : BIG.length);
    }
  });

  it("a custom filter decides the types", async () => {
    const response = await get(appWith({ filter: (type) => type === "image/png" }), "/png", "gzip");
    expect(response.headers.get("content-encoding")).toBe("gzip");
  });

  it("makes a strong ETag weak and drops Accept-Ranges; keeps a weak one", async () => {
    const strong = await get(appWith(), "/etag", "gzip");
    expect(strong.headers.get("etag")).toBe('W/"v1"');
    expect(strong.headers.get("accept-ranges")).toBe(null);
    const weak = await get(appWith(), "/weak", "gzip");
    expect(weak.headers.get("etag")).toBe('W/"v1"');
    const plain = await get(appWith(), "/etag");
    expect(plain.headers.get("etag")).toBe('"v1"');
    expect(plain.headers.get("accept-ranges")).toBe("bytes");
  });

  it("adds Accept-Encoding to an existing Vary once, and leaves Vary: * alone", async () => {
    const response = await get(appWith(), "/vary", "gzip");
    expect(response.headers.get("vary")).toBe("Origin, Accept-Encoding");
    const star = await get(appWith(), "/vary-star", "gzip");
    expect(star.headers.get("vary")).toBe("*");
  });

  it("HEAD: Vary but no coding, and the identity Content-Length", async () => {
    const response = await get(appWith(), "/big", "gzip", "HEAD");
    expect(response.headers.get("content-encoding")).toBe(null);
    expect(response.headers.get("vary")).toBe("Accept-Encoding");
    expect(response.headers.get("content-length")).toBe(String(BIG.length));
  });

  it("never touches 204 or 206", async () => {
    for (const [path, status] of [["/204", 204], ["/206", 206]] as const) {
      const response = await get(appWith({ threshold: 0 }), path, "gzip");
      expect(response.status).toBe(status);
      expect(response.headers.get("content-encoding"), path).toBe(null);
      expect(response.headers.get("vary"), path).toBe(null);
    }
  });

  it("304: no coding, but the Vary and weak ETag its 200 would have (RFC 9110 §15.4.5)", async () => {
    const asked = await get(appWith(), "/304", "gzip");
    expect(asked.status).toBe(304);
    expect(asked.headers.get("content-encoding")).toBe(null);
    expect(asked.headers.get("vary")).toBe("Accept-Encoding");
    expect(asked.headers.get("etag")).toBe('W/"v1"');
    const plain = await get(appWith(), "/304");
    expect(plain.headers.get("vary")).toBe("Accept-Encoding");
    expect(plain.headers.get("etag")).toBe('"v1"');
  });

  it("rejects bad options when the middleware is made", () => {
    expect(() => compress({ encodings: ["lzma" as ContentCoding] })).toThrow(TypeError);
    expect(() => compress({ threshold: -1 })).toThrow(TypeError);
  });
});

describe("compress() with a provider", () => {
  it("streams each chunk through the provider's compressor, empty chunks skipped", async () => {
    const provider = markingProvider();
    const response = await get(appWith({ provider }), "/stream", "br, gzip");
    expect(response.headers.get("content-encoding")).toBe("br");
    expect(response.headers.get("vary")).toBe("Accept-Encoding");
    expect(response.headers.get("content-length")).toBe(null);
    expect(await response.text()).toBe("[one,][two]");
    expect(provider.chunks).toEqual(["one,", "two"]);
  });

  it("compresses a web Response a handler returns (its body is a stream)", async () => {
    const provider = markingProvider();
    const response = await get(appWith({ provider }), "/response", "br");
    expect(response.headers.get("content-encoding")).toBe("br");
    expect(await response.text()).toBe(`[${BIG}]`);
  });

  it("uses CompressionStream for a buffered gzip body the provider does not make", async () => {
    const provider = markingProvider();
    const response = await get(appWith({ provider }), "/big", "gzip");
    expect(response.headers.get("content-encoding")).toBe("gzip");
    expect(await gunzip(await response.arrayBuffer())).toBe(BIG);
    expect(provider.chunks).toEqual([]);
  });

  it("a provider's whole-body compress() is used for buffered bodies", async () => {
    const provider = markingProvider();
    const whole: CompressionProvider = {
      ...provider,
      compress: (_coding, data) => Promise.resolve(new Uint8Array([data.length & 0xff, 1, 2])),
    };
    const response = await get(appWith({ provider: whole }), "/big", "br");
    expect(response.headers.get("content-encoding")).toBe("br");
    expect(response.headers.get("content-length")).toBe("3");
    expect([...new Uint8Array(await response.arrayBuffer())]).toEqual([BIG.length & 0xff, 1, 2]);
  });
});
