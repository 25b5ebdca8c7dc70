/**
 * The request metrics of one app, and their rendering in the Prometheus text exposition format
 * 0.0.4 (https://prometheus.io/docs/instrumenting/exposition_formats/) together with the server's
 * connection, WebSocket and HTTP/2 stream counts.
 * @module
 */
import type { Exchange } from "../../exchange/exchange.ts";
import type { ServerStats } from "../../exchange/server-view.ts";

/** The `Content-Type` of the text format 0.0.4. */
export const PROMETHEUS_CONTENT_TYPE = "text/plain; version=0.0.4; charset=utf-8";

/** Latency bucket bounds in seconds: 0.5 ms to 10 s, roughly ×2–2.5 apart. */
export const DEFAULT_BUCKETS: readonly number[] = [
  0.0005,
  0.001,
  0.0025,
  0.005,
  0.01,
  0.025,
  0.05,
  0.1,
  0.25,
  0.5,
  1,
  2.5,
  5,
  10,
];

/** Methods counted under their own name; any other token counts as `OTHER`, so a client cannot grow the label set. */
const KNOWN_METHODS = new Set(["GET", "HEAD", "POST", "PUT", "DELETE", "PATCH", "OPTIONS", "CONNECT", "TRACE"]);

interface RequestSeries {
  readonly method: string;
  readonly status: number;
  readonly protocol: string;
  count: number;
}

/**
 * Counters of the requests an app served: by method, status and protocol, a latency histogram,
 * request and response body octets, and requests cut short. Fed by the `metrics()` middleware,
 * rendered by {@link HttpMetrics.render}.
 */
export class HttpMetrics {
  readonly #buckets: readonly number[];
  readonly #bucketCounts: number[];
  #durationSum = 0;
  #durationCount = 0;
  readonly #requests = new Map<string, RequestSeries>();
  #bytesIn = 0;
  #bytesOut = 0;
  #aborted = 0;

  /** `buckets`: the latency histogram's upper bounds in seconds, ascending (default {@link DEFAULT_BUCKETS}). */
  constructor(buckets: readonly number[] = DEFAULT_BUCKETS) {
    for (let i = 0; i < buckets.length; i++) {
      if (!Number.isFinite(buckets[i]!) || (i > 0 && buckets[i]! <= buckets[i - 1]!)) {
        throw new RangeError("HttpMetrics: buckets must be finite and strictly ascending");
      }
    }
    this.#buckets = [...buckets];
    this.#bucketCounts = new Array<number>(buckets.length).fill(0);
  }

  /** Count one finished exchange that took `seconds`. */
  record(exchange: Exchange, seconds: number, aborted: boolean): void {
    const rawMethod = exchange.head.method;
    const method = KNOWN_METHODS.has(rawMethod) ? rawMethod : "OTHER";
    const status = exchange.status;
    const protocol = exchange.protocol;
    const key = method + " " + status + " " + protocol;
    const series = this.#requests.get(key);
    if (series === undefined) this.#requests.set(key, { method, status, protocol, count: 1 });
    else series.count++;
    const buckets = this.#buckets;
    for (let i = 0; i < buckets.length; i++) {
      if (seconds <= buckets[i]!) {
        this.#bucketCounts[i]!++;
        break;
      }
    }
    this.#durationSum += seconds;
    this.#durationCount++;
    this.#bytesIn += exchange.body?.received ?? 0;
    this.#bytesOut += exchange.bytesOut;
    if (aborted) this.#aborted++;
  }

