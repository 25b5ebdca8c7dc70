/**
 * HTTP semantics over time, whatever protocol carries them: streamed responses, the web
 * fetch-style handler and a Hono app, cancellation seen by the handler, many requests at once,
 * and (HTTP/2) trailers. semantics-cases.ts runs them over HTTP/1.1 and HTTP/2.
 */
import assert from "node:assert/strict";
import { type TestApi, waitFor } from "./harness.ts";
import { readAll, type StreamingResponse } from "./http-client.ts";
import { observed } from "./fixture-app.ts";
import { releaseGate } from "./semantics-app.ts";
import type { SemanticsSetup } from "./semantics-setup.ts";

/** The next chunk of a streamed body as text, or a failure after `ms`. */
async function nextChunk(iterator: AsyncIterator<Uint8Array>, ms = 5000): Promise<string> {
  let timer: ReturnType<typeof setTimeout> | undefined;
  const late = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`no body chunk within ${ms} ms`)), ms);
  });
  try {
    const next = await Promise.race([iterator.next(), late]);
    assert.equal(next.done, false, "the body ended early");
    return new TextDecoder().decode(next.value);
  } finally {
    clearTimeout(timer);
  }
}

/** An id no other case (or protocol block) uses, for the fixture's `observed` record. */
function uniqueId(s: SemanticsSetup, what: string): string {
  return `${what}-${s.under.protocol.replace(/\W/g, "")}-${Math.random().toString(36).slice(2, 10)}`;
}

/** Register the streaming, cancellation and concurrency cases for the block of `s.under`. */
export function streamCases(t: TestApi, s: SemanticsSetup): void {
  streamingCases(t, s);
  fetchHandlerCases(t, s);
  cancelCases(t, s);
  concurrencyCases(t, s);
  if (s.under.protocol !== "http/1.1") trailerCases(t, s);
}

function streamingCases(t: TestApi, s: SemanticsSetup): void {
  t.it("a ReadableStream or async-generator body arrives whole, with no Content-Length", async () => {
    for (
      const [path, body] of [["/stream/readable", "alpha,beta,gamma"], ["/stream/generator", "one,two,three"]] as const
    ) {
      const response = await s.app.client.request({ path });
      assert.equal(response.status, 200);
      assert.equal(response.text(), body);
      assert.equal(response.headers.get("content-length"), null, "the size of a stream is not known up front");
    }
  });

  t.it("the first chunk of a stream reaches the client before the stream ends", async () => {
    const id = uniqueId(s, "gate");
    const response = await s.app.client.open({ path: `/sem/gate/${id}` });
    const chunks = response.body[Symbol.asyncIterator]();
    try {
      assert.equal(await nextChunk(chunks), "first;");
    } finally {
      releaseGate(id);
    }
    assert.equal(await nextChunk(chunks), "second;");
    assert.equal((await chunks.next()).done, true);
  });
}

function fetchHandlerCases(t: TestApi, s: SemanticsSetup): void {
  t.it("fetch-style handler: gets method, URL, fields and body", async () => {
    const response = await s.fetch.client.request({
      method: "POST",
      path: "/inspect?x=1&y=two",
      headers: [["x-test", "yes"], ["content-type", "text/plain"]],
      body: "payload ✓",
    });
    assert.equal(response.status, 200);
    const seen = response.json() as { method: string; url: string; headers: Record<string, string>; body: string };
    assert.equal(seen.method, "POST");
    assert.equal(seen.url, `${s.fetch.origin}/inspect?x=1&y=two`);
    assert.equal(seen.headers["x-test"], "yes");
    assert.equal(seen.headers["content-type"], "text/plain");
    assert.equal(seen.body, "payload ✓");
    const get = (await s.fetch.client.request({ path: "/inspect" })).json() as { method: string; body: unknown };
    assert.equal(get.method, "GET");
    assert.equal(get.body, null, "a GET Request has no body");
  });

  t.it("fetch-style handler: a ReadableStream Response, two Set-Cookie, its own 404", async () => {
    const stream = await s.fetch.client.request({ path: "/stream" });
    assert.equal(stream.text(), "chunk0;chunk1;chunk2;chunk3;chunk4;");
    assert.equal(stream.headers.get("content-type"), "text/plain");
    const cookies = await s.fetch.client.request({ path: "/cookies" });
    assert.deepEqual(cookies.headers.getSetCookie(), ["a=1; Path=/", "b=2; HttpOnly"]);
    const missing = await s.fetch.client.request({ path: "/missing" });
    assert.equal(missing.status, 404);
    assert.equal(missing.text(), "not here");
  });

  t.it("a Hono app: params and query, JSON out", async () => {
    const response = await s.hono.client.request({ path: "/users/5/posts/6?q=z" });
    assert.equal(response.status, 200);
    assert.deepEqual(response.json(), { user: "5", post: "6", q: "z" });
  });
}

