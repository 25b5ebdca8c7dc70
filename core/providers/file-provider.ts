/**
 * What core asks of a runtime's file system, for static files: each adapter fills it in with its
 * runtime's own file API and passes it to the app as `ServeOptions.files`. Paths are absolute,
 * already resolved and checked by the caller; the provider only reads.
 * @module
 */

/** What `stat` tells about a path. */
export interface FileStat {
  /** Size in bytes. */
  readonly size: number;
  /** Last modification, ms since the epoch. */
  readonly mtimeMs: number;
  readonly isFile: boolean;
  readonly isDirectory: boolean;
}

/** A runtime's read-only file access. */
export interface FileProvider {
  /** The file's metadata, following symlinks; `null` when it does not exist. */
  stat(path: string): Promise<FileStat | null>;
  /** The canonical path with every symlink resolved (for the containment check). */
  realPath(path: string): Promise<string>;
  /**
   * The bytes `[start, end)` of the file as a stream that reads from disk only as fast as it is
   * consumed (backpressure), and closes the file when done or cancelled.
   */
  read(path: string, start: number, end: number): ReadableStream<Uint8Array>;
  /**
   * The bytes `[start, end)` of the file read at once into one array — fewer when the file ends sooner. serveStatic
   * calls it for bodies of up to {@link READ_AT_ONCE_LIMIT} bytes instead of `read` (a stream would hold as much, its
   * first chunk, and cost a stream, its reader and a promise per chunk on every response), and for a whole file its
   * memory cache keeps. Optional: a provider without it streams every body and is never cached.
   */
  readBytes?(path: string, start: number, end: number): Promise<Uint8Array>;
}

/**
 * The largest body serveStatic reads at once with {@link FileProvider.readBytes}: the adapters' stream chunk
 * (adapters/ranged-stream.ts), so a body read at once never holds more memory than its stream would.
 */
export const READ_AT_ONCE_LIMIT: number = 256 * 1024;
