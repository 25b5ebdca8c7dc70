/**
 * HTTP/2 interop: curl against the six servers of `test/http2-interop-harness.ts`
 * (`npx vitest run test/http2-interop-curl.node.test.ts`): GET, POST /echo of 10 MiB compared
 * byte for byte, an 8 MiB download, the h2c upgrade on http:// and ALPN on https://.
 */
import assert from "node:assert/strict";
import { createHash } from "node:crypto";
import { readFile, rm } from "node:fs/promises";
import { join } from "node:path";
import { beforeAll, it } from "vitest";
import { CERT, describeEachServer, dir, LARGE_LENGTH, payload, run, upload } from "./http2-interop-harness.ts";

describeEachServer((suite) => {
  const { runtime, mode, tls, curlH2, ok } = suite;
  let base = "";
  beforeAll(() => {
    base = suite.server.url;
  });

  it(`curl ${curlH2[0]} GET /`, async () => {
    const result = await run("curl", ["--silent", "--show-error", ...curlH2, "-i", `${base}/`]);
    ok(result, "curl");
    const text = result.stdout.toString("latin1");
    assert.match(text, /^HTTP\/2 200 \r\n/);
    assert.match(text, /\r\ncontent-length: 13\r\n/);
    assert.ok(text.endsWith("\r\n\r\nHello, World!"), text);
  });

  it(`curl ${curlH2[0]} POST /echo with a 10 MiB body`, async () => {
    const out = join(dir, `echo-${runtime}-${mode}.bin`);
    const result = await run("curl", [
      "--silent",
      "--show-error",
      ...curlH2,
      "-o",
      out,
      "-w",
      "%{http_version} %{http_code}",
      "-H",
      "content-type: application/octet-stream",
      "--data-binary",
      `@${upload}`,
      `${base}/echo`,
    ]);
    ok(result, "curl");
    assert.equal(result.stdout.toString(), "2 200");
    const echoed = await readFile(out);
    assert.equal(echoed.length, payload.length);
    assert.ok(echoed.equals(payload), "echoed body differs from the upload");
    await rm(out, { force: true });
  });

  it(`curl ${curlH2[0]} GET /large (8 MiB under curl's large windows)`, async () => {
    const out = join(dir, `large-${runtime}-${mode}.bin`);
    const result = await run("curl", [
      "--silent",
      "--show-error",
      ...curlH2,
      "-D",
      "-",
      "-o",
      out,
      `${base}/large`,
    ]);
    ok(result, "curl");
    const sha256 = /^x-sha256: ([0-9a-f]{64})\r$/m.exec(result.stdout.toString("latin1"))?.[1];
    const body = await readFile(out);
    assert.equal(body.length, LARGE_LENGTH);
    assert.equal(createHash("sha256").update(body).digest("hex"), sha256, "large body differs");
    await rm(out, { force: true });
  });

  if (!tls) {
    it("curl --http2 on http:// upgrades with Upgrade: h2c (101, then HTTP/2)", async () => {
      const result = await run("curl", ["--silent", "--show-error", "--verbose", "--http2", `${base}/`]);
      ok(result, "curl");
      const log = result.stderr;
      assert.match(log, /^> Upgrade: h2c\r?$/m, log);
      assert.match(log, /^> HTTP2-Settings: /m, log);
      const switched = log.search(/^< HTTP\/1\.1 101 Switching Protocols\r?$/m);
      const h2 = log.search(/^< HTTP\/2 200 ?\r?$/m);
      assert.ok(switched >= 0, `no 101 Switching Protocols:\n${log}`);
      assert.ok(h2 > switched, `no HTTP/2 response after the 101:\n${log}`);
      assert.equal(result.stdout.toString(), "Hello, World!");
    });

    it("curl --http2 POST /echo with a 10 MiB body: the upgrade is declined, HTTP/1.1 serves it", async () => {
      // curl sends Upgrade: h2c with the body too; the server declines an upgrade with a body
      // (core/server/h2c-upgrade.ts) and answers over HTTP/1.1 (RFC 9110 §7.8).
      const out = join(dir, `echo-upgrade-${runtime}.bin`);
      const result = await run("curl", [
        "--silent",
        "--show-error",
        "--http2",
        "-o",
        out,
        "-w",
        "%{http_version} %{http_code}",
        "--data-binary",
        `@${upload}`,
        `${base}/echo`,
      ]);
      ok(result, "curl");
      assert.equal(result.stdout.toString(), "1.1 200");
      assert.ok((await readFile(out)).equals(payload), "echoed body differs from the upload");
      await rm(out, { force: true });
    });
  } else {
    it("ALPN: h2 for curl --http2, http/1.1 for curl --http1.1", async () => {
      const h2 = await run("curl", [
        "--silent",
        "--show-error",
        "--verbose",
        "--http2",
        "--cacert",
        CERT,
        "-o",
        "/dev/null",
        "-w",
        "%{http_version}",
        `${base}/`,
      ]);
      ok(h2, "curl --http2");
      assert.equal(h2.stdout.toString(), "2");
      assert.match(h2.stderr, /ALPN: server accepted h2/, h2.stderr);
      const h1 = await run("curl", [
        "--silent",
        "--show-error",
        "--http1.1",
        "--cacert",
        CERT,
        "-w",
        "\n%{http_version}",
        `${base}/`,
      ]);
      ok(h1, "curl --http1.1");
      assert.equal(h1.stdout.toString(), "Hello, World!\n1.1");
    });
  }
});
