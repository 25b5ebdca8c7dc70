/**
 * `serveStatic`: files under a root directory, over any runtime's {@link FileProvider}, with the
 * HTTP semantics a browser and a cache expect — validators and conditional requests (RFC 9110
 * §8.8, §13), byte ranges (§14), precompressed siblings (§8.4, §12.5.3), directory index and
 * HEAD — streaming from disk as fast as the client reads.
 * @module
 */
import type { Context } from "../../app/context.ts";
import type { HandlerResult } from "../../app/handler.ts";
import { type FileProvider, type FileStat, READ_AT_ONCE_LIMIT } from "../../providers/file-provider.ts";
import { statusText } from "../../http/status-text.ts";
import { acceptedPrecompressed } from "./accept-encoding.ts";
import { byteRangesBody } from "./byteranges.ts";
import { checkPreconditions, entityTag, ifRangeHolds, lastModified } from "./conditional.ts";
import { contentTypeOf } from "./content-types.ts";
import { DEFAULT_RANGE_LIMITS, parseRange, type RangeLimits } from "./range.ts";
import { checkPath, isDotSegment, isInside } from "./safe-path.ts";
import { FileCache, type MemoryCacheOptions } from "./file-cache.ts";

/** Options of {@link serveStatic}. */
export interface ServeStaticOptions {
  /**
   * The directory to serve: a path, absolute or relative to the process's working directory, or
   * a `file:` URL — `new URL("./public/", import.meta.url)` names a directory beside the module,
   * wherever the process was started.
   */
  root: string | URL;
  /**
   * The URL path the root is mounted at (`"/static"`): it is removed from the request path
   * before the file is looked up. Default: the part before `*` of the wildcard route it serves
   * (`app.get("/static/*", …)` → `"/static"`), else `""` (the root serves `/`).
   */
  prefix?: string;
  /** The file a directory request (`/docs/`) serves; `false` for none. Default `"index.html"`. */
  index?: string | false;
  /**
   * Paths with a segment starting with `.` (`.env`, `.git/`): `"deny"` answers 404 (default),
   * `"ignore"` passes the request on as if the file did not exist, `"allow"` serves them.
   */
  dotfiles?: "deny" | "ignore" | "allow";
  /** Serve a `.br`/`.gz` sibling when the client accepts that coding. Default `true`. */
  precompressed?: boolean;
  /** The `Cache-Control` value of every file response. */
  cacheControl?: string;
  /** Shorthand for `cacheControl: "public, max-age=<maxAge>"` (seconds). */
  maxAge?: number;
  /** The file system to read; default `c.services.files`, which each adapter's `serve()` sets. */
  files?: FileProvider;
  /** Bounds on multi-range requests. */
  rangeLimits?: RangeLimits;
  /**
   * Keep small files in memory, checked against each request's `stat` (size and modification time, as the ETag is):
   * `false` reads every file from disk every time. Default `{ maxBytes: 16 MiB, maxFileBytes: 256 KiB }`. A file
   * modified less than 2 s ago is read from disk until it has settled.
   */
  memoryCache?: MemoryCacheOptions | false;
}

/** What `serveStatic` returns: a route handler, or middleware that passes misses on to `next`. */
export type StaticHandler = (c: Context, next?: () => Promise<void>) => Promise<HandlerResult>;

const NO_FILES = "serveStatic: no FileProvider. serve() from wirecore/node, wirecore/bun or wirecore/deno " +
  "provides one; under app.fetch or app.request pass it yourself: serveStatic({ root, files: nodeFiles })";

/** A file under the root: its metadata and, when the memory cache holds it, its bytes. */
interface Found {
  readonly stat: FileStat;
  readonly cached: Uint8Array | null;
}

/** A file picked to answer: its path, metadata, cached bytes, and coding (`""` for none). */
interface Picked extends Found {
  readonly path: string;
  readonly coding: string;
}

/**
 * Serve files from `options.root`. Use it as the handler of a wildcard route, or as middleware
 * (a miss then goes on to the next handler; a method other than GET/HEAD too).
 *
 * @example
 * ```ts
 * import { App, serveStatic } from "wirecore";
 * import { serve } from "wirecore/node";
 * const app = new App().get("/static/*", serveStatic({ root: "examples/public", maxAge: 3600 }));
 * serve(app, { port: 3000 });
 * ```
 */
