/**
 * Malformed and refused requests: the exact status, then close (RFC 9112, RFC 9110, RFC 6585);
 * body size limits of the route and of the server; `Expect: 100-continue`.
 */
import assert from "node:assert/strict";
import { App } from "../../../core/app/app.ts";
import { RawClient, type Runtime, sleep, type TestApi, useServer } from "../harness.ts";
import { createFixtureApp } from "../fixture-app.ts";
import { header, parseResponses, readResponses } from "../raw-response.ts";
import { assertOpen, expect413ThenCloseOrNext, expectRejected, get, H } from "./helpers.ts";

/** Requests refused with an exact status, then close; route body limits; `Expect`. */
export function rejectionCases(t: TestApi, runtime: Runtime): void {
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
        name: "a chunk size of 17 hex digits, even of a small value (overflow guard, RFC 9112 §7.1)",
        bytes: chunkedText("00000000000000005\r\nhello\r\n0\r\n\r\n"),
      },
      {
        status: 413,
        name: "a chunk size beyond 2^53: past the default maxBodySize at its 7th digit (RFC 9110 §15.5.14)",
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

    t.it("a 400 after a valid pipelined request: the 200 and the 400 both arrive, then the close (×20)", async () => {
      // What was answered before the error must not vanish, even when the client keeps sending
      // after the server's close: the server half-closes and drains (RFC 9112 §9.6), so no reset
      // takes the responses off the wire before the client reads them.
      for (let round = 0; round < 20; round++) {
        const client = await RawClient.open(s.port);
        await client.write(get("/") + "GET / HTTP/1.1\r\nHost: test\nX: bad\r\n\r\n");
        await sleep(20);
        await client.write(get("/")).catch(() => {});
        const text = await client.untilClosed();
        const { responses } = parseResponses(text, [], true);
        assert.deepEqual(responses.map((r) => r.status), [200, 400], `round ${round}: ${text.slice(0, 300)}`);
        assert.ok(client.closed, `round ${round}: closed`);
      }
    }, 60_000);

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

/** The server-wide `maxBodySize` (RFC 9110 §15.5.14). */
export function bodySizeLimitCases(t: TestApi, runtime: Runtime): void {
  t.describe("the server's maxBodySize", () => {
    const s = useServer(t, runtime, createFixtureApp, { maxBodySize: 1024 * 1024 });

    t.it("413 for a Content-Length above maxBodySize, then close (RFC 9110 §15.5.14)", async () => {
      await expectRejected(s.port, `POST /echo HTTP/1.1\r\n${H}Content-Length: ${10 * 1024 * 1024}\r\n\r\n`, 413);
    });

    t.it("413 for a chunk that declares more than maxBodySize, then close (RFC 9110 §15.5.14)", async () => {
      await expectRejected(s.port, `POST /echo HTTP/1.1\r\n${H}Transfer-Encoding: chunked\r\n\r\n200000\r\nabc`, 413);
    });
  });

  t.describe("the default maxBodySize (64 MiB)", () => {
    // The streaming /echo route takes any size it is given: the server-wide default still holds.
    const s = useServer(t, runtime, () => new App().post("/echo", { bodyLimit: Infinity }, (c) => c.body(c.req.body)));

    t.it("Content-Length: 10000000000 with Expect: 100-continue → 413 at once, no 100 Continue, close", async () => {
      const head = `POST /echo HTTP/1.1\r\n${H}Content-Length: 10000000000\r\nExpect: 100-continue\r\n\r\n`;
      // Exactly one response: a `100 Continue` before the 413 would be a second one.
      await expectRejected(s.port, head, 413);
    });

    t.it("a body of 64 MiB + 1 declared → 413; one just under the limit is streamed back", async () => {
      await expectRejected(s.port, `POST /echo HTTP/1.1\r\n${H}Content-Length: ${64 * 1024 * 1024 + 1}\r\n\r\n`, 413);
      const body = new Uint8Array(1024 * 1024).fill(0x61);
      const response = await fetch(`http://127.0.0.1:${s.port}/echo`, { method: "POST", body });
      assert.equal(response.status, 200);
      assert.equal((await response.arrayBuffer()).byteLength, body.length);
    });
  });
}
