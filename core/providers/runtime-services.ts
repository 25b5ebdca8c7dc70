import type { CompressionProvider } from "./compression-provider.ts";
import type { FileProvider } from "./file-provider.ts";
import type { ProfilerProvider } from "./profiler-provider.ts";

/**
 * What a runtime lends the app beyond sockets: filled in by each adapter's `serve()` from
 * `ServeOptions`, read by middleware as `c.services`. Absent under `app.fetch` unless given.
 */
export interface RuntimeServices {
  readonly files?: FileProvider | undefined;
  readonly compression?: CompressionProvider | undefined;
  readonly profiler?: ProfilerProvider | undefined;
}
