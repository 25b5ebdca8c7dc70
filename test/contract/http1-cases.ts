/**
 * The HTTP/1.1 contract: black-box cases over real sockets, the same on every runtime.
 * Framing is checked on raw bytes (RawClient + raw-response.ts); app-level behaviour with fetch.
 * A case that enforces a protocol rule names its RFC section.
 */
import assert from "node:assert/strict";
import type { ServeTarget } from "../../core/app/serve-target.ts";
import { RawClient, type Runtime, sleep, start, type TestApi, useServer, waitFor } from "./harness.ts";
import { createFixtureApp, createHonoApp, fetchHandler, observed } from "./fixture-app.ts";
import { exchange, header, headers, parseResponses, type RawResponse, readResponses } from "./raw-response.ts";

// ─── helpers ────────────────────────────────────────────────────────────────────────────────────

/** Wait a moment and check the connection is still open. */
async function assertOpen(client: RawClient): Promise<void> {
  await sleep(30);
  assert.equal(client.closed, false, "the server closed a connection that should stay open");
}

/** The server answers `bytes` with exactly one `status` response, says `connection: close`, and closes. */
async function expectRejected(port: number, bytes: string, status: number): Promise<RawResponse> {
  const client = await RawClient.open(port);
  try {
    // The server may close before it has read everything; a failed write is not the point here.
    await client.write(bytes).catch(() => {});
    const text = await client.untilClosed();
    const { responses, rest } = parseResponses(text, [], true);
    assert.equal(responses.length, 1, `expected exactly one response, got: ${JSON.stringify(text.slice(0, 400))}`);
    const response = responses[0]!;
    assert.equal(response.status, status, `expected ${status}, got: ${JSON.stringify(text.slice(0, 400))}`);
    assert.equal(rest, "");
    assert.equal(
      header(response, "connection"),
      "close",
      "a response before closing says `connection: close` (RFC 9112 §9.6)",
    );
    assert.ok(client.closed);
    return response;
  } finally {
    client.close();
  }
}

/** `bytes` gets 413; then the server either closes (saying so) or answers a request pipelined after it. */
async function expect413ThenCloseOrNext(port: number, bytes: string): Promise<void> {
  const client = await RawClient.open(port);
  try {
    await client.write(bytes + get("/users/9")).catch(() => {});
    const text = await client.until((t) => parseResponses(t).responses.length >= 2);
    const { responses, rest } = parseResponses(text, [], client.closed);
    assert.ok(responses.length >= 1, `no response: ${JSON.stringify(text)}`);
    assert.equal(responses[0]!.status, 413);
    if (responses.length === 1) {
      assert.equal(
        header(responses[0]!, "connection"),
        "close",
        "a response before closing says `connection: close` (RFC 9112 §9.6)",
      );
      assert.equal(rest, "");
    } else {
      assert.equal(header(responses[0]!, "connection"), undefined);
      assert.equal(responses[1]!.status, 200);
      assert.equal(responses[1]!.body, '{"id":"9"}');
    }
  } finally {
    client.close();
  }
}

const H = "Host: test\r\n";
const get = (path: string, extra = ""): string => `GET ${path} HTTP/1.1\r\n${H}${extra}\r\n`;

// ─── the cases ──────────────────────────────────────────────────────────────────────────────────

/** Every HTTP/1.1 case of the contract suite. */
export function http1Cases(t: TestApi, runtime: Runtime): void {
  t.describe("HTTP/1.1", () => {
    connectionCases(t, runtime);
    framingCases(t, runtime);
    rejectionCases(t, runtime);
    bodySizeLimitCases(t, runtime);
    appCases(t, runtime);
    fetchHandlerCases(t, runtime);
    honoCases(t, runtime);
    disconnectCases(t, runtime);
    shutdownCases(t, runtime);
  });
}

