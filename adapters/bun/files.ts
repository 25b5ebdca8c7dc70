/**
 * Static-file access for Bun: `Bun.file(path).slice(start, end).stream()`
 * (https://bun.sh/docs/api/file-io#reading-files-bun-file), Bun's native lazy file stream, which
 * reads as the response consumes it; metadata through `node:fs/promises`, which Bun implements
 * natively (https://bun.sh/docs/runtime/nodejs-apis).
 * @module
 */
import { realpath, stat } from "node:fs/promises";
import type { FileProvider, FileStat } from "../../core/mod.ts";

/** Bun's file provider: pass as `ServeOptions.files` (the Bun `serve()` does by default). */
export const bunFiles: FileProvider = {
  async stat(path: string): Promise<FileStat | null> {
    try {
      const s = await stat(path);
      return { size: s.size, mtimeMs: s.mtimeMs, isFile: s.isFile(), isDirectory: s.isDirectory() };
    } catch {
      return null;
    }
  },
  realPath: (path: string): Promise<string> => realpath(path),
  read: (path: string, start: number, end: number): ReadableStream<Uint8Array> =>
    Bun.file(path).slice(start, end).stream() as ReadableStream<Uint8Array>,
};
