/**
 * wirecore for Bun: `serve()`. The app API comes from `wirecore`, the socket-free core from
 * `wirecore/core`.
 * @module
 */
export { serve } from "./serve.ts";
/** The runtime's compressors (node:zlib), for `compress({ provider })` under `app.fetch`. */
export { zlibCompression } from "../zlib-compression.ts";
export { bunFiles } from "./files.ts";
export type { ServeOptions, Server } from "../../core/mod.ts";