export function serveStatic(options: ServeStaticOptions): StaticHandler {
  const index = options.index ?? "index.html";
  const dotfiles = options.dotfiles ?? "deny";
  const precompressed = options.precompressed ?? true;
  const cacheControl = options.cacheControl ??
    (options.maxAge === undefined ? undefined : `public, max-age=${Math.max(0, Math.floor(options.maxAge))}`);
  const limits = options.rangeLimits ?? DEFAULT_RANGE_LIMITS;
  const rootPath = rootOf(options.root);
  const cache = options.memoryCache === false ? null : new FileCache(options.memoryCache);
  if (index !== false && (index === "" || index.includes("/") || index.includes("\\"))) {
    throw new TypeError("serveStatic: `index` must be a file name, or false");
  }
  const explicitPrefix = options.prefix === undefined ? undefined : trimSlash(options.prefix);
  // The root's canonical path, once per provider: the containment check compares against it.
  const roots = new Map<FileProvider, string>();
  const realRoot = async (files: FileProvider): Promise<string> => {
    const known = roots.get(files);
    if (known !== undefined) return known;
    let real: string;
    try {
      real = await files.realPath(rootPath);
    } catch (error) {
      throw new Error(`serveStatic: root ${JSON.stringify(rootPath)} cannot be resolved`, { cause: error });
    }
    roots.set(files, real);
    return real;
  };

  /**
   * Resolve `path` (and follow it to its target) only if it stays under the root. Bytes the cache holds for it were
   * read when it did, and are what gets served: whatever the path leads to now, no byte from elsewhere goes out.
   */
  const contained = async (files: FileProvider, root: string, path: string): Promise<Found | null> => {
    const stat = await files.stat(path);
    if (stat === null) return null;
    const cached = cache?.get(path, stat) ?? null;
    if (cached !== null) return { stat, cached };
    let real: string;
    try {
      real = await files.realPath(path);
    } catch {
      return null;
    }
    return isInside(root, real) ? { stat, cached: null } : null;
  };

  return async (c, next) => {
    const method = c.req.method;
    if (method !== "GET" && method !== "HEAD") return miss(c, next, 405);
    const prefix = explicitPrefix ?? routePrefix(c.route);
    const fullPath = c.req.path;
    let relative: string;
    if (prefix === "") relative = fullPath;
    else if (fullPath === prefix) relative = "";
    else if (fullPath.startsWith(prefix) && fullPath.charCodeAt(prefix.length) === 0x2f /* / */) {
      relative = fullPath.slice(prefix.length);
    } else return miss(c, next, 404);

    const check = checkPath(relative);
    if (!check.ok) return c.text(check.reason, check.status);
    if (dotfiles !== "allow" && check.segments.some(isDotSegment)) {
      return dotfiles === "ignore" ? miss(c, next, 404) : c.text(statusText(404), 404);
    }
    const files = options.files ?? c.services.files;
    if (files === undefined) throw new Error(NO_FILES);
    const root = await realRoot(files);
    let path = check.segments.length === 0 ? root : root + "/" + check.segments.join("/");
    let found = await contained(files, root, path);
    if (found === null) return miss(c, next, 404);
    if (found.stat.isDirectory) {
      if (!check.directory) {
        // RFC 9110 §15.4.2: the directory's URL ends in "/", so relative links in its index resolve.
        const search = c.req.search;
        // Leading slashes collapse: "//host/dir/" would be a network-path reference (an open redirect).
        const location = fullPath.replace(/^\/+/, "/") + "/" + (search === "" ? "" : "?" + search);
        return c.redirect(location, 301);
      }
      if (index === false) return miss(c, next, 404);
      path += "/" + index;
      found = await contained(files, root, path);
      if (found === null || !found.stat.isFile) return miss(c, next, 404);
    } else if (!found.stat.isFile || check.directory) return miss(c, next, 404);

    const picked = precompressed ? await pickEncoded(c, files, root, path, found) : { ...found, path, coding: "" };
    const source: BodySource = { files, cache, picked };
    return respond(c, source, contentTypeOf(path), precompressed && picked.coding !== "", cacheControl, limits);
  };

  async function pickEncoded(
    c: Context,
    files: FileProvider,
    root: string,
    path: string,
    found: Found,
  ): Promise<Picked> {
    for (const variant of acceptedPrecompressed(c.req.header("accept-encoding"))) {
      const sibling = path + variant.suffix;
      const encoded = await contained(files, root, sibling);
      if (encoded !== null && encoded.stat.isFile) return { ...encoded, path: sibling, coding: variant.coding };
    }
    return { ...found, path, coding: "" };
  }
}

