/**
 * The second argument of a fetch handler (core/fetch/fetch-info.ts) and WebSockets from fetch
 * handlers, with Hono: the runtime's own Hono adapter (`getConnInfo`, `upgradeWebSocket`) must
 * work unchanged on wirecore, beside the native server; wirecore's Hono-shaped
 * `upgradeWebSocket` and the Bun-shaped `server.upgrade()` work on every runtime.
 */
import assert from "node:assert/strict";
import { Hono } from "hono";
import { upgradeWebSocket } from "../../core/fetch/upgrade-websocket.ts";
import type { FetchInfo } from "../../core/fetch/fetch-info.ts";
import type { ServerWebSocket } from "../../core/session/ws/server-websocket.ts";
import type { WSEvents } from "../../core/fetch/hono-websocket.ts";
import { type ConnInfo, RawClient, type Runtime, type TestApi, waitFor } from "./harness.ts";
import { nativeName, pathOf, report, useFetchPair } from "./fetch-pair.ts";
import { parseResponses } from "./raw-response.ts";

/** GET `path` over a raw connection; returns the JSON body and the client's own port. */
async function getJson(port: number, path: string): Promise<{ body: unknown; localPort: number }> {
  const client = await RawClient.open(port);
  try {
    await client.write(`GET ${path} HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n`);
    const text = await client.until((t) => parseResponses(t).responses.length >= 1, 5000);
    const response = parseResponses(text, [], client.closed).responses[0];
    const body = response === undefined
      ? "closed without a response"
      : response.status === 200
      ? JSON.parse(response.body)
      : `status ${response.status}`;
    return { body, localPort: client.socket.localPort ?? 0 };
  } finally {
    client.close();
  }
}

/** `value` with the client's port written as "<client port>", so two servers' answers compare. */
function portless(value: unknown, localPort: number): unknown {
  if (value === localPort) return "<client port>";
  if (Array.isArray(value)) return value.map((v) => portless(v, localPort));
  if (value !== null && typeof value === "object") {
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, portless(v, localPort)]));
  }
  return value;
}

/** A WebSocket client of the runtime: what it received, in order, and how it closed. */
async function talk(
  url: string,
  script: (ws: WebSocket) => void,
  until: (received: (string | number[])[]) => boolean,
  protocols: string[] = [],
): Promise<{ received: (string | number[])[]; protocol: string }> {
  // A client that offers subprotocols fails a 101 that picks none (WHATWG WebSockets).
  const ws = new WebSocket(url, protocols);
  ws.binaryType = "arraybuffer";
  const received: (string | number[])[] = [];
  ws.onmessage = (event) =>
    received.push(typeof event.data === "string" ? event.data : [...new Uint8Array(event.data as ArrayBuffer)]);
  await new Promise<void>((resolve, reject) => {
    ws.onopen = () => resolve();
    ws.onerror = () => reject(new Error(`WebSocket ${url} failed to open`));
  });
  script(ws);
  await waitFor(() => until(received), `messages from ${url}`);
  const protocol = ws.protocol;
  ws.close(1000, "done");
  return { received, protocol };
}

