/**
 * The reference app's `/demo` page (examples/public/demo.html + demo.js) in headless Chromium
 * (Debian `chromium`, driven by playwright-core), served by the Node adapter over HTTP/1.1 and
 * HTTP/2 (TLS, ALPN h2): the page receives server-sent events from `/events`, two pages chat over
 * `/chat` (a message typed in one shows in the other), and an upload through XMLHttpRequest shows
 * its progress reaching 1 and the server's JSON with the file's SHA-256.
 * `npx vitest run test/demo-chromium.node.test.ts`
 *
 * A missing browser is a failure, not a skip (Debian: `apt-get install chromium`).
 */
import assert from "node:assert/strict";
import { createHash } from "node:crypto";
import type { Browser, BrowserContext, Page } from "playwright-core";
import { launchChromium } from "./support/chromium.ts";
import { afterAll, afterEach, beforeAll, describe, it } from "vitest";
import { serve } from "../adapters/node/mod.ts";
import type { Server } from "../core/server/server.ts";
import { createApp } from "../examples/app.ts";
import { ensureSiteAssets } from "../examples/site-assets.ts";
import { cert, key } from "./contract/tls-fixture.ts";
import { pseudoRandom } from "./support/pseudo-random.ts";

describe("the /demo page in Chromium (node adapter)", () => {
  let browser: Browser;
  const servers: Server[] = [];

  beforeAll(async () => {
    ensureSiteAssets();
    browser = await launchChromium();
  }, 30_000);

  afterAll(async () => {
    await browser?.close();
    for (const server of servers) await server.close();
  });

  for (const protocol of ["http/1.1", "h2"] as const) {
    describe(`over ${protocol}`, () => {
      let origin = "";
      /** A context per page: nothing cached, so every page comes over the wire under test. */
      const contexts: BrowserContext[] = [];
      /** Errors the pages reported (uncaught exceptions, console errors): none is expected. */
      const errors: string[] = [];

      beforeAll(async () => {
        const tls = protocol === "h2" ? { tls: { cert, key } } : {};
        const server = serve(createApp(), { port: 0, hostname: "127.0.0.1", ...tls });
        await server.ready;
        servers.push(server);
        origin = `${protocol === "h2" ? "https" : "http"}://127.0.0.1:${server.address.port}`;
      });
      afterEach(async () => {
        for (const context of contexts.splice(0)) await context.close();
        const reported = errors.splice(0);
        assert.deepEqual(reported, [], "the pages reported no errors");
      });

      /** Open /demo in a new page, over the protocol under test. */
      async function openDemo(): Promise<Page> {
        const context = await browser.newContext({ ignoreHTTPSErrors: true });
        contexts.push(context);
        const page = await context.newPage();
        page.on("pageerror", (error) => errors.push(error.message));
        page.on("console", (message) => {
          if (message.type() === "error") errors.push(message.text());
        });
        const response = await page.goto(`${origin}/demo`);
        assert.equal(response?.status(), 200);
        assert.equal(new URL(page.url()).pathname, "/static/demo.html");
        const hop = await page.evaluate(() =>
          (performance.getEntriesByType("navigation")[0] as PerformanceNavigationTiming).nextHopProtocol
        );
        assert.equal(hop, protocol, "the page went over the protocol under test");
        // The stylesheet loaded (its rules apply), so the page's /static/ paths are right.
        const sheets = await page.evaluate(() => document.styleSheets.length);
        assert.equal(sheets, 1);
        return page;
      }

      it("receives server-sent events with increasing ids", async () => {
        const page = await openDemo();
        try {
          await page.waitForFunction(() => Number(document.getElementById("last-id")!.textContent) >= 2, null, {
            timeout: 10_000,
          });
          const lines = (await page.textContent("#events"))!.trim().split("\n");
          assert.match(lines[0]!, /^#1 \{"id":1,"at":"[^"]+"\}$/);
          assert.match(lines[1]!, /^#2 \{"id":2,"at":"[^"]+"\}$/);
        } finally {
          await page.close();
        }
      }, 30_000);

      it("chat: a message sent in one page arrives in the other", async () => {
        const alice = await openDemo();
        const bob = await openDemo();
        try {
          for (const page of [alice, bob]) await page.waitForSelector("#chat-send:not([disabled])");
          const text = `hello from ${protocol} ✓ ${Date.now()}`;
          await alice.fill("#chat-text", text);
          await alice.click("#chat-send");
          await bob.waitForFunction(
            (expected) => document.getElementById("log")!.textContent!.includes("them: " + expected),
            text,
            { timeout: 10_000 },
          );
          assert.match((await alice.textContent("#log"))!, new RegExp(`me: ${text}`));
          assert.doesNotMatch((await alice.textContent("#log"))!, /them:/, "a sender does not get its own message");
        } finally {
          await alice.close();
          await bob.close();
        }
      }, 30_000);

      it("uploads a file with progress and shows the server's SHA-256", async () => {
        const page = await openDemo();
        try {
          const bytes = pseudoRandom(2 << 20, 0xdeb0);
          await page.setInputFiles("#upload-file", {
            name: "random.bin",
            mimeType: "application/octet-stream",
            buffer: Buffer.from(bytes),
          });
          // Record every progress value the page shows, to see it grow to 1.
          await page.evaluate(() => {
            const bar = document.getElementById("upload-progress") as HTMLProgressElement;
            const seen: number[] = ((window as unknown as { progress: number[] }).progress = []);
            const { get, set } = Object.getOwnPropertyDescriptor(HTMLProgressElement.prototype, "value")!;
            Object.defineProperty(bar, "value", {
              get: () => get!.call(bar) as number,
              set(value: number) {
                seen.push(value);
                set!.call(bar, value);
              },
            });
          });
          await page.click("#upload-send");
          await page.waitForFunction(() => document.getElementById("upload-result")!.textContent !== "", null, {
            timeout: 20_000,
          });
          const result = (await page.textContent("#upload-result"))!;
          const status = result.slice(0, result.indexOf(" "));
          assert.equal(status, "200", result);
          assert.deepEqual(JSON.parse(result.slice(result.indexOf(" ") + 1)), {
            fields: { note: "from the demo page" },
            files: [{
              field: "file",
              name: "random.bin",
              type: "application/octet-stream",
              size: bytes.length,
              sha256: createHash("sha256").update(bytes).digest("hex"),
            }],
          });
          const progress = await page.evaluate(() => (window as unknown as { progress: number[] }).progress);
          assert.equal(progress.at(-1), 1, `progress ends at 1: ${progress.join(", ")}`);
          assert.equal(
            await page.evaluate(() => (document.getElementById("upload-progress") as HTMLProgressElement).value),
            1,
          );
          for (let i = 1; i < progress.length; i++) {
            assert.ok(progress[i]! >= progress[i - 1]!, `progress never goes back: ${progress.join(", ")}`);
          }
        } finally {
          await page.close();
        }
      }, 60_000);
    });
  }
});
