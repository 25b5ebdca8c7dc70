import { DEFAULT_PARSER_LIMITS, type ParserLimits } from "../http/request-head.ts";
import { type Http2Limits, resolveHttp2Limits } from "../session/http2/limits.ts";
import type { SessionOptions } from "../session/session-options.ts";
import type { DeflateProvider } from "../ws/deflate-provider.ts";
import type { WebSocketOptions } from "../session/ws/websocket-options.ts";
import type { FileProvider } from "../providers/file-provider.ts";
import type { CompressionProvider } from "../providers/compression-provider.ts";
import type { ProfilerProvider } from "../providers/profiler-provider.ts";
import type { RuntimeServices } from "../providers/runtime-services.ts";
import { defaultOnError, type ErrorReporter } from "./error-report.ts";
import type { Backplane, BackplaneError } from "../session/ws/backplane.ts";
import { type FloodPenaltyOptions, type ResolvedFloodPenalty, resolveFloodPenalty } from "./flood-penalty.ts";

/** The listen queue's default depth (see `ServeOptions.backlog`). */
const DEFAULT_BACKLOG = 4096;

/** Server options shared by every adapter. */
export interface ServeOptions extends Partial<ParserLimits> {
  /** TCP port; 0 picks a free one. Default 3000. */
  port?: number | undefined;
  /** Interface to bind. Default `0.0.0.0`. */
  hostname?: string | undefined;
  /**
   * Serve from this many processes, each running the same entry and listening on the same port with
   * `SO_REUSEPORT`; `"auto"`: one per available core. The calling process becomes the primary: it starts and
   * supervises the workers and serves nothing itself (docs/workers.md). Linux only. Default: one process, no workers.
   */
  workers?: number | "auto" | undefined;
  /** Set `SO_REUSEPORT` on the listening socket (Linux): other processes may listen on the same port. */
  reusePort?: boolean | undefined;
  /**
   * How many connections the kernel queues before they are accepted (`listen(2)`'s backlog, capped by
   * `net.core.somaxconn`). Default 4 096: with Node's and Deno's own 511, a burst of 1 024 connects lost ~500
   * handshakes and those clients waited 1 s and 3 s to retry. The Bun adapter's listener keeps Bun's own (512).
   */
  backlog?: number | undefined;
  /** Aborting it shuts the server down gracefully. */
  signal?: AbortSignal | undefined;
  /**
   * How long a graceful shutdown waits for in-flight requests, WebSocket closing handshakes and
   * HTTP/2 streams before it closes every connection. Default 10 000 ms.
   */
  shutdownTimeout?: number | undefined;
  /** Default cap for the buffered body helpers (`text()`, `json()`, `bytes()`). Default 1 MiB. */
  bodyLimit?: number | undefined;
  /** Idle keep-alive connections are closed after this many ms. Default 5 000. */
  keepAliveTimeout?: number | undefined;
  /** A request head must arrive within this many ms of its first byte (408 otherwise). Default 60 000. */
  headersTimeout?: number | undefined;
  /** A whole request (head and body) must arrive within this many ms. Default 300 000. */
  requestTimeout?: number | undefined;
  /**
   * Open connections beyond which a new one is answered `503` with `Retry-After` (HTTP/2: GOAWAY)
   * and closed, so a flood of sockets cannot take all memory and file descriptors. Default 100 000.
   */
  maxConnections?: number | undefined;
  /** Open connections per client IP address, answered like `maxConnections` beyond it. Default unlimited. */
  maxConnectionsPerIp?: number | undefined;
  /**
   * An address whose HTTP/2 connections are cut for flooding (GOAWAY ENHANCE_YOUR_CALM: HPACK
   * bombs, Rapid Reset, control-frame floods) 3 times within 10 s has its new connections refused
   * for 10 s — `429` with `Retry-After`, or GOAWAY ENHANCE_YOUR_CALM — twice as long each time it
   * comes back to it (at most 160 s); its open connections go on. IPv6 addresses count by their
   * /64. Each worker process keeps its own. `false` turns it off. See `FloodPenaltyOptions`.
   */
  floodPenalty?: FloodPenaltyOptions | false | undefined;
  /**
   * An HTTP/1.1 connection whose client reads nothing of the responses for this many ms (the
   * socket stays above its high-water mark) is closed: a slow reader cannot hold a connection,
   * and what is queued for it, forever. HTTP/2 has `http2.stallTimeout`. Default 30 000.
   */
  writeTimeout?: number | undefined;
  /**
   * Bytes per second a request body must average over each 10 s while the app reads it (HTTP/1.1);
   * a slower one gets 408 and a close. `requestTimeout` alone lets a body trickled at one byte
   * every few seconds live for days. Not counted while the server itself stops reading (the app
   * is behind, or a `100 Continue` is not sent yet). 0 turns it off. Default 1 024.
   */
  minBodyRate?: number | undefined;
  /**
   * Called once with each error thrown by a handler (default: one console.error line); `info`
   * names its request — method, path and the request id of the `requestId()` middleware.
   */
  onError?: ErrorReporter | undefined;
  /** Called once the server listens. */
  onListen?: ((address: { hostname: string; port: number }) => void) | undefined;
  /**
   * HTTP/2 limits: concurrent streams, header list size, flow-control windows, flood budgets,
   * stall and SETTINGS timeouts. Each field is optional; see `Http2Limits` (core/session/http2/limits.ts)
   * for what each bounds and its default.
   */
  http2?: Partial<Http2Limits> | undefined;
  /** Serve TLS (https, wss, h2 via ALPN) with this PEM certificate chain and key. */
  tls?: TlsOptions | undefined;
  /** WebSocket settings and default handlers (Bun style). */
  // deno-lint-ignore no-explicit-any
  websocket?: WebSocketOptions<any> | undefined;
  /** zlib for permessage-deflate; each adapter supplies its runtime's zlib. */
  deflateProvider?: DeflateProvider | undefined;
  /** File access for static files; each adapter supplies its runtime's. */
  files?: FileProvider | undefined;
  /** Compressors beyond `CompressionStream` (brotli, zstd); each adapter supplies its runtime's. */
  compression?: CompressionProvider | undefined;
  /** CPU profiles and heap snapshots for the `profiler()` middleware; each adapter supplies its runtime's. */
  profiler?: ProfilerProvider | undefined;
  /**
   * Carries WebSocket pub/sub to the servers of other processes (wirecore/redis `RedisBackplane`;
   * docs/pubsub.md). One backplane per server.
   */
  backplane?: Backplane | undefined;
  /**
   * Called for each backplane call that failed: a publish that reached no other process (the
   * error carries the topic and message), or a topic (un)subscribe. Default: `onError`.
   */
  onBackplaneError?: ((error: BackplaneError) => void) | undefined;
}

