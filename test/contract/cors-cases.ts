/**
 * `cors()` over the wire: preflight answered before the routes (on a GET-only path), simple
 * requests with credentials, a RegExp and an async function as `origin`, denied origins, errors
 * that keep their CORS fields, `Vary`. batteries-cases.ts runs them per protocol.
 */
import assert from "node:assert/strict";
import zlib from "node:zlib";
import type { TestApi } from "./harness.ts";
import type { ClientResponse } from "./http-client.ts";
import { ITEMS, SITE } from "./batteries-app.ts";
import type { BatterySetup } from "./batteries-cases.ts";

function request(
  s: BatterySetup,
  method: string,
  path: string,
  headers: [string, string][],
): Promise<ClientResponse> {
  return s.client.request({ method, path, headers });
}

function preflight(s: BatterySetup, path: string, origin: string, extra: [string, string][] = []) {
  return request(s, "OPTIONS", path, [["origin", origin], ["access-control-request-method", "PUT"], ...extra]);
}

function vary(response: ClientResponse): string[] {
  return (response.headers.get("vary") ?? "").split(",").map((name) => name.trim().toLowerCase()).filter(Boolean);
}

export function corsCases(t: TestApi, s: BatterySetup): void {
  t.it("cors: a preflight on a GET-only path is answered 204 without reaching the route", async () => {
    const response = await preflight(s, "/api/items", SITE, [["access-control-request-headers", "content-type, x-a"]]);
    assert.equal(response.status, 204);
    assert.equal(response.headers.get("access-control-allow-origin"), SITE);
    assert.equal(response.headers.get("access-control-allow-credentials"), "true");
    assert.equal(response.headers.get("access-control-allow-methods"), "GET, HEAD, PUT, POST, DELETE, PATCH");
    assert.equal(response.headers.get("access-control-allow-headers"), "content-type, x-a");
    assert.equal(response.headers.get("access-control-max-age"), "600");
    assert.deepEqual(vary(response), ["origin", "access-control-request-headers"]);
    assert.equal(response.headers.get("allow"), null, "not the app's 405");
    assert.equal(response.body.length, 0);
    // Without the middleware the same request is the app's 405.
    const outside = await request(s, "OPTIONS", "/plain", [["origin", SITE], ["access-control-request-method", "PUT"]]);
    assert.equal(outside.status, 405);
  });

  t.it("cors: a denied origin's preflight has no CORS fields but still Vary: Origin", async () => {
    const response = await preflight(s, "/api/items", "https://evil.example");
    assert.equal(response.status, 204);
    assert.equal(response.headers.get("access-control-allow-origin"), null);
    assert.equal(response.headers.get("access-control-allow-methods"), null);
    assert.ok(vary(response).includes("origin"));
  });

  t.it("cors: a credentialed request gets its origin echoed (never *), with the body compressed", async () => {
    const response = await request(s, "GET", "/api/items", [["origin", SITE], ["accept-encoding", "gzip"]]);
    assert.equal(response.status, 200);
    assert.equal(response.headers.get("access-control-allow-origin"), SITE);
    assert.equal(response.headers.get("access-control-allow-credentials"), "true");
    assert.equal(response.headers.get("access-control-expose-headers"), "x-total");
    assert.deepEqual(vary(response), ["origin", "accept-encoding"]);
    assert.equal(response.headers.get("content-encoding"), "gzip");
    assert.deepEqual(JSON.parse(zlib.gunzipSync(response.body).toString()), ITEMS);
    const denied = await request(s, "GET", "/api/items", [["origin", "https://evil.example"]]);
    assert.equal(denied.status, 200, "CORS is the browser's to enforce: the server answers without the fields");
    assert.equal(denied.headers.get("access-control-allow-origin"), null);
    assert.equal(denied.headers.get("access-control-allow-credentials"), null);
    assert.ok(vary(denied).includes("origin"));
  });

  t.it("cors: a RegExp origin allows what it matches, nothing else", async () => {
    const ok = await request(s, "GET", "/re/data", [["origin", "https://pr-42.preview.example"]]);
    assert.equal(ok.headers.get("access-control-allow-origin"), "https://pr-42.preview.example");
    assert.equal(ok.headers.get("access-control-allow-credentials"), null);
    const no = await request(s, "GET", "/re/data", [["origin", "https://pr-42.preview.example.evil"]]);
    assert.equal(no.headers.get("access-control-allow-origin"), null);
    assert.equal(no.text(), "re");
    const pre = await preflight(s, "/re/data", "https://x.preview.example");
    assert.equal(pre.status, 204);
    assert.equal(pre.headers.get("access-control-allow-origin"), "https://x.preview.example");
  });

  t.it("cors: an async function origin decides; configured Allow-Headers are sent as given", async () => {
    const ok = await preflight(s, "/fn/data", "https://a.trusted.example", [["access-control-request-headers", "x-a"]]);
    assert.equal(ok.status, 204);
    assert.equal(ok.headers.get("access-control-allow-origin"), "https://a.trusted.example");
    assert.equal(ok.headers.get("access-control-allow-headers"), "content-type, x-token");
    assert.deepEqual(vary(ok), ["origin"]);
    const no = await request(s, "GET", "/fn/data", [["origin", "https://a.untrusted.test"]]);
    assert.equal(no.headers.get("access-control-allow-origin"), null);
    assert.equal(no.text(), "fn");
  });

  t.it("cors: an error thrown by a route keeps the CORS fields", async () => {
    const response = await request(s, "GET", "/api/fail", [["origin", SITE]]);
    assert.equal(response.status, 409);
    assert.equal(response.text(), "conflict on purpose");
    assert.equal(response.headers.get("access-control-allow-origin"), SITE);
    assert.equal(response.headers.get("access-control-allow-credentials"), "true");
    assert.ok(vary(response).includes("origin"));
  });

  t.it("cors: paths outside the scoped prefixes get no CORS fields", async () => {
    const response = await request(s, "GET", "/plain", [["origin", SITE]]);
    assert.equal(response.headers.get("access-control-allow-origin"), null);
    assert.equal(response.headers.get("vary"), null);
  });
}
