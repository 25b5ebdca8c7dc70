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
}