/** A certificate and its private key, PEM-encoded. */
export interface TlsOptions {
  cert: string;
  key: string;
}

/** Options with every default filled in. */
export interface ResolvedOptions extends SessionOptions {
  port: number;
  hostname: string;
  onListen?: ((address: { hostname: string; port: number }) => void) | undefined;
  backlog: number;
  maxConnections: number;
  maxConnectionsPerIp: number;
  /** Null when turned off. */
  floodPenalty: ResolvedFloodPenalty | null;
  shutdownTimeout: number;
  /** What the runtime lends the app (files, compressors). */
  services: RuntimeServices;
}

/** Fill in the defaults. */
export function resolveOptions(options: ServeOptions = {}): ResolvedOptions {
  return {
    port: options.port ?? 3000,
    hostname: options.hostname ?? "0.0.0.0",
    maxRequestLineSize: options.maxRequestLineSize ?? DEFAULT_PARSER_LIMITS.maxRequestLineSize,
    maxHeaderSize: options.maxHeaderSize ?? DEFAULT_PARSER_LIMITS.maxHeaderSize,
    maxHeaders: options.maxHeaders ?? DEFAULT_PARSER_LIMITS.maxHeaders,
    maxBodySize: options.maxBodySize ?? DEFAULT_PARSER_LIMITS.maxBodySize,
    bodyLimit: options.bodyLimit ?? 1024 * 1024,
    keepAliveTimeout: options.keepAliveTimeout ?? 5_000,
    headersTimeout: options.headersTimeout ?? 60_000,
    requestTimeout: options.requestTimeout ?? 300_000,
    minBodyRate: options.minBodyRate ?? 1024,
    writeTimeout: options.writeTimeout ?? 30_000,
    onError: options.onError ?? defaultOnError,
    onListen: options.onListen,
    backlog: options.backlog ?? DEFAULT_BACKLOG,
    maxConnections: options.maxConnections ?? 100_000,
    maxConnectionsPerIp: options.maxConnectionsPerIp ?? Number.POSITIVE_INFINITY,
    floodPenalty: resolveFloodPenalty(options.floodPenalty),
    shutdownTimeout: options.shutdownTimeout ?? 10_000,
    http2: resolveHttp2Limits(options.http2),
    services: { files: options.files, compression: options.compression, profiler: options.profiler },
  };
}
