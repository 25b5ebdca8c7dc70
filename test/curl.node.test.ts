/**
 * Interop with an independent client: real `curl` (the Debian package) against the Node adapter
 * serving the reference app (DESIGN.md §4). Node only, run by vitest:
 * `npx vitest run test/curl.node.test.ts`
 *
 * curl missing is a failure, not a skip: CI installs it (`apt-get install curl`).
 */
import assert from "node:assert/strict";
import { execFile } from "node:child_process";
import { randomBytes } from "node:crypto";
import { mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, it } from "vitest";
import { serve } from "../adapters/node/mod.ts";
import type { Server } from "../core/server/server.ts";
import { createApp } from "../examples/app.ts";

interface CurlResult {
  stdout: Buffer;
  stderr: string;
}

/** Run curl with `args`; fails on a non-zero exit (unless `allowFail`) or after 15 s. */
function curl(args: string[], allowFail = false): Promise<CurlResult> {
  return new Promise((resolve, reject) => {
    execFile("curl", ["--silent", "--show-error", "--max-time", "10", ...args], {
      timeout: 15_000,
      encoding: "buffer",
      maxBuffer: 64 * 1024 * 1024,
    }, (error, stdout, stderr) => {
      const result = { stdout, stderr: stderr.toString("latin1") };
      if (error !== null && (error as NodeJS.ErrnoException).code === "ENOENT") {
        reject(new Error("curl is not installed: the interop tests need it (Debian/Ubuntu: apt-get install curl)"));
      } else if (error !== null && !allowFail) {
        reject(new Error(`curl ${args.join(" ")} failed: ${error.message}\n${result.stderr}`));
      } else resolve(result);
    });
  });
}

/** Split `curl -i` output into status, headers (lowercased names) and body. */
function parseIncluded(out: Buffer): { version: string; status: number; headers: Map<string, string>; body: Buffer } {
  const end = out.indexOf("\r\n\r\n");
  assert.ok(end > 0, `no head in ${JSON.stringify(out.toString("latin1").slice(0, 300))}`);
  const lines = out.subarray(0, end).toString("latin1").split("\r\n");
  const match = /^HTTP\/(\d(?:\.\d)?) (\d{3})/.exec(lines[0]!);
  assert.ok(match !== null, `bad status line ${lines[0]}`);
  const headers = new Map<string, string>();
  for (const line of lines.slice(1)) {
    const colon = line.indexOf(":");
    headers.set(line.slice(0, colon).toLowerCase(), line.slice(colon + 1).trim());
  }
  return { version: match[1]!, status: Number(match[2]), headers, body: out.subarray(end + 4) };
}