function connectionCases(t: TestApi, runtime: Runtime): void {
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

function framingCases(t: TestApi, runtime: Runtime): void {
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

function rejectionCases(t: TestApi, runtime: Runtime): void {
  t.describe("malformed and refused requests: exact status, then close", () => {
    const s = useServer(t, runtime, createFixtureApp);

    const chunkedText = (chunks: string): string =>
      `POST /text HTTP/1.1\r\n${H}Transfer-Encoding: chunked\r\n\r\n${chunks}`;
    const table: { name: string; status: number; bytes: string }[] = [
      {
        status: 400,
        name: "Content-Length with Transfer-Encoding (RFC 9112 §6.1)",
        bytes: `POST /text HTTP/1.1\r\n${H}Content-Length: 5\r\nTransfer-Encoding: chunked\r\n\r\n0\r\n\r\n`,
      },
      {
        status: 400,
        name: "two differing Content-Length fields (RFC 9112 §6.3)",
        bytes: `POST /text HTTP/1.1\r\n${H}Content-Length: 5\r\nContent-Length: 6\r\n\r\nhello!`,
      },
      {
        status: 400,
        name: "a Content-Length list with differing values (RFC 9112 §6.3)",
        bytes: `POST /text HTTP/1.1\r\n${H}Content-Length: 5, 6\r\n\r\nhello!`,
      },
      {
        status: 400,
        name: "a malformed Content-Length `abc` (RFC 9112 §6.3)",
        bytes: `POST /text HTTP/1.1\r\n${H}Content-Length: abc\r\n\r\n`,
      },
      {
        status: 400,
        name: "a negative Content-Length (RFC 9112 §6.3)",
        bytes: `POST /text HTTP/1.1\r\n${H}Content-Length: -1\r\n\r\n`,
      },
      {
        status: 400,
        name: "a signed Content-Length `+5` (RFC 9110 §8.6)",
        bytes: `POST /text HTTP/1.1\r\n${H}Content-Length: +5\r\n\r\nhello`,
      },
      { status: 400, name: "a bare LF as line terminator (RFC 9112 §2.2)", bytes: "GET / HTTP/1.1\nHost: test\n\n" },
      {
        status: 400,
        name: "a bare LF in a header line (RFC 9112 §2.2)",
        bytes: `GET / HTTP/1.1\r\n${H}X-A: b\nX-C: d\r\n\r\n`,
      },
      {
        status: 400,
        name: "a bare CR in a header line (RFC 9112 §2.2)",
        bytes: `GET / HTTP/1.1\r\n${H}X-A: b\rX-C: d\r\n\r\n`,
      },
      { status: 400, name: "a bare CR in the request line (RFC 9112 §2.2)", bytes: `GET /\r HTTP/1.1\r\n${H}\r\n` },
      {
        status: 400,
        name: "whitespace between field name and colon (RFC 9112 §5.1)",
        bytes: `GET / HTTP/1.1\r\nHost : test\r\n\r\n`,
      },
      {
        status: 400,
        name: "obsolete line folding (RFC 9112 §5.2)",
        bytes: `GET / HTTP/1.1\r\n${H}X-Folded: a\r\n b\r\n\r\n`,
      },
      { status: 400, name: "an invalid character in the method (RFC 9110 §9.1)", bytes: `G(T / HTTP/1.1\r\n${H}\r\n` },
      {
        status: 400,
        name: "a control character in the request target (RFC 9112 §3.2)",
        bytes: `GET /a\x01b HTTP/1.1\r\n${H}\r\n`,
      },
      { status: 400, name: "a DEL in the request target (RFC 9112 §3.2)", bytes: `GET /a\x7fb HTTP/1.1\r\n${H}\r\n` },
      { status: 400, name: "a space inside the request target (RFC 9112 §3)", bytes: `GET /a b HTTP/1.1\r\n${H}\r\n` },
      {
        status: 400,
        name: "an invalid character in a field name (RFC 9110 §5.1)",
        bytes: `GET / HTTP/1.1\r\n${H}Bad@Name: x\r\n\r\n`,
      },
      {
        status: 400,
        name: "NUL in a field value (RFC 9110 §5.5)",
        bytes: `GET / HTTP/1.1\r\n${H}X-Nul: a\x00b\r\n\r\n`,
      },
      {
        status: 400,
        name: "an HTTP/1.1 request without Host (RFC 9112 §3.2)",
        bytes: "GET / HTTP/1.1\r\nX-A: b\r\n\r\n",
      },
      { status: 400, name: "two Host fields (RFC 9112 §3.2)", bytes: `GET / HTTP/1.1\r\n${H}Host: other\r\n\r\n` },
      {
        status: 400,
        name: "a chunk size that is not hex (RFC 9112 §7.1)",
        bytes: chunkedText("zz\r\nhello\r\n0\r\n\r\n"),
      },
      {
        status: 400,
        name: "a chunk size of 17 hex digits (overflow, RFC 9112 §7.1)",
        bytes: chunkedText("fffffffffffffffff\r\nhello\r\n0\r\n\r\n"),
      },
      {
        status: 400,
        name: "a chunk size beyond 2^53 (overflow, RFC 9112 §7.1)",
        bytes: chunkedText("ffffffffffffffff\r\nhello\r\n0\r\n\r\n"),
      },
      {
        status: 400,
        name: "chunk data not followed by CRLF (RFC 9112 §7.1)",
        bytes: chunkedText("5\r\nhelloXX0\r\n\r\n"),
      },
      {
        status: 501,
        name: "`Transfer-Encoding: gzip, chunked` (RFC 9112 §6.1)",
        bytes: `POST /text HTTP/1.1\r\n${H}Transfer-Encoding: gzip, chunked\r\n\r\n0\r\n\r\n`,
      },
      { status: 505, name: "an HTTP/2.0 request line (RFC 9110 §15.6.6)", bytes: `GET / HTTP/2.0\r\n${H}\r\n` },
      {
        status: 414,
        name: "a request line longer than 8 KiB (RFC 9112 §3)",
        bytes: `GET /${"a".repeat(9000)} HTTP/1.1\r\n${H}\r\n`,
      },
      {
        status: 431,
        name: "a header section larger than 16 KiB (RFC 6585 §5)",
        bytes: `GET / HTTP/1.1\r\n${H}X-Big: ${"b".repeat(20_000)}\r\n\r\n`,
      },
      {
        status: 431,
        name: "more than 100 header fields (RFC 6585 §5)",
        bytes: `GET / HTTP/1.1\r\n${H}${Array.from({ length: 150 }, (_, i) => `X-H${i}: v\r\n`).join("")}\r\n`,
      },
      {
        status: 417,
        name: "an unknown expectation (RFC 9110 §10.1.1)",
        bytes: `GET / HTTP/1.1\r\n${H}Expect: teapot\r\n\r\n`,
      },
    ];
    for (const row of table) {
      t.it(`${row.status} for ${row.name}`, async () => {
        await expectRejected(s.port, row.bytes, row.status);
      });
    }

    // An app-level 413 comes after the parser has framed the body correctly, so the connection is
    // still in sync: closing it (saying so) and reading on past the body are both right. These
    // cases pipeline a request after the body and accept either, but never a confused stream.
    t.it(
      "413 for a Content-Length above the route's bodyLimit, before the handler runs (RFC 9110 §15.5.14)",
      async () => {
        await expect413ThenCloseOrNext(
          s.port,
          `POST /limited HTTP/1.1\r\n${H}Content-Length: 2000\r\n\r\n${"a".repeat(2000)}`,
        );
      },
    );

    t.it("413 for a chunked body that grows past the route's bodyLimit (RFC 9110 §15.5.14)", async () => {
      const chunk = "320\r\n" + "a".repeat(800) + "\r\n";
      await expect413ThenCloseOrNext(
        s.port,
        `POST /limited HTTP/1.1\r\n${H}Transfer-Encoding: chunked\r\n\r\n${chunk}${chunk}0\r\n\r\n`,
      );
    });

    t.it("413 with `Expect: 100-continue` comes without `100 Continue`, then close (RFC 9110 §10.1.1)", async () => {
      const response = await expectRejected(
        s.port,
        `POST /limited HTTP/1.1\r\n${H}Content-Length: 2000\r\nExpect: 100-continue\r\n\r\n`,
        413,
      );
      assert.equal(response.status, 413);
    });

    t.it(
      "`Expect: 100-continue` with a small body: 100 Continue once the handler reads, then the response (RFC 9110 §10.1.1)",
      async () => {
        const client = await RawClient.open(s.port);
        try {
          await client.write(`POST /text HTTP/1.1\r\n${H}Content-Length: 5\r\nExpect: 100-continue\r\n\r\n`);
          const interim = await readResponses(client, 1);
          assert.equal(interim[0]!.status, 100);
          assert.equal(client.text(), "HTTP/1.1 100 Continue\r\n\r\n");
          await client.write("hello");
          const responses = await readResponses(client, 2);
          assert.equal(responses[1]!.status, 200);
          assert.equal(responses[1]!.body, "hello");
          await assertOpen(client);
        } finally {
          client.close();
        }
      },
    );

    t.it("a good request pipelined before a bad one still gets its response first (RFC 9112 §9.3.2)", async () => {
      const client = await RawClient.open(s.port);
      try {
        await client.write(get("/users/1") + "GET / HTTP/1.1\r\nHost : test\r\n\r\n");
        const text = await client.untilClosed();
        const { responses } = parseResponses(text, [], true);
        assert.equal(responses.length, 2, JSON.stringify(text));
        assert.equal(responses[0]!.status, 200);
        assert.equal(responses[0]!.body, '{"id":"1"}');
        assert.equal(responses[1]!.status, 400);
        assert.equal(header(responses[1]!, "connection"), "close");
      } finally {
        client.close();
      }
    });
  });
}

function bodySizeLimitCases(t: TestApi, runtime: Runtime): void {
  t.describe("the server's maxBodySize", () => {
    const s = useServer(t, runtime, createFixtureApp, { maxBodySize: 1024 * 1024 });

    t.it("413 for a Content-Length above maxBodySize, then close (RFC 9110 §15.5.14)", async () => {
      await expectRejected(s.port, `POST /echo HTTP/1.1\r\n${H}Content-Length: ${10 * 1024 * 1024}\r\n\r\n`, 413);
    });

    t.it("413 for a chunk that declares more than maxBodySize, then close (RFC 9110 §15.5.14)", async () => {
      await expectRejected(s.port, `POST /echo HTTP/1.1\r\n${H}Transfer-Encoding: chunked\r\n\r\n200000\r\nabc`, 413);
    });
  });
}

function appCases(t: TestApi, runtime: Runtime): void {
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

function fetchHandlerCases(t: TestApi, runtime: Runtime): void {
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

function honoCases(t: TestApi, runtime: Runtime): void {
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

function disconnectCases(t: TestApi, runtime: Runtime): void {
  t.describe("client disconnects", () => {
    const s = useServer(t, runtime, createFixtureApp);
    let n = 0;
    const id = (what: string): string => `${runtime.name}-${what}-${++n}-${Math.random().toString(36).slice(2, 8)}`;

    // A FIN from the client counts as going away (as in Deno.serve and Bun.serve).
    t.it("c.req.signal aborts when the client closes its connection mid-request", async () => {
      const key = id("watch-fin");
      const client = await RawClient.open(s.port);
      await client.write(get(`/watch/${key}`));
      await waitFor(() => observed.started.has(key), "the handler to start");
      client.close();
      await waitFor(() => observed.aborted.has(key), "c.req.signal to abort after the client closed");
    });

    t.it("c.req.signal aborts when the client resets its connection mid-request", async () => {
      const key = id("watch-rst");
      const client = await RawClient.open(s.port);
      await client.write(get(`/watch/${key}`));
      await waitFor(() => observed.started.has(key), "the handler to start");
      const socket = client.socket as { resetAndDestroy?: () => void; destroy(): void };
      assert.equal(
        typeof socket.resetAndDestroy,
        "function",
        `node:net Socket.resetAndDestroy is missing on ${runtime.name}`,
      );
      socket.resetAndDestroy!();
      await waitFor(() => observed.aborted.has(key), "c.req.signal to abort after the client reset");
    });

    t.it("an endless streamed response is cancelled when the client goes away", async () => {
      const key = id("infinite");
      const client = await RawClient.open(s.port);
      await client.write(get(`/infinite/${key}`));
      await client.until((text) => text.length > 4096);
      client.close();
      await waitFor(() => observed.cancelled.has(key), "the stream's cancel() to be called");
      assert.ok(observed.aborted.has(key), "c.req.signal aborted too");
    });
  });
}

function shutdownCases(t: TestApi, runtime: Runtime): void {
  t.describe("graceful shutdown", () => {
    const s = useServer(t, runtime, createFixtureApp);

    t.it("server.shutdown(): in-flight response completes, idle connections close, new ones are refused", async () => {
      const port = s.port;
      const idle = await RawClient.open(port);
      const busy = await RawClient.open(port);
      try {
        await idle.write(get("/"));
        await readResponses(idle, 1);
        const key = `${runtime.name}-shutdown-${Math.random().toString(36).slice(2, 8)}`;
        await busy.write(get(`/slow?ms=300&id=${key}`));
        await waitFor(() => observed.started.has(key), "the slow handler to start");

        let resolved = false;
        const done = s.server.shutdown().then(() => {
          resolved = true;
        });
        await idle.untilClosed(2000);
        assert.equal(resolved, false, "shutdown() waits for the in-flight request");
        await assert.rejects(RawClient.open(port), "a new connection during shutdown is refused");

        const text = await busy.untilClosed(3000);
        const { responses } = parseResponses(text, [], true);
        assert.equal(responses.length, 1);
        assert.equal(responses[0]!.status, 200);
        assert.equal(responses[0]!.body, "slow done");
        assert.equal(
          header(responses[0]!, "connection"),
          "close",
          "the last response says `connection: close` (RFC 9112 §9.6)",
        );

        await done;
        assert.equal(s.server.connections, 0);
        await assert.rejects(RawClient.open(port), "a new connection after shutdown is refused");
      } finally {
        idle.close();
        busy.close();
      }
    });
  });

  t.describe("the `signal` option", () => {
    t.it("aborting the signal shuts the server down", async () => {
      const controller = new AbortController();
      const server = await start(runtime, createFixtureApp(), { signal: controller.signal });
      const port = server.address.port;
      try {
        const { client, responses } = await exchange(port, get("/"));
        assert.equal(responses[0]!.status, 200);
        controller.abort();
        await client.untilClosed(2000);
        await server.shutdown();
        await assert.rejects(RawClient.open(port), "connections are refused after the signal aborted");
      } finally {
        await server.close();
      }
    });
  });
}