function cancelCases(t: TestApi, s: SemanticsSetup): void {
  // Over HTTP/2 a cancel is RST_STREAM(CANCEL) on a connection that goes on (RFC 9113 §8.7);
  // over HTTP/1.1 the client closes the connection.
  t.it("cancelling a request aborts the handler's c.req.signal; the client goes on", async () => {
    const id = uniqueId(s, "watch");
    const controller = new AbortController();
    const pending = s.app.client.open({ path: `/watch/${id}`, signal: controller.signal });
    pending.catch(() => {});
    await waitFor(() => observed.started.has(id), `the handler of /watch/${id} started`);
    controller.abort();
    await assert.rejects(pending, (error: Error) => error.name === "AbortError");
    await waitFor(() => observed.aborted.has(id), "c.req.signal aborted");
    assert.equal((await s.app.client.request({ path: "/" })).status, 200);
  });

  t.it("leaving an endless streamed response cancels its source and aborts the signal", async () => {
    const id = uniqueId(s, "infinite");
    const response: StreamingResponse = await s.app.client.open({ path: `/infinite/${id}` });
    assert.equal(response.status, 200);
    for await (const chunk of response.body) {
      assert.ok(chunk.length > 0);
      break; // stops reading: the client cancels the stream
    }
    await waitFor(() => observed.cancelled.has(id), "the ReadableStream source was cancelled");
    await waitFor(() => observed.aborted.has(id), "c.req.signal aborted");
    assert.equal((await s.app.client.request({ path: "/" })).status, 200);
  });

  t.it("a client that goes away aborts the signal of every request it had in flight", async () => {
    const client = await s.under.connect(s.app.port);
    const ids = [uniqueId(s, "gone-a"), uniqueId(s, "gone-b")];
    const pending = ids.map((id) => client.open({ path: `/watch/${id}` }));
    for (const one of pending) one.catch(() => {});
    try {
      for (const id of ids) await waitFor(() => observed.started.has(id), `the handler of /watch/${id} started`);
      client.destroy();
      for (const id of ids) await waitFor(() => observed.aborted.has(id), `c.req.signal of ${id} aborted`);
      for (const one of pending) await assert.rejects(one);
    } finally {
      client.destroy();
    }
  });
}

function concurrencyCases(t: TestApi, s: SemanticsSetup): void {
  const name = s.under.protocol === "http/1.1"
    ? "100 requests at once are served concurrently, each with its own answer"
    : "100 requests at once are served concurrently as streams of one connection (RFC 9113 §5)";
  t.it(name, async () => {
    const key = uniqueId(s, "barrier");
    const together = await Promise.all(
      Array.from({ length: 100 }, () => s.app.client.request({ path: `/sem/barrier/${key}?n=100` })),
    );
    for (const response of together) {
      assert.equal(response.text(), "together");
      assert.equal(response.status, 200);
    }
    if (s.under.protocol !== "http/1.1") {
      const ports = new Set(together.map((response) => response.headers.get("x-peer-port")));
      assert.equal(ports.size, 1, `the streams came over ${ports.size} connections`);
    }
    const users = await Promise.all(
      Array.from({ length: 100 }, (_, i) => s.app.client.request({ path: `/users/${i}` })),
    );
    users.forEach((response, i) => assert.deepEqual(response.json(), { id: String(i) }));
  });
}

function trailerCases(t: TestApi, s: SemanticsSetup): void {
  t.it("HTTP/2: response trailers follow the body (RFC 9113 §8.1)", async () => {
    const response = await readAll(await s.app.client.open({ path: "/sem/trailers" }));
    assert.equal(response.status, 200);
    assert.equal(response.text(), "trailed");
    assert.equal(response.trailers?.get("x-checksum"), "abc123");
    assert.equal(response.trailers?.get("x-count"), "2");
  });

  t.it("HTTP/2: request trailers reach the handler after the body (RFC 9113 §8.1)", async () => {
    const response = await s.app.client.request({
      method: "POST",
      path: "/sem/trailers-echo",
      body: "hello",
      trailers: { "x-req": "t1" },
    });
    assert.deepEqual(response.json(), { text: "hello", trailers: ["x-req", "t1"] });
  });
}
