/**
 * WebSocket pub/sub across processes (docs/pubsub.md) and a rate limit shared across servers
 * (docs/rate-limit.md), through a real redis-server (test/support/redis-server.ts) and the npm
 * `redis` client, on this runtime's adapter: two servers, each with its own RedisBackplane and
 * Redis connections as two processes would have. A message published on one reaches the
 * subscribers of both once, in order, text and binary exactly; during a Redis outage a publish
 * is reported failed (local subscribers still get it) and delivery resumes after the restart;
 * the two servers share one RedisRateLimitStore limit.
 */
import assert from "node:assert/strict";
import { Buffer } from "node:buffer";
import { createClient } from "redis";
import { App } from "../../core/app/app.ts";
import { rateLimit } from "../../core/middleware/rate-limit/rate-limit.ts";
import type { Server } from "../../core/server/server.ts";
import type { BackplaneError } from "../../core/session/ws/backplane.ts";
import { RedisBackplane, RedisRateLimitStore } from "../../integrations/redis/mod.ts";
import { RedisServer } from "../support/redis-server.ts";
import { type Runtime, start, type TestApi, waitFor } from "./harness.ts";
import { openWebSocket } from "./ws/helpers.ts";
import { PROTOCOLS } from "./semantics-setup.ts";
import { cert, key } from "./tls-fixture.ts";

type RedisClient = ReturnType<typeof createClient>;
type Socket = Awaited<ReturnType<typeof openWebSocket>>;

const TOPIC = "room";

/** A WebSocket room: each socket joins `room`, what it sends goes to the others; /limited shares a Redis limit. */
function createRoomApp(store: RedisRateLimitStore, keyPrefix: string): App {
  const app = new App();
  app.ws("/room", {
    open: (ws) => ws.subscribe(TOPIC),
    message: (ws, data) => void ws.publish(TOPIC, data),
  });
  app.ws("/late", { open: (ws) => ws.subscribe("late") });
  app.get(
    "/limited",
    rateLimit({ limit: 5, windowMs: 60_000, store, key: (c) => keyPrefix + c.req.query.get("k") }),
    (c) => c.text("ok"),
  );
  return app;
}

/** One "process": its own Redis connections, backplane and server. */
interface Node {
  publisher: RedisClient;
  backplane: RedisBackplane;
  server: Server;
  errors: BackplaneError[];
  url: string;
}

function text(data: string | ArrayBuffer): string {
  assert.equal(typeof data, "string", "a text message arrived as binary");
  return data as string;
}

