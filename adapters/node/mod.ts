/**
 * wirecore for Node.js: `serve()`. The app API comes from `wirecore`, the socket-free core from
 * `wirecore/core`.
 * @module
 */
export { serve } from "./serve.ts";
export { nodeFiles } from "./files.ts";
export type { ServeOptions, Server } from "../../core/mod.ts";
