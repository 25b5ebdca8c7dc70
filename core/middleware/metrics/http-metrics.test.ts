import { describe, expect, it } from "vitest";
import { App } from "../../app/app.ts";
import { parsePrometheus, sampleValue } from "../../../test/support/prometheus.ts";
import { metrics, metricsHandler } from "./metrics.ts";
import { HttpMetrics, PROMETHEUS_CONTENT_TYPE } from "./http-metrics.ts";

describe("metrics()", () => {
  it("counts requests by method and status, and serves them in the text format", async () => {
    const app = new App().use(metrics());
    app.get("/", (c) => c.text("hello"));
    app.post("/echo", async (c) => c.text(await c.req.text()));
    for (let i = 0; i < 3; i++) await (await app.request("/")).text();
    for (let i = 0; i < 2; i++) await (await app.request("/echo", { method: "POST", body: "abcd" })).text();
    await app.request("/missing");
    await app.request("/", { method: "PURGE" });
    const response = await app.request("/metrics");
    expect(response.headers.get("content-type")).toBe(PROMETHEUS_CONTENT_TYPE);
    const families = parsePrometheus(await response.text());
    const requests = "wirecore_http_requests_total";
    expect(sampleValue(families, requests, { method: "GET", status: "200", protocol: "" })).toBe(3);
    expect(sampleValue(families, requests, { method: "POST", status: "200" })).toBe(2);
    expect(sampleValue(families, requests, { method: "GET", status: "404" })).toBe(1);
    expect(sampleValue(families, requests, { method: "OTHER", status: "405" })).toBe(1);
    expect(families.get(requests)!.metrics).toHaveLength(4);
    const histogram = families.get("wirecore_http_request_duration_seconds")!;
    expect(histogram.type).toBe("HISTOGRAM");
    expect(Number(histogram.metrics[0]!.count)).toBe(7);
    expect(Number(histogram.metrics[0]!.buckets!["+Inf"])).toBe(7);
    expect(sampleValue(families, "wirecore_http_request_body_bytes_total")).toBe(8);
    // "hello" ×3, "abcd" ×2, "Not Found", "Method Not Allowed"
    expect(sampleValue(families, "wirecore_http_response_body_bytes_total")).toBe(15 + 8 + 9 + 18);
    // Under app.fetch there is no server of ours: no connection counts.
    expect(families.has("wirecore_connections_open")).toBe(false);
  });

  it("serves a registry from a route of its own with metricsHandler", async () => {
    const registry = new HttpMetrics([0.1, 1]);
    const app = new App().use(metrics({ registry, path: null }));
    app.get("/", (c) => c.text("x"));
    app.get("/internal/metrics", metricsHandler(registry));
    await app.request("/");
    expect((await app.request("/metrics")).status).toBe(404);
    const families = parsePrometheus(await (await app.request("/internal/metrics")).text());
    expect(sampleValue(families, "wirecore_http_requests_total", { status: "200" })).toBe(1);
    expect(sampleValue(families, "wirecore_http_requests_total", { status: "404" })).toBe(1);
    const buckets = families.get("wirecore_http_request_duration_seconds")!.metrics[0]!.buckets!;
    expect(Object.keys(buckets).sort()).toEqual(["+Inf", "0.1", "1"]);
  });

  it("refuses buckets that do not ascend", () => {
    expect(() => new HttpMetrics([1, 0.5])).toThrow(RangeError);
    expect(() => new HttpMetrics([Number.POSITIVE_INFINITY])).toThrow(RangeError);
  });
});
