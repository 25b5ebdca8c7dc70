/**
 * Clients that go away mid-request (the request's signal aborts, a stream is cancelled), and
 * the server going away: graceful `shutdown()` and the `signal` option.
 */
import assert from "node:assert/strict";
import { RawClient, type Runtime, sleep, start, type TestApi, useServer, waitFor } from "../harness.ts";
import { App } from "../../../core/app/app.ts";
import { createFixtureApp, observed } from "../fixture-app.ts";
import { exchange, header, parseResponses, readResponses } from "../raw-response.ts";
import { get } from "./helpers.ts";

/** Clients that leave mid-request. */
export function disconnectCases(t: TestApi, runtime: Runtime): void {
  t.describe("client disconnects", () => {
    const s = useServer(t, runtime, createFixtureApp);
    let n = 0;
    const id = (what: string): string => `${runtime.name}-${what}-${++n}-${Math.random().toString(36).slice(2, 8)}`;

    // A FIN from the client counts as going away (as in Deno.serve and Bun.serve).
    t.it("c.req.signal aborts when the client closes its connection mid-request", async () => {
      const key = id("watch-fin");
      const client = await RawClient.open(s.port);
      await client.write(get(`/watch/${key}`));
      await waitFor(() => observed.started.has(key), "the handler to start");
      client.close();
      await waitFor(() => observed.aborted.has(key), "c.req.signal to abort after the client closed");
    });

    t.it("c.req.signal aborts when the client resets its connection mid-request", async () => {
      const key = id("watch-rst");
      const client = await RawClient.open(s.port);
      await client.write(get(`/watch/${key}`));
      await waitFor(() => observed.started.has(key), "the handler to start");
      const socket = client.socket as { resetAndDestroy?: () => void; destroy(): void };
      assert.equal(
        typeof socket.resetAndDestroy,
        "function",
        `node:net Socket.resetAndDestroy is missing on ${runtime.name}`,
      );
      socket.resetAndDestroy!();
      await waitFor(() => observed.aborted.has(key), "c.req.signal to abort after the client reset");
    });

    t.it("an endless streamed response is cancelled when the client goes away", async () => {
      const key = id("infinite");
      const client = await RawClient.open(s.port);
      await client.write(get(`/infinite/${key}`));
      await client.until((text) => text.length > 4096);
      client.close();
      await waitFor(() => observed.cancelled.has(key), "the stream's cancel() to be called");
      assert.ok(observed.aborted.has(key), "c.req.signal aborted too");
    });
  });
}

