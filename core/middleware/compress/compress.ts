/**
 * `compress()`: response compression middleware (RFC 9110 §8.4 content codings, §12.5.3
 * negotiation). It runs after the handler (`await next()`) and rewrites the recorded response.
 * @module
 */
import type { Context } from "../../app/context.ts";
import type { Middleware } from "../../app/handler.ts";
import { utf8Length } from "../../bytes/utf8-length.ts";
import type { CompressionProvider, ContentCoding } from "../../providers/compression-provider.ts";
import { addVary } from "../vary.ts";
import { toByteStream } from "./byte-stream.ts";
import { isCompressible } from "./compressible.ts";
import { negotiateEncoding } from "./negotiate.ts";

/** Options of {@link compress}. */
export interface CompressOptions {
  /**
   * The codings to offer, in the server's order of preference (it breaks ties between equal
   * client weights). Default `["br", "zstd", "gzip", "deflate"]`; those the runtime lacks are
   * left out.
   */
  encodings?: readonly ContentCoding[];
  /** Smallest body to compress, in bytes (default 1024). Streams of unknown length are compressed. */
  threshold?: number;
  /** Level per coding, on the coding's own scale (zlib 0–9, brotli 0–11, zstd 1–22). */
  levels?: Partial<Record<ContentCoding, number>>;
  /**
   * The runtime's compressors; default `c.services.compression`, which each adapter's `serve()`
   * sets. Under `app.fetch` there is none: pass the adapter's `zlibCompression`, or only buffered
   * bodies are compressed (gzip and deflate through `CompressionStream`, which does not flush
   * chunk by chunk on every runtime, so streams are left alone).
   */
  provider?: CompressionProvider;
  /** Whether a `Content-Type` is worth compressing; default: all but already-compressed types. */
  filter?: (contentType: string | undefined) => boolean;
}

const ALL_CODINGS: readonly ContentCoding[] = ["br", "zstd", "gzip", "deflate"];
/** What `CompressionStream` produces everywhere (Compression Streams standard). */
const WEB_CODINGS: readonly ContentCoding[] = typeof CompressionStream === "function" ? ["gzip", "deflate"] : [];
const NO_TRANSFORM = /(?:^|,)\s*no-transform\s*(?:[,;=]|$)/i;

/** The codings to offer for buffered and for streamed bodies, with a given provider. */
interface Offer {
  readonly provider: CompressionProvider | undefined;
  readonly buffered: readonly ContentCoding[];
  readonly streamed: readonly ContentCoding[];
}

function makeOffer(encodings: readonly ContentCoding[], provider: CompressionProvider | undefined): Offer {
  const native = provider?.codings ?? [];
  return {
    provider,
    buffered: encodings.filter((coding) => native.includes(coding) || WEB_CODINGS.includes(coding)),
    streamed: encodings.filter((coding) => native.includes(coding)),
  };
}

function checkOptions(options: CompressOptions): void {
  for (const coding of options.encodings ?? []) {
    if (!ALL_CODINGS.includes(coding)) throw new TypeError(`compress(): unknown coding ${JSON.stringify(coding)}`);
  }
  const threshold = options.threshold;
  if (threshold !== undefined && !(Number.isSafeInteger(threshold) && threshold >= 0)) {
    throw new TypeError("compress(): threshold must be a non-negative integer");
  }
}

/**
 * Compress responses for clients that accept it: brotli, zstd, gzip or deflate, negotiated from
 * `Accept-Encoding` (q-values, `*`, `identity`). Left as they are: responses to HEAD, 1xx, 204,
 * 206 and 304 (which still get the Vary and weak ETag of the 200 they stand for), those with `Content-Encoding` or `Cache-Control: no-transform`, already-compressed
 * types, and bodies under `threshold`. Every response whose form depends on `Accept-Encoding`
 * gets `Vary: Accept-Encoding`; a compressed one loses `Content-Length` (the server frames it
 * anew), and a strong `ETag` becomes weak (§8.8.1: the bytes differ). A streamed body is flushed
 * through the compressor chunk by chunk, so server-sent events still arrive as they are sent.
 *
 * @example
 * ```ts
 * const app = new App().use(compress());
 * app.get("/items", (c) => c.json(items)); // gzip/br/zstd when asked, ≥ 1 KiB
 * ```
 */
