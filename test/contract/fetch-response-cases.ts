/**
 * The Response a fetch handler gives, on the wire, against the web standard (Fetch) and beside
 * the runtime's own server: the default Content-Type each body kind gets, Content-Length for
 * every body whose size is known up front, status, statusText, Set-Cookie, bodyless statuses,
 * and a streamed body whose first chunk must leave before its second exists.
 */
import assert from "node:assert/strict";
import type { Runtime, TestApi } from "./harness.ts";
import { Wakeup } from "./harness.ts";
import { RawClient } from "./harness.ts";
import { latin1Bytes, nativeName, pathOf, report, send, useFetchPair } from "./fetch-pair.ts";
import { header, headers, type RawResponse } from "./raw-response.ts";

/** What a case looks at in a response. */
interface Wire {
  status: number;
  contentType: string | null;
  /** "length N", "chunked", or "none" (no framing field: bodyless). */
  framing: string;
  body: string;
}

function wireOf(response: RawResponse | null): Wire | string {
  if (response === null) return "closed without a response";
  const length = header(response, "content-length");
  return {
    status: response.status,
    contentType: header(response, "content-type") ?? null,
    framing: response.chunked ? "chunked" : length !== undefined ? `length ${length}` : "none",
    body: new TextDecoder().decode(latin1Bytes(response.body)),
  };
}

const form = new FormData();
form.append("field", "value");

interface ResponseCase {
  name: string;
  make: () => Response;
  /** What the standard says goes out; the Content-Type is what Fetch's Response constructor sets. */
  standard: Wire;
  /** Where framing is wirecore's choice rather than the standard's, say so. */
  note?: string;
}

const BIG = "x".repeat(300_000);

const CASES: ResponseCase[] = [
  {
    name: "string body: text/plain;charset=UTF-8 and Content-Length",
    make: () => new Response("hello"),
    standard: { status: 200, contentType: "text/plain;charset=UTF-8", framing: "length 5", body: "hello" },
  },
  {
    name: "empty string body: Content-Length 0",
    make: () => new Response(""),
    standard: { status: 200, contentType: "text/plain;charset=UTF-8", framing: "length 0", body: "" },
  },
  {
    name: "Response.json(): application/json and Content-Length",
    make: () => Response.json({ a: 1 }),
    standard: { status: 200, contentType: "application/json", framing: "length 7", body: '{"a":1}' },
  },
  {
    name: "Blob body: the Blob's type and Content-Length",
    make: () => new Response(new Blob(["blob!"], { type: "text/x-custom" })),
    standard: { status: 200, contentType: "text/x-custom", framing: "length 5", body: "blob!" },
  },
  {
    name: "Uint8Array body: no Content-Type, Content-Length",
    make: () => new Response(new TextEncoder().encode("bytes")),
    standard: { status: 200, contentType: null, framing: "length 5", body: "bytes" },
  },
  {
    name: "ArrayBuffer body: no Content-Type, Content-Length",
    make: () => new Response(new TextEncoder().encode("buffer").buffer),
    standard: { status: 200, contentType: null, framing: "length 6", body: "buffer" },
  },
  {
    name: "URLSearchParams body: application/x-www-form-urlencoded;charset=UTF-8",
    make: () => new Response(new URLSearchParams("a=1&b=2")),
    standard: {
      status: 200,
      contentType: "application/x-www-form-urlencoded;charset=UTF-8",
      framing: "length 7",
      body: "a=1&b=2",
    },
  },
  {
    name: "a 300 kB string body: Content-Length",
    make: () => new Response(BIG),
    standard: { status: 200, contentType: "text/plain;charset=UTF-8", framing: "length 300000", body: BIG },
  },
  {
    name: "a stream that enqueued everything and closed: Content-Length",
    note: "framing is the server's choice",
    make: () =>
      new Response(
        new ReadableStream({
          start(controller) {
            controller.enqueue(new TextEncoder().encode("a"));
            controller.enqueue(new TextEncoder().encode("b"));
            controller.close();
          },
        }),
      ),
    standard: { status: 200, contentType: null, framing: "length 2", body: "ab" },
  },
  {
    name: "status 201 with a statusText",
    make: () => new Response("made", { status: 201, statusText: "Made It" }),
    standard: { status: 201, contentType: "text/plain;charset=UTF-8", framing: "length 4", body: "made" },
  },
  {
    name: "204 with a null body: no framing field, no body (RFC 9110 §8.6)",
    make: () => new Response(null, { status: 204 }),
    standard: { status: 204, contentType: null, framing: "none", body: "" },
  },
  {
    name: "a null body with 200: Content-Length 0",
    make: () => new Response(null),
    standard: { status: 200, contentType: null, framing: "length 0", body: "" },
  },
  {
    name: "Response.redirect(): the status and Location",
    make: () => Response.redirect("http://example.test/next", 307),
    standard: { status: 307, contentType: null, framing: "length 0", body: "" },
  },
];