/** Graceful shutdown, by `shutdown()` and by the `signal` option. */
export function shutdownCases(t: TestApi, runtime: Runtime): void {
  t.describe("graceful shutdown", () => {
    const s = useServer(t, runtime, createFixtureApp);

    t.it("server.shutdown(): in-flight response completes, idle connections close, new ones are refused", async () => {
      const port = s.port;
      const idle = await RawClient.open(port);
      const busy = await RawClient.open(port);
      try {
        await idle.write(get("/"));
        await readResponses(idle, 1);
        const key = `${runtime.name}-shutdown-${Math.random().toString(36).slice(2, 8)}`;
        await busy.write(get(`/slow?ms=300&id=${key}`));
        await waitFor(() => observed.started.has(key), "the slow handler to start");

        let resolved = false;
        const done = s.server.shutdown().then(() => {
          resolved = true;
        });
        await idle.untilClosed(2000);
        assert.equal(resolved, false, "shutdown() waits for the in-flight request");
        await assert.rejects(RawClient.open(port), "a new connection during shutdown is refused");

        const text = await busy.untilClosed(3000);
        const { responses } = parseResponses(text, [], true);
        assert.equal(responses.length, 1);
        assert.equal(responses[0]!.status, 200);
        assert.equal(responses[0]!.body, "slow done");
        assert.equal(
          header(responses[0]!, "connection"),
          "close",
          "the last response says `connection: close` (RFC 9112 §9.6)",
        );

        await done;
        assert.equal(s.server.connections, 0);
        await assert.rejects(RawClient.open(port), "a new connection after shutdown is refused");
      } finally {
        idle.close();
        busy.close();
      }
    });
  });

  t.describe("shutdownTimeout, finished, Symbol.asyncDispose", () => {
    t.it("a request that never ends is cut after shutdownTimeout; `finished` resolves then", async () => {
      const app = new App().get("/", (c) => c.text("ok")).get("/hang", () => new Promise<never>(() => {}));
      const server = await start(runtime, app, { shutdownTimeout: 500 });
      const hanging = await RawClient.open(server.address.port);
      try {
        await hanging.write(get("/hang"));
        await sleep(50);
        let finished = false;
        void server.finished.then(() => (finished = true));
        const began = Date.now();
        const asyncDispose = (Symbol as { asyncDispose?: symbol }).asyncDispose!;
        await (server as unknown as Record<symbol, () => Promise<void>>)[asyncDispose]!();
        const took = Date.now() - began;
        assert.ok(took >= 400 && took < 3000, `shutdown took ${took} ms`);
        await hanging.untilClosed(2000);
        await sleep(0);
        assert.equal(finished, true, "`finished` resolved");
        assert.equal(server.connections, 0);
      } finally {
        hanging.close();
        await server.close();
      }
    });

    t.it("`finished` resolves after close() too", async () => {
      const server = await start(runtime, new App().get("/", (c) => c.text("ok")));
      await server.close();
      await server.finished;
    });
  });

  t.describe("rolling restart", () => {
    t.it("a restart under load loses no request that was accepted", async () => {
      // Every attempt carries its own id; the app records the ids it handled. A request the
      // server read (its handler ran) must get its answer; one refused or reset before it was
      // read is retried under a new id, as an HTTP client does for an idempotent request.
      const handled = new Set<string>();
      const answered = new Set<string>();
      const app = (): App =>
        new App().get("/work/:id", async (c) => {
          handled.add(c.params.id!);
          await sleep(5);
          return c.text(c.params.id!);
        });
      let server = await start(runtime, app(), { shutdownTimeout: 5_000 });
      const port = server.address.port;
      let running = true;
      let failures = 0;
      const client = async (n: number): Promise<void> => {
        for (let attempt = 0; running; attempt++) {
          const id = `${n}-${attempt}`;
          try {
            const response = await fetch(`http://127.0.0.1:${port}/work/${id}`);
            if (response.status === 200 && (await response.text()) === id) answered.add(id);
          } catch {
            failures++;
            await sleep(10);
          }
        }
      };
      const clients = Array.from({ length: 8 }, (_, n) => client(n));
      await sleep(300);
      const old = server;
      const draining = old.shutdown();
      // The new server binds as soon as the old listener is closed.
      for (let tries = 0;; tries++) {
        try {
          server = await start(runtime, app(), { port });
          break;
        } catch (error) {
          if (tries > 100) throw error;
          await sleep(10);
        }
      }
      await draining;
      await sleep(300);
      running = false;
      await Promise.all(clients);
      await server.close();
      const lost = [...handled].filter((id) => !answered.has(id));
      assert.deepEqual(lost, [], `handled but never answered (${failures} attempts refused or reset)`);
      assert.ok(answered.size >= 8, `only ${answered.size} requests answered`);
    }, 30_000);
  });

  t.describe("the `signal` option", () => {
    t.it("aborting the signal shuts the server down", async () => {
      const controller = new AbortController();
      const server = await start(runtime, createFixtureApp(), { signal: controller.signal });
      const port = server.address.port;
      try {
        const { client, responses } = await exchange(port, get("/"));
        assert.equal(responses[0]!.status, 200);
        controller.abort();
        await client.untilClosed(2000);
        await server.shutdown();
        await assert.rejects(RawClient.open(port), "connections are refused after the signal aborted");
      } finally {
        await server.close();
      }
    });
  });
}