export function compress(options: CompressOptions = {}): Middleware {
  checkOptions(options);
  const encodings = options.encodings ?? ALL_CODINGS;
  const threshold = options.threshold ?? 1024;
  const filter = options.filter ?? isCompressible;
  const levels = options.levels ?? {};
  let offer = makeOffer(encodings, options.provider);
  return async (c, next) => {
    await next();
    const provider = options.provider ?? c.services.compression;
    if (provider !== offer.provider) offer = makeOffer(encodings, provider);
    const status = c.resStatus;
    // §15.3.5, §15.3.7: no content, or a range of the identity form.
    if (status < 200 || status === 204 || status === 206 || c.resUpgrade !== null) return;
    if (!transformable(c, filter)) return;
    if (status === 304) return notModified(c, offer.buffered);
    const body = c.resBody;
    if (body === null) return;
    const buffered = typeof body === "string" || body instanceof Uint8Array;
    const size = typeof body === "string"
      ? utf8Length(body)
      : body instanceof Uint8Array
      ? body.length
      : declaredLength(c);
    if (size >= 0 && size < threshold) return;
    const offered = buffered ? offer.buffered : offer.streamed;
    if (offered.length === 0) return;
    // From here the answer depends on Accept-Encoding, whether compressed or not (§12.5.5).
    addVary(c, "Accept-Encoding");
    if (c.req.method === "HEAD") return;
    const coding = negotiateEncoding(c.req.header("accept-encoding"), offered);
    if (coding === null) return;
    const level = levels[coding];
    const native = provider !== undefined && provider.codings.includes(coding) ? provider : undefined;
    if (buffered) {
      const bytes = typeof body === "string" ? new TextEncoder().encode(body) : body;
      c.resBody = await compressWhole(native, coding, bytes, level);
    } else {
      c.resBody = toByteStream(body).pipeThrough(native!.create(coding, level));
    }
    rewriteFields(c, coding);
  };
}

/** Whether the response may be compressed, size aside: not encoded yet, no no-transform, no range, a type worth it. */
function transformable(c: Context, filter: (contentType: string | undefined) => boolean): boolean {
  if (c.getHeader("content-encoding") !== undefined || c.getHeader("content-range") !== undefined) return false;
  // RFC 9111 §5.2.2.6: no-transform forbids changing the content, its coding included.
  const cacheControl = c.getHeader("cache-control");
  if (cacheControl !== undefined && NO_TRANSFORM.test(cacheControl)) return false;
  return filter(c.getHeader("content-type"));
}

/**
 * A 304 has no content, but carries the Vary and ETag its 200 would have (RFC 9110 §15.4.5), so a
 * cache that freshens its compressed copy with it keeps a weak validator. The 200's size is not
 * known here: a 200 too small to compress would have kept a strong ETag, which compares equal
 * under the weak comparison that If-None-Match uses (§13.1.2) anyway.
 */
function notModified(c: Context, offered: readonly ContentCoding[]): void {
  if (offered.length === 0) return;
  addVary(c, "Accept-Encoding");
  if (negotiateEncoding(c.req.header("accept-encoding"), offered) === null) return;
  const etag = c.getHeader("etag");
  if (etag !== undefined && !etag.startsWith("W/")) c.header("etag", "W/" + etag);
}

/** The fields of a compressed response: its coding, no stale length or ranges, a weak validator. */
function rewriteFields(c: Context, coding: ContentCoding): void {
  c.header("content-encoding", coding);
  // The exchange frames the new body itself: the length of a buffered one, chunked (or DATA
  // frames) for a stream. A stale Content-Length would be a framing error.
  c.removeHeader("content-length");
  // Ranges would address the compressed bytes, which differ each time; offer none.
  c.removeHeader("accept-ranges");
  const etag = c.getHeader("etag");
  if (etag !== undefined && !etag.startsWith("W/")) c.header("etag", "W/" + etag);
}

/** The Content-Length a streamed body declared, or -1. */
function declaredLength(c: Context): number {
  const value = c.getHeader("content-length");
  if (value === undefined) return -1;
  const n = Number(value);
  return Number.isSafeInteger(n) && n >= 0 ? n : -1;
}

async function compressWhole(
  provider: CompressionProvider | undefined,
  coding: ContentCoding,
  bytes: Uint8Array,
  level: number | undefined,
): Promise<Uint8Array> {
  if (provider?.compress !== undefined) return await provider.compress(coding, bytes, level);
  const compressor = provider !== undefined
    ? provider.create(coding, level)
    : new CompressionStream(coding as CompressionFormat) as unknown as TransformStream<Uint8Array, Uint8Array>;
  const source = new ReadableStream<Uint8Array>({
    start(controller) {
      controller.enqueue(bytes);
      controller.close();
    },
  });
  return await collect(source.pipeThrough(compressor));
}

async function collect(stream: ReadableStream<Uint8Array>): Promise<Uint8Array> {
  const chunks: Uint8Array[] = [];
  let length = 0;
  const reader = stream.getReader();
  for (;;) {
    const next = await reader.read();
    if (next.done) break;
    chunks.push(next.value);
    length += next.value.length;
  }
  const out = new Uint8Array(length);
  let at = 0;
  for (const chunk of chunks) {
    out.set(chunk, at);
    at += chunk.length;
  }
  return out;
}
