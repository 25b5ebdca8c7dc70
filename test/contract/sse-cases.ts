/**
 * Server-Sent Events (`c.sse()`, docs/sse.md) on this runtime's adapter, over HTTP/1.1 (the
 * runtime's `fetch`), HTTP/2 h2c and HTTP/2 over TLS (`node:http2`): the stream is read as it
 * arrives and parsed by an independent parser (`eventsource-parser`, WHATWG HTML §9.2).
 */
import assert from "node:assert/strict";
import http2 from "node:http2";
import { createParser, type EventSourceMessage } from "eventsource-parser";
import { App } from "../../core/app/app.ts";
import type { Server } from "../../core/server/server.ts";
import { type Runtime, sleep, start, type TestApi, waitFor } from "./harness.ts";
import type { HttpClient, StreamingResponse } from "./http-client.ts";
import { PROTOCOLS, type ProtocolUnderTest } from "./semantics-setup.ts";
import { cert, key } from "./tls-fixture.ts";

/** What the handlers saw, by the id in the path. */
const seen = {
  aborted: new Set<string>(),
  finished: new Set<string>(),
  sent: new Map<string, number>(),
};
const gates = new Map<string, () => void>();

/** Wait until the test releases `id` (it read the event before). */
function gate(id: string): Promise<void> {
  return new Promise((resolve) => gates.set(id, resolve));
}

function release(id: string): void {
  const open = gates.get(id);
  assert.ok(open !== undefined, `the handler of ${id} is waiting`);
  gates.delete(id);
  open();
}

export const MULTILINE = "first line\nsecond line\r\nthird line\rfourth  \n\n sixth with a leading space";

function createSseApp(): App {
  return new App()
    .get("/sse/steps/:id", (c) =>
      c.sse(async (stream) => {
        for (let i = 1; i <= 3; i++) {
          await stream.send({ id: i, data: `step ${i}` });
          if (i < 3) await gate(c.params.id!);
        }
      }))
    .get("/sse/forever/:id", (c) =>
      c.sse(async (stream) => {
        const id = c.params.id!;
        stream.signal.addEventListener("abort", () => seen.aborted.add(id));
        try {
          for (let i = 0;; i++) {
            await stream.send({ id: i, data: `tick ${i}` });
            await stream.sleep(10);
          }
        } finally {
          seen.finished.add(id);
        }
      }))
    .get("/sse/fields", (c) =>
      c.sse(async (stream) => {
        await stream.send({ retry: 2500 });
        await stream.send({ event: "custom", id: "x-1", data: MULTILINE });
        await stream.send({ data: { json: ["a", 1] } });
      }))
    .get("/sse/resume", (c) =>
      c.sse(async (stream) => {
        const from = Number(stream.lastEventId ?? "0");
        for (let i = from + 1; i <= from + 2; i++) await stream.send({ id: i, data: String(i) });
      }))
    .get("/sse/fails", (c) =>
      c.sse(async (stream) => {
        await stream.send({ data: "before" });
        throw new Error("sse callback failed");
      }))
    .get("/sse/heartbeat/:id", (c) =>
      c.sse((stream) => {
        stream.signal.addEventListener("abort", () => seen.aborted.add(c.params.id!));
        return stream.closed;
      }, { heartbeat: 20 }))
    .get("/sse/flood/:id/:count", (c) =>
      c.sse(async (stream) => {
        const payload = "x".repeat(32 * 1024);
        const count = Number(c.params.count);
        for (let i = 0; i < count; i++) {
          await stream.send({ data: payload });
          seen.sent.set(c.params.id!, i + 1);
        }
      }));
}