describe("curl against the node adapter (reference app)", () => {
  let server: Server;
  let base = "";
  let dir = "";
  let upload = "";
  let payload: Buffer;

  beforeAll(async () => {
    await curl(["--version"]);
    server = serve(createApp(), { port: 0, hostname: "127.0.0.1", onError: () => {} });
    await server.ready;
    base = server.url;
    dir = await mkdtemp(join(tmpdir(), "wirecore-curl-"));
    upload = join(dir, "upload.bin");
    payload = randomBytes(1024 * 1024 + 123);
    await writeFile(upload, payload);
  });

  afterAll(async () => {
    await server?.close();
    if (dir !== "") await rm(dir, { recursive: true, force: true });
  });

  it("GET / returns the text body with its headers", async () => {
    const { stdout } = await curl(["-i", `${base}/`]);
    const res = parseIncluded(stdout);
    assert.equal(res.version, "1.1");
    assert.equal(res.status, 200);
    assert.equal(res.headers.get("content-type"), "text/plain; charset=utf-8");
    assert.equal(res.headers.get("content-length"), "13");
    assert.ok(!Number.isNaN(Date.parse(res.headers.get("date") ?? "")), `date: ${res.headers.get("date")}`);
    assert.equal(res.body.toString(), "Hello, World!");
  });

  it("GET /json returns JSON", async () => {
    const { stdout } = await curl(["-i", `${base}/json`]);
    const res = parseIncluded(stdout);
    assert.equal(res.status, 200);
    assert.equal(res.headers.get("content-type"), "application/json");
    assert.deepEqual(JSON.parse(res.body.toString()), { message: "Hello, World!" });
  });

  it("GET /users/42 returns the route param", async () => {
    const { stdout } = await curl([`${base}/users/42`]);
    assert.deepEqual(JSON.parse(stdout.toString()), { id: "42" });
  });

  it("POST /echo with --data-binary @file (~1 MiB) echoes the bytes exactly", async () => {
    const out = join(dir, "echo.bin");
    const { stdout } = await curl([
      "-D",
      "-",
      "-o",
      out,
      "-H",
      "Content-Type: application/octet-stream",
      "--data-binary",
      `@${upload}`,
      `${base}/echo`,
    ]);
    const head = stdout.toString("latin1");
    // curl sends `Expect: 100-continue` for a body this large: the 100 comes first.
    assert.match(head, /^HTTP\/1\.1 100 Continue\r\n\r\nHTTP\/1\.1 200 /);
    assert.doesNotMatch(head, /\r\nconnection: close\r\n/i, "an echo reads the whole body, so the connection stays");
    assert.match(head, /\r\ncontent-type: application\/octet-stream\r\n/i);
    assert.ok((await readFile(out)).equals(payload), "echoed body differs from the upload");
  });

  it("POST /echo with a chunked upload echoes the bytes exactly", async () => {
    const out = join(dir, "echo-chunked.bin");
    const { stderr } = await curl([
      "-v",
      "-o",
      out,
      "-H",
      "Transfer-Encoding: chunked",
      "-H",
      "Content-Type: application/octet-stream",
      "--data-binary",
      `@${upload}`,
      `${base}/echo`,
    ]);
    assert.match(stderr, /^> Transfer-Encoding: chunked\r?$/im, "curl sent a chunked body");
    assert.match(stderr, /^< HTTP\/1\.1 200 /m);
    assert.ok((await readFile(out)).equals(payload), "echoed body differs from the upload");
  });

  // curl adds `Expect: 100-continue` itself to uploads over 1 MiB and to chunked ones.
  it("Expect: 100-continue on POST /echo gets 100 Continue before the streamed echo (no 1 s stall)", async () => {
    const file = join(dir, "expect.bin");
    await writeFile(file, payload.subarray(0, 10_000));
    const out = join(dir, "expect-echo.bin");
    const startedAt = Date.now();
    const { stderr } = await curl([
      "-v",
      "-o",
      out,
      "-H",
      "Expect: 100-continue",
      "-H",
      "Content-Type: application/octet-stream",
      "--data-binary",
      `@${file}`,
      `${base}/echo`,
    ]);
    const elapsed = Date.now() - startedAt;
    assert.ok((await readFile(out)).equals(payload.subarray(0, 10_000)), "echoed body differs from the upload");
    assert.match(stderr, /^< HTTP\/1\.1 100 Continue\r?$/m, `no 100 Continue:\n${stderr}`);
    assert.doesNotMatch(stderr, /Done waiting for 100-continue/, "curl gave up waiting for 100 Continue");
    assert.ok(elapsed < 900, `took ${elapsed} ms`);
  });

  it("--http1.0: GET / answers and closes; POST /echo streams a close-delimited body", async () => {
    const get = parseIncluded((await curl(["-i", "--http1.0", `${base}/`])).stdout);
    assert.equal(get.status, 200);
    assert.equal(get.headers.get("connection"), "close");
    assert.equal(get.body.toString(), "Hello, World!");

    const small = payload.subarray(0, 100_000);
    const file = join(dir, "small.bin");
    await writeFile(file, small);
    const echo = parseIncluded(
      (await curl([
        "-i",
        "--http1.0",
        "-H",
        "Content-Type: application/octet-stream",
        "--data-binary",
        `@${file}`,
        `${base}/echo`,
      ])).stdout,
    );
    assert.equal(echo.status, 200);
    assert.equal(echo.headers.get("transfer-encoding"), undefined, "no chunked coding for HTTP/1.0");
    assert.ok(echo.body.equals(small), "echoed body differs from the upload");
  });

  it("HEAD (-I) returns the GET headers without a body", async () => {
    const { stdout } = await curl(["-I", `${base}/`]);
    const res = parseIncluded(stdout);
    assert.equal(res.status, 200);
    assert.equal(res.headers.get("content-length"), "13");
    assert.equal(res.headers.get("content-type"), "text/plain; charset=utf-8");
    assert.equal(res.body.length, 0);
  });

  it("answers 404 for an unknown path", async () => {
    const res = parseIncluded((await curl(["-i", `${base}/no/such/path`])).stdout);
    assert.equal(res.status, 404);
    assert.equal(res.body.toString(), "Not Found");
  });

  it("answers 405 with Allow for a known path and a wrong method", async () => {
    const res = parseIncluded((await curl(["-i", "-X", "DELETE", `${base}/json`])).stdout);
    assert.equal(res.status, 405);
    const allow = (res.headers.get("allow") ?? "").split(/\s*,\s*/);
    assert.ok(allow.includes("GET"), `allow: ${res.headers.get("allow")}`);
    assert.ok(!allow.includes("DELETE"), `allow: ${res.headers.get("allow")}`);
  });

  it("reuses one keep-alive connection for two URLs in one invocation", async () => {
    const { stdout, stderr } = await curl(["-v", `${base}/`, `${base}/users/7`]);
    assert.equal(stdout.toString(), 'Hello, World!{"id":"7"}');
    // curl 7.x: "Re-using existing connection! (#0)" / "#0 with host"; curl 8.x: "Re-using existing connection with host".
    assert.match(stderr, /Re-using existing connection/i, stderr);
    assert.equal(stderr.match(/^\* +(?:Connected to|Established connection to)/gm)?.length ?? 0, 1, stderr);
  });
});
