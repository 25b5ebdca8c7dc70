/**
 * Errors of the native app over a real socket, checked on raw bytes: a thrown HttpError and a
 * route's 413 go back through middleware (their fields stay on the answer), a handler without a
 * response is reported with its route, and a status outside 200–599 answers 500 while the
 * connection goes on serving the requests pipelined behind it (RFC 9112 §9.3.2).
 */
import assert from "node:assert/strict";
import { App, HttpError } from "../../mod.ts";
import { RawClient, type Runtime, sleep, type TestApi, useServer } from "./harness.ts";
import { header, parseResponses, readResponses } from "./raw-response.ts";

/** What the server reported through `onError`. */
const reported: unknown[] = [];

/** An app whose middleware mark every answer, before (`cors`) and after (`request id`) `next()`. */
function createErrorApp(): App {
  const app = new App();
  app.use(async (c, next) => {
    c.header("access-control-allow-origin", "*");
    await next();
  });
  app.use(async (c, next) => {
    await next();
    c.header("x-request-id", `id-${c.req.path}`);
    if (c.error instanceof HttpError) c.header("x-error-code", c.error.code);
  });
  app.get("/", (c) => c.text("ok"));
  app.get("/status/:n", (c) => c.status(Number(c.params.n)).text("odd status"));
  app.get("/teapot", () => {
    throw new HttpError(418, "I'm a teapot");
  });
  app.post("/small", { bodyLimit: 4 }, async (c) => c.text(await c.req.text()));
  app.get("/forgot/:id", () => {});
  return app;
}

function get(path: string): string {
  return `GET ${path} HTTP/1.1\r\nHost: x\r\n\r\n`;
}

/** Register the app error cases for one runtime. */
export function appErrorCases(t: TestApi, runtime: Runtime): void {
  t.describe("app errors over HTTP/1.1 (raw socket)", () => {
    const s = useServer(t, runtime, createErrorApp, { onError: (error) => reported.push(error) });

    t.it("answers 500 for statuses outside 200–599 and serves the pipelined requests after them", async () => {
      const client = await RawClient.open(s.port);
      try {
        await client.write(get("/status/1000") + get("/status/600") + get("/status/99") + get("/"));
        const responses = await readResponses(client, 4);
        assert.deepEqual(responses.map((r) => r.status), [500, 500, 500, 200]);
        assert.equal(responses[3]!.body, "ok");
        for (const response of responses.slice(0, 3)) {
          assert.equal(header(response, "connection"), undefined, "the connection goes on");
          assert.equal(header(response, "access-control-allow-origin"), "*");
          assert.equal(response.body, "Internal Server Error");
        }
        await sleep(30);
        assert.equal(client.closed, false, "the connection stays open");
        await client.write(get("/"));
        const [, , , , again] = await readResponses(client, 5);
        assert.equal(again!.status, 200);
      } finally {
        client.close();
      }
    });

    t.it("runs middleware after `next()` for a thrown HttpError, its fields on the answer", async () => {
      const client = await RawClient.open(s.port);
      try {
        await client.write(get("/teapot") + get("/"));
        const [teapot, next] = await readResponses(client, 2);
        assert.equal(teapot!.status, 418);
        assert.equal(teapot!.body, "I'm a teapot");
        assert.equal(header(teapot!, "access-control-allow-origin"), "*");
        assert.equal(header(teapot!, "x-request-id"), "id-/teapot");
        assert.equal(header(teapot!, "x-error-code"), "HTTP_ERROR");
        assert.equal(next!.status, 200);
      } finally {
        client.close();
      }
    });

    t.it(
      "runs middleware after `next()` for a route's 413, and drains the small body (RFC 9110 §15.5.14)",
      async () => {
        const client = await RawClient.open(s.port);
        try {
          await client.write("POST /small HTTP/1.1\r\nHost: x\r\nContent-Length: 10\r\n\r\n0123456789" + get("/"));
          const text = await client.until((t) => parseResponses(t).responses.length >= 2 || client.closed);
          const { responses } = parseResponses(text, [], client.closed);
          const tooLarge = responses[0]!;
          assert.equal(tooLarge.status, 413);
          assert.equal(header(tooLarge, "access-control-allow-origin"), "*");
          assert.equal(header(tooLarge, "x-request-id"), "id-/small");
          assert.equal(header(tooLarge, "x-error-code"), "BODY_TOO_LARGE");
          assert.equal(responses[1]?.status, 200, "the body was drained and the next request served");
        } finally {
          client.close();
        }
      },
    );

    t.it("reports a handler without a response with its method and route pattern", async () => {
      const client = await RawClient.open(s.port);
      try {
        await client.write(get("/forgot/42"));
        const [response] = await readResponses(client, 1);
        assert.equal(response!.status, 500);
        assert.equal(header(response!, "x-error-code"), "NO_RESPONSE");
        const messages = reported.map((error) => (error as Error).message);
        assert.ok(
          messages.some((m) => m.startsWith("The handler of GET /forgot/:id returned no response")),
          `onError got: ${JSON.stringify(messages)}`,
        );
      } finally {
        client.close();
      }
    });
  });
}
