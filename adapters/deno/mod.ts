/**
 * wirecore for Deno: `serve()`. The app API comes from `wirecore`, the socket-free core from
 * `wirecore/core`.
 * @module
 */
export { serve } from "./serve.ts";
export { denoFiles } from "./files.ts";
export type { ServeOptions, Server } from "../../core/mod.ts";
