/**
 * The fetch path's edges, beside the native server: a FormData body, requests the Request
 * constructor cannot represent (a Host that is no valid authority, a forbidden method), and
 * responses that are no HTTP response (Response.error(), a 101 made by the runtime, nothing).
 */
import assert from "node:assert/strict";
import type { Runtime, TestApi } from "./harness.ts";
import { latin1Bytes, pathOf, report, send, useFetchPair } from "./fetch-pair.ts";
import { header, type RawResponse } from "./raw-response.ts";

const KEY = "dGhlIHNhbXBsZSBub25jZQ==";
const WS_REQUEST =
  `GET /ws101 HTTP/1.1\r\nHost: example.test\r\nUpgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Key: ${KEY}\r\nSec-WebSocket-Version: 13\r\n\r\n`;

function statusOf(response: RawResponse | null): number | string {
  return response === null ? "closed without a response" : response.status;
}

/** A 101 Response made outside wirecore: by Deno.upgradeWebSocket on Deno, the constructor on Bun. */
function foreign101(request: Request): Response {
  const deno = (globalThis as { Deno?: { upgradeWebSocket(r: Request): { response: Response } } }).Deno;
  if (deno !== undefined) return deno.upgradeWebSocket(request).response;
  return new Response(null, { status: 101, headers: { upgrade: "websocket", connection: "Upgrade" } });
}

function canMakeRequest(method: string): boolean {
  try {
    new Request("http://example.test/", { method });
    return true;
  } catch {
    return false;
  }
}

/** Register the edge cases. */
export function fetchEdgeCases(t: TestApi, runtime: Runtime): void {
  t.describe("fetch path: edges (beside the native server)", () => {
    const logged: unknown[] = [];
    const pair = useFetchPair(t, runtime, () => (request) => {
      const path = pathOf(request);
      if (path === "/form") {
        const form = new FormData();
        form.append("field", "value");
        return new Response(form);
      }
      if (path === "/error") return Response.error();
      if (path === "/nothing") return undefined;
      if (path === "/ws101") return foreign101(request);
      return new Response(`${request.method} ${request.url}`);
    }, { onError: (error) => logged.push(error) });

    t.it("FormData body: multipart/form-data with its boundary, and Content-Length", async () => {
      const raw = "GET /form HTTP/1.1\r\nHost: example.test\r\n\r\n";
      const [ours, theirs] = await Promise.all([send(pair.wirecore, raw), send(pair.native, raw)]);
      const view = (r: RawResponse | null): unknown =>
        r === null ? "closed" : {
          type: /^multipart\/form-data; ?boundary=/.test(header(r, "content-type") ?? ""),
          length: header(r, "content-length") === String(latin1Bytes(r.body).length) ? "length" : "chunked",
          part: r.body.includes('name="field"') && r.body.includes("value"),
        };
      const standard = { type: true, length: "length", part: true };
      report(runtime, "FormData", view(ours), view(theirs), standard);
      assert.deepEqual(view(ours), standard);
    });

    const BAD: [string, string, number][] = [
      ["a Host with a second port (RFC 9110 §7.2)", "Host: host:80:extra", 400],
      ["a Host with a bad percent-encoding (RFC 3986 §2.1)", "Host: a%zz", 400],
      ["a Host WHATWG URL refuses: IPv4 out of range", "Host: 1.2.3.999", 400],
      ["a Host WHATWG URL refuses: port above 65535", "Host: example.test:70000", 400],
    ];
    for (const [name, field, status] of BAD) {
      t.it(`${name}: ${status}, not 500`, async () => {
        const raw = `GET / HTTP/1.1\r\n${field}\r\n\r\n`;
        const [ours, theirs] = await Promise.all([send(pair.wirecore, raw), send(pair.native, raw)]);
        report(runtime, name, statusOf(ours), statusOf(theirs), status);
        assert.equal(statusOf(ours), status);
      });
    }

    // Fetch forbids TRACE in a Request; Bun's constructor takes it, and then wirecore serves it.
    const traceRequest = canMakeRequest("TRACE");
    const traceStatus = traceRequest ? 200 : 501;
    const traceNote = traceRequest ? ` [${runtime.name}'s Request takes TRACE: 200]` : "";
    t.it(
      `TRACE (a forbidden method in Fetch): 501, as a method not implemented (RFC 9110 §9.1)${traceNote}`,
      async () => {
        const raw = "TRACE / HTTP/1.1\r\nHost: example.test\r\n\r\n";
        const [ours, theirs] = await Promise.all([send(pair.wirecore, raw), send(pair.native, raw)]);
        report(runtime, "TRACE", statusOf(ours), statusOf(theirs), 501);
        assert.equal(statusOf(ours), traceStatus);
      },
    );

    t.it("Response.error() (a network error, status 0): 500", async () => {
      const raw = "GET /error HTTP/1.1\r\nHost: example.test\r\n\r\n";
      const [ours, theirs] = await Promise.all([send(pair.wirecore, raw), send(pair.native, raw)]);
      report(runtime, "Response.error()", statusOf(ours), statusOf(theirs), 500);
      assert.equal(statusOf(ours), 500);
    });

    t.it("a handler that returns no Response: 500", async () => {
      const raw = "GET /nothing HTTP/1.1\r\nHost: example.test\r\n\r\n";
      const [ours, theirs] = await Promise.all([send(pair.wirecore, raw), send(pair.native, raw)]);
      report(runtime, "no Response", statusOf(ours), statusOf(theirs), 500);
      assert.equal(statusOf(ours), 500);
    });

    const canMake101 = runtime.name !== "node";
    t.it(
      canMake101
        ? `a 101 Response wirecore did not make (${
          runtime.name === "deno" ? "Deno.upgradeWebSocket" : "new Response(null, { status: 101 })"
        }): 500 and an error naming upgradeWebSocket, never a broken 101`
        : "a 101 Response wirecore did not make cannot exist on node: the constructor refuses 101 (Fetch)",
      async () => {
        if (!canMake101) {
          assert.throws(() => new Response(null, { status: 101 }), RangeError);
          return;
        }
        logged.length = 0;
        const [ours, theirs] = await Promise.all([send(pair.wirecore, WS_REQUEST), send(pair.native, WS_REQUEST)]);
        // The native server owns its socket: there the 101 is right.
        report(runtime, "foreign 101", statusOf(ours), statusOf(theirs), runtime.name === "deno" ? 101 : 500);
        assert.equal(statusOf(ours), 500);
        const message = logged.map((error) => (error as Error).message).join(" | ");
        assert.match(message, /upgradeWebSocket\(\) from wirecore/);
      },
    );
  });
}
