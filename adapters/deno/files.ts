/**
 * Static-file access for Deno: `Deno.stat`, `Deno.realPath`, and `Deno.open` + `seek`, then
 * `FsFile.read` into a pull-based range stream (https://docs.deno.com/api/deno/~/Deno.FsFile), or into
 * one array for a small body read at once.
 * @module
 */
import type { FileProvider, FileStat } from "../../core/mod.ts";
import { type ChunkSource, rangedStream, readRange } from "../ranged-stream.ts";

async function openAt(path: string, start: number): Promise<ChunkSource> {
  const file = await Deno.open(path, { read: true });
  try {
    if (start > 0) await file.seek(start, Deno.SeekMode.Start);
  } catch (error) {
    file.close();
    throw error;
  }
  // FsFile reads forward from the seek: the positions rangedStream passes follow on.
  return { read: async (buffer) => (await file.read(buffer)) ?? 0, close: () => file.close() };
}

/** Deno's file provider: pass as `ServeOptions.files` (the Deno `serve()` does by default). */
export const denoFiles: FileProvider = {
  async stat(path: string): Promise<FileStat | null> {
    try {
      const s = await Deno.stat(path);
      return { size: s.size, mtimeMs: s.mtime?.getTime() ?? 0, isFile: s.isFile, isDirectory: s.isDirectory };
    } catch {
      return null;
    }
  },
  realPath: (path: string): Promise<string> => Deno.realPath(path),
  read: (path: string, start: number, end: number): ReadableStream<Uint8Array> =>
    rangedStream((at) => openAt(path, at), start, end),
  readBytes: (path: string, start: number, end: number): Promise<Uint8Array> =>
    readRange((at) => openAt(path, at), start, end),
};
