/**
 * wirecore for Deno: `serve()` plus the core API.
 * @module
 */
export { serve } from "./serve.ts";
export * from "../../core/mod.ts";
