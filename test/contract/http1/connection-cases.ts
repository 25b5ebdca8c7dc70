/**
 * Persistent connections and pipelining (RFC 9112 §9.3): keep-alive by version and
 * `Connection`, pipelined bursts answered in order, a request sent a byte at a time.
 */
import assert from "node:assert/strict";
import { RawClient, type Runtime, type TestApi, useServer } from "../harness.ts";
import { createFixtureApp } from "../fixture-app.ts";
import { exchange, header, parseResponses, readResponses } from "../raw-response.ts";
import { assertOpen, get, H } from "./helpers.ts";

/** Keep-alive and pipelining (RFC 9112 §9.3). */
export function connectionCases(t: TestApi, runtime: Runtime): void {
  t.describe("persistent connections and pipelining (RFC 9112 §9.3)", () => {
    const s = useServer(t, runtime, createFixtureApp);

    t.it("serves several requests one after another on one connection (RFC 9112 §9.3)", async () => {
      const client = await RawClient.open(s.port);
      try {
        for (
          const [path, body] of [["/", "Hello, World!"], ["/json", '{"message":"Hello, World!"}'], [
            "/users/7",
            '{"id":"7"}',
          ]] as const
        ) {
          const before = client.text().length;
          await client.write(get(path));
          await client.until((text) => parseResponses(text.slice(before)).responses.length === 1);
          const [response] = parseResponses(client.text().slice(before)).responses;
          assert.equal(response!.status, 200);
          assert.equal(response!.body, body);
          assert.equal(header(response!, "connection"), undefined, "no `connection: close` on a persistent connection");
        }
        await assertOpen(client);
      } finally {
        client.close();
      }
    });

    t.it("closes an HTTP/1.0 connection after the response by default (RFC 9112 §9.3)", async () => {
      const client = await RawClient.open(s.port);
      try {
        await client.write("GET / HTTP/1.0\r\n\r\n");
        const text = await client.untilClosed();
        const { responses } = parseResponses(text, [], true);
        assert.equal(responses.length, 1);
        assert.match(responses[0]!.version, /^HTTP\/1\.[01]$/);
        assert.equal(responses[0]!.status, 200);
        assert.equal(responses[0]!.body, "Hello, World!");
      } finally {
        client.close();
      }
    });

    t.it("keeps an HTTP/1.0 connection with `Connection: keep-alive` open (RFC 9112 §9.3)", async () => {
      const request = "GET /users/10 HTTP/1.0\r\nConnection: keep-alive\r\n\r\n";
      const { client, responses } = await exchange(s.port, request);
      try {
        assert.equal(responses[0]!.status, 200);
        assert.equal(responses[0]!.body, '{"id":"10"}');
        assert.match(
          header(responses[0]!, "connection") ?? "",
          /keep-alive/i,
          "an HTTP/1.0 persistent response says `connection: keep-alive`",
        );
        await assertOpen(client);
        await client.write("GET /users/11 HTTP/1.0\r\nConnection: keep-alive\r\n\r\n");
        const again = await readResponses(client, 2);
        assert.equal(again[1]!.body, '{"id":"11"}');
      } finally {
        client.close();
      }
    });

    t.it(
      "closes after answering a request with `Connection: close`, and reads nothing after it (RFC 9112 §9.6)",
      async () => {
        const client = await RawClient.open(s.port);
        try {
          await client.write(get("/", "Connection: close\r\n") + get("/json"));
          const text = await client.untilClosed();
          const { responses } = parseResponses(text, [], true);
          assert.equal(responses.length, 1, "the request after `Connection: close` is not answered");
          assert.equal(responses[0]!.status, 200);
          assert.equal(header(responses[0]!, "connection"), "close");
        } finally {
          client.close();
        }
      },
    );

    t.it("answers 100 pipelined requests sent in one write, in order (RFC 9112 §9.3.2)", async () => {
      let burst = "";
      for (let i = 0; i < 100; i++) burst += get(`/users/${i}`);
      const { client, responses } = await exchange(s.port, burst, 100);
      try {
        assert.equal(responses.length, 100);
        responses.forEach((response, i) => {
          assert.equal(response.status, 200);
          assert.equal(response.body, JSON.stringify({ id: String(i) }));
        });
        await assertOpen(client);
      } finally {
        client.close();
      }
    });

    t.it("reads a request sent one byte at a time", async () => {
      const request = `POST /text HTTP/1.1\r\n${H}Content-Length: 11\r\n\r\nhello world`;
      const client = await RawClient.open(s.port);
      try {
        for (const ch of request) await client.write(ch);
        const [response] = await readResponses(client, 1);
        assert.equal(response!.status, 200);
        assert.equal(response!.body, "hello world");
      } finally {
        client.close();
      }
    });
  });
}
