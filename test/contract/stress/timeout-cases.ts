/**
 * The idle (keep-alive) and head timeouts, on a server of their own with 1 s limits.
 */
import assert from "node:assert/strict";
import type { Server } from "../../../core/server/server.ts";
import { App } from "../../../core/app/app.ts";
import { RawClient, sleep, start, type TestApi } from "../harness.ts";
import { createBaseApp, type StressSuite } from "./fixture.ts";
import { drained } from "./slow-client.ts";
import { connect, type Socket } from "node:net";
import process from "node:process";

/** A client socket that never reads what it is sent. */
function connectPaused(port: number): Promise<Socket> {
  return new Promise((resolve, reject) => {
    const socket = connect({ port, host: "127.0.0.1" }, () => {
      socket.pause();
      socket.off("error", reject);
      socket.on("error", () => {}); // the server's reset of a client that reads nothing
      resolve(socket);
    });
    socket.once("error", reject);
  });
}

export function timeoutCases(t: TestApi, s: StressSuite): void {
  const { runtime, sockets } = s;
  t.describe("timeouts (keepAliveTimeout 1000, headersTimeout 1000)", () => {
    let timed: Server;
    let timedPort = 0;
    t.beforeAll(async () => {
      timed = await start(runtime, createBaseApp(), { keepAliveTimeout: 1000, headersTimeout: 1000 });
      timedPort = timed.address.port;
    });
    t.afterAll(async () => {
      await timed?.close();
    });

    // The server clock ticks once a second, so a 1 s timeout fires 1–2 s after the fact.
    t.it("closes an idle keep-alive connection within ~3 s", async () => {
      const client = await RawClient.open(timedPort);
      sockets.push(client);
      await client.write("GET / HTTP/1.1\r\nHost: s\r\n\r\n");
      await client.until((s) => s.endsWith("Hello, World!"));
      const idleSince = Date.now();
      const text = await client.untilClosed(4000);
      const idle = Date.now() - idleSince;
      assert.ok(idle <= 3500, `closed after ${idle} ms`);
      assert.equal(text.split("HTTP/1.1 ").length, 2, `nothing more was sent: ${text}`);
    }, 10_000);

    t.it("closes a connection that never sends a byte within ~3 s", async () => {
      const client = await RawClient.open(timedPort);
      sockets.push(client);
      const openedAt = Date.now();
      const text = await client.untilClosed(4000);
      assert.ok(Date.now() - openedAt <= 3500, `closed after ${Date.now() - openedAt} ms`);
      assert.equal(text, "");
    }, 10_000);

    t.it("answers 408 and closes when a request head is not complete in time", async () => {
      const client = await RawClient.open(timedPort);
      sockets.push(client);
      await client.write("GET / HTTP/1.1\r\nHost: s\r\n");
      const sentAt = Date.now();
      const text = await client.untilClosed(4000);
      assert.ok(Date.now() - sentAt <= 3500, `closed after ${Date.now() - sentAt} ms`);
      assert.match(text, /^HTTP\/1\.1 408 /);
      assert.match(text, /\r\nconnection: close\r\n/i);
    }, 10_000);

    t.it("answers 408 to a head dripped a byte at a time (activity does not extend headersTimeout)", async () => {
      const client = await RawClient.open(timedPort);
      sockets.push(client);
      const head = "GET / HTTP/1.1\r\nHost: s\r\nX-Slow: " + "z".repeat(100);
      const sentAt = Date.now();
      for (let i = 0; i < head.length && !client.closed && Date.now() - sentAt < 4000; i++) {
        await client.write(head[i]!).catch(() => {});
        await sleep(100);
      }
      const text = await client.untilClosed(1000);
      assert.ok(Date.now() - sentAt <= 3700, `closed after ${Date.now() - sentAt} ms`);
      assert.match(text, /^HTTP\/1\.1 408 /);
    }, 10_000);
  });

  t.describe("a stalled event loop (keepAliveTimeout 3000)", () => {
    let stalling: Server;
    t.beforeAll(async () => {
      // `/stall` blocks the whole process for 4 s, longer than the idle timeout.
      const app = new App()
        .get("/", (c) => c.text("Hello, World!"))
        .get("/stall", (c) => {
          const until = Date.now() + 4000;
          while (Date.now() < until) { /* a synchronous heap snapshot, say */ }
          return c.text("stalled");
        });
      stalling = await start(runtime, app, { keepAliveTimeout: 3000 });
    });
    t.afterAll(async () => {
      await stalling?.close();
    });

    t.it("does not count the stall as idle time: a request sent meanwhile is answered", async () => {
      const port = stalling.address.port;
      const idle = await RawClient.open(port);
      const blocker = await RawClient.open(port);
      sockets.push(idle, blocker);
      await idle.write("GET / HTTP/1.1\r\nHost: s\r\n\r\n");
      await idle.until((text) => text.endsWith("Hello, World!"));
      await blocker.write("GET /stall HTTP/1.1\r\nHost: s\r\n\r\n");
      await sleep(500); // the server is inside the stall now
      await idle.write("GET / HTTP/1.1\r\nHost: s\r\n\r\n");
      const text = await idle.until((text) => text.split("Hello, World!").length === 3, 10_000);
      assert.equal(text.split("Hello, World!").length, 3, `the second request was answered: ${text}`);
      await blocker.until((text) => text.endsWith("stalled"));
    }, 20_000);
  });

  t.describe("write timeout (writeTimeout 2000)", () => {
    let timed: Server;
    t.beforeAll(async () => {
      timed = await start(runtime, createBaseApp(), { writeTimeout: 2000 });
    });
    t.afterAll(async () => {
      await timed?.close();
    });

    t.it("10 clients pipelining 20 × 1 MiB echoes and never reading are closed; memory stays bounded", async () => {
      const port = timed.address.port;
      const before = process.memoryUsage().rss;
      let peak = before;
      const body = new Uint8Array(1024 * 1024).fill(0x61);
      const head = new TextEncoder().encode("POST /echo HTTP/1.1\r\nHost: s\r\nContent-Length: 1048576\r\n\r\n");
      const clients = await Promise.all(Array.from({ length: 10 }, () => connectPaused(port)));
      for (const client of clients) sockets.push({ close: () => client.destroy() });
      const closed = clients.map((client) => new Promise<void>((resolve) => client.once("close", () => resolve())));
      // Write until each socket stops taking bytes: the server stopped reading it (backpressure).
      await Promise.all(clients.map(async (client) => {
        for (let i = 0; i < 20 && !client.destroyed; i++) {
          client.write(head);
          if (!client.write(body)) await Promise.race([drained(client), sleep(3000)]);
        }
      }));
      const sentAt = Date.now();
      const watch = setInterval(() => (peak = Math.max(peak, process.memoryUsage().rss)), 100);
      try {
        await Promise.race([
          Promise.all(closed),
          sleep(12_000).then(() => assert.fail("the server did not close the clients that read nothing")),
        ]);
      } finally {
        clearInterval(watch);
      }
      const waited = Date.now() - sentAt;
      assert.ok(waited < 10_000, `closed after ${waited} ms`);
      const growth = (peak - before) / 1048576;
      assert.ok(growth < 150, `memory grew ${growth.toFixed(0)} MiB for 10 clients × 20 MiB pipelined`);
    }, 40_000);
  });

  t.describe("minimum body rate (minBodyRate 1024 B/s over 10 s)", () => {
    let rated: Server;
    t.beforeAll(async () => {
      // `/count` reads the whole body before it answers; `/` answers at once.
      const app = new App()
        .get("/", (c) => c.text("Hello, World!"))
        .post("/count", async (c) => c.text(String((await c.req.bytes(Infinity)).length)));
      rated = await start(runtime, app, { minBodyRate: 1024 });
    });
    t.afterAll(async () => {
      await rated?.close();
    });

    t.it("cuts a body trickled at 1 byte/s with 408 after one window; another client is served meanwhile", async () => {
      const port = rated.address.port;
      const slow = await RawClient.open(port);
      sockets.push(slow);
      await slow.write("POST /count HTTP/1.1\r\nHost: s\r\nContent-Length: 1000000\r\n\r\n");
      const sentAt = Date.now();
      let served = 0;
      while (!slow.closed && Date.now() - sentAt < 18_000) {
        await slow.write("x").catch(() => {});
        const response = await fetch(`http://127.0.0.1:${port}/`);
        if ((await response.text()) === "Hello, World!") served++;
        await sleep(1000);
      }
      const text = await slow.untilClosed(1000);
      const elapsed = Date.now() - sentAt;
      // One 10 s window on a clock that ticks each second; a loaded machine may add a little.
      assert.ok(elapsed >= 9_000 && elapsed <= 16_000, `cut after ${elapsed} ms`);
      assert.match(text, /HTTP\/1\.1 408 /);
      assert.ok(served >= 5, `the other client was served ${served} times`);
    }, 25_000);
  });
}
