/**
 * Response trailers over HTTP/1.1, on raw bytes: `c.setTrailers()` sends them in the chunked
 * coding's trailer section (RFC 9112 §7.1.2) to a client that says `TE: trailers` (RFC 9110
 * §10.1.4), and drops them for any other client (RFC 9110 §6.5.1: trailers may be discarded).
 */
import assert from "node:assert/strict";
import { App } from "../../mod.ts";
import { RawClient, type Runtime, type TestApi, useServer } from "./harness.ts";
import { header, readResponses } from "./raw-response.ts";

const encoder = new TextEncoder();

function createTrailerApp(): App {
  const app = new App();
  app.get("/fixed", (c) => c.setTrailers(["x-checksum", "abc123", "content-length", "99"]).text("fixed body"));
  app.get("/streamed", (c) => {
    let sent = 0;
    c.setTrailers(() => ["x-bytes", String(sent)]);
    return c.body((async function* () {
      for (const part of ["one;", "two;", "three;"]) {
        sent += part.length;
        yield encoder.encode(part);
      }
    })());
  });
  app.get("/bad", (c) => c.setTrailers(["x-bad", "a\r\nb"]).text("never"));
  app.get("/", (c) => c.text("ok"));
  return app;
}

function get(path: string, te: boolean): string {
  return `GET ${path} HTTP/1.1\r\nHost: x\r\n${te ? "TE: trailers\r\nConnection: TE\r\n" : ""}\r\n`;
}

/** Register the HTTP/1.1 trailer cases for one runtime. */
export function http1TrailerCases(t: TestApi, runtime: Runtime): void {
  t.describe("response trailers over HTTP/1.1 (raw socket)", () => {
    const s = useServer(t, runtime, createTrailerApp);

    t.it("sends a known body chunked with its trailers to a client that said TE: trailers", async () => {
      const client = await RawClient.open(s.port);
      try {
        await client.write(get("/fixed", true) + get("/", false));
        const [fixed, next] = await readResponses(client, 2);
        assert.equal(fixed!.status, 200);
        assert.equal(fixed!.chunked, true);
        assert.equal(header(fixed!, "content-length"), undefined);
        assert.equal(header(fixed!, "trailer"), "x-checksum");
        assert.equal(fixed!.body, "fixed body");
        // content-length frames a message: never a trailer (RFC 9110 §6.5.1).
        assert.deepEqual(fixed!.trailers, [["x-checksum", "abc123"]]);
        assert.equal(next!.body, "ok");
      } finally {
        client.close();
      }
    });

    t.it("calls a trailer function after the streamed body and sends what it gives", async () => {
      const client = await RawClient.open(s.port);
      try {
        await client.write(get("/streamed", true));
        const [response] = await readResponses(client, 1);
        assert.equal(response!.body, "one;two;three;");
        assert.deepEqual(response!.trailers, [["x-bytes", "14"]]);
      } finally {
        client.close();
      }
    });

    t.it("drops trailers for a client that did not say TE: trailers", async () => {
      const client = await RawClient.open(s.port);
      try {
        await client.write(get("/fixed", false) + get("/streamed", false));
        const [fixed, streamed] = await readResponses(client, 2);
        assert.equal(fixed!.chunked, false);
        assert.equal(header(fixed!, "content-length"), "10");
        assert.equal(header(fixed!, "trailer"), undefined);
        assert.deepEqual(fixed!.trailers, []);
        assert.equal(streamed!.chunked, true);
        assert.deepEqual(streamed!.trailers, []);
      } finally {
        client.close();
      }
    });

    t.it("answers 500 for an invalid trailer value, whoever the client", async () => {
      const client = await RawClient.open(s.port);
      try {
        await client.write(get("/bad", false) + get("/bad", true) + get("/", false));
        const responses = await readResponses(client, 3);
        assert.deepEqual(responses.map((r) => r.status), [500, 500, 200]);
      } finally {
        client.close();
      }
    });
  });
}
