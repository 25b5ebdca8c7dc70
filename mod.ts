/**
 * wirecore: a strict, fast HTTP server core that runs unchanged on Node, Bun and Deno.
 *
 * This entry holds what an application needs: {@link App} and its {@link Context}, errors, the
 * fetch-style helpers and the option types. `serve` comes from the runtime's entry
 * (`wirecore/node`, `wirecore/bun`, `wirecore/deno`); the protocol core for your own transport
 * from `wirecore/core`.
 *
 * @example
 * ```ts
 * import { App } from "wirecore";
 * import { serve } from "wirecore/node"; // or "wirecore/bun", "wirecore/deno"
 *
 * const app = new App();
 * app.get("/", (c) => c.text("Hello, World!"));
 * await serve(app, { port: 3000 }).ready;
 * ```
 * @module
 */
export {
  App,
  type ErrorHandler,
  type Handler,
  type HandlerResult,
  type Middleware,
  type RouteMethod,
  type RouteOptions,
} from "./core/app/app.ts";
export type { Params, Validated } from "./core/app/params.ts";
export type { PathParams } from "./core/router/path-params.ts";
export type { HostInfo } from "./core/app/host-info.ts";
export { Context, type Reply, type ResponseBody } from "./core/app/context.ts";
export { WireRequest } from "./core/app/request.ts";
export type { SseCallback, SseEvent, SseOptions, SseStream } from "./core/app/sse.ts";
export { rateLimit, type RateLimitOptions } from "./core/middleware/rate-limit/rate-limit.ts";
export { MemoryStore, type MemoryStoreOptions } from "./core/middleware/rate-limit/memory-store.ts";
export type { RateLimitPolicy, RateLimitResult, RateLimitStore } from "./core/middleware/rate-limit/store.ts";
export { type BucketState, takeToken } from "./core/middleware/rate-limit/token-bucket.ts";
export type { ServeTarget } from "./core/app/serve-target.ts";
export { HttpError } from "./core/http/http-error.ts";
export type { FetchHandler } from "./core/fetch/fetch-dispatcher.ts";
export type { BunUpgradeOptions, FetchInfo, IncomingLike, NetAddr, SocketAddress } from "./core/fetch/fetch-info.ts";
export { upgradeWebSocket } from "./core/fetch/upgrade-websocket.ts";
export type {
  HonoContextLike,
  HonoMiddleware,
  WSContext,
  WSEvents,
  WSMessageReceive,
} from "./core/fetch/hono-websocket.ts";
export type { ServeOptions, TlsOptions } from "./core/server/options.ts";
export type { Server, ServerAddress } from "./core/server/server.ts";
export { ServeError, type ServeErrorCode } from "./core/server/serve-error.ts";
export type { BodyStream, TrailerSource } from "./core/exchange/exchange.ts";
export type { Http2Limits } from "./core/session/http2/limits.ts";
export { ServerWebSocket } from "./core/session/ws/server-websocket.ts";
export type { WebSocketHandlers, WebSocketOptions } from "./core/session/ws/websocket-options.ts";
export {
  type Backplane,
  BackplaneError,
  type BackplaneMessage,
  type BackplaneReceiver,
} from "./core/session/ws/backplane.ts";
export type { UpgradeOptions } from "./core/session/ws/accept.ts";
export type { PerMessageDeflateOptions } from "./core/ws/permessage-deflate.ts";
export type { FileProvider, FileStat } from "./core/providers/file-provider.ts";
export type { CompressionProvider, ContentCoding } from "./core/providers/compression-provider.ts";
export type { RuntimeServices } from "./core/providers/runtime-services.ts";
export {
  type TargetInput,
  type ValidationFailure,
  type ValidationHook,
  type ValidationIssue,
  type ValidationTarget,
  validator,
  type ValidatorFunction,
  type ValidatorOutput,
} from "./core/middleware/validator/validator.ts";
export type {
  StandardSchemaIssue,
  StandardSchemaOutput,
  StandardSchemaV1,
} from "./core/middleware/validator/standard-schema.ts";
export { type CookieRecord, parseCookies } from "./core/cookie/parse-cookie.ts";
export {
  type CookieOptions,
  type SameSite,
  serializeCookie,
  serializeCookieDeletion,
} from "./core/cookie/serialize-cookie.ts";
export { type CookieKeys, signCookieValue, verifyCookieValue } from "./core/cookie/sign-cookie.ts";
export { getSession, session, type SessionOptions } from "./core/middleware/session/session-middleware.ts";
export { Session } from "./core/middleware/session/session.ts";
export type { SessionData, SessionStore } from "./core/middleware/session/session-store.ts";
export { MemorySessionStore, type MemorySessionStoreOptions } from "./core/middleware/session/memory-store.ts";
export { cors, type CorsOptions, type CorsOrigin } from "./core/middleware/cors/cors.ts";
export { compress, type CompressOptions } from "./core/middleware/compress/compress.ts";
export { isCompressible } from "./core/middleware/compress/compressible.ts";
export { serveStatic, type ServeStaticOptions, type StaticHandler } from "./core/middleware/static/serve-static.ts";
export type { MemoryCacheOptions } from "./core/middleware/static/file-cache.ts";
export type { FormDataOptions } from "./core/app/form-data.ts";
export type { FormPart } from "./core/app/multipart-reader.ts";
export { DEFAULT_MULTIPART_LIMITS, type MultipartLimits } from "./core/multipart/limits.ts";
export { type MultipartHandler, MultipartParser } from "./core/multipart/parser.ts";
export { multipartBoundary } from "./core/multipart/boundary.ts";
export type { PartHead } from "./core/multipart/part-headers.ts";
export { isValidRequestId, requestId, type RequestIdOptions } from "./core/middleware/request-id/request-id.ts";
export { accessLog, type AccessLogEntry, type AccessLogOptions } from "./core/middleware/access-log/access-log.ts";
export { metrics, metricsHandler, type MetricsOptions } from "./core/middleware/metrics/metrics.ts";
export { DEFAULT_BUCKETS, HttpMetrics, PROMETHEUS_CONTENT_TYPE } from "./core/middleware/metrics/http-metrics.ts";
export { health, type HealthOptions } from "./core/middleware/health/health.ts";
export type { ConnectionCounts, ConnectionKind, ServerStats, ServerView } from "./core/exchange/server-view.ts";
export type { ErrorInfo, ErrorReporter } from "./core/server/error-report.ts";
export type { CpuProfile, CpuProfileNode, ProfilerProvider } from "./core/providers/profiler-provider.ts";
export { profiler, type ProfilerOptions } from "./core/middleware/profiler/profiler.ts";
