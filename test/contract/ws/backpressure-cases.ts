/**
 * Backpressure towards a slow consumer: `send()` reports it, the sender waits for `drain`, memory
 * stays bounded, and a socket past `maxBackpressure` is closed with 1008.
 */
import assert from "node:assert/strict";
import process from "node:process";
import { sleep, type TestApi, waitFor } from "../harness.ts";
import type { WsSuite } from "./fixture.ts";
import { OP_BINARY, OP_TEXT } from "./frames.ts";
import { MiB, sizeName } from "./helpers.ts";
import type { WsClient } from "./raw-ws-client.ts";

export function backpressureCases(t: TestApi, s: WsSuite): void {
  const { seen, tight, tightSeen, open } = s;
  t.describe("slow consumer", () => {
    /** Wait until the flood's sender has not sent anything for 400 ms. */
    async function untilStalled(): Promise<number> {
      let last = -1;
      let quietSince = Date.now();
      const deadline = Date.now() + 10_000;
      while (Date.now() - quietSince < 400) {
        assert.ok(Date.now() < deadline, `the sender never stalled (${sizeName(seen.flood.sent)} sent)`);
        await sleep(50);
        if (seen.flood.sent !== last) {
          last = seen.flood.sent;
          quietSince = Date.now();
        }
      }
      return seen.flood.sent;
    }

    /** Read the whole flood: every message, in order. */
    async function readFlood(client: WsClient, total: number): Promise<void> {
      client.socket.resume();
      let received = 0;
      for (let index = 0; received < total; index++) {
        const m = await client.nextMessage(OP_BINARY, `flood message ${index} (after ${sizeName(received)})`, 10_000);
        assert.equal(m.readUInt32BE(0), index, "flood messages out of order");
        assert.equal(m[m.length - 1], index & 0xff);
        received += m.length;
      }
      assert.equal(received, total);
    }

    t.it(
      "send() reports backpressure, the sender waits for drain, memory stays bounded, all 48 MiB arrive",
      async () => {
        const total = 48 * MiB;
        const baseRss = process.memoryUsage().rss;
        // The flood starts in `open`; the client reads nothing until the sender stalls.
        const client = await open(`/ws-flood?bytes=${total}`);
        client.socket.pause();
        const stalledAt = await untilStalled();
        const f = seen.flood;
        const rssGrowth = process.memoryUsage().rss - baseRss;
        assert.ok(f.pressure >= 1, "send() never returned true");
        assert.ok(stalledAt < total / 2, `the sender only stalled after ${sizeName(stalledAt)}`);
        assert.ok(f.maxBuffered <= 2 * MiB, `bufferedAmount reached ${sizeName(f.maxBuffered)}`);
        assert.ok(rssGrowth < 32 * MiB, `RSS grew by ${sizeName(rssGrowth)} while stalled at ${sizeName(stalledAt)}`);
        await readFlood(client, total);
        assert.ok(f.done, "the sender did not finish");
        assert.ok(f.drains >= 1, "drain never fired");
      },
      30_000,
    );

    t.it("send() reports backpressure inside a message handler too", async () => {
      const total = 48 * MiB;
      const client = await open("/ws-flood");
      client.socket.pause();
      client.sendFrame(OP_TEXT, `go ${total}`);
      const stalledAt = await untilStalled();
      const f = seen.flood;
      assert.ok(
        f.pressure >= 1,
        `send() never returned true in the message handler (${sizeName(stalledAt)} sent, bufferedAmount up to ${
          sizeName(f.maxBuffered)
        })`,
      );
      assert.ok(stalledAt < total / 2, `the sender only stalled after ${sizeName(stalledAt)}`);
      await readFlood(client, total);
      assert.ok(f.drains >= 1, "drain never fired");
    }, 30_000);

    t.it(
      "closes a socket past maxBackpressure: the close handler gets 1008 and the sender stops (1 MiB limit)",
      async () => {
        tightSeen.hose.closeCode = 0;
        tightSeen.hose.finishedAt = -1;
        const client = await open("/ws-firehose?on=open", {}, tight.port);
        client.socket.pause();
        await waitFor(() => tightSeen.hose.finishedAt >= 0, "the sender's loop to end", 10_000);
        assert.equal(
          tightSeen.hose.closeCode,
          1008,
          `close code ${tightSeen.hose.closeCode} after ${sizeName(tightSeen.hose.finishedAt)} sent`,
        );
        assert.ok(
          tightSeen.hose.finishedAt < 16 * MiB,
          `the server took ${sizeName(tightSeen.hose.finishedAt)} before closing`,
        );
        client.socket.resume();
        await waitFor(() => client.closed, "the server to drop the connection");
      },
      20_000,
    );

    t.it("closes a socket past maxBackpressure when the sends come from a message handler", async () => {
      tightSeen.hose.closeCode = 0;
      tightSeen.hose.finishedAt = -1;
      const client = await open("/ws-firehose", {}, tight.port);
      client.socket.pause();
      client.sendFrame(OP_TEXT, "go");
      await waitFor(() => tightSeen.hose.finishedAt >= 0, "the sender's loop to end", 10_000);
      assert.ok(
        tightSeen.hose.finishedAt < 16 * MiB,
        `the server took ${sizeName(tightSeen.hose.finishedAt)} without closing`,
      );
      await waitFor(() => tightSeen.hose.closeCode !== 0, "the close handler");
      assert.equal(tightSeen.hose.closeCode, 1008);
      client.close();
    }, 20_000);
  });
}
