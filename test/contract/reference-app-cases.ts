/**
 * The reference app of `examples/app.ts` — what `npm start` serves — with every battery, over
 * real sockets on this runtime's adapter and every protocol: HTTP/1.1 (`node:http`, which never
 * decodes a body), HTTP/2 h2c and HTTP/2 over TLS (`node:http2`). Each route of README's "Try the
 * batteries" list is checked here with the request the README shows.
 */
import assert from "node:assert/strict";
import { createHash } from "node:crypto";
import { readFileSync } from "node:fs";
import { brotliDecompressSync, gunzipSync } from "node:zlib";
import { createParser, type EventSourceMessage } from "eventsource-parser";
import { createApp } from "../../examples/app.ts";
import { ensureSiteAssets, LARGE_FILE_SIZE, PUBLIC_DIR } from "../../examples/site-assets.ts";
import type { Runtime, TestApi } from "./harness.ts";
import type { ClientResponse, HttpClient, StreamingResponse } from "./http-client.ts";
import { NodeHttp1Client } from "./http1-node-client.ts";
import { useProtocolEndpoint } from "./protocol-endpoint.ts";
import { PROTOCOLS, type ProtocolUnderTest } from "./semantics-setup.ts";
import { pseudoRandom } from "../support/pseudo-random.ts";

/** HTTP/1.1 through `node:http` instead of `fetch`, which would decode the compressed bodies under test. */
const REFERENCE_PROTOCOLS: readonly ProtocolUnderTest[] = [
  {
    name: "HTTP/1.1 (node:http)",
    protocol: "http/1.1",
    tls: false,
    connect: (port) => Promise.resolve(new NodeHttp1Client(port)),
  },
  ...PROTOCOLS.filter((under) => under.protocol !== "http/1.1"),
];

/** The first `count` events of an event stream, parsed by an independent WHATWG parser (eventsource-parser). */
async function firstEvents(response: StreamingResponse, count: number, ms = 5000): Promise<EventSourceMessage[]> {
  const events: EventSourceMessage[] = [];
  const parser = createParser({ onEvent: (event) => events.push(event) });
  const decoder = new TextDecoder();
  const chunks = response.body[Symbol.asyncIterator]();
  let timer: ReturnType<typeof setTimeout> | undefined;
  const late = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`no ${count} events within ${ms} ms (got ${events.length})`)), ms);
  });
  try {
    while (events.length < count) {
      const next = await Promise.race([chunks.next(), late]);
      if (next.done) throw new Error(`the stream ended after ${events.length} events`);
      parser.feed(decoder.decode(next.value, { stream: true }));
    }
  } finally {
    clearTimeout(timer);
  }
  return events;
}

const BOUNDARY = "reference-app-boundary-7MA4YWxkTrZu0gW";

/** A multipart/form-data body (RFC 7578) of fields and files, written out by hand. */
function multipart(parts: { name: string; value: string | Uint8Array; filename?: string; type?: string }[]): {
  body: Uint8Array;
  type: string;
} {
  const encoder = new TextEncoder();
  const pieces: Uint8Array[] = [];
  for (const part of parts) {
    let head = `--${BOUNDARY}\r\nContent-Disposition: form-data; name="${part.name}"`;
    if (part.filename !== undefined) head += `; filename="${part.filename}"`;
    if (part.type !== undefined) head += `\r\nContent-Type: ${part.type}`;
    pieces.push(encoder.encode(head + "\r\n\r\n"));
    pieces.push(typeof part.value === "string" ? encoder.encode(part.value) : part.value);
    pieces.push(encoder.encode("\r\n"));
  }
  pieces.push(encoder.encode(`--${BOUNDARY}--\r\n`));
  const body = new Uint8Array(pieces.reduce((sum, piece) => sum + piece.length, 0));
  let at = 0;
  for (const piece of pieces) {
    body.set(piece, at);
    at += piece.length;
  }
  return { body, type: `multipart/form-data; boundary=${BOUNDARY}` };
}

