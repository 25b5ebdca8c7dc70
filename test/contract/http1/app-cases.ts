/**
 * The App on HTTP/1.1: routing (404, 405 with Allow, HEAD), sub-apps, middleware order and
 * thrown errors.
 */
import assert from "node:assert/strict";
import { type Runtime, type TestApi, useServer } from "../harness.ts";
import { createFixtureApp } from "../fixture-app.ts";
import { exchange, header, readResponses } from "../raw-response.ts";
import { get } from "./helpers.ts";

/** Routing, middleware and errors of an App. */
export function appCases(t: TestApi, runtime: Runtime): void {
  t.describe("routing, middleware and errors", () => {
    const s = useServer(t, runtime, createFixtureApp);

    t.it("404 for an unknown path (RFC 9110 §15.5.5)", async () => {
      const response = await fetch(s.url + "/nope");
      assert.equal(response.status, 404);
      assert.equal(await response.text(), "Not Found");
    });

    t.it("405 with an Allow header for a known path and another method (RFC 9110 §15.5.6)", async () => {
      const response = await fetch(s.url + "/", { method: "POST", body: "x" });
      assert.equal(response.status, 405);
      assert.deepEqual(response.headers.get("allow")?.split(/\s*,\s*/).sort(), ["GET", "HEAD"]);
      await response.body?.cancel();
      const put = await fetch(s.url + "/only-put");
      assert.equal(put.status, 405);
      assert.deepEqual(put.headers.get("allow")?.split(/\s*,\s*/), ["PUT"]);
      await put.body?.cancel();
    });

    t.it("HEAD is answered by the GET route (RFC 9110 §9.3.2)", async () => {
      const response = await fetch(s.url + "/json", { method: "HEAD" });
      assert.equal(response.status, 200);
      assert.equal(response.headers.get("content-length"), String('{"message":"Hello, World!"}'.length));
      assert.equal(response.headers.get("content-type"), "application/json");
      assert.equal(await response.text(), "");
    });

    t.it("routes with params and an async handler", async () => {
      assert.deepEqual(await (await fetch(s.url + "/users/abc")).json(), { id: "abc" });
      assert.equal(await (await fetch(s.url + "/async")).text(), "async ok");
    });

    t.it("serves a sub-app mounted under /api", async () => {
      const root = await fetch(s.url + "/api");
      assert.equal(root.status, 200);
      assert.equal(await root.text(), "api root");
      const item = await fetch(s.url + "/api/items/3");
      assert.deepEqual(await item.json(), { item: "3" });
      assert.equal(item.headers.get("x-order"), "app-in,api-in,handler,api-out,app-out");
    });

    t.it("runs middleware in onion order", async () => {
      const response = await fetch(s.url + "/mw");
      assert.equal(await response.text(), "mw");
      assert.equal(response.headers.get("x-order"), "app-in,handler,app-out");
    });

    for (const route of ["/throw", "/throw-async"]) {
      t.it(`a thrown error (${route}) gives 500 and the connection stays usable`, async () => {
        const { client, responses } = await exchange(s.port, get(route));
        try {
          assert.equal(responses[0]!.status, 500);
          assert.doesNotMatch(
            responses[0]!.body,
            /boom/,
            "the error message of a plain Error is not shown to the client",
          );
          assert.equal(header(responses[0]!, "connection"), undefined);
          await client.write(get("/users/77"));
          const again = await readResponses(client, 2);
          assert.equal(again[1]!.status, 200);
          assert.equal(again[1]!.body, '{"id":"77"}');
        } finally {
          client.close();
        }
      });
    }

    t.it("a thrown HttpError(418) gives 418 with its message", async () => {
      const response = await fetch(s.url + "/teapot");
      assert.equal(response.status, 418);
      assert.equal(await response.text(), "I'm a teapot");
    });
  });
}
