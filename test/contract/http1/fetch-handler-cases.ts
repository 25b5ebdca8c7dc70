/**
 * Web-standard handlers served unchanged: `serve((req) => Response)`, `serve({ fetch })`, and a
 * Hono app.
 */
import assert from "node:assert/strict";
import type { ServeTarget } from "../../../core/app/serve-target.ts";
import { type Runtime, type TestApi, useServer } from "../harness.ts";
import { createHonoApp, fetchHandler } from "../fixture-app.ts";
import { exchange, headers } from "../raw-response.ts";
import { get, H } from "./helpers.ts";

/** A fetch-style handler, as a function and as an object with `fetch`. */
export function fetchHandlerCases(t: TestApi, runtime: Runtime): void {
  const variants: { name: string; target: () => ServeTarget }[] = [
    { name: "serve((req) => Response)", target: () => fetchHandler },
    { name: "serve({ fetch })", target: () => ({ fetch: fetchHandler }) },
  ];
  for (const variant of variants) {
    t.describe(`fetch-style handler: ${variant.name}`, () => {
      const s = useServer(t, runtime, variant.target);

      t.it("gives the handler method, URL, headers and body", async () => {
        const response = await fetch(s.url + "/inspect?x=1&y=two", {
          method: "POST",
          headers: { "x-test": "yes", "content-type": "text/plain" },
          body: "payload ✓",
        });
        assert.equal(response.status, 200);
        const seen = (await response.json()) as {
          method: string;
          url: string;
          headers: Record<string, string>;
          body: string | null;
        };
        assert.equal(seen.method, "POST");
        assert.equal(seen.url, `${s.url}/inspect?x=1&y=two`);
        assert.equal(seen.headers["x-test"], "yes");
        assert.equal(seen.headers["host"], `127.0.0.1:${s.port}`);
        assert.equal(seen.body, "payload ✓");
      });

      t.it("a GET request has no body", async () => {
        const seen = (await (await fetch(s.url + "/inspect")).json()) as { method: string; body: string | null };
        assert.equal(seen.method, "GET");
        assert.equal(seen.body, null);
      });

      t.it("a chunked request body reaches the handler (RFC 9112 §7.1)", async () => {
        const request =
          `PUT /inspect HTTP/1.1\r\n${H}Transfer-Encoding: chunked\r\n\r\n3\r\nabc\r\n2\r\nde\r\n0\r\n\r\n`;
        const { client, responses } = await exchange(s.port, request);
        try {
          const seen = JSON.parse(responses[0]!.body) as { method: string; body: string; url: string };
          assert.equal(seen.method, "PUT");
          assert.equal(seen.body, "abcde");
          assert.equal(seen.url, "http://test/inspect");
        } finally {
          client.close();
        }
      });

      t.it("streams a ReadableStream response with the chunked coding (RFC 9112 §7.1)", async () => {
        const { client, responses } = await exchange(s.port, get("/stream") + get("/cookies"), 2);
        try {
          assert.equal(responses[0]!.chunked, true);
          assert.equal(responses[0]!.body, "chunk0;chunk1;chunk2;chunk3;chunk4;");
          assert.equal(responses[1]!.body, "cookies");
        } finally {
          client.close();
        }
        assert.equal(await (await fetch(s.url + "/stream")).text(), "chunk0;chunk1;chunk2;chunk3;chunk4;");
      });

      t.it("sends two Set-Cookie fields as two header lines (RFC 6265 §3, RFC 9110 §5.3)", async () => {
        const { client, responses } = await exchange(s.port, get("/cookies"));
        try {
          assert.deepEqual(headers(responses[0]!, "set-cookie"), ["a=1; Path=/", "b=2; HttpOnly"]);
        } finally {
          client.close();
        }
        const response = await fetch(s.url + "/cookies");
        assert.deepEqual(response.headers.getSetCookie(), ["a=1; Path=/", "b=2; HttpOnly"]);
        await response.text();
      });

      t.it("the handler's 404 passes through", async () => {
        const response = await fetch(s.url + "/missing");
        assert.equal(response.status, 404);
        assert.equal(await response.text(), "not here");
      });
    });
  }
}

/** A Hono app served unchanged. */
export function honoCases(t: TestApi, runtime: Runtime): void {
  t.describe("a Hono app served unchanged", () => {
    const s = useServer(t, runtime, createHonoApp);

    t.it("routes with params and query, answers JSON", async () => {
      const response = await fetch(s.url + "/users/5/posts/9?q=z");
      assert.equal(response.status, 200);
      assert.match(response.headers.get("content-type") ?? "", /application\/json/);
      assert.deepEqual(await response.json(), { user: "5", post: "9", q: "z" });
    });

    t.it("reads a POSTed JSON body", async () => {
      const response = await fetch(s.url + "/json", {
        method: "POST",
        headers: { "content-type": "application/json" },
        body: JSON.stringify({ n: 21 }),
      });
      assert.equal(response.status, 201);
      assert.deepEqual(await response.json(), { doubled: 42 });
    });

    t.it("text route and Hono's own 404", async () => {
      assert.equal(await (await fetch(s.url + "/")).text(), "hono root");
      const missing = await fetch(s.url + "/nothing");
      assert.equal(missing.status, 404);
      await missing.text();
    });
  });
}