  /** The metrics as Prometheus text (format 0.0.4); with the server's counts when `server` is given. */
  render(server: ServerStats | null): string {
    const out: string[] = [];
    const head = (name: string, type: string, help: string): void => {
      out.push(`# HELP ${name} ${help}`, `# TYPE ${name} ${type}`);
    };
    head("wirecore_http_requests_total", "counter", "HTTP requests served, by method, status and protocol.");
    const series = [...this.#requests.values()].sort((a, b) =>
      a.method < b.method ? -1 : a.method > b.method ? 1 : a.status - b.status || (a.protocol < b.protocol ? -1 : 1)
    );
    for (const s of series) {
      out.push(
        `wirecore_http_requests_total{method="${label(s.method)}",status="${s.status}",protocol="${
          label(s.protocol)
        }"} ${s.count}`,
      );
    }
    head(
      "wirecore_http_request_duration_seconds",
      "histogram",
      "Time from the middleware's start to the end of the response.",
    );
    let cumulative = 0;
    for (let i = 0; i < this.#buckets.length; i++) {
      cumulative += this.#bucketCounts[i]!;
      out.push(`wirecore_http_request_duration_seconds_bucket{le="${number(this.#buckets[i]!)}"} ${cumulative}`);
    }
    out.push(`wirecore_http_request_duration_seconds_bucket{le="+Inf"} ${this.#durationCount}`);
    out.push(`wirecore_http_request_duration_seconds_sum ${number(this.#durationSum)}`);
    out.push(`wirecore_http_request_duration_seconds_count ${this.#durationCount}`);
    head("wirecore_http_request_body_bytes_total", "counter", "Request body octets received.");
    out.push(`wirecore_http_request_body_bytes_total ${this.#bytesIn}`);
    head("wirecore_http_response_body_bytes_total", "counter", "Response body octets sent.");
    out.push(`wirecore_http_response_body_bytes_total ${this.#bytesOut}`);
    head("wirecore_http_requests_aborted_total", "counter", "Requests cut short before the response was complete.");
    out.push(`wirecore_http_requests_aborted_total ${this.#aborted}`);
    if (server !== null) renderServer(out, head, server);
    return out.join("\n") + "\n";
  }
}

function renderServer(
  out: string[],
  head: (name: string, type: string, help: string) => void,
  server: ServerStats,
): void {
  head("wirecore_connections_open", "gauge", "Connections open now, by protocol.");
  for (const [kind, n] of Object.entries(server.open)) out.push(`wirecore_connections_open{protocol="${kind}"} ${n}`);
  head("wirecore_connections_opened_total", "counter", "Connections that started speaking each protocol.");
  for (const [kind, n] of Object.entries(server.opened)) {
    out.push(`wirecore_connections_opened_total{protocol="${kind}"} ${n}`);
  }
  head("wirecore_connections_accepted_total", "counter", "Sockets accepted.");
  out.push(`wirecore_connections_accepted_total ${server.accepted}`);
  head("wirecore_connections_refused_total", "counter", "Sockets refused past maxConnections or maxConnectionsPerIp.");
  out.push(`wirecore_connections_refused_total ${server.refused}`);
  head("wirecore_websocket_sessions_open", "gauge", "WebSocket sessions open now.");
  out.push(`wirecore_websocket_sessions_open ${server.open.websocket}`);
  head("wirecore_http2_streams_open", "gauge", "HTTP/2 streams open now.");
  out.push(`wirecore_http2_streams_open ${server.streamsOpen}`);
  head("wirecore_http2_streams_opened_total", "counter", "HTTP/2 streams opened.");
  out.push(`wirecore_http2_streams_opened_total ${server.streamsOpened}`);
  head("wirecore_server_draining", "gauge", "1 while the server shuts down.");
  out.push(`wirecore_server_draining ${server.draining ? 1 : 0}`);
}

/** A label value with `\`, `"` and line feeds escaped (text format 0.0.4). */
function label(value: string): string {
  return value.replace(/[\\"\n]/g, (ch) => (ch === "\n" ? "\\n" : "\\" + ch));
}

/** A sample value: Go's float formatting accepts what `String()` makes of a finite number. */
function number(value: number): string {
  return Number.isFinite(value) ? String(value) : value > 0 ? "+Inf" : value < 0 ? "-Inf" : "NaN";
}
