/**
 * A real `EventSource` in headless Chromium (Debian `chromium`, driven by playwright-core)
 * against `c.sse()` on the Node adapter, over HTTP/1.1 (http://) and HTTP/2 (https://, ALPN h2):
 * events in order, multi-line data and a custom event type as the browser's own parser reads
 * them, the `retry` field, reconnection after the server ends the stream with `Last-Event-ID`,
 * and `stream.signal` aborting when the page closes its EventSource.
 *
 * A missing browser is a failure, not a skip (Debian: `apt-get install chromium`).
 */
import assert from "node:assert/strict";
import type { Browser } from "playwright-core";
import { launchChromium } from "./support/chromium.ts";
import { afterAll, beforeAll, describe, it } from "vitest";
import { serve } from "../adapters/node/mod.ts";
import { App } from "../core/app/app.ts";
import type { Server } from "../core/server/server.ts";
import { waitFor } from "./contract/harness.ts";
import { cert, key } from "./contract/tls-fixture.ts";

const PAGE = `<!doctype html><meta charset="utf-8"><title>sse</title><script>
window.received = [];
window.start = (path, until) => new Promise((resolve, reject) => {
  const source = new EventSource(path);
  const done = () => { source.close(); resolve(window.received); };
  const take = (event) => {
    window.received.push({ type: event.type, data: event.data, id: event.lastEventId });
    if (window.received.length === until) done();
  };
  source.onmessage = take;
  source.addEventListener("note", take);
  source.onerror = () => { if (source.readyState === EventSource.CLOSED) reject(new Error("EventSource failed")); };
});
window.openOnly = (path) => { window.source = new EventSource(path); return new Promise((r) => window.source.onopen = r); };
window.closeOnly = () => window.source.close();
</script>`;

/** What the server saw: the Last-Event-ID of each connection, and streams whose signal aborted. */
const seen = { lastIds: [] as (string | undefined)[], aborted: 0, opened: 0 };

function createApp(): App {
  return new App()
    .get("/page", (c) => c.header("content-type", "text/html; charset=utf-8").text(PAGE))
    .get("/events", (c) =>
      c.sse(async (stream) => {
        seen.lastIds.push(stream.lastEventId);
        const from = Number(stream.lastEventId ?? "0");
        // The browser waits `retry` ms before it reconnects (WHATWG HTML §9.2.3).
        await stream.send({ retry: 50 });
        await stream.send({ id: from + 1, data: `line one of ${from + 1}\nline two\r\nline three` });
        await stream.send({ id: from + 2, event: "note", data: { n: from + 2 } });
        await stream.send({ id: from + 3, data: String(from + 3) });
        // Returning ends the stream; the browser reconnects with Last-Event-ID: from + 3.
      }))
    .get("/forever", (c) =>
      c.sse(async (stream) => {
        seen.opened++;
        stream.signal.addEventListener("abort", () => seen.aborted++);
        await stream.send({ data: "open" });
        await stream.closed;
      }, { heartbeat: 1000 }));
}

describe("EventSource in Chromium against c.sse() (node adapter)", () => {
  let browser: Browser;
  const servers: Server[] = [];

  beforeAll(async () => {
    browser = await launchChromium();
  }, 30_000);

  afterAll(async () => {
    await browser?.close();
    for (const server of servers) await server.close();
  });

  for (const protocol of ["http/1.1", "h2"] as const) {
    describe(`over ${protocol}`, () => {
      let origin = "";
      beforeAll(async () => {
        const tls = protocol === "h2" ? { tls: { cert, key } } : {};
        const server = serve(createApp(), { port: 0, hostname: "127.0.0.1", ...tls });
        await server.ready;
        servers.push(server);
        origin = `${protocol === "h2" ? "https" : "http"}://127.0.0.1:${server.address.port}`;
      });

      it("receives events in order, reconnects with Last-Event-ID and goes on from there", async () => {
        seen.lastIds.length = 0;
        const context = await browser.newContext({ ignoreHTTPSErrors: true });
        try {
          const page = await context.newPage();
          await page.goto(`${origin}/page`);
          const hop = await page.evaluate(() =>
            (performance.getEntriesByType("navigation")[0] as PerformanceNavigationTiming).nextHopProtocol
          );
          assert.equal(hop, protocol, "the page (and its EventSource) went over the protocol under test");
          const received = await page.evaluate(() =>
            (window as unknown as { start(path: string, until: number): Promise<unknown> }).start("/events", 6)
          );
          assert.deepEqual(received, [
            { type: "message", data: "line one of 1\nline two\nline three", id: "1" },
            { type: "note", data: '{"n":2}', id: "2" },
            { type: "message", data: "3", id: "3" },
            { type: "message", data: "line one of 4\nline two\nline three", id: "4" },
            { type: "note", data: '{"n":5}', id: "5" },
            { type: "message", data: "6", id: "6" },
          ]);
          assert.deepEqual(seen.lastIds.slice(0, 2), [undefined, "3"]);
        } finally {
          await context.close();
        }
      }, 30_000);

      it("closing the EventSource aborts stream.signal on the server", async () => {
        const context = await browser.newContext({ ignoreHTTPSErrors: true });
        try {
          const page = await context.newPage();
          await page.goto(`${origin}/page`);
          const before = seen.aborted;
          const opened = seen.opened;
          await page.evaluate(() =>
            (window as unknown as { openOnly(path: string): Promise<void> }).openOnly("/forever")
          );
          await waitFor(() => seen.opened === opened + 1, "the stream opened");
          assert.equal(seen.aborted, before);
          await page.evaluate(() => (window as unknown as { closeOnly(): void }).closeOnly());
          await waitFor(() => seen.aborted === before + 1, "stream.signal aborted");
        } finally {
          await context.close();
        }
      }, 30_000);
    });
  }
});
