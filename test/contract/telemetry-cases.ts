/**
 * Request id, access log, metrics and health on a real server, over HTTP/1.1, h2c and h2 (TLS),
 * on every runtime. Metrics are read with an independent Prometheus text parser
 * (test/support/prometheus.ts); each case that counts starts its own server, so the counts it
 * asserts are exact.
 */
import assert from "node:assert/strict";
import type { ServeOptions } from "../../core/server/options.ts";
import type { ErrorInfo } from "../../core/server/error-report.ts";
import { isValidRequestId } from "../../mod.ts";
import { parsePrometheus, sampleValue } from "../support/prometheus.ts";
import { RawClient, type Runtime, start, type TestApi, waitFor } from "./harness.ts";
import type { AccessLogEntry } from "../../mod.ts";
import { PROTOCOLS, type ProtocolUnderTest } from "./semantics-setup.ts";
import { createTelemetryApp, type TelemetryApp } from "./telemetry-app.ts";
import { Http2Client } from "./http2-client.ts";
import { openWebSocket } from "./ws/helpers.ts";
import { cert, key } from "./tls-fixture.ts";
import type { HttpClient } from "./http-client.ts";

/** A telemetry app served over `under`'s transport, with a client; closed by `done()`. */
async function serveTelemetry(
  runtime: Runtime,
  under: ProtocolUnderTest,
  options: ServeOptions = {},
): Promise<TelemetryApp & { server: Awaited<ReturnType<typeof start>>; client: HttpClient; done(): Promise<void> }> {
  const telemetry = createTelemetryApp();
  const server = await start(runtime, telemetry.app, { ...(under.tls ? { tls: { cert, key } } : {}), ...options });
  const client = await under.connect(server.address.port);
  return {
    ...telemetry,
    server,
    client,
    async done() {
      await client.close();
      await server.close();
    },
  };
}

function entries(lines: string[]): AccessLogEntry[] {
  return lines.map((line) => JSON.parse(line) as AccessLogEntry);
}

