/**
 * `metrics()`: Prometheus metrics of the requests an app serves and of the server's connections,
 * served at `/metrics` in the text format 0.0.4.
 * @module
 */
import type { Handler, Middleware } from "../../app/handler.ts";
import { HttpMetrics, PROMETHEUS_CONTENT_TYPE } from "./http-metrics.ts";

/** Options of {@link metrics}. */
export interface MetricsOptions {
  /** Where the metrics are served (GET and HEAD); null: nowhere (serve them with {@link metricsHandler}). Default `/metrics`. */
  path?: string | null | undefined;
  /** The counters to feed (default: a new one); pass your own to serve it elsewhere with {@link metricsHandler}. */
  registry?: HttpMetrics | undefined;
}

/**
 * Count every request that passes (by method, status and protocol; latency; body octets) once
 * its response is complete, and serve the counts with the server's open connections, WebSocket
 * sessions and HTTP/2 streams at `path`. It answers `path` itself, so middleware registered after it
 * (an access log, a request id) do not see the scrapes: register those first.
 *
 * @example
 * ```ts
 * const app = new App();
 * app.use(metrics()); // GET /metrics
 * ```
 */
export function metrics(options: MetricsOptions = {}): Middleware {
  const registry = options.registry ?? new HttpMetrics();
  const path = options.path === undefined ? "/metrics" : options.path;
  const serve = metricsHandler(registry);
  return (c, next) => {
    const started = performance.now();
    const exchange = c.exchange;
    exchange.onSettled((aborted) => registry.record(exchange, (performance.now() - started) / 1000, aborted));
    if (path !== null && c.req.path === path && (c.req.method === "GET" || c.req.method === "HEAD")) return serve(c);
    return next();
  };
}

/**
 * A handler answering with `registry`'s metrics and the server's counts (none under `app.fetch`,
 * which has no server of ours), for `app.get("/metrics", metricsHandler(registry))`.
 */
export function metricsHandler(registry: HttpMetrics): Handler {
  return (c) => {
    c.header("content-type", PROMETHEUS_CONTENT_TYPE);
    c.header("cache-control", "no-store");
    return c.body(registry.render(c.server?.stats() ?? null));
  };
}