/** Register the cases of the second argument and of WebSockets on the fetch path. */
export function fetchEnvCases(t: TestApi, runtime: Runtime): void {
  const hono = runtime.hono;

  t.describe(`fetch path: getConnInfo from ${hono.name} with a Hono app (beside ${nativeName(runtime)})`, () => {
    const pair = useFetchPair(t, runtime, () => {
      const app = new Hono();
      app.get("/conninfo", (c) => c.json(hono.getConnInfo(c)));
      return app.fetch;
    });
    t.it(`getConnInfo from ${hono.name} gives the client's address and port`, async () => {
      const ours = await getJson(pair.wirecore, "/conninfo");
      const theirs = await getJson(pair.native, "/conninfo");
      const expected = (localPort: number): ConnInfo["remote"] => ({
        address: "127.0.0.1",
        port: localPort,
        ...(runtime.name === "deno" ? { transport: "tcp" } : { addressType: "IPv4" }),
      });
      const remote = (ours.body as ConnInfo).remote;
      report(
        runtime,
        "getConnInfo",
        portless(remote, ours.localPort),
        portless((theirs.body as ConnInfo).remote, theirs.localPort),
        portless(expected(theirs.localPort), theirs.localPort),
      );
      assert.deepEqual(remote, expected(ours.localPort));
    });
  });

  t.describe("fetch path: the second argument (Bun's server, Deno's info, @hono/node-server's env)", () => {
    const done: string[] = [];
    const pair = useFetchPair(t, runtime, () => (request, second) => {
      const info = second as FetchInfo;
      if (pathOf(request) === "/completed") {
        void info.completed.then(() => done.push("resolved"), () => done.push("rejected"));
        return new Response("ok");
      }
      // Read each shape defensively: the native server has only its own.
      const view: Record<string, unknown> = {};
      try {
        view.requestIP = info.requestIP(request);
      } catch {
        view.requestIP = "absent";
      }
      view.remoteAddr = info.remoteAddr ?? "absent";
      view.incoming = info.incoming?.socket === undefined ? "absent" : {
        remoteAddress: info.incoming.socket.remoteAddress,
        remotePort: info.incoming.socket.remotePort,
        remoteFamily: info.incoming.socket.remoteFamily,
      };
      return Response.json(view);
    });
    t.it("every runtime's shape: requestIP(), remoteAddr, incoming.socket", async () => {
      const ours = await getJson(pair.wirecore, "/");
      const theirs = await getJson(pair.native, "/");
      const expected = {
        requestIP: { address: "127.0.0.1", family: "IPv4", port: ours.localPort },
        remoteAddr: { transport: "tcp", hostname: "127.0.0.1", port: ours.localPort },
        incoming: { remoteAddress: "127.0.0.1", remotePort: ours.localPort, remoteFamily: "IPv4" },
      };
      // No standard here: wirecore carries every runtime's shape, the native server its own.
      report(
        runtime,
        "second argument",
        portless(ours.body, ours.localPort),
        portless(theirs.body, theirs.localPort),
        portless(theirs.body, theirs.localPort),
      );
      assert.deepEqual(ours.body, expected);
    });
    t.it("info.completed resolves once the response has been sent (Deno's ServeHandlerInfo)", async () => {
      done.length = 0;
      await getJson(pair.wirecore, "/completed").catch(() => {});
      await waitFor(() => done.length === 1, "info.completed");
      assert.deepEqual(done, ["resolved"]);
    });
  });

  webSocketCases(t, runtime);
}

/** A Hono WebSocket route that echoes and logs what it saw, as text, for the cases to compare. */
function echoEvents(log: string[]): WSEvents {
  return {
    onOpen(_event, ws) {
      log.push("open");
      ws.send(`open ${ws.protocol ?? ""}`);
    },
    onMessage(event, ws) {
      const data = event.data;
      log.push(typeof data === "string" ? `text ${data}` : `binary ${new Uint8Array(data).join(",")}`);
      ws.send(data);
    },
    onClose(event) {
      log.push(`close ${event.code} ${event.reason}`);
    },
  };
}

