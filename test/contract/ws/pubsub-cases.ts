/**
 * Pub/sub: a thousand subscribers of one topic get `server.publish` and each other's messages,
 * and the topic forgets those that leave.
 */
import assert from "node:assert/strict";
import { randomBytes } from "node:crypto";
import { type TestApi, waitFor } from "../harness.ts";
import type { WsSuite } from "./fixture.ts";
import { closeBody, OP_BINARY, OP_CLOSE, OP_TEXT } from "./frames.ts";
import { sameBytes } from "./helpers.ts";
import { WsClient } from "./raw-ws-client.ts";

export function pubSubCases(t: TestApi, s: WsSuite): void {
  const { main, track } = s;
  t.it("pub/sub: 1 000 subscribers of /chat all get server.publish and each other's messages", async () => {
    const subscribers: WsClient[] = [];
    for (let batch = 0; batch < 10; batch++) {
      const opened = await Promise.all(Array.from({ length: 100 }, () => WsClient.open(main.port, "/chat")));
      for (const c of opened) subscribers.push(track(c));
    }
    await waitFor(
      () => main.server.subscriberCount("chat") === 1000,
      `1000 subscribers (have ${main.server.subscriberCount("chat")})`,
    );
    assert.equal(main.server.publish("chat", "to everyone ✓"), 1000);
    const texts = await Promise.all(subscribers.map((c) => c.nextMessage(OP_TEXT, "the published text", 10_000)));
    for (const m of texts) assert.equal(m.toString(), "to everyone ✓");
    // A member's message goes to the 999 others, not back to it.
    subscribers[0]!.sendFrame(OP_TEXT, "from member 0");
    const others = await Promise.all(
      subscribers.slice(1).map((c) => c.nextMessage(OP_TEXT, "member 0's message", 10_000)),
    );
    for (const m of others) assert.equal(m.toString(), "from member 0");
    const bytes = randomBytes(1000);
    assert.equal(main.server.publish("chat", bytes), 1000);
    const binaries = await Promise.all(
      subscribers.map((c) => c.nextMessage(OP_BINARY, "the published bytes", 10_000)),
    );
    for (const b of binaries) sameBytes(b, bytes, "published binary");
    // Leaving: half close cleanly, half just drop; the topic forgets them.
    for (const c of subscribers.slice(0, 500)) c.sendFrame(OP_CLOSE, closeBody(1000));
    for (const c of subscribers.slice(500, 900)) c.close();
    await waitFor(
      () => main.server.subscriberCount("chat") === 100,
      `100 subscribers left (have ${main.server.subscriberCount("chat")})`,
    );
    assert.equal(main.server.publish("chat", "to the rest"), 100);
    for (const c of subscribers.slice(900)) assert.equal((await c.nextMessage(OP_TEXT)).toString(), "to the rest");
    for (const c of subscribers) c.close();
    await waitFor(() => main.server.subscriberCount("chat") === 0, "no subscriber left");
    assert.equal(main.server.publish("chat", "nobody"), 0);
  }, 30_000);
}
