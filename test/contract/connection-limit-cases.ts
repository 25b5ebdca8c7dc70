/**
 * Connection limits: past `maxConnections` (or `maxConnectionsPerIp`) a new connection is told
 * the server is busy in its own protocol — HTTP/1.1 `503` with `Retry-After`, HTTP/2 GOAWAY with
 * last stream 0 — and closed; the connections already open are served as before, and room comes
 * back when one closes.
 */
import assert from "node:assert/strict";
import { execFileSync } from "node:child_process";
import { readFileSync } from "node:fs";
import { App } from "../../core/app/app.ts";
import { RawClient, type Runtime, sleep, type TestApi, useServer, waitFor } from "./harness.ts";
import { header, parseResponses } from "./raw-response.ts";
import { goaway, h2Exchange, PREFACE } from "./h2-frames.ts";

const GET = "GET / HTTP/1.1\r\nHost: test\r\n\r\n";

function app(): App {
  return new App().get("/", (c) => c.text("ok"));
}

/**
 * Open `n` connections that each got one answer, so the server counts them as open. Connections
 * closed by an earlier case may not have been noticed yet (the server hears of a close on its
 * next read): a refused one is retried.
 */
async function openServed(port: number, n: number): Promise<RawClient[]> {
  const clients: RawClient[] = [];
  for (let attempt = 0; clients.length < n; attempt++) {
    const client = await RawClient.open(port);
    await client.write(GET);
    const text = await client.until((text) => text.includes("\r\n\r\nok"));
    if (text.startsWith("HTTP/1.1 200")) clients.push(client);
    else {
      client.close();
      assert.ok(attempt < 100, `the server keeps refusing: ${text.slice(0, 60)}`);
      await sleep(20);
    }
  }
  return clients;
}

/** The listen queue's depth of the socket listening on `port`, as `ss` reports it (Send-Q of a LISTEN socket). */
function listenQueueDepth(port: number): number {
  const line = execFileSync("ss", ["-ltnH", `sport = :${port}`], { encoding: "utf8" }).trim();
  const depth = Number(line.split(/\s+/)[2]);
  assert.ok(Number.isInteger(depth), `ss printed: ${line}`);
  return depth;
}

async function expectBusy(port: number): Promise<void> {
  const client = await RawClient.open(port);
  await client.write(GET);
  const text = await client.untilClosed();
  const { responses } = parseResponses(text, [], true);
  assert.equal(responses.length, 1, text);
  assert.equal(responses[0]!.status, 503);
  assert.equal(header(responses[0]!, "retry-after"), "5");
  assert.equal(header(responses[0]!, "connection"), "close");
}

export function connectionLimitCases(t: TestApi, runtime: Runtime): void {
  t.describe("maxConnections", () => {
    const s = useServer(t, runtime, app, { maxConnections: 3 });

    t.it("a connection past the limit gets 503 with Retry-After and is closed; the others go on", async () => {
      const open = await openServed(s.port, 3);
      try {
        await expectBusy(s.port);
        await open[0]!.write(GET);
        await open[0]!.until((text) => text.split("\r\n\r\nok").length === 3);
      } finally {
        for (const client of open) client.close();
      }
    });

    t.it("an HTTP/2 client past the limit gets SETTINGS then GOAWAY (last stream 0)", async () => {
      const open = await openServed(s.port, 3);
      try {
        const frames = await h2Exchange(s.port, PREFACE);
        assert.equal(frames[0]?.[0], 0x4, "a SETTINGS frame first");
        assert.equal(frames[1]?.[0], 0x7, "then GOAWAY");
        assert.deepEqual(goaway(frames), { lastStream: 0, code: 0 }, "last stream 0, NO_ERROR");
      } finally {
        for (const client of open) client.close();
      }
    });

    t.it("room comes back when a connection closes", async () => {
      const open = await openServed(s.port, 3);
      open.pop()!.close();
      // The server hears of the close on its next read of that socket.
      for (let attempt = 0;; attempt++) {
        await sleep(20);
        const client = await RawClient.open(s.port);
        await client.write(GET);
        const text = await client.until((t) => t.includes("\r\n\r\n"));
        client.close();
        if (text.startsWith("HTTP/1.1 200")) break;
        assert.ok(attempt < 50, `still refused: ${text.slice(0, 60)}`);
      }
      for (const client of open) client.close();
    });
  });

  t.describe("refusals held at once", () => {
    const s = useServer(t, runtime, app, { maxConnections: 0 });

    t.it("past 1 024 refused connections held at once, a new one is closed unanswered", async () => {
      // In batches, each accepted before the next: a burst of 1 030 connects would overflow the
      // listen queue (511 on Node) and leave the rest to SYN retries.
      const held: RawClient[] = [];
      const extra: RawClient[] = [];
      try {
        while (held.length < 1024) {
          const batch = await Promise.all(Array.from({ length: 128 }, () => RawClient.open(s.port)));
          held.push(...batch);
          await waitFor(() => s.server.stats().refused >= held.length, `${held.length} accepted`, 20_000);
        }
        extra.push(...await Promise.all(Array.from({ length: 6 }, () => RawClient.open(s.port))));
        // Closed as soon as accepted, before any byte is sent.
        const unanswered = await Promise.all(extra.map((client) => client.untilClosed(20_000)));
        assert.deepEqual(unanswered, ["", "", "", "", "", ""]);
        // The held ones (silent so far, so still within their 5 s) each get their 503.
        await Promise.all(held.map((client) => client.write(GET)));
        const texts = await Promise.all(held.map((client) => client.untilClosed(20_000)));
        assert.equal(texts.filter((text) => text.startsWith("HTTP/1.1 503 ")).length, 1024);
      } finally {
        for (const client of [...held, ...extra]) client.close();
      }
    }, 60_000);
  });

  t.describe("backlog", () => {
    const defaults = useServer(t, runtime, app);
    const small = useServer(t, runtime, app, { backlog: 100 });
    const somaxconn = Number(readFileSync("/proc/sys/net/core/somaxconn", "utf8"));

    if (runtime.name === "bun") {
      t.it("Bun.listen keeps its own listen queue, no shorter than Node's and Deno's 511", () => {
        assert.ok(listenQueueDepth(defaults.port) >= Math.min(511, somaxconn));
        assert.ok(listenQueueDepth(small.port) >= Math.min(511, somaxconn));
      });
    } else {
      t.it("the listen queue holds 4 096 by default (capped by net.core.somaxconn), or what `backlog` asks", () => {
        assert.equal(listenQueueDepth(defaults.port), Math.min(4096, somaxconn));
        assert.equal(listenQueueDepth(small.port), Math.min(100, somaxconn));
      });
    }
  });

  t.describe("maxConnectionsPerIp", () => {
    const s = useServer(t, runtime, app, { maxConnectionsPerIp: 2 });

    t.it("a third connection from one address gets 503; the first two are served", async () => {
      const open = await openServed(s.port, 2);
      try {
        await expectBusy(s.port);
        await open[1]!.write(GET);
        await open[1]!.until((text) => text.split("\r\n\r\nok").length === 3);
      } finally {
        for (const client of open) client.close();
      }
    });
  });
}
