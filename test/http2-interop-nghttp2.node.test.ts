/**
 * HTTP/2 interop: the nghttp2 tools (Debian `nghttp2-client`) against the six servers of
 * `test/http2-interop-harness.ts` (`npx vitest run test/http2-interop-nghttp2.node.test.ts`):
 * nghttp with 100 concurrent streams on one connection (and after an h2c upgrade), the SETTINGS
 * exchange, and h2load with 10 000 requests over 16 connections × 32 streams.
 */
import assert from "node:assert/strict";
import { beforeAll, it } from "vitest";
import { describeEachServer, run } from "./http2-interop-harness.ts";

describeEachServer((suite) => {
  const { runtime, mode, tls, ok } = suite;
  let base = "";
  beforeAll(() => {
    base = suite.server.url;
  });

  it("nghttp: 100 concurrent streams on one connection", async () => {
    const result = await run("nghttp", ["-n", "-s", "-m", "100", `${base}/`]);
    ok(result, "nghttp");
    const rows = result.stdout.toString().split("\n").filter((line) => /\s200\s+13\s+\/$/.test(line));
    assert.equal(rows.length, 100, result.stdout.toString());
  });

  if (!tls) {
    it("nghttp -u: upgrade from HTTP/1.1, then 100 concurrent streams", async () => {
      const verbose = await run("nghttp", ["-nuv", `${base}/`]);
      ok(verbose, "nghttp -u");
      const text = verbose.stdout.toString();
      assert.match(text, /HTTP Upgrade response\r?\nHTTP\/1\.1 101 Switching Protocols\r?\n/i, text);
      assert.match(text, /HTTP Upgrade success/, text);
      assert.match(text, /recv \(stream_id=1\) :status: 200/, text);
      const result = await run("nghttp", ["-nu", "-s", "-m", "100", `${base}/`]);
      ok(result, "nghttp -u -m 100");
      const rows = result.stdout.toString().split("\n").filter((line) => /\s200\s+13\s+\/$/.test(line));
      assert.equal(rows.length, 100, result.stdout.toString());
    });
  }

  it("nghttp -v shows the SETTINGS exchange and a response", async () => {
    const result = await run("nghttp", ["-nv", `${base}/`]);
    ok(result, "nghttp -v");
    const text = result.stdout.toString();
    if (tls) assert.match(text, /The negotiated protocol: h2\n/, text);
    assert.match(text, /recv SETTINGS frame <length=\d+, flags=0x00, stream_id=0>/);
    assert.match(text, /\(niv=2\)\s+\[SETTINGS_MAX_CONCURRENT_STREAMS\(0x03\):100\]/);
    assert.match(text, /recv SETTINGS frame <length=0, flags=0x01, stream_id=0>/);
    // nghttp opens idle streams for its priority tree first, so the request's id varies.
    assert.match(text, /recv \(stream_id=\d+\) :status: 200/);
  });

  it("h2load: 10 000 requests over 16 connections × 32 streams", async () => {
    const result = await run("h2load", ["-n", "10000", "-c", "16", "-m", "32", `${base}/`]);
    ok(result, "h2load");
    const text = result.stdout.toString();
    if (tls) assert.match(text, /Application protocol: h2\n/, text);
    assert.match(
      text,
      /requests: 10000 total, 10000 started, 10000 done, 10000 succeeded, 0 failed, 0 errored, 0 timeout/,
      text,
    );
    assert.match(text, /status codes: 10000 2xx/);
    console.log(`h2load ${runtime}/${mode}: ${/finished in [^\n]+/.exec(text)?.[0]}`);
  });

  it("h2load: 8 × GET /large over 2 connections with 1 GiB windows, 0 failed", async () => {
    // Large windows let a whole 8 MiB body be written in one go, past the connection's flush
    // threshold: the case where the body once stalled and leaked onto another connection.
    const result = await run("h2load", ["-n", "8", "-c", "2", "-m", "2", "-w", "30", "-W", "30", `${base}/large`]);
    ok(result, "h2load");
    const text = result.stdout.toString();
    assert.match(text, /requests: 8 total, 8 started, 8 done, 8 succeeded, 0 failed, 0 errored, 0 timeout/, text);
  });
});
