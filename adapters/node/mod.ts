/**
 * wirecore for Node.js: `serve()`, and its profiler provider (for `profiler({ provider })` under
 * `app.fetch`). The app API comes from `wirecore`, the socket-free core from `wirecore/core`.
 * @module
 */
export { serve } from "./serve.ts";
/** The runtime's compressors (node:zlib), for `compress({ provider })` under `app.fetch`. */
export { zlibCompression } from "../zlib-compression.ts";
export { nodeFiles } from "./files.ts";
/** The runtime's profiler, for `profiler({ provider })` under `app.fetch`. */
export { nodeProfiler } from "./profiler.ts";
export type { ServeOptions, Server } from "../../core/mod.ts";
export { workerIndex } from "../workers.ts";
