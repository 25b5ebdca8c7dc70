/**
 * Static-file access for Bun: `Bun.file(path).slice(start, end).stream()`
 * (https://bun.sh/docs/api/file-io#reading-files-bun-file), Bun's native lazy file stream, which
 * reads as the response consumes it, and `.bytes()` of the same slice for small bodies read at once;
 * metadata through `node:fs/promises`, which Bun implements natively
 * (https://bun.sh/docs/runtime/nodejs-apis).
 * @module
 */
import type { FileProvider } from "../../core/mod.ts";
import { realPath, statFile } from "../fs-metadata.ts";

/** Bun's file provider: pass as `ServeOptions.files` (the Bun `serve()` does by default). */
export const bunFiles: FileProvider = {
  stat: statFile,
  realPath,
  read: (path: string, start: number, end: number): ReadableStream<Uint8Array> =>
    Bun.file(path).slice(start, end).stream() as ReadableStream<Uint8Array>,
  readBytes: (path: string, start: number, end: number): Promise<Uint8Array> =>
    Bun.file(path).slice(start, end).bytes(),
};