export function redisBackplaneCases(t: TestApi, runtime: Runtime): void {
  t.describe("Redis backplane and rate-limit store on a real redis-server", () => {
    let redis: RedisServer | null = null;
    let admin: RedisClient | null = null;
    const nodes: Node[] = [];
    const sockets: Socket[] = [];

    async function startNode(): Promise<Node> {
      const publisher = createClient({ url: redis!.url, disableOfflineQueue: true });
      publisher.on("error", () => {}); // the outage case stops Redis: publishes report it
      await publisher.connect();
      const backplane = new RedisBackplane({ publisher });
      const errors: BackplaneError[] = [];
      const store = new RedisRateLimitStore({ client: publisher });
      const server = await start(runtime, createRoomApp(store, `${runtime.name}:`), {
        backplane,
        onBackplaneError: (error) => errors.push(error),
      });
      const node = { publisher, backplane, server, errors, url: `ws://127.0.0.1:${server.address.port}/room` };
      nodes.push(node);
      return node;
    }

    async function join(node: Node): Promise<Socket> {
      const socket = await openWebSocket(node.url);
      sockets.push(socket);
      return socket;
    }

    /** Subscribers Redis counts on the room's channel (one per server with a local subscriber). */
    async function redisSubscribers(topic = TOPIC): Promise<number> {
      const counts = await admin!.pubSubNumSub("wirecore:ws:" + topic);
      return Number(Object.values(counts)[0] ?? 0);
    }

    async function waitForRedisSubscribers(count: number, topic = TOPIC): Promise<void> {
      const deadline = Date.now() + 10_000;
      while ((await redisSubscribers(topic).catch(() => -1)) !== count) {
        if (Date.now() > deadline) throw new Error(`Redis never counted ${count} subscribers on ${topic}`);
        await new Promise((resolve) => setTimeout(resolve, 20));
      }
    }

    t.beforeAll(async () => {
      redis = await RedisServer.start();
      admin = createClient({ url: redis.url });
      admin.on("error", () => {});
      await admin.connect();
    });
    t.afterAll(async () => {
      for (const socket of sockets) socket.ws.close();
      for (const node of nodes) {
        await node.server.close();
        await node.backplane.close();
        node.publisher.destroy();
      }
      admin?.destroy();
      await redis?.stop();
    });

    let a: Node, b: Node;
    let a1: Socket, a2: Socket, b1: Socket;

    t.it("a message published on one server reaches every subscriber of both once, in order", async () => {
      a = await startNode();
      b = await startNode();
      a1 = await join(a);
      a2 = await join(a);
      b1 = await join(b);
      await waitForRedisSubscribers(2);
      const sent = Array.from({ length: 20 }, (_, i) => `m${i} é€𝄞`);
      for (const message of sent) a1.ws.send(message);
      for (const socket of [a2, b1]) {
        const got: string[] = [];
        for (let i = 0; i < sent.length; i++) got.push(text(await socket.next(`message ${i}`)));
        assert.deepEqual(got, sent);
      }
      // server.publish on the other server: every socket, a1 included, gets it next — no echo or
      // duplicate of the 20 before it.
      assert.equal(b.server.publish(TOPIC, "end"), 1);
      for (const socket of [a1, a2, b1]) assert.equal(text(await socket.next("end")), "end");
      assert.deepEqual(a.errors, []);
      assert.deepEqual(b.errors, []);
    });

    t.it("binary messages round-trip exactly, and text stays text", async () => {
      const bytes = Uint8Array.from({ length: 70_000 }, (_, i) => (i * 7) & 0xff);
      b1.ws.send(bytes);
      b1.ws.send(new Uint8Array(0));
      b1.ws.send("\u0000 not binary");
      for (const socket of [a1, a2]) {
        const first = await socket.next("binary");
        assert.ok(first instanceof ArrayBuffer, "binary arrived as text");
        assert.deepEqual(new Uint8Array(first), bytes);
        const empty = await socket.next("empty binary");
        assert.ok(empty instanceof ArrayBuffer && empty.byteLength === 0);
        assert.equal(text(await socket.next("text")), "\u0000 not binary");
      }
    });

    t.it("during a Redis outage a publish is reported failed; delivery resumes after the restart", async () => {
      await redis!.stop();
      await waitFor(() => !a.publisher.isReady, "the publisher to notice the outage", 10_000);
      assert.equal(a.server.publish(TOPIC, "during"), 2); // local subscribers still get it
      await waitFor(() => a.errors.length > 0, "the failed publish to be reported");
      const [error] = a.errors;
      assert.equal(error!.name, "BackplaneError");
      assert.equal(error!.operation, "publish");
      assert.equal(error!.topic, TOPIC);
      assert.equal(error!.data, "during");
      for (const socket of [a1, a2]) assert.equal(text(await socket.next("during (local)")), "during");
      // A topic whose first subscriber comes during the outage is subscribed once Redis is back.
      const late = await openWebSocket(b.url.replace("/room", "/late"));
      sockets.push(late);

      await redis!.restart();
      await waitFor(() => a.publisher.isReady && b.publisher.isReady, "the publishers to reconnect", 10_000);
      await waitForRedisSubscribers(2); // node-redis resubscribed both servers
      await waitForRedisSubscribers(1, "late");
      a.server.publish("late", "late news");
      assert.equal(text(await late.next("late news")), "late news");
      a.server.publish(TOPIC, "after");
      // b1's next message is "after": "during" never reached it.
      assert.equal(text(await b1.next("after")), "after");
      for (const socket of [a1, a2]) assert.equal(text(await socket.next("after")), "after");
      assert.equal(a.errors.length, 1);
      assert.deepEqual(b.errors, []);
    });

    t.it("two servers share one rate limit in Redis (atomic: a parallel burst lets exactly 5 through)", async () => {
      const base = [a, b].map((node) => `http://127.0.0.1:${node.server.address.port}/limited`);
      const statuses: number[] = [];
      for (let i = 0; i < 6; i++) statuses.push((await fetch(`${base[i % 2]}?k=seq`)).status);
      assert.deepEqual(statuses, [200, 200, 200, 200, 200, 429]);
      const burst = await Promise.all(
        Array.from({ length: 30 }, (_, i) => fetch(`${base[i % 2]}?k=burst`).then(async (r) => (await r.text(), r))),
      );
      assert.equal(burst.filter((r) => r.status === 200).length, 5);
      assert.equal(burst.filter((r) => r.status === 429).length, 25);
      const denied = burst.find((r) => r.status === 429)!;
      assert.match(denied.headers.get("retry-after") ?? "", /^\d+$/);
      const ttl = await admin!.pTTL(`rl:${runtime.name}:burst`);
      assert.ok(ttl > 0 && ttl <= 60_000, `PTTL ${ttl}`);
    });

    for (const under of PROTOCOLS) {
      t.it(`two servers share one Redis rate limit over ${under.name}`, async () => {
        const store = new RedisRateLimitStore({ client: a.publisher, prefix: `rl:${under.protocol}:` });
        const options = under.tls ? { tls: { cert, key } } : {};
        const servers = [
          await start(runtime, createRoomApp(store, runtime.name), options),
          await start(runtime, createRoomApp(store, runtime.name), options),
        ];
        const clients = await Promise.all(servers.map((server) => under.connect(server.address.port)));
        try {
          const responses = await Promise.all(
            Array.from({ length: 12 }, (_, i) => clients[i % 2]!.request({ path: "/limited?k=h" })),
          );
          const statuses = responses.map((r) => r.status).sort();
          assert.deepEqual(statuses, [...Array(5).fill(200), ...Array(7).fill(429)]);
          assert.equal(responses.find((r) => r.status === 200)!.text(), "ok");
        } finally {
          for (const client of clients) await client.close();
          for (const server of servers) await server.close();
        }
      });
    }

    t.it("a message on a topic's channel that no backplane wrote is ignored", async () => {
      // Another program publishing on the channel: not a wirecore envelope, so no socket gets it.
      await admin!.publish("wirecore:ws:" + TOPIC, "plain text from redis-cli");
      await admin!.publish("wirecore:ws:" + TOPIC, Buffer.from([9, 0, 1, 2]));
      b.server.publish(TOPIC, "next");
      for (const socket of [a1, a2, b1]) assert.equal(text(await socket.next("next")), "next");
      assert.throws(() => new RedisBackplane({} as never), /options\.publisher must be a connected node-redis client/);
      assert.throws(() => a.backplane.attach(() => {}), /already attached/);
    });
  });
}
