/**
 * HTTP semantics (RFC 9110) of single requests, whatever protocol carries them: routing, fields
 * in and out, request bodies, body size limits, responses without a body, errors. Written
 * against the protocol-neutral client only (http-client.ts); semantics-cases.ts runs them over
 * HTTP/1.1 and HTTP/2.
 */
import assert from "node:assert/strict";
import type { TestApi } from "./harness.ts";
import type { ClientResponse } from "./http-client.ts";
import type { SemanticsSetup } from "./semantics-setup.ts";
import { pseudoRandom } from "../support/pseudo-random.ts";

/** What `/sem/request` reports. */
interface Seen {
  method: string;
  path: string;
  query: Record<string, string>;
  url: string;
  host: string | null;
  cookie: string | null;
  headers: Record<string, string>;
  body: string | null;
  alpn: string | null;
}

const encoder = new TextEncoder();

/** `data` in chunks of `size`, each yielded on its own turn (a streamed upload). */
async function* chunked(data: Uint8Array, size: number): AsyncGenerator<Uint8Array> {
  for (let at = 0; at < data.length; at += size) {
    await Promise.resolve();
    yield data.subarray(at, at + size);
  }
}

/** Byte-for-byte equality, reporting the first difference rather than two huge arrays. */
function assertSameBytes(actual: Uint8Array, expected: Uint8Array): void {
  assert.equal(actual.length, expected.length, "body length");
  for (let i = 0; i < expected.length; i++) {
    if (actual[i] !== expected[i]) assert.fail(`bodies differ first at byte ${i}`);
  }
}

function assertNoBody(response: ClientResponse): void {
  assert.equal(response.body.length, 0, `no body expected, got ${JSON.stringify(response.text().slice(0, 100))}`);
}

/** Register the single-request cases for the block of `s.under`. */
export function messageCases(t: TestApi, s: SemanticsSetup): void {
  routingCases(t, s);
  fieldCases(t, s);
  bodyCases(t, s);
  bodilessCases(t, s);
  errorCases(t, s);
}

function routingCases(t: TestApi, s: SemanticsSetup): void {
  t.it("GET / answers 200 with a text body and its Content-Length (RFC 9110 §8.6)", async () => {
    const response = await s.app.client.request({ path: "/" });
    assert.equal(response.status, 200);
    assert.equal(response.text(), "Hello, World!");
    assert.equal(response.headers.get("content-type"), "text/plain; charset=utf-8");
    assert.equal(response.headers.get("content-length"), "13");
  });

  t.it("404 for an unknown path (RFC 9110 §15.5.5)", async () => {
    const response = await s.app.client.request({ path: "/nope" });
    assert.equal(response.status, 404);
    assert.equal(response.text(), "Not Found");
  });

  t.it("405 with Allow for a known path and another method (RFC 9110 §15.5.6)", async () => {
    const post = await s.app.client.request({ method: "POST", path: "/", body: "x" });
    assert.equal(post.status, 405);
    assert.deepEqual(post.headers.get("allow")?.split(/\s*,\s*/).sort(), ["GET", "HEAD"]);
    const get = await s.app.client.request({ path: "/only-put" });
    assert.equal(get.status, 405);
    assert.equal(get.headers.get("allow"), "PUT");
  });

  t.it("route params, an async handler, a sub-app and middleware in onion order", async () => {
    assert.deepEqual((await s.app.client.request({ path: "/users/abc" })).json(), { id: "abc" });
    assert.equal((await s.app.client.request({ path: "/async" })).text(), "async ok");
    const item = await s.app.client.request({ path: "/api/items/3" });
    assert.deepEqual(item.json(), { item: "3" });
    assert.equal(item.headers.get("content-type"), "application/json");
    assert.equal(item.headers.get("x-order"), "app-in,api-in,handler,api-out,app-out");
  });

  t.it("the handler sees method, path, decoded query, URL and host", async () => {
    const response = await s.app.client.request({ method: "DELETE", path: "/sem/request?a=1&b=two%20words" });
    const seen = response.json() as Seen;
    assert.equal(seen.method, "DELETE");
    assert.equal(seen.path, "/sem/request");
    assert.deepEqual(seen.query, { a: "1", b: "two words" });
    // Over HTTP/2 the authority travels as :authority, not Host (RFC 9113 §8.3.1).
    assert.equal(seen.url, `${s.app.origin}/sem/request?a=1&b=two%20words`);
    assert.equal(seen.host, `127.0.0.1:${s.app.port}`);
    assert.equal(seen.alpn, s.under.protocol === "h2" ? "h2" : null);
  });
}