/** Events and retry values as an independent WHATWG parser reads them from a streamed body. */
class EventReader {
  readonly events: EventSourceMessage[] = [];
  readonly retries: number[] = [];
  readonly comments: string[] = [];
  readonly #decoder = new TextDecoder();
  readonly #parser = createParser({
    onEvent: (event) => this.events.push(event),
    onRetry: (retry) => this.retries.push(retry),
    onComment: (comment) => this.comments.push(comment),
  });
  readonly #chunks: AsyncIterator<Uint8Array>;

  constructor(response: StreamingResponse) {
    this.#chunks = response.body[Symbol.asyncIterator]();
  }

  /** Read until `check()` holds; fails after `ms` or at the end of the body. */
  async until(check: () => boolean, what: string, ms = 5000): Promise<void> {
    const deadline = Date.now() + ms;
    while (!check()) {
      let timer: ReturnType<typeof setTimeout> | undefined;
      const late = new Promise<never>((_, reject) => {
        timer = setTimeout(() => reject(new Error(`timed out reading: ${what}`)), deadline - Date.now());
      });
      try {
        const next = await Promise.race([this.#chunks.next(), late]);
        if (next.done) throw new Error(`the stream ended before: ${what}`);
        this.#parser.feed(this.#decoder.decode(next.value, { stream: true }));
      } finally {
        clearTimeout(timer);
      }
    }
  }

  /** Read to the end of the body. */
  async rest(): Promise<void> {
    for (;;) {
      const next = await this.#chunks.next();
      if (next.done) return;
      this.#parser.feed(this.#decoder.decode(next.value, { stream: true }));
    }
  }

  async stop(): Promise<void> {
    await this.#chunks.return?.();
  }
}

/**
 * A GET over its own HTTP/2 connection whose body nobody reads until iterated: `node:http2` then
 * stops acknowledging DATA (no WINDOW_UPDATE), so the server's stream runs out of window.
 */
async function openPaused(
  under: ProtocolUnderTest,
  port: number,
  path: string,
): Promise<{ body: AsyncIterable<Uint8Array> }> {
  const session = under.tls
    ? http2.connect(`https://127.0.0.1:${port}`, { ca: cert })
    : http2.connect(`http://127.0.0.1:${port}`);
  session.on("error", () => {});
  const stream = session.request({ ":path": path });
  await new Promise<void>((resolve, reject) => {
    stream.once("response", () => resolve());
    stream.once("error", reject);
  });
  stream.pause();
  return {
    body: (async function* () {
      try {
        for await (const chunk of stream) yield chunk as Uint8Array;
      } finally {
        session.close();
      }
    })(),
  };
}

function uniqueId(under: ProtocolUnderTest, what: string): string {
  return `${what}-${under.protocol.replace(/\W/g, "")}-${Math.random().toString(36).slice(2, 10)}`;
}

/** Register the SSE cases once per protocol. */
export function sseCases(t: TestApi, runtime: Runtime): void {
  for (const under of PROTOCOLS) {
    t.describe(`SSE over ${under.name}`, () => {
      let server: Server;
      let client: HttpClient;
      const reported: unknown[] = [];
      t.beforeAll(async () => {
        server = await start(runtime, createSseApp(), {
          onError: (error) => reported.push(error),
          ...(under.tls ? { tls: { cert, key } } : {}),
        });
        client = await under.connect(server.address.port);
      });
      t.afterAll(async () => {
        await client?.close();
        await server?.close();
      });
      registerCases(t, under, () => client, () => server.address.port, reported);
    });
  }
}

function registerCases(
  t: TestApi,
  under: ProtocolUnderTest,
  client: () => HttpClient,
  port: () => number,
  reported: unknown[],
): void {
  t.it("answers text/event-stream; charset=utf-8, no-cache, with no Content-Length", async () => {
    const response = await client().open({ path: "/sse/resume" });
    assert.equal(response.status, 200);
    assert.equal(response.headers.get("content-type"), "text/event-stream; charset=utf-8");
    assert.equal(response.headers.get("cache-control"), "no-cache");
    assert.equal(response.headers.get("content-length"), null);
    const reader = new EventReader(response);
    await reader.rest();
    assert.deepEqual(reader.events.map((e) => e.data), ["1", "2"]);
  });

  t.it("each event reaches the client before the handler goes on (flushed one by one)", async () => {
    const id = uniqueId(under, "steps");
    const reader = new EventReader(await client().open({ path: `/sse/steps/${id}` }));
    for (let i = 1; i <= 3; i++) {
      // The handler sends step i+1 only once this side has read step i: buffering would hang here.
      await reader.until(() => reader.events.length === i, `step ${i}`);
      assert.deepEqual(reader.events[i - 1], { id: String(i), event: undefined, data: `step ${i}` });
      if (i < 3) release(id);
    }
    await reader.rest();
    assert.equal(reader.events.length, 3);
  });

  t.it("multi-line data, event type, id, retry and JSON data arrive as sent", async () => {
    const reader = new EventReader(await client().open({ path: "/sse/fields" }));
    await reader.rest();
    assert.deepEqual(reader.retries, [2500]);
    assert.deepEqual(reader.events, [
      // The parser joins data lines with LF, whatever line break the sender used (§9.2.6).
      { event: "custom", id: "x-1", data: MULTILINE.replace(/\r\n|\r/g, "\n") },
      { event: undefined, id: undefined, data: '{"json":["a",1]}' },
    ]);
  });

  t.it("Last-Event-ID reaches the handler as stream.lastEventId", async () => {
    const reader = new EventReader(
      await client().open({ path: "/sse/resume", headers: [["last-event-id", "41"]] }),
    );
    await reader.rest();
    assert.deepEqual(reader.events.map((e) => [e.id, e.data]), [["42", "42"], ["43", "43"]]);
  });

  t.it("a client that disconnects aborts stream.signal and ends the callback; the client goes on", async () => {
    const id = uniqueId(under, "forever");
    const controller = new AbortController();
    const reader = new EventReader(await client().open({ path: `/sse/forever/${id}`, signal: controller.signal }));
    await reader.until(() => reader.events.length >= 2, "two ticks");
    controller.abort(); // HTTP/1.1: the connection closes; HTTP/2: RST_STREAM(CANCEL)
    await waitFor(() => seen.aborted.has(id), "stream.signal aborted");
    await waitFor(() => seen.finished.has(id), "the callback ended");
    assert.equal(reported.length, 0, "a client leaving is not an error");
    assert.equal((await client().request({ path: "/sse/resume" })).status, 200);
  });

  t.it("a reader that stops reading (cancels the body) ends the callback too", async () => {
    const id = uniqueId(under, "cancel");
    const reader = new EventReader(await client().open({ path: `/sse/forever/${id}` }));
    await reader.until(() => reader.events.length >= 1, "a tick");
    await reader.stop();
    await waitFor(() => seen.aborted.has(id), "stream.signal aborted");
    await waitFor(() => seen.finished.has(id), "the callback ended");
  });

  t.it("heartbeat comments keep an idle stream alive until the client leaves", async () => {
    const id = uniqueId(under, "beat");
    const controller = new AbortController();
    const reader = new EventReader(
      await client().open({ path: `/sse/heartbeat/${id}`, signal: controller.signal }),
    );
    await reader.until(() => reader.comments.length >= 2, "two heartbeats");
    assert.equal(reader.events.length, 0);
    controller.abort();
    await waitFor(() => seen.aborted.has(id), "stream.signal aborted");
  });

  t.it("an error thrown in the callback ends the stream cleanly and is reported once", async () => {
    reported.length = 0;
    const response = await client().request({ path: "/sse/fails" });
    assert.equal(response.status, 200);
    assert.equal(response.text(), "data: before\n\n");
    await waitFor(() => reported.length > 0, "the error reported");
    assert.equal(reported.length, 1);
    assert.equal((reported[0] as Error).message, "sse callback failed");
    reported.length = 0;
    assert.equal((await client().request({ path: "/sse/resume" })).status, 200);
  });

  t.it("a slow reader holds `await stream.send()` (backpressure); all events arrive once it reads", async () => {
    const id = uniqueId(under, "flood");
    // 32 MiB in 32 KiB events: more than the socket buffers on both sides hold.
    const count = 1000;
    const path = `/sse/flood/${id}/${count}`;
    // The suite's HTTP/2 client reads every DATA frame as it comes; this one must not read at all.
    const slow = under.protocol === "http/1.1" ? await client().open({ path }) : await openPaused(under, port(), path);
    await waitFor(() => (seen.sent.get(id) ?? 0) > 0, "the first event sent");
    // Until the handler stops moving: it waits in `await stream.send()` for the client.
    let early = seen.sent.get(id) ?? 0;
    let last: number;
    do {
      last = early;
      await sleep(200);
      early = seen.sent.get(id) ?? 0;
    } while (early !== last);
    console.log(`[sse ${under.protocol}] stalled after ${early} of ${count} events to a client that reads nothing`);
    assert.ok(early < count / 2, `the handler went on sending to a client that reads nothing (${early} events)`);
    let length = 0;
    for await (const chunk of slow.body) length += chunk.length;
    assert.equal(length, count * ("data: ".length + 32 * 1024 + 2));
    assert.equal(seen.sent.get(id), count);
  }, 30_000);
}