/** What the runtime's own Response constructor says the Content-Type is. */
function runtimeContentType(c: ResponseCase): string | null {
  return c.make().headers.get("content-type");
}

/** Register the response-side cases. */
export function fetchResponseCases(t: TestApi, runtime: Runtime): void {
  t.describe("fetch path: the Response a handler gives, on the wire (web standard; beside the native server)", () => {
    const byPath = new Map(CASES.map((c, i) => [`/r${i}`, c]));
    const pair = useFetchPair(t, runtime, () => (request) => {
      const path = pathOf(request);
      const c = byPath.get(path);
      if (c !== undefined) return c.make();
      if (path === "/cookies") {
        const headers = new Headers();
        headers.append("set-cookie", "a=1; Path=/");
        headers.append("set-cookie", "b=2, with a comma; Path=/");
        return new Response("ok", { headers });
      }
      return new Response("no such case", { status: 404 });
    });

    CASES.forEach((c, i) => {
      // Bun's Response constructor sets no default Content-Type (oven-sh/bun#8530); Bun.serve adds
      // one on the wire. wirecore sends the Response's own headers, so there it has none.
      const runtimeType = runtimeContentType(c);
      const deviation = runtimeType === c.standard.contentType
        ? ""
        : ` [${runtime.name}'s Response gives Content-Type ${JSON.stringify(runtimeType)}]`;
      t.it(c.name + (c.note ? ` (${c.note})` : "") + deviation, async () => {
        const raw = `GET /r${i} HTTP/1.1\r\nHost: example.test\r\n\r\n`;
        const [ours, theirs] = await Promise.all([send(pair.wirecore, raw), send(pair.native, raw)]);
        const expected: Wire = { ...c.standard, contentType: runtimeType };
        const wirecore = wireOf(ours);
        // Framing (Content-Length or chunked) is each server's choice, not the standard's: judge
        // the native server on the rest.
        const native = wireOf(theirs);
        const nativeStandard = typeof native === "string" ? c.standard : { ...c.standard, framing: native.framing };
        report(runtime, c.name, brief(wirecore), brief(native), brief(nativeStandard));
        assert.deepEqual(wirecore, expected);
        if (c.name.startsWith("status 201")) {
          // Fetch keeps statusText on the Response; HTTP/1.1's reason phrase is advisory (RFC 9112
          // §4) and wirecore sends the standard one.
          console.log(`[fetch ${runtime.name}] reason phrase: wirecore=${ours?.reason} native=${theirs?.reason}`);
          assert.equal(ours?.reason, "Created");
        }
      });
    });

    t.it("HEAD: the GET's Content-Length and no body (RFC 9110 §9.3.2)", async () => {
      const raw = `HEAD /r0 HTTP/1.1\r\nHost: example.test\r\n\r\n`;
      const [ours, theirs] = await Promise.all([send(pair.wirecore, raw, "HEAD"), send(pair.native, raw, "HEAD")]);
      report(runtime, "HEAD", brief(wireOf(ours)), brief(wireOf(theirs)), { framing: "length 5", body: "" });
      assert.equal(header(ours!, "content-length"), "5");
      assert.equal(ours!.body, "");
    });

    t.it("Set-Cookie: one field per cookie, never joined (RFC 6265 §3, Fetch getSetCookie)", async () => {
      const raw = `GET /cookies HTTP/1.1\r\nHost: example.test\r\n\r\n`;
      const [ours, theirs] = await Promise.all([send(pair.wirecore, raw), send(pair.native, raw)]);
      const standard = ["a=1; Path=/", "b=2, with a comma; Path=/"];
      report(runtime, "Set-Cookie", headers(ours!, "set-cookie"), headers(theirs!, "set-cookie"), standard);
      assert.deepEqual(headers(ours!, "set-cookie"), standard);
    });
  });

  streamCases(t, runtime);
}

