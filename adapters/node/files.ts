/**
 * Static-file access for Node over `node:fs/promises` (https://nodejs.org/api/fs.html#promises-api):
 * `stat`, `realpath`, a pull-based range stream over `FileHandle.read` at explicit positions, and one
 * `FileHandle.read` for a small body read at once.
 * Chosen over `fs.createReadStream` + `Readable.toWeb`: one fewer stream layer, and a read only
 * when the response asks for a chunk (bench/README.md "static-file" has the micro-check).
 * @module
 */
import { open } from "node:fs/promises";
import type { FileProvider } from "../../core/mod.ts";
import { realPath, statFile } from "../fs-metadata.ts";
import { type ChunkSource, rangedStream, readRange } from "../ranged-stream.ts";

async function openAt(path: string): Promise<ChunkSource> {
  const handle = await open(path, "r");
  return {
    read: async (buffer, position) => (await handle.read(buffer, 0, buffer.length, position)).bytesRead,
    close: () => handle.close(),
  };
}

/** Node's file provider: pass as `ServeOptions.files` (the Node `serve()` does by default). */
export const nodeFiles: FileProvider = {
  stat: statFile,
  realPath,
  read: (path: string, start: number, end: number): ReadableStream<Uint8Array> =>
    rangedStream(() => openAt(path), start, end),
  readBytes: (path: string, start: number, end: number): Promise<Uint8Array> =>
    readRange(() => openAt(path), start, end),
};