/** Register the telemetry cases for one runtime. */
export function telemetryCases(t: TestApi, runtime: Runtime): void {
  for (const under of PROTOCOLS) {
    t.describe(`telemetry over ${under.name}`, () => {
      t.it(
        "puts a valid x-request-id on every response, trusts a proxy's, and reports errors once with it",
        async () => {
          const reported: ErrorInfo[] = [];
          const s = await serveTelemetry(runtime, under, { onError: (_error, info) => reported.push(info!) });
          try {
            const ids = new Set<string>();
            for (const path of ["/", "/missing", "/boom", "/teapot", "/healthz", "/metrics"]) {
              const response = await s.client.request({ path });
              const id = response.headers.get("x-request-id");
              assert.ok(id !== null && isValidRequestId(id), `${path}: ${id}`);
              ids.add(id);
              if (path === "/boom") {
                assert.equal(response.status, 500);
                assert.deepEqual(reported, [{ requestId: id, method: "GET", path: "/boom" }]);
              }
            }
            assert.equal(ids.size, 6, "a new id per request");
            assert.equal(reported.length, 1, "a 418 HttpError is not reported; the 500 once");
            // The peer is 127.0.0.1, a trusted proxy: its id is kept if valid, replaced if not.
            const relayed = await s.client.request({ path: "/", headers: [["x-request-id", "edge-4f2a:17"]] });
            assert.equal(relayed.headers.get("x-request-id"), "edge-4f2a:17");
            const junk = await s.client.request({ path: "/", headers: [["x-request-id", 'a b"<script>']] });
            const replaced = junk.headers.get("x-request-id")!;
            assert.ok(isValidRequestId(replaced) && replaced !== 'a b"<script>');
          } finally {
            await s.done();
          }
        },
      );

      t.it("writes one access log line per request once the response is sent, and flags an aborted one", async () => {
        const s = await serveTelemetry(runtime, under);
        try {
          const response = await s.client.request({ method: "POST", path: "/echo?q=1", body: "ping!" });
          assert.equal(response.text(), "ping!");
          const id = response.headers.get("x-request-id")!;
          await waitFor(() => s.lines.length === 1, "the access log line");
          const [entry] = entries(s.lines);
          assert.equal(entry!.requestId, id);
          assert.equal(entry!.protocol, under.protocol);
          assert.deepEqual(
            [entry!.method, entry!.path, entry!.status, entry!.bytesIn, entry!.bytesOut, entry!.aborted],
            ["POST", "/echo", 200, 5, 5, false],
          );
          assert.match(entry!.remoteAddress, /127\.0\.0\.1/);
          assert.ok(Number.isInteger(entry!.durationUs) && entry!.durationUs >= 0);
          assert.ok(Math.abs(Date.parse(entry!.time) - Date.now()) < 60_000);

          const controller = new AbortController();
          const streaming = await s.client.open({ path: "/forever", signal: controller.signal });
          const iterator = streaming.body[Symbol.asyncIterator]();
          await iterator.next();
          assert.equal(s.lines.length, 1, "no line while the response is under way");
          controller.abort();
          await iterator.return?.().catch(() => {});
          await waitFor(() => s.lines.length === 2, "the aborted request's line");
          const aborted = entries(s.lines)[1]!;
          assert.equal(aborted.path, "/forever");
          assert.equal(aborted.status, 200);
          assert.equal(aborted.aborted, true);
          assert.ok(aborted.bytesOut >= 1024, `bytesOut ${aborted.bytesOut}`);
        } finally {
          await s.done();
        }
      });

      t.it("counts requests by method, status and protocol in /metrics", async () => {
        const s = await serveTelemetry(runtime, under);
        try {
          for (let i = 0; i < 3; i++) assert.equal((await s.client.request({ path: "/" })).status, 200);
          for (let i = 0; i < 2; i++) {
            assert.equal((await s.client.request({ method: "POST", path: "/echo", body: "12345678" })).status, 200);
          }
          assert.equal((await s.client.request({ path: "/nowhere" })).status, 404);
          await waitFor(() => s.lines.length === 6, "six requests settled");
          const response = await s.client.request({ path: "/metrics" });
          assert.equal(response.headers.get("content-type"), "text/plain; version=0.0.4; charset=utf-8");
          const m = parsePrometheus(response.text());
          const p = under.protocol;
          const requests = "wirecore_http_requests_total";
          assert.equal(sampleValue(m, requests, { method: "GET", status: "200", protocol: p }), 3);
          assert.equal(sampleValue(m, requests, { method: "POST", status: "200", protocol: p }), 2);
          assert.equal(sampleValue(m, requests, { method: "GET", status: "404", protocol: p }), 1);
          assert.equal(m.get(requests)!.metrics.length, 3, "no other series (the scrape counts after it)");
          const histogram = m.get("wirecore_http_request_duration_seconds")!.metrics[0]!;
          assert.equal(Number(histogram.count), 6);
          assert.equal(sampleValue(m, "wirecore_http_request_body_bytes_total"), 16);
          assert.equal(sampleValue(m, "wirecore_http_response_body_bytes_total"), 3 * 5 + 2 * 8 + "Not Found".length);
          if (p === "http/1.1") {
            assert.ok(sampleValue(m, "wirecore_connections_open", { protocol: "http/1.1" })! >= 1);
            assert.equal(sampleValue(m, "wirecore_http2_streams_opened_total"), 0);
          } else {
            // One HTTP/2 connection carried all seven requests; the scrape's own stream is open.
            assert.equal(sampleValue(m, "wirecore_connections_open", { protocol: p }), 1);
            assert.equal(sampleValue(m, "wirecore_connections_open", { protocol: "http/1.1" }), 0);
            assert.equal(sampleValue(m, "wirecore_connections_accepted_total"), 1);
            assert.equal(sampleValue(m, "wirecore_http2_streams_open"), 1);
            assert.equal(sampleValue(m, "wirecore_http2_streams_opened_total"), 7);
          }
          assert.equal(sampleValue(m, "wirecore_server_draining"), 0);
        } finally {
          await s.done();
        }
      });

      t.it("answers /healthz, and /readyz 503 once a graceful shutdown starts while a request finishes", async () => {
        const s = await serveTelemetry(runtime, under);
        try {
          const live = await s.client.request({ path: "/healthz" });
          assert.deepEqual([live.status, live.text()], [200, "ok"]);
          const ready = await s.client.request({ path: "/readyz" });
          assert.deepEqual([ready.status, ready.text()], [200, "ready"]);
          const slow = s.client.request({ path: "/slow" });
          const probe = s.client.request({ path: "/readyz", headers: [["x-hold", "1"]] });
          await waitFor(() => s.held.count === 2, "both requests in the app");
          const shutdown = s.server.shutdown();
          await waitFor(() => s.server.draining, "the server draining");
          s.hold.open();
          const late = await probe;
          assert.deepEqual([late.status, late.text()], [503, "draining"]);
          s.slow.open();
          const finished = await slow;
          assert.deepEqual([finished.status, finished.text()], [200, "finished"]);
          await shutdown;
          assert.equal(s.server.connections, 0);
        } finally {
          await s.done();
        }
      });
    });
  }

  t.describe("telemetry: open connections by protocol", () => {
    t.it("counts an open WebSocket, an h2c connection and the scraping HTTP/1.1 connection", async () => {
      const { app } = createTelemetryApp();
      const server = await start(runtime, app);
      const port = server.address.port;
      const scrape = async (): Promise<ReturnType<typeof parsePrometheus>> => {
        const raw = await RawClient.open(port);
        try {
          await raw.write("GET /metrics HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n");
          const text = await raw.untilClosed();
          return parsePrometheus(text.slice(text.indexOf("\r\n\r\n") + 4));
        } finally {
          raw.close();
        }
      };
      const ws = await openWebSocket(`ws://127.0.0.1:${port}/ws`);
      const h2 = await Http2Client.connect(port);
      try {
        ws.ws.send("hi");
        assert.equal(await ws.next(), "hi");
        assert.equal((await h2.request({ path: "/" })).status, 200);
        const m = await scrape();
        assert.equal(sampleValue(m, "wirecore_connections_open", { protocol: "websocket" }), 1);
        assert.equal(sampleValue(m, "wirecore_connections_open", { protocol: "h2c" }), 1);
        assert.equal(sampleValue(m, "wirecore_connections_open", { protocol: "http/1.1" }), 1, "the scrape's own");
        assert.equal(sampleValue(m, "wirecore_connections_open", { protocol: "h2" }), 0);
        assert.equal(sampleValue(m, "wirecore_websocket_sessions_open"), 1);
        assert.equal(sampleValue(m, "wirecore_http2_streams_open"), 0);
        assert.equal(sampleValue(m, "wirecore_http2_streams_opened_total"), 1);
        // The WebSocket began as HTTP/1.1 (its upgrade request), as did the scrape.
        assert.equal(sampleValue(m, "wirecore_connections_opened_total", { protocol: "http/1.1" }), 2);
        assert.equal(sampleValue(m, "wirecore_connections_opened_total", { protocol: "websocket" }), 1);
        assert.equal(sampleValue(m, "wirecore_connections_accepted_total"), 3);
        assert.equal(sampleValue(m, "wirecore_connections_refused_total"), 0);
        assert.equal(sampleValue(m, "wirecore_http_requests_total", { method: "GET", status: "101" }), 1);

        ws.ws.close();
        await ws.closed;
        await h2.close();
        await waitFor(() => server.connections === 0, "the connections to close");
        const after = await scrape();
        assert.equal(sampleValue(after, "wirecore_connections_open", { protocol: "websocket" }), 0);
        assert.equal(sampleValue(after, "wirecore_connections_open", { protocol: "h2c" }), 0);
        assert.equal(sampleValue(after, "wirecore_websocket_sessions_open"), 0);
        assert.equal(sampleValue(after, "wirecore_http2_streams_opened_total"), 1, "kept after the connection closed");
        assert.equal(sampleValue(after, "wirecore_connections_accepted_total"), 4);
      } finally {
        ws.ws.close();
        h2.destroy();
        await server.close();
      }
    });
  });
}