function fieldCases(t: TestApi, s: SemanticsSetup): void {
  t.it("request fields reach the handler; a repeated field is joined with commas (RFC 9110 §5.3)", async () => {
    const response = await s.app.client.request({
      path: "/sem/request",
      headers: [["X-One", "1"], ["x-multi", "a"], ["x-multi", "b"], ["accept", "text/plain"]],
    });
    const seen = response.json() as Seen;
    assert.equal(seen.headers["x-one"], "1");
    assert.equal(seen.headers["x-multi"], "a, b");
    assert.equal(seen.headers["accept"], "text/plain");
  });

  t.it("a cookie reaches the handler whole (RFC 6265 §5.4; RFC 9113 §8.2.3 crumbs rejoined)", async () => {
    const response = await s.app.client.request({ path: "/sem/request", headers: [["cookie", "a=1; b=2; c=3"]] });
    assert.equal((response.json() as Seen).cookie, "a=1; b=2; c=3");
  });

  t.it("response fields go out; two Set-Cookie stay two fields (RFC 6265 §3)", async () => {
    const response = await s.app.client.request({ path: "/sem/cookies" });
    assert.equal(response.status, 201);
    assert.deepEqual(response.headers.getSetCookie(), ["a=1; Path=/", "b=2; HttpOnly"]);
    assert.equal(response.headers.get("x-custom"), "value with spaces");
    assert.equal(response.headers.get("cache-control"), "no-store");
    assert.equal(response.text(), "cookies");
  });
}

function bodyCases(t: TestApi, s: SemanticsSetup): void {
  t.it("a small UTF-8 body is read whole", async () => {
    const text = "héllo wörld ✓ — ünïcödé";
    const response = await s.app.client.request({ method: "POST", path: "/text", body: text });
    assert.equal(response.status, 200);
    assert.equal(response.text(), text);
  });

  t.it("an empty body reads as empty; a GET has none at all", async () => {
    const empty = await s.app.client.request({ method: "POST", path: "/text", body: "" });
    assert.equal(empty.status, 200);
    assert.equal(empty.text(), "");
    const seen = (await s.app.client.request({ method: "POST", path: "/sem/request", body: new Uint8Array(0) }))
      .json() as Seen;
    assert.equal(seen.body ?? "", "");
    const get = (await s.app.client.request({ path: "/sem/request" })).json() as Seen;
    assert.equal(get.body, null, "a GET without content has no body stream");
  });

  t.it("a JSON body to a Hono app", async () => {
    const response = await s.hono.client.request({
      method: "POST",
      path: "/json",
      headers: [["content-type", "application/json"]],
      body: JSON.stringify({ n: 21 }),
    });
    assert.equal(response.status, 201);
    assert.deepEqual(response.json(), { doubled: 42 });
  });

  t.it("4 MiB streamed up in 64 KiB chunks comes back byte for byte, streamed", async () => {
    const data = pseudoRandom(4 << 20, 0x5eed);
    const response = await s.app.client.request({
      method: "POST",
      path: "/echo",
      headers: [["content-type", "application/x-test"]],
      body: chunked(data, 64 << 10),
    });
    assert.equal(response.status, 200);
    assert.equal(response.headers.get("content-type"), "application/x-test");
    assertSameBytes(response.body, data);
  });

  t.it("413 for a body past the route's bodyLimit, sized or streamed (RFC 9110 §15.5.14)", async () => {
    const sized = await s.app.client.request({ method: "POST", path: "/limited", body: "x".repeat(5000) });
    assert.equal(sized.status, 413);
    const streamed = await s.app.client.request({
      method: "POST",
      path: "/limited",
      body: chunked(encoder.encode("y".repeat(256 << 10)), 16 << 10),
    });
    assert.equal(streamed.status, 413);
    const within = await s.app.client.request({ method: "POST", path: "/limited", body: "z".repeat(1000) });
    assert.equal(within.text(), "got 1000");
  });
}

function bodilessCases(t: TestApi, s: SemanticsSetup): void {
  t.it("HEAD is answered by the GET route: its fields, no body (RFC 9110 §9.3.2)", async () => {
    const response = await s.app.client.request({ method: "HEAD", path: "/json" });
    assert.equal(response.status, 200);
    assert.equal(response.headers.get("content-length"), String('{"message":"Hello, World!"}'.length));
    assert.equal(response.headers.get("content-type"), "application/json");
    assertNoBody(response);
  });

  t.it("HEAD of a streamed route has no body (RFC 9110 §9.3.2)", async () => {
    const response = await s.app.client.request({ method: "HEAD", path: "/stream/readable" });
    assert.equal(response.status, 200);
    assertNoBody(response);
  });

  t.it("204 has no body and no Content-Length (RFC 9110 §15.3.5, §8.6)", async () => {
    const response = await s.app.client.request({ path: "/status/204" });
    assert.equal(response.status, 204);
    assert.equal(response.headers.get("content-length"), null);
    assertNoBody(response);
  });

  t.it("304 has no body (RFC 9110 §15.4.5)", async () => {
    const response = await s.app.client.request({ path: "/status/304" });
    assert.equal(response.status, 304);
    assertNoBody(response);
  });
}

function errorCases(t: TestApi, s: SemanticsSetup): void {
  t.it("a thrown HttpError(418) answers 418 with its message", async () => {
    const response = await s.app.client.request({ path: "/teapot" });
    assert.equal(response.status, 418);
    assert.equal(response.text(), "I'm a teapot");
  });

  t.it("a thrown error answers 500 without its message; the client's connection goes on", async () => {
    for (const path of ["/throw", "/throw-async"]) {
      const response = await s.app.client.request({ path });
      assert.equal(response.status, 500);
      assert.doesNotMatch(response.text(), /boom/, "the message of a plain Error is not shown to the client");
    }
    assert.deepEqual((await s.app.client.request({ path: "/users/77" })).json(), { id: "77" });
  });
}
