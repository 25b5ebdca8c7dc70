/**
 * HTTP/2 interop: node:http2 as a client against the six servers of
 * `test/http2-interop-harness.ts` (`npx vitest run test/http2-interop-node-client.node.test.ts`):
 * GET, a 10 MiB POST, response and request trailers, a large response under flow control with
 * small client windows, one with large windows beside another connection, and 100 concurrent
 * streams on one session.
 */
import assert from "node:assert/strict";
import { createHash } from "node:crypto";
import * as http2 from "node:http2";
import { afterAll, beforeAll, beforeEach, describe, it } from "vitest";
import { CA, describeEachServer, LARGE_LENGTH, payload } from "./http2-interop-harness.ts";

describeEachServer((suite) => {
  const { tls } = suite;
  let base = "";
  beforeAll(() => {
    base = suite.server.url;
  });

  describe("node:http2 as a client", () => {
    let session: http2.ClientHttp2Session;
    const goneAway = new WeakSet<http2.ClientHttp2Session>();

    function connect(settings?: http2.Settings): Promise<http2.ClientHttp2Session> {
      // node:http2 counts a 10 MiB body being written against maxSessionMemory (10 MB by
      // default) and would refuse it with ENHANCE_YOUR_CALM on its own side.
      const s = http2.connect(base, { maxSessionMemory: 64, settings, ...(tls ? { ca: CA } : {}) });
      s.once("goaway", () => goneAway.add(s));
      return new Promise((done, fail) => {
        s.once("connect", () => done(s));
        s.once("error", fail);
      });
    }

    beforeAll(async () => {
      session = await connect();
    });

    // The server closes a connection idle for keepAliveTimeout (5 s) with GOAWAY; a test that
    // keeps the shared session idle that long (a slow one, on another session) gets a new one.
    beforeEach(async () => {
      if (session.closed || session.destroyed || goneAway.has(session)) session = await connect();
    });

    afterAll(() => session?.close());

    function request(
      headers: http2.OutgoingHttpHeaders,
      body?: Buffer | string,
      sendTrailers?: http2.OutgoingHttpHeaders,
    ): Promise<{ headers: http2.IncomingHttpHeaders; trailers: http2.IncomingHttpHeaders; body: Buffer }> {
      return new Promise((done, fail) => {
        const stream = session.request(headers, {
          waitForTrailers: sendTrailers !== undefined,
          endStream: body === undefined,
        });
        let responseHeaders: http2.IncomingHttpHeaders = {};
        let trailers: http2.IncomingHttpHeaders = {};
        const chunks: Buffer[] = [];
        stream.on("response", (h) => (responseHeaders = h));
        stream.on("trailers", (h) => (trailers = h));
        stream.on("data", (chunk: Buffer) => chunks.push(chunk));
        stream.on("end", () => done({ headers: responseHeaders, trailers, body: Buffer.concat(chunks) }));
        stream.on("error", fail);
        if (sendTrailers !== undefined) stream.on("wantTrailers", () => stream.sendTrailers(sendTrailers));
        if (body !== undefined) stream.end(body);
      });
    }

    it(`connects ${tls ? "over TLS with ALPN h2" : "with prior knowledge"}`, () => {
      assert.equal(session.encrypted, tls);
      if (tls) assert.equal(session.alpnProtocol, "h2");
    });

    it("GET /json", async () => {
      const res = await request({ ":path": "/json" });
      assert.equal(res.headers[":status"], 200);
      assert.equal(res.headers["content-type"], "application/json");
      assert.deepEqual(JSON.parse(res.body.toString()), { message: "Hello, World!" });
    });

    it("POST /echo with a 10 MiB body", async () => {
      const res = await request(
        { ":method": "POST", ":path": "/echo", "content-type": "application/octet-stream" },
        payload,
      );
      assert.equal(res.headers[":status"], 200);
      assert.equal(res.body.length, payload.length);
      assert.ok(res.body.equals(payload), "echoed body differs");
    });

    it("response trailers", async () => {
      const res = await request({ ":path": "/trailers" });
      assert.equal(res.body.toString(), "trailed");
      assert.equal(res.trailers["x-checksum"], createHash("sha256").update("trailed").digest("hex"));
    });

    it("request trailers", async () => {
      const res = await request({ ":method": "POST", ":path": "/trailers-echo" }, "with trailers", {
        "x-client-sum": "abc",
      });
      assert.deepEqual(JSON.parse(res.body.toString()), {
        text: "with trailers",
        trailers: ["x-client-sum", "abc"],
      });
    });

    it("a large response under flow control (small client windows, a slow reader)", async () => {
      const small = await connect({ initialWindowSize: 16384 });
      try {
        const { body, sha256 } = await new Promise<{ body: Buffer; sha256: unknown }>((done, fail) => {
          const stream = small.request({ ":path": "/large" });
          let sha256: unknown;
          const chunks: Buffer[] = [];
          stream.on("response", (h) => (sha256 = h["x-sha256"]));
          stream.on("data", (chunk: Buffer) => {
            chunks.push(chunk);
            // Pause now and then so the windows really close.
            if (chunks.length % 64 === 0) {
              stream.pause();
              setTimeout(() => stream.resume(), 5);
            }
          });
          stream.on("end", () => done({ body: Buffer.concat(chunks), sha256 }));
          stream.on("error", fail);
        });
        assert.equal(body.length, LARGE_LENGTH);
        assert.equal(typeof sha256, "string");
        assert.equal(createHash("sha256").update(body).digest("hex"), sha256, "large body differs");
      } finally {
        small.close();
      }
    });

    it("a large response with large windows on one connection; another connection gets only its own frames", async () => {
      const big = await connect({ initialWindowSize: 2 ** 30 });
      big.setLocalWindowSize(2 ** 30);
      const other = await connect();
      try {
        const get = (s: http2.ClientHttp2Session, path: string) =>
          new Promise<{ sha256: unknown; body: Buffer }>((done, fail) => {
            const stream = s.request({ ":path": path });
            let sha256: unknown;
            const chunks: Buffer[] = [];
            stream.on("response", (h) => (sha256 = h["x-sha256"]));
            stream.on("data", (chunk: Buffer) => chunks.push(chunk));
            stream.on("end", () => done({ sha256, body: Buffer.concat(chunks) }));
            stream.on("error", fail);
          });
        const large = get(big, "/large");
        await new Promise((r) => setTimeout(r, 20));
        const small = await get(other, "/json");
        assert.deepEqual(JSON.parse(small.body.toString()), { message: "Hello, World!" });
        const { sha256, body } = await large;
        assert.equal(body.length, LARGE_LENGTH);
        assert.equal(createHash("sha256").update(body).digest("hex"), sha256, "large body differs");
      } finally {
        big.close();
        other.close();
      }
    });

    it("100 concurrent streams on one session", async () => {
      const results = await Promise.all(Array.from({ length: 100 }, (_, i) => request({ ":path": `/users/${i}` })));
      results.forEach((res, i) => {
        assert.equal(res.headers[":status"], 200);
        assert.deepEqual(JSON.parse(res.body.toString()), { id: String(i) });
      });
    });
  });
});