/** A Wire without a 300 kB body, for the report line. */
function brief(wire: Wire | string | Record<string, unknown>): unknown {
  if (typeof wire === "string" || typeof wire.body !== "string" || wire.body.length < 100) return wire;
  return { ...wire, body: `${wire.body.length} bytes` };
}

/** A streamed body: head and first chunk leave at once; the client leaving aborts request.signal. */
function streamCases(t: TestApi, runtime: Runtime): void {
  t.describe("fetch path: streaming and abort (beside the native server)", () => {
    const release = new Set<() => void>();
    const aborts: unknown[] = [];
    const pair = useFetchPair(t, runtime, () => (request) => {
      const path = pathOf(request);
      if (path === "/sse") {
        const encoder = new TextEncoder();
        let timer: ReturnType<typeof setTimeout> | undefined;
        return new Response(
          new ReadableStream({
            start(controller) {
              controller.enqueue(encoder.encode("data: first\n\n"));
              // The second event comes only when the test says so (or after 10 s).
              const next = (): void => {
                clearTimeout(timer);
                try {
                  controller.enqueue(encoder.encode("data: second\n\n"));
                  controller.close();
                } catch {
                  // cancelled meanwhile
                }
              };
              release.add(next);
              timer = setTimeout(next, 10_000);
            },
            cancel() {
              clearTimeout(timer);
            },
          }),
          { headers: { "content-type": "text/event-stream" } },
        );
      }
      if (path === "/wait") {
        return new Promise<Response>((resolve) => {
          request.signal.addEventListener("abort", () => {
            const reason = request.signal.reason as { name?: unknown } | undefined;
            aborts.push({
              aborted: request.signal.aborted,
              name: reason?.name,
              isDOMException: reason instanceof DOMException,
            });
            resolve(new Response("late"));
          });
        });
      }
      return new Response("no such case", { status: 404 });
    });

    t.it("a ReadableStream body: the head and first chunk leave before the second chunk exists", async () => {
      const first = async (port: number): Promise<string> => {
        const client = await RawClient.open(port);
        try {
          await client.write("GET /sse HTTP/1.1\r\nHost: example.test\r\n\r\n");
          const text = await client.until((t) => t.includes("data: first"), 2000).catch(() => client.text());
          return text.includes("data: first")
            ? (text.includes("data: second") ? "both at once" : "first at once")
            : "held back";
        } finally {
          client.close();
          for (const next of release) next();
          release.clear();
        }
      };
      const ours = await first(pair.wirecore);
      const theirs = await first(pair.native);
      report(runtime, "streamed first chunk", ours, theirs, "first at once");
      assert.equal(ours, "first at once");
    });

    t.it("request.signal aborts with a DOMException named AbortError when the client leaves", async () => {
      const leave = async (port: number): Promise<unknown> => {
        aborts.length = 0;
        const client = await RawClient.open(port);
        await client.write("GET /wait HTTP/1.1\r\nHost: example.test\r\n\r\n");
        await new Wakeup().next(100);
        client.close();
        const deadline = Date.now() + 3000;
        while (aborts.length === 0 && Date.now() < deadline) await new Wakeup().next(10);
        return aborts[0] ?? "not aborted within 3 s";
      };
      const ours = await leave(pair.wirecore);
      const theirs = await leave(pair.native);
      const standard = { aborted: true, name: "AbortError", isDOMException: true };
      report(runtime, `request.signal on leave (${nativeName(runtime)})`, ours, theirs, standard);
      assert.deepEqual(ours, standard);
    });
  });
}
