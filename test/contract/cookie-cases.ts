/**
 * Cookies (RFC 6265bis) end to end, over HTTP/1.1, h2c and h2 over TLS: the Cookie field parsed
 * (HTTP/2 crumbs joined, RFC 9113 §8.2.3), several Set-Cookie kept apart on the wire (RFC 9110
 * §5.3 forbids joining them), signed cookies refused when tampered, and no header injection
 * through a cookie value.
 */
import assert from "node:assert/strict";
import { App } from "../../core/app/app.ts";
import type { Runtime, TestApi } from "./harness.ts";
import { PROTOCOLS } from "./semantics-setup.ts";
import { useProtocolEndpoint } from "./protocol-endpoint.ts";

const KEYS = ["cookie-contract-secret-32-bytes!"];
const OLD_KEYS = ["an-older-secret-before-rotation"];

function createCookieApp(): App {
  const app = new App();
  app.onError((error, c) => c.text(`refused: ${(error as Error).message}`, 500));
  app.get("/cookies", (c) => c.json({ all: c.cookies(), a: c.cookie("a") ?? null }));
  app.get("/cookies/set", (c) =>
    c
      .setCookie("a", "1", { httpOnly: true })
      .setCookie("b", "two", { maxAge: 60, sameSite: "Lax", path: "/cookies" })
      .setCookie("__Host-c", "3", { secure: true, sameSite: "Strict" })
      .text("set"));
  app.get("/cookies/delete", (c) => c.deleteCookie("a").text("deleted"));
  app.get("/cookies/echo-value", (c) => c.setCookie("v", c.req.query.get("v") ?? "").text("echoed"));
  app.get(
    "/cookies/host-with-domain",
    (c) => c.setCookie("__Host-x", "1", { secure: true, domain: "example.com" }).text("never"),
  );
  app.get("/signed/set", async (c) => (await c.setSignedCookie("user", "alice", KEYS, { httpOnly: true })).text("ok"));
  app.get("/signed/set-old", async (c) => (await c.setSignedCookie("user", "bob", OLD_KEYS)).text("ok"));
  app.get("/signed", async (c) => c.json({ user: (await c.signedCookie("user", [...KEYS, ...OLD_KEYS])) ?? null }));
  return app;
}

/** The `name=value` parts of a response's Set-Cookie fields. */
function pairs(headers: Headers): string[] {
  return headers.getSetCookie().map((field) => field.split(";")[0]!);
}

/** Register the cookie cases once per protocol. */
export function cookieCases(t: TestApi, runtime: Runtime): void {
  for (const under of PROTOCOLS) {
    t.describe(`cookies over ${under.name}`, () => {
      const server = useProtocolEndpoint(t, runtime, under, createCookieApp);

      t.it("c.cookies() and c.cookie() read the Cookie field (quotes, OWS, duplicates)", async () => {
        const response = await server.client.request({
          path: "/cookies",
          headers: [["cookie", 'a=1; b="quoted";c = 3 ; a=ignored; =empty']],
        });
        assert.equal(response.status, 200);
        assert.deepEqual(response.json(), { all: { a: "1", b: "quoted", c: "3" }, a: "1" });
      });

      t.it("several Cookie fields (HTTP/2 crumbs, RFC 9113 §8.2.3) join into one cookie list", async () => {
        const response = await server.client.request({
          path: "/cookies",
          headers: [["cookie", "a=1"], ["cookie", "b=2"]],
        });
        assert.deepEqual(response.json(), { all: { a: "1", b: "2" }, a: "1" });
      });

      t.it("no Cookie field: empty record", async () => {
        assert.deepEqual((await server.client.request({ path: "/cookies" })).json(), { all: {}, a: null });
      });

      t.it("several Set-Cookie stay separate fields, with their attributes (RFC 9110 §5.3)", async () => {
        const response = await server.client.request({ path: "/cookies/set" });
        assert.equal(response.status, 200);
        assert.deepEqual(response.headers.getSetCookie(), [
          "a=1; Path=/; HttpOnly",
          "b=two; Path=/cookies; Max-Age=60; SameSite=Lax",
          "__Host-c=3; Path=/; Secure; SameSite=Strict",
        ]);
      });

      t.it("round trip: the cookies a response set come back in the next request", async () => {
        const set = await server.client.request({ path: "/cookies/set" });
        const back = await server.client.request({
          path: "/cookies",
          headers: [["cookie", pairs(set.headers).join("; ")]],
        });
        assert.deepEqual(back.json(), { all: { a: "1", b: "two", "__Host-c": "3" }, a: "1" });
      });

      t.it("deleteCookie sends an expired empty cookie", async () => {
        const response = await server.client.request({ path: "/cookies/delete" });
        assert.deepEqual(response.headers.getSetCookie(), [
          "a=; Path=/; Max-Age=0; Expires=Thu, 01 Jan 1970 00:00:00 GMT",
        ]);
      });

      t.it("a value with CR LF or ';' is refused (500 naming the character), never injected", async () => {
        for (const v of ["1\r\nx-injected: yes", "1; Domain=evil.example", "caf\u00e9"]) {
          const response = await server.client.request({ path: `/cookies/echo-value?v=${encodeURIComponent(v)}` });
          assert.equal(response.status, 500, v);
          assert.match(response.text(), /refused: Cookie v has an invalid character/);
          assert.equal(response.headers.get("x-injected"), null);
          assert.deepEqual(response.headers.getSetCookie(), []);
        }
        const fine = await server.client.request({ path: "/cookies/echo-value?v=ok-1" });
        assert.deepEqual(fine.headers.getSetCookie(), ["v=ok-1; Path=/"]);
      });

      t.it("a __Host- cookie with a Domain is refused (RFC 6265bis §4.1.3.2)", async () => {
        const response = await server.client.request({ path: "/cookies/host-with-domain" });
        assert.equal(response.status, 500);
        assert.match(response.text(), /__Host- cookie must not have a domain/);
      });

      t.it("a signed cookie verifies; tampered, moved or unsigned ones read as undefined", async () => {
        const set = await server.client.request({ path: "/signed/set" });
        const [field] = set.headers.getSetCookie();
        assert.match(field!, /^user=alice\.[A-Za-z0-9_-]{43}; Path=\/; HttpOnly$/);
        const pair = field!.split(";")[0]!;
        const read = async (cookie: string): Promise<unknown> =>
          (await server.client.request({ path: "/signed", headers: [["cookie", cookie]] })).json();
        assert.deepEqual(await read(pair), { user: "alice" });
        assert.deepEqual(await read(pair.replace("alice", "admin")), { user: null });
        assert.deepEqual(await read(pair.slice(0, -2) + (pair.endsWith("AA") ? "BB" : "AA")), { user: null });
        assert.deepEqual(await read("user=alice"), { user: null });
        assert.deepEqual(await read(pair.replace("user=", "other=")), { user: null });
      });

      t.it("key rotation: a cookie signed with an older key still verifies", async () => {
        const set = await server.client.request({ path: "/signed/set-old" });
        const response = await server.client.request({
          path: "/signed",
          headers: [["cookie", pairs(set.headers)[0]!]],
        });
        assert.deepEqual(response.json(), { user: "bob" });
      });
    });
  }
}
