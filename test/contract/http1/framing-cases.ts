/**
 * Message body framing (RFC 9112 §6, §7): chunked request bodies, streamed responses with the
 * chunked coding or close-delimited, Content-Length, and the responses that carry no body.
 */
import assert from "node:assert/strict";
import { RawClient, type Runtime, type TestApi, useServer } from "../harness.ts";
import { createFixtureApp } from "../fixture-app.ts";
import { exchange, header, parseResponses } from "../raw-response.ts";
import { get, H } from "./helpers.ts";

/** Body framing both ways (RFC 9112 §6, §7). */
export function framingCases(t: TestApi, runtime: Runtime): void {
  t.describe("message body framing (RFC 9112 §6, §7)", () => {
    const s = useServer(t, runtime, createFixtureApp);
    const chunkedRequest = (path: string): string =>
      `POST ${path} HTTP/1.1\r\n${H}Transfer-Encoding: chunked\r\nContent-Type: text/plain\r\n\r\n` +
      "5;name=value\r\nhello\r\n7;ext\r\n, world\r\n0\r\nX-Trailer: yes\r\n\r\n";

    t.it(
      "decodes a chunked request body with extensions and trailers, streamed back by /echo (RFC 9112 §7.1)",
      async () => {
        const { client, responses } = await exchange(s.port, chunkedRequest("/echo") + get("/users/1"), 2);
        try {
          assert.equal(responses[0]!.status, 200);
          assert.equal(responses[0]!.body, "hello, world");
          assert.equal(header(responses[0]!, "content-type"), "text/plain");
          assert.equal(responses[1]!.body, '{"id":"1"}', "the request after the chunked body is read correctly");
        } finally {
          client.close();
        }
      },
    );

    t.it("reads a chunked request body with c.req.text() (RFC 9112 §7.1)", async () => {
      const { client, responses } = await exchange(s.port, chunkedRequest("/text"));
      try {
        assert.equal(responses[0]!.body, "hello, world");
        assert.equal(header(responses[0]!, "content-length"), "12");
      } finally {
        client.close();
      }
    });

    for (const route of ["/stream/readable", "/stream/generator"]) {
      const expected = route === "/stream/readable" ? "alpha,beta,gamma" : "one,two,three";
      t.it(`sends a streamed body (${route}) with the chunked coding (RFC 9112 §7.1)`, async () => {
        const { client, responses } = await exchange(s.port, get(route) + get("/users/2"), 2);
        try {
          const response = responses[0]!;
          assert.equal(response.status, 200);
          assert.equal(response.chunked, true);
          assert.equal(
            header(response, "content-length"),
            undefined,
            "no Content-Length with Transfer-Encoding (RFC 9112 §6.2)",
          );
          assert.equal(response.body, expected);
          assert.equal(responses[1]!.body, '{"id":"2"}');
        } finally {
          client.close();
        }
      });
    }

    t.it("a streamed body reads back whole through fetch", async () => {
      const response = await fetch(s.url + "/stream/generator");
      assert.equal(response.status, 200);
      assert.equal(await response.text(), "one,two,three");
    });

    t.it("streams to an HTTP/1.0 client without chunked coding, delimited by close (RFC 9112 §6.3)", async () => {
      const client = await RawClient.open(s.port);
      try {
        await client.write("GET /stream/readable HTTP/1.0\r\n\r\n");
        const text = await client.untilClosed();
        const { responses } = parseResponses(text, [], true);
        assert.equal(responses.length, 1);
        assert.equal(header(responses[0]!, "transfer-encoding"), undefined, "HTTP/1.0 has no chunked coding");
        assert.equal(responses[0]!.body, "alpha,beta,gamma");
      } finally {
        client.close();
      }
    });

    t.it("sends Content-Length for a body of known size (RFC 9110 §8.6)", async () => {
      const { client, responses } = await exchange(s.port, get("/"));
      try {
        assert.equal(header(responses[0]!, "content-length"), "13");
        assert.equal(header(responses[0]!, "transfer-encoding"), undefined);
        assert.equal(responses[0]!.body, "Hello, World!");
        assert.ok(header(responses[0]!, "date"), "a Date header (RFC 9110 §6.6.1)");
      } finally {
        client.close();
      }
    });

    t.it("answers HEAD with the GET headers (Content-Length) and no body (RFC 9110 §9.3.2)", async () => {
      const { client, responses } = await exchange(s.port, `HEAD / HTTP/1.1\r\n${H}\r\n` + get("/json"), 2, [
        "HEAD",
        "GET",
      ]);
      try {
        assert.equal(responses[0]!.status, 200);
        assert.equal(header(responses[0]!, "content-length"), "13");
        assert.equal(responses[1]!.body, '{"message":"Hello, World!"}', "no body bytes after the HEAD response");
        assert.equal(parseResponses(client.text(), ["HEAD", "GET"]).rest, "");
      } finally {
        client.close();
      }
    });

    t.it("answers HEAD to a streamed route with no body (RFC 9110 §9.3.2)", async () => {
      const { client, responses } = await exchange(
        s.port,
        `HEAD /stream/readable HTTP/1.1\r\n${H}\r\n` + get("/users/3"),
        2,
        ["HEAD", "GET"],
      );
      try {
        assert.equal(responses[0]!.status, 200);
        assert.equal(responses[1]!.body, '{"id":"3"}');
        assert.equal(parseResponses(client.text(), ["HEAD", "GET"]).rest, "");
      } finally {
        client.close();
      }
    });

    t.it("sends no body and no Content-Length with 204 (RFC 9110 §15.3.5, §8.6)", async () => {
      const { client, responses } = await exchange(s.port, get("/status/204") + get("/users/4"), 2);
      try {
        assert.equal(responses[0]!.status, 204);
        assert.equal(header(responses[0]!, "content-length"), undefined);
        assert.equal(header(responses[0]!, "transfer-encoding"), undefined);
        assert.equal(responses[1]!.body, '{"id":"4"}', "no body bytes after the 204");
      } finally {
        client.close();
      }
    });

    t.it("sends no body with 304 (RFC 9110 §15.4.5)", async () => {
      const { client, responses } = await exchange(s.port, get("/status/304") + get("/users/5"), 2);
      try {
        assert.equal(responses[0]!.status, 304);
        assert.equal(header(responses[0]!, "transfer-encoding"), undefined);
        assert.equal(responses[1]!.body, '{"id":"5"}', "no body bytes after the 304");
      } finally {
        client.close();
      }
    });
  });
}
