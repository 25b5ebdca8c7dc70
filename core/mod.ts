/**
 * wirecore/core — the protocol core without a socket, for people who write their own transport.
 * Feed it the bytes of a connection and it answers with bytes: an adapter calls
 * {@link ServerCore.accept} per socket and passes that socket's events to the handler it gets.
 * The runtime adapters (`wirecore/node`, `wirecore/bun`, `wirecore/deno`) are built on this and
 * nothing else.
 *
 * @example
 * ```ts
 * import { App } from "wirecore";
 * import { createServerCore, type Transport } from "wirecore/core";
 *
 * const app = new App().get("/", (c) => c.text("Hello"));
 * const core = createServerCore(app);
 * const out: Uint8Array[] = [];
 * const transport: Transport = {
 *   write: (bytes) => (out.push(bytes.slice()), true),
 *   end() {}, close() {}, pause() {}, resume() {},
 *   info: { remoteAddress: "127.0.0.1", remotePort: 50000, tls: false },
 * };
 * const connection = core.accept(transport);
 * connection.data(new TextEncoder().encode("GET / HTTP/1.1\r\nHost: x\r\n\r\n"));
 * ```
 * @module
 */
export { createServerCore, type ServeTarget, toDispatcher } from "./app/serve-target.ts";
export { ServerCore } from "./server/server-core.ts";
export { type Listener, Server, type ServerAddress } from "./server/server.ts";
export {
  checkListenTarget,
  errnoCode,
  type ListenTarget,
  ServeError,
  type ServeErrorCode,
} from "./server/serve-error.ts";
export type { ResolvedOptions, ServeOptions, TlsOptions } from "./server/options.ts";
export type { ConnectionHandler, Transport, TransportInfo } from "./transport/transport.ts";
export { releaseWrite } from "./session/write-batch.ts";
export type { Dispatcher, Exchange } from "./exchange/exchange.ts";
export type { DeflateProvider, RawDeflater, RawInflater } from "./ws/deflate-provider.ts";
export { type FileProvider, type FileStat, READ_AT_ONCE_LIMIT } from "./providers/file-provider.ts";
export type { CompressionProvider, ContentCoding } from "./providers/compression-provider.ts";
export type { RuntimeServices } from "./providers/runtime-services.ts";
export type { SettledListener } from "./exchange/exchange-record.ts";
export type { ConnectionCounts, ConnectionKind, ServerStats, ServerView } from "./exchange/server-view.ts";
export type { CpuProfile, CpuProfileNode, ProfilerProvider } from "./providers/profiler-provider.ts";
export {
  type Backplane,
  BackplaneError,
  type BackplaneMessage,
  type BackplaneReceiver,
} from "./session/ws/backplane.ts";
