/**
 * Request bodies the app never reads: a small one is drained and the connection kept; a large
 * or chunked one is answered, then the connection closed — never a hang.
 */
import assert from "node:assert/strict";
import { RawClient, sleep, type TestApi } from "../harness.ts";
import { patternChunk } from "./byte-pattern.ts";
import type { StressSuite } from "./fixture.ts";
import { MiB } from "./memory-probe.ts";

export function unreadBodyCases(t: TestApi, s: StressSuite): void {
  const { sockets } = s;
  t.it("keeps the connection after a small unread body (sent with the head or after the response)", async () => {
    const client = await RawClient.open(s.port);
    sockets.push(client);
    const body = "x".repeat(1000);
    // The body arrives with the head; the next request right behind it.
    await client.write(
      `POST /stress/ignore HTTP/1.1\r\nHost: s\r\nContent-Length: ${body.length}\r\n\r\n${body}` +
        "GET / HTTP/1.1\r\nHost: s\r\n\r\n",
    );
    let text = await client.until((s) => s.includes("Hello, World!"));
    assert.match(text, /^HTTP\/1\.1 200 [^\r]*\r\n/);
    assert.ok(text.includes("ignored"), text);
    assert.ok(!/connection: close/i.test(text), `kept alive: ${text}`);
    // The body arrives only after its response went out: drained, then the next request.
    await client.write(`POST /stress/ignore HTTP/1.1\r\nHost: s\r\nContent-Length: ${body.length}\r\n\r\n`);
    text = await client.until((s) => s.split("ignored").length === 3);
    await sleep(50);
    await client.write(body + "GET /json HTTP/1.1\r\nHost: s\r\n\r\n");
    text = await client.until((s) => s.includes('{"message":"Hello, World!"}'));
    assert.equal(client.closed, false);
    assert.ok(!/connection: close/i.test(text), `kept alive: ${text}`);
    client.close();
  }, 30_000);

  t.it("answers and closes on a large unread body (Content-Length 8 MiB, all sent), no hang", async () => {
    const client = await RawClient.open(s.port);
    sockets.push(client);
    const size = 8 * MiB;
    void client.write(`POST /stress/ignore HTTP/1.1\r\nHost: s\r\nContent-Length: ${size}\r\n\r\n`).catch(() => {});
    // Keep uploading while the server answers: it must neither hang nor wait for the rest.
    void client.write(patternChunk(0, size)).catch(() => {});
    const text = await client.untilClosed(10_000);
    assert.match(text, /^HTTP\/1\.1 200 [^\r]*\r\n/);
    assert.match(text, /\r\nconnection: close\r\n/i);
    assert.ok(text.endsWith("ignored"), text);
  }, 30_000);

  t.it("answers and closes on a large unread body (Content-Length 8 MiB, head only), no hang", async () => {
    const client = await RawClient.open(s.port);
    sockets.push(client);
    await client.write(`POST /stress/ignore HTTP/1.1\r\nHost: s\r\nContent-Length: ${8 * MiB}\r\n\r\nabc`);
    const text = await client.untilClosed(10_000);
    assert.match(text, /^HTTP\/1\.1 200 [^\r]*\r\n/);
    assert.match(text, /\r\nconnection: close\r\n/i);
    assert.ok(text.endsWith("ignored"), text);
  }, 30_000);

  t.it("answers and closes on an unread chunked body, no hang", async () => {
    const client = await RawClient.open(s.port);
    sockets.push(client);
    await client.write(
      "POST /stress/ignore HTTP/1.1\r\nHost: s\r\nTransfer-Encoding: chunked\r\n\r\n400\r\n" + "y".repeat(1024) +
        "\r\n",
    );
    const text = await client.untilClosed(10_000);
    assert.match(text, /^HTTP\/1\.1 200 [^\r]*\r\n/);
    assert.match(text, /\r\nconnection: close\r\n/i);
    assert.ok(text.endsWith("ignored"), text);
  }, 30_000);
}
