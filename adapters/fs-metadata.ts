/**
 * File metadata over `node:fs/promises` (https://nodejs.org/api/fs.html#promises-api), which Node
 * and Bun both implement natively: the `stat` and `realPath` halves of their file providers.
 * @module
 */
import { realpath, stat } from "node:fs/promises";
import type { FileProvider, FileStat } from "../core/mod.ts";

/** `stat` of a {@link FileProvider}: the path's metadata, following symlinks; `null` when it does not exist. */
export async function statFile(path: string): Promise<FileStat | null> {
  try {
    const s = await stat(path);
    return { size: s.size, mtimeMs: s.mtimeMs, isFile: s.isFile(), isDirectory: s.isDirectory() };
  } catch {
    return null;
  }
}

/** `realPath` of a {@link FileProvider}. */
export const realPath: FileProvider["realPath"] = (path) => realpath(path);