function webSocketCases(t: TestApi, runtime: Runtime): void {
  const hono = runtime.hono;
  const expectedEcho = (protocol: string): (string | number[])[] => [`open ${protocol}`, "hi", [1, 2, 250]];
  const script = (ws: WebSocket): void => {
    ws.send("hi");
    ws.send(new Uint8Array([1, 2, 250]));
  };

  t.describe("fetch path: WebSockets with Hono", () => {
    const log: string[] = [];
    const errors: unknown[] = [];
    const adapterUpgrade = hono.upgradeWebSocket;
    const pair = useFetchPair(t, runtime, () => {
      const app = new Hono();
      // As a user writes it: the Context type comes from the route.
      app.get("/wirecore", upgradeWebSocket((c) => (c.req.path === "/wirecore" ? echoEvents(log) : {})));
      if (typeof adapterUpgrade === "function") app.get("/adapter", adapterUpgrade(() => echoEvents(log)) as never);
      return app.fetch;
    }, { websocket: hono.websocket, onError: (error) => errors.push(error) });

    t.it(
      "wirecore's upgradeWebSocket((c) => events): open, text and binary echo, close, on every runtime",
      async () => {
        log.length = 0;
        const ours = await talk(`ws://127.0.0.1:${pair.wirecore}/wirecore`, script, (r) => r.length >= 3, [
          "chat.v1",
          "chat.v2",
        ]);
        assert.deepEqual(ours.received, expectedEcho("chat.v1"));
        assert.equal(ours.protocol, "chat.v1");
        await waitFor(() => log.length >= 4, "the close event");
        assert.deepEqual(log, ["open", "text hi", "binary 1,2,250", "close 1000 done"]);
      },
    );

    if (typeof adapterUpgrade !== "function") {
      t.it(`no upgradeWebSocket from ${hono.name} on wirecore: ${adapterUpgrade.missing}`, () => {
        assert.equal(typeof adapterUpgrade.missing, "string");
      });
    } else if (hono.websocket !== undefined) {
      t.it(
        `upgradeWebSocket and websocket from ${hono.name} work unchanged (server.upgrade() of the second argument)`,
        async () => {
          log.length = 0;
          const theirs = await talk(`ws://127.0.0.1:${pair.native}/adapter`, script, (r) => r.length >= 3);
          await waitFor(() => log.length >= 4, "the native close event");
          const nativeLog = log.splice(0);
          const ours = await talk(`ws://127.0.0.1:${pair.wirecore}/adapter`, script, (r) => r.length >= 3);
          report(runtime, `${hono.name} upgradeWebSocket`, ours.received, theirs.received, theirs.received);
          assert.deepEqual(ours.received, expectedEcho(""));
          assert.equal(ours.protocol, theirs.protocol);
          await waitFor(() => log.length >= 4, "the close event");
          assert.deepEqual(log, nativeLog);
        },
      );
    } else {
      t.it(
        `upgradeWebSocket from ${hono.name} (Deno.upgradeWebSocket's 101) fails with an error naming wirecore's`,
        async () => {
          log.length = 0;
          const theirs = await talk(`ws://127.0.0.1:${pair.native}/adapter`, script, (r) => r.length >= 3);
          errors.length = 0;
          const ws = new WebSocket(`ws://127.0.0.1:${pair.wirecore}/adapter`);
          const ours = await new Promise<string>((resolve) => {
            ws.onopen = () => resolve("opened");
            ws.onerror = () => resolve("refused");
            ws.onclose = () => resolve("refused");
          });
          // The native server owns its socket: there Deno.upgradeWebSocket is right.
          report(runtime, `${hono.name} upgradeWebSocket`, ours, theirs.received, theirs.received);
          assert.equal(ours, "refused");
          await waitFor(() => errors.length > 0, "the error report");
          assert.match(String((errors[0] as Error).message), /upgradeWebSocket\(\) from wirecore/);
        },
      );
    }
  });

  t.describe("fetch path: Bun's server.upgrade(request, { data }) from the second argument, on every runtime", () => {
    const pair = useFetchPair(t, runtime, () => (request, second) => {
      const server = second as FetchInfo;
      if (server.upgrade(request, { data: { id: new URL(request.url).searchParams.get("id") } })) return undefined;
      return new Response("not a WebSocket request", { status: 400 });
    }, {
      websocket: {
        open(ws: ServerWebSocket<{ id: string }>) {
          ws.send(`hello ${ws.data.id}`);
        },
        message(ws: ServerWebSocket<{ id: string }>, data: string | Uint8Array) {
          ws.send(data);
        },
      },
    });
    t.it("the socket carries data; a plain request gets the handler's answer", async () => {
      const ours = await talk(`ws://127.0.0.1:${pair.wirecore}/?id=7`, (ws) => ws.send("x"), (r) => r.length >= 2);
      if (runtime.name === "bun") {
        const theirs = await talk(`ws://127.0.0.1:${pair.native}/?id=7`, (ws) => ws.send("x"), (r) => r.length >= 2);
        report(runtime, "server.upgrade", ours.received, theirs.received, ["hello 7", "x"]);
      }
      assert.deepEqual(ours.received, ["hello 7", "x"]);
      const plain = await getJson(pair.wirecore, "/").catch(() => null);
      assert.equal(plain?.body, "status 400");
    });
  });
}