/** The validators, conditional answers, ranges and body for the picked file. */
function respond(
  c: Context,
  source: BodySource,
  contentType: string,
  vary: boolean,
  cacheControl: string | undefined,
  limits: RangeLimits,
): HandlerResult | Promise<HandlerResult> {
  const { files, picked } = source;
  const { path, stat, coding } = picked;
  const size = stat.size;
  const etag = entityTag(stat, coding);
  c.header("etag", etag);
  c.header("last-modified", lastModified(stat));
  if (cacheControl !== undefined) c.header("cache-control", cacheControl);
  if (vary) c.header("vary", "accept-encoding");
  const header = (name: string): string | undefined => c.req.header(name);
  const method = c.req.method;
  const verdict = checkPreconditions(header, method, etag, stat);
  // §15.4.5: a 304 carries the validators and Cache-Control/Vary a 200 would, and no body.
  if (verdict === 304) return c.body(null, 304);
  if (verdict === 412) return c.text(statusText(412), 412);

  if (coding !== "") c.header("content-encoding", coding);
  c.header("accept-ranges", "bytes");
  // §14.2: Range is defined for GET only; If-Range decides whether the client's copy still fits.
  const rangeField = method === "GET" ? c.req.header("range") : undefined;
  const ranges = rangeField !== undefined && ifRangeHolds(c.req.header("if-range"), etag, stat)
    ? parseRange(rangeField, size, limits)
    : { kind: "ignore" as const };
  if (ranges.kind === "unsatisfiable") {
    // §15.5.17: say the current length, so the client can ask again.
    c.header("content-range", `bytes */${size}`);
    return c.text(statusText(416), 416);
  }
  if (ranges.kind === "ranges") {
    if (ranges.ranges.length === 1) {
      const { start, end } = ranges.ranges[0]!;
      c.header("content-type", contentType);
      c.header("content-range", `bytes ${start}-${end - 1}/${size}`);
      c.header("content-length", String(end - start));
      return fileBody(c, source, start, end, 206);
    }
    // §14.6: several ranges go as multipart/byteranges, each part with its own Content-Range.
    const body = byteRangesBody(ranges.ranges, size, contentType, (start, end) => files.read(path, start, end));
    c.header("content-type", `multipart/byteranges; boundary=${body.boundary}`);
    c.header("content-length", String(body.length));
    return c.body(body.stream, 206);
  }
  c.header("content-type", contentType);
  if (size === 0) return c.body(new Uint8Array(0), 200);
  c.header("content-length", String(size));
  // HEAD: the length of the GET answer without opening the file (RFC 9110 §9.3.2).
  return method === "HEAD" ? c.body(emptyStream(), 200) : fileBody(c, source, 0, size, 200);
}

/** Where a response's bytes come from: the provider, the cache, the file picked. */
interface BodySource {
  readonly files: FileProvider;
  readonly cache: FileCache | null;
  readonly picked: Picked;
}

/**
 * The bytes `[start, end)` as the body: from the memory cache, or read at once when small and the provider can (the
 * whole file, when the cache will keep it), else streamed. A file that shrank since its `stat` fails the request (a
 * 500, before any byte is sent) rather than send fewer bytes than the Content-Length announced; a stream in that case
 * can only cut the connection.
 */
function fileBody(
  c: Context,
  source: BodySource,
  start: number,
  end: number,
  status: 200 | 206,
): HandlerResult | Promise<HandlerResult> {
  const { files, cache, picked: { path, stat, cached } } = source;
  if (cached !== null) return c.body(slice(cached, start, end), status);
  if (files.readBytes === undefined) return c.body(files.read(path, start, end), status);
  const keep = cache !== null && cache.wants(stat, Date.now());
  const [from, to] = keep ? [0, stat.size] : [start, end];
  // A file the cache keeps is read whole whatever its size (maxFileBytes bounds it); otherwise only a small body is.
  if (!keep && to - from > READ_AT_ONCE_LIMIT) return c.body(files.read(path, start, end), status);
  return files.readBytes(path, from, to).then((bytes) => {
    if (bytes.length !== to - from) {
      throw new Error(`serveStatic: ${path} has ${from + bytes.length} bytes, not the ${to} its stat announced`);
    }
    if (keep) cache.set(path, stat, bytes);
    return c.body(slice(bytes, start - from, end - from), status);
  });
}

function slice(bytes: Uint8Array, start: number, end: number): Uint8Array {
  return start === 0 && end === bytes.length ? bytes : bytes.subarray(start, end);
}

function emptyStream(): ReadableStream<Uint8Array> {
  return new ReadableStream({ start: (controller) => controller.close() });
}

/** Not served here: the next handler's turn when there is one, else 404 (or 405 with Allow). */
function miss(
  c: Context,
  next: (() => Promise<void>) | undefined,
  status: 404 | 405,
): HandlerResult | Promise<void> {
  if (next !== undefined) return next();
  if (status === 405) c.header("allow", "GET, HEAD");
  return c.text(statusText(status), status);
}

/** The root as a path: a `file:` URL's path, percent-decoded (RFC 8089). */
function rootOf(root: string | URL): string {
  if (root instanceof URL) {
    if (root.protocol !== "file:") throw new TypeError(`serveStatic: \`root\` must be a file: URL, not ${root.href}`);
    return decodeURIComponent(root.pathname);
  }
  if (typeof root !== "string" || root === "") throw new TypeError("serveStatic: `root` must name a directory");
  return root;
}

function trimSlash(prefix: string): string {
  return prefix.endsWith("/") ? prefix.slice(0, -1) : prefix;
}

/** `"GET /static/*"` → `"/static"`; a route without a final wildcard (or none) → `""`. */
function routePrefix(route: string): string {
  const space = route.indexOf(" ");
  const pattern = route.slice(space + 1);
  if (!pattern.endsWith("/*") || pattern.includes("/:")) return "";
  return pattern.slice(0, -2);
}
