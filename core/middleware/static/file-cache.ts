/**
 * Small files kept in memory by `serveStatic`, each checked against the `stat` taken for every request: a hit skips
 * the containment check's `realPath` and the open, read and close, which are most of a small file's cost.
 * @module
 */
import type { FileStat } from "../../providers/file-provider.ts";

/** Bounds of the memory cache (`serveStatic({ memoryCache })`). */
export interface MemoryCacheOptions {
  /** Bytes of file content kept at most, over all files; the least recently served go first. Default 16 MiB. */
  maxBytes?: number;
  /** Files larger than this are never kept. Default 256 KiB. */
  maxFileBytes?: number;
}

interface CachedFile {
  readonly size: number;
  readonly mtimeMs: number;
  readonly bytes: Uint8Array;
}

/**
 * A file changed this recently is not kept: file systems stamp times with a coarse clock (a few milliseconds on
 * Linux, whole milliseconds in Deno's `stat`), so a second write of the same size within that tick would leave the
 * stamp as it was and the cache stale. A file left alone for 2 s has a stamp any later write must change (the "racily
 * clean" rule of git's index).
 */
const SETTLED_MS = 2000;

/**
 * Least recently used first (a Map keeps insertion order; a hit moves its entry to the end). An entry is served only
 * while the file's size and modification time are what they were when it was read, so the cache is exactly as fresh
 * as the ETag, which is built from the same two.
 */
export class FileCache {
  readonly #entries = new Map<string, CachedFile>();
  readonly #maxBytes: number;
  readonly #maxFileBytes: number;
  #bytes = 0;

  constructor(options: MemoryCacheOptions = {}) {
    this.#maxBytes = bound(options.maxBytes, 16 * 1024 * 1024, "maxBytes");
    this.#maxFileBytes = Math.min(bound(options.maxFileBytes, 256 * 1024, "maxFileBytes"), this.#maxBytes);
  }

  /** The bytes kept for `path` if the file is still the one read, else null (and a stale entry goes). */
  get(path: string, stat: FileStat): Uint8Array | null {
    const entry = this.#entries.get(path);
    if (entry === undefined) return null;
    this.#entries.delete(path);
    if (entry.size !== stat.size || entry.mtimeMs !== stat.mtimeMs) {
      this.#bytes -= entry.size;
      return null;
    }
    this.#entries.set(path, entry);
    return entry.bytes;
  }

  /** Whether a file of this stat would be kept once read. */
  wants(stat: FileStat, now: number): boolean {
    return stat.size <= this.#maxFileBytes && now - stat.mtimeMs >= SETTLED_MS;
  }

  /** Keep `bytes`, the whole file as `stat` described it; the least recently served make room. */
  set(path: string, stat: FileStat, bytes: Uint8Array): void {
    const old = this.#entries.get(path);
    if (old !== undefined) {
      this.#entries.delete(path);
      this.#bytes -= old.size;
    }
    this.#entries.set(path, { size: stat.size, mtimeMs: stat.mtimeMs, bytes });
    this.#bytes += stat.size;
    for (const [oldest, entry] of this.#entries) {
      if (this.#bytes <= this.#maxBytes) break;
      this.#entries.delete(oldest);
      this.#bytes -= entry.size;
    }
  }

  /** Bytes kept now. */
  get bytes(): number {
    return this.#bytes;
  }
}

function bound(value: number | undefined, fallback: number, name: string): number {
  if (value === undefined) return fallback;
  if (!Number.isSafeInteger(value) || value < 0) {
    throw new TypeError(`serveStatic: memoryCache.${name} must be a whole number of bytes ≥ 0`);
  }
  return value;
}
