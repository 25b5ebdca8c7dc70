import { describe, expect, it } from "vitest";
import { h2loadArgs, h2loadResult, h2loadTime, parseH2load } from "./h2load.ts";
import type { LoadSpec } from "./scenarios.ts";

/** What h2load (nghttp2 1.52.0) printed for a 2 s run after 1 s of warm-up against Bun.serve. */
const OUTPUT = `starting benchmark...
spawning thread #0: 16 total client(s). Timing-based test with 1s of warm-up time and 2s of main duration for measurements.
Warm-up started for thread #0.
progress: 100% of clients started
Application protocol: h2c
Warm-up phase is over for thread #0.
Main benchmark duration is started for thread #0.
Main benchmark duration is over for thread #0. Stopping all clients.
Stopped all clients for thread #0

finished in 3.00s, 153760.00 req/s, 5.13MB/s
requests: 307520 total, 307520 started, 307520 done, 307520 succeeded, 0 failed, 0 errored, 0 timeout
status codes: 307520 2xx, 0 3xx, 0 4xx, 0 5xx
traffic: 10.27MB (10764704) total, 1.82MB (1909424) headers (space savings 95.83%), 5.91MB (6198400) data
                     min         max         mean         sd        +/- sd
time for request:      107us     15.43ms      3.08ms      2.08ms    69.63%
time for connect:        0us         0us         0us         0us     0.00%
time to 1st byte:        0us         0us         0us         0us     0.00%
req/s           :    9374.36     9887.24     9608.71      150.44    68.75%
`;

describe("h2load output", () => {
  it("reads times in us, ms and s", () => {
    expect(h2loadTime("107us")).toBeCloseTo(0.107);
    expect(h2loadTime("15.43ms")).toBeCloseTo(15.43);
    expect(h2loadTime("1.20s")).toBeCloseTo(1200);
    expect(() => h2loadTime("fast")).toThrow();
  });

  it("parses the summary", () => {
    const s = parseH2load(OUTPUT);
    expect(s.protocol).toBe("h2c");
    expect(s.succeeded).toBe(307520);
    expect(s.failed).toBe(0);
    expect(s.status["2xx"]).toBe(307520);
    expect(s.rps).toBe(153760);
    expect(s.request.mean).toBeCloseTo(3.08);
    expect(s.request.max).toBeCloseTo(15.43);
  });

  it("counts 2xx answers over the main duration only, and has no percentiles", () => {
    const r = h2loadResult(parseH2load(OUTPUT), 2000);
    expect(r.rps).toBe(153760);
    expect(r.requests).toBe(307520);
    expect(r.errors).toEqual({});
    expect(r.p99).toBeNull();
    expect(r.mean).toBeCloseTo(3.08);
  });

  it("turns every failed request into a named error", () => {
    const bad = OUTPUT.replace(
      "requests: 307520 total, 307520 started, 307520 done, 307520 succeeded, 0 failed, 0 errored, 0 timeout",
      "requests: 1000 total, 1000 started, 990 done, 900 succeeded, 100 failed, 60 errored, 10 timeout",
    ).replace("status codes: 307520 2xx, 0 3xx, 0 4xx, 0 5xx", "status codes: 890 2xx, 10 3xx, 40 4xx, 0 5xx");
    const r = h2loadResult(parseH2load(bad), 1000);
    expect(r.errors).toEqual({
      "failed: status ≥ 400": 40,
      "failed: stream or connection error": 50,
      "failed: timeout": 10,
      "status 3xx": 10,
    });
    expect(r.requests).toBe(890);
    expect(r.rps).toBe(890);
  });

  it("has no protocol when nothing connected, and rejects output without a summary", () => {
    expect(parseH2load(OUTPUT.replace("Application protocol: h2c\n", "")).protocol).toBeNull();
    expect(() => parseH2load("starting benchmark...\n")).toThrow(/finished in/);
  });

  it("builds its argv: connections × streams, duration and warm-up in ms", () => {
    const spec: LoadSpec = {
      method: "GET",
      path: "/",
      variants: 1,
      bodySize: 0,
      connections: 16,
      pipeline: 1,
      h2: { streams: 32 },
    };
    expect(h2loadArgs("h2load", { port: 3000, spec, durationMs: 1000 }, 250)).toEqual([
      "h2load",
      "-t",
      "1",
      "-c",
      "16",
      "-m",
      "32",
      "-D",
      "1000ms",
      "--warm-up-time",
      "250ms",
      "http://127.0.0.1:3000/",
    ]);
    expect(h2loadArgs("h2load", { port: 3000, spec, durationMs: 500 }, 0)).not.toContain("--warm-up-time");
  });
});
