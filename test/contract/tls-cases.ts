/**
 * TLS on every adapter: HTTPS with the checked-in test certificate, and the ALPN offer.
 */
import assert from "node:assert/strict";
import { connect, type TLSSocket } from "node:tls";
import { createApp } from "../../examples/app.ts";
import type { Server } from "../../core/server/server.ts";
import { type Runtime, start, type TestApi } from "./harness.ts";
import { cert, key } from "./tls-fixture.ts";

/** One HTTPS request over a fresh TLS connection; resolves with the raw response and ALPN. */
function httpsRequest(port: number, request: string, alpn: string[]): Promise<{ text: string; alpn: string | false }> {
  return new Promise((resolve, reject) => {
    const socket: TLSSocket = connect({
      host: "127.0.0.1",
      port,
      ca: cert,
      servername: "localhost",
      ALPNProtocols: alpn,
    });
    let text = "";
    socket.setEncoding("latin1");
    socket.on("secureConnect", () => socket.write(request));
    socket.on("data", (chunk: string) => (text += chunk));
    socket.on("error", reject);
    socket.on("close", () => resolve({ text, alpn: socket.alpnProtocol ?? false }));
  });
}

export function tlsCases(t: TestApi, runtime: Runtime): void {
  t.describe("TLS", () => {
    let server: Server;
    t.beforeAll(async () => {
      server = await start(runtime, createApp(), { tls: { cert, key } });
    });
    t.afterAll(() => server.close());

    t.it("serves HTTPS with a verified certificate; the URL says https", async () => {
      assert.match(server.url, /^https:\/\//);
      const { text } = await httpsRequest(
        server.address.port,
        "GET /users/7 HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n",
        ["http/1.1"],
      );
      assert.match(text, /^HTTP\/1\.1 200 OK\r\n/);
      assert.ok(text.endsWith('{"id":"7"}'), text);
    });

    t.it("negotiates http/1.1 by ALPN (RFC 7301)", async () => {
      const { text, alpn } = await httpsRequest(
        server.address.port,
        "GET / HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n",
        ["http/1.1"],
      );
      assert.equal(alpn, "http/1.1");
      assert.ok(text.endsWith("Hello, World!"));
    });

    t.it("pipelines several requests over one TLS connection", async () => {
      const one = "GET /json HTTP/1.1\r\nHost: localhost\r\n\r\n";
      const { text } = await httpsRequest(
        server.address.port,
        one.repeat(5) + "GET / HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n",
        [],
      );
      assert.equal(text.split("HTTP/1.1 200 OK").length - 1, 6);
    });
  });
}