export function referenceAppCases(t: TestApi, runtime: Runtime): void {
  for (const under of REFERENCE_PROTOCOLS) {
    t.describe(`the reference app's batteries over ${under.name}`, () => {
      t.beforeAll(() => ensureSiteAssets());
      const logged: string[] = [];
      const server = useProtocolEndpoint(
        t,
        runtime,
        under,
        () => createApp({ telemetry: true, accessLog: (line) => logged.push(line) }),
      );
      const client = (): HttpClient => server.client;
      const get = (path: string, headers: [string, string][] = [], method = "GET"): Promise<ClientResponse> =>
        client().request({ method, path, headers });

      t.it("GET /static/: the site's index.html, with validators", async () => {
        const response = await get("/static/");
        assert.equal(response.status, 200);
        assert.equal(response.headers.get("content-type"), "text/html; charset=utf-8");
        assert.match(response.headers.get("etag") ?? "", /^"[0-9a-f]+-[0-9a-f]+"$/);
        assert.equal(response.text(), readFileSync(PUBLIC_DIR + "index.html", "utf8"));
      });

      t.it("GET /static/style.css with Accept-Encoding: br: the committed .br sibling", async () => {
        const response = await get("/static/style.css", [["accept-encoding", "br"]]);
        assert.equal(response.status, 200);
        assert.equal(response.headers.get("content-encoding"), "br");
        assert.equal(response.headers.get("content-type"), "text/css; charset=utf-8");
        assert.equal(response.headers.get("vary")?.toLowerCase(), "accept-encoding");
        assert.deepEqual(
          new Uint8Array(brotliDecompressSync(response.body)),
          new Uint8Array(readFileSync(PUBLIC_DIR + "style.css")),
        );
      });

      t.it("GET /static/large.bin with a Range: 206 and exactly those bytes", async () => {
        const response = await get("/static/large.bin", [["range", "bytes=1000-1999"]]);
        assert.equal(response.status, 206);
        assert.equal(response.headers.get("content-range"), `bytes 1000-1999/${LARGE_FILE_SIZE}`);
        const file = new Uint8Array(readFileSync(PUBLIC_DIR + "large.bin"));
        assert.deepEqual(response.body, file.subarray(1000, 2000));
        const beyond = await get("/static/large.bin", [["range", `bytes=${LARGE_FILE_SIZE}-`]]);
        assert.equal(beyond.status, 416);
      });

      t.it("a dotfile (/static/.secret) is 404, its content never sent", async () => {
        const response = await get("/static/.secret");
        assert.equal(response.status, 404);
        assert.ok(!response.text().includes(readFileSync(PUBLIC_DIR + ".secret", "utf8").trim()));
      });

      t.it("GET /demo leads to the demo page, whose assets are served", async () => {
        const response = await get("/demo");
        assert.equal(response.status, 302);
        const page = await get(response.headers.get("location")!);
        assert.equal(page.status, 200);
        for (const asset of page.text().matchAll(/(?:src|href)="(\/static\/[^"]+)"/g)) {
          assert.equal((await get(asset[1]!)).status, 200, `${asset[1]} of the demo page`);
        }
      });

      t.it("GET /events: server-sent events with ids, resumed after Last-Event-ID", async () => {
        const controller = new AbortController();
        try {
          const response = await client().open({ path: "/events", signal: controller.signal });
          assert.equal(response.status, 200);
          assert.equal(response.headers.get("content-type"), "text/event-stream; charset=utf-8");
          const [first] = await firstEvents(response, 1);
          assert.equal(first!.id, "1");
          assert.equal((JSON.parse(first!.data) as { id: number }).id, 1);
        } finally {
          controller.abort();
        }
        const resumed = new AbortController();
        try {
          const response = await client().open({
            path: "/events",
            headers: [["last-event-id", "41"]],
            signal: resumed.signal,
          });
          const [first] = await firstEvents(response, 1);
          assert.equal(first!.id, "42");
        } finally {
          resumed.abort();
        }
      }, 15_000);

      t.it("GET /session counts visits in an HttpOnly, SameSite session cookie", async () => {
        const first = await get("/session");
        assert.deepEqual(first.json(), { visits: 1 });
        const field = first.headers.getSetCookie().find((one) => one.startsWith("sid="));
        assert.ok(field !== undefined, "a session cookie is set");
        assert.match(field, /; HttpOnly(;|$)/);
        assert.match(field, /; SameSite=Lax(;|$)/);
        assert.match(field, /; Path=\/(;|$)/);
        const cookie = field.split(";")[0]!;
        const second = await get("/session", [["cookie", cookie]]);
        assert.deepEqual(second.json(), { visits: 2 });
        const third = await get("/session", [["cookie", cookie]]);
        assert.deepEqual(third.json(), { visits: 3 });
        // Another client (no cookie) starts from one: the count is per session.
        assert.deepEqual((await get("/session")).json(), { visits: 1 });
        // Only /session runs the session middleware.
        assert.deepEqual((await get("/json")).headers.getSetCookie(), []);
      });

      t.it("CORS: a preflight of /api/items is answered; routes outside /api/ get no CORS fields", async () => {
        const preflight = await get("/api/items", [
          ["origin", "https://elsewhere.example"],
          ["access-control-request-method", "GET"],
        ], "OPTIONS");
        assert.equal(preflight.status, 204);
        assert.equal(preflight.headers.get("access-control-allow-origin"), "*");
        assert.match(preflight.headers.get("access-control-allow-methods") ?? "", /\bGET\b/);
        const items = await get("/api/items", [["origin", "https://elsewhere.example"]]);
        assert.equal(items.headers.get("access-control-allow-origin"), "*");
        const other = await get("/json", [["origin", "https://elsewhere.example"]]);
        assert.equal(other.status, 200);
        assert.equal(other.headers.get("access-control-allow-origin"), null);
      });

      t.it("GET /api/items: ≥ 4 KiB of JSON, compressed when asked, the same JSON once decompressed", async () => {
        const plain = await get("/api/items", [["accept-encoding", "identity"]]);
        assert.equal(plain.status, 200);
        assert.equal(plain.headers.get("content-encoding"), null);
        assert.ok(plain.body.length >= 4096, `the list is ${plain.body.length} bytes`);
        const items = plain.json();
        for (const [coding, decode] of [["br", brotliDecompressSync], ["gzip", gunzipSync]] as const) {
          const response = await get("/api/items", [["accept-encoding", coding]]);
          assert.equal(response.headers.get("content-encoding"), coding);
          assert.match(response.headers.get("vary") ?? "", /accept-encoding/i);
          assert.ok(response.body.length < plain.body.length / 2, `${coding}: ${response.body.length} bytes`);
          assert.deepEqual(JSON.parse(new TextDecoder().decode(decode(response.body))), items);
        }
      });

      t.it("POST /upload: fields, and per file its name, size and SHA-256", async () => {
        const bytes = pseudoRandom(300_000, 0x5eed);
        const { body, type } = multipart([
          { name: "note", value: "from the contract suite" },
          { name: "file", value: bytes, filename: "random.bin", type: "application/octet-stream" },
          { name: "empty", value: "", filename: "empty.txt", type: "text/plain" },
        ]);
        const response = await client().request({
          method: "POST",
          path: "/upload",
          headers: [["content-type", type]],
          body,
        });
        assert.equal(response.status, 200, response.text());
        assert.deepEqual(response.json(), {
          fields: { note: "from the contract suite" },
          files: [
            {
              field: "file",
              name: "random.bin",
              type: "application/octet-stream",
              size: bytes.length,
              sha256: createHash("sha256").update(bytes).digest("hex"),
            },
            {
              field: "empty",
              name: "empty.txt",
              type: "text/plain",
              size: 0,
              sha256: createHash("sha256").digest("hex"),
            },
          ],
        });
      });

      t.it("POST /upload with a malformed multipart body: 400, and the connection goes on", async () => {
        const response = await client().request({
          method: "POST",
          path: "/upload",
          headers: [["content-type", "multipart/form-data; boundary=x"]],
          body: '--x\r\nContent-Disposition: form-data; name="a"\r\n\r\nno close delimiter',
        });
        assert.equal(response.status, 400);
        const noBoundary = await client().request({
          method: "POST",
          path: "/upload",
          headers: [["content-type", "multipart/form-data"]],
          body: "whatever",
        });
        assert.equal(noBoundary.status, 400);
        assert.equal((await get("/json")).status, 200);
      });

      t.it(
        "telemetry: x-request-id on every answer, an access log line with it, /metrics, /healthz, /readyz",
        async () => {
          const answers = [
            await get("/"),
            await get("/nowhere"),
            await get("/static/style.css"),
            await get(
              "/api/items",
              [["origin", "https://elsewhere.example"], ["access-control-request-method", "GET"]],
              "OPTIONS",
            ),
            await get("/healthz"),
            await get("/readyz"),
          ];
          assert.deepEqual(answers.map((r) => r.status), [200, 404, 200, 204, 200, 200]);
          const ids = answers.map((r) => r.headers.get("x-request-id") ?? "");
          for (const id of ids) assert.match(id, /^[0-9a-z]+-[0-9a-z]+$/);
          assert.equal(new Set(ids).size, ids.length, "ids are unique");
          assert.equal(answers[4]!.text(), "ok");
          assert.equal(answers[5]!.text(), "ready");
          const scrape = await get("/metrics");
          assert.equal(scrape.status, 200);
          assert.match(scrape.headers.get("content-type") ?? "", /^text\/plain; version=0\.0\.4/);
          assert.match(
            scrape.text(),
            /^wirecore_http_requests_total\{method="GET",status="404",protocol="[^"]+"\} [1-9]/m,
          );
          // The access log: one JSON line per request, written once its response is out.
          const deadline = Date.now() + 5000;
          const entryOf = (id: string) =>
            logged.map((line) => JSON.parse(line)).find((entry) => entry.requestId === id);
          while (ids.some((id) => entryOf(id) === undefined) && Date.now() < deadline) {
            await new Promise((resolve) => setTimeout(resolve, 10));
          }
          assert.deepEqual(
            ids.map((id) => [entryOf(id)?.path, entryOf(id)?.status]),
            [["/", 200], ["/nowhere", 404], ["/static/style.css", 200], ["/api/items", 204], ["/healthz", 200], [
              "/readyz",
              200,
            ]],
          );
        },
      );

      t.it("GET /limited: 5 a second per client, then 429 with Retry-After", async () => {
        // The bucket refills one token each 200 ms: on a loaded machine a burst may take that
        // long, so the bound on the 200s grows with the time the burst took.
        const started = performance.now();
        const burst = await Promise.all(Array.from({ length: 30 }, () => get("/limited")));
        const elapsed = performance.now() - started;
        const ok = burst.filter((r) => r.status === 200).length;
        const refused = burst.filter((r) => r.status === 429);
        assert.equal(ok + refused.length, burst.length, `statuses: ${burst.map((r) => r.status)}`);
        assert.ok(ok >= 5, `at least the first 5 pass (${ok})`);
        assert.ok(ok <= 5 + Math.ceil(elapsed / 200), `${ok} passed in ${Math.round(elapsed)} ms`);
        assert.ok(refused.length >= 1, `a burst of 30 in ${Math.round(elapsed)} ms meets a 429`);
        for (const response of refused) assert.match(response.headers.get("retry-after") ?? "", /^[1-9]\d*$/);
        assert.equal(burst.find((r) => r.status === 200)!.headers.get("ratelimit-policy"), '"default";q=5;w=1');
        // Only /limited is limited.
        const others = await Promise.all(Array.from({ length: 8 }, () => get("/json")));
        assert.deepEqual(others.map((r) => r.status), Array(8).fill(200));
      });
    });
  }
}
