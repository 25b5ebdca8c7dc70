/**
 * Form bodies over the wire (docs/forms.md): `c.req.formData()` of urlencoded and multipart
 * bodies set beside the runtime's own `Response.formData()` of the same bytes, a large file
 * streamed through `c.req.parts()` and hashed on the way, limits (413), malformed bodies (400,
 * 415), `c.req.json()` errors, and the connection serving on after each error. Every case runs
 * over HTTP/1.1, h2c and h2 over TLS on each runtime.
 */
import assert from "node:assert/strict";
import { createHash } from "node:crypto";
import type { Server } from "../../core/server/server.ts";
import { RawClient, type Runtime, start, type TestApi } from "./harness.ts";
import type { HttpClient } from "./http-client.ts";
import { PROTOCOLS, type ProtocolUnderTest } from "./semantics-setup.ts";
import { cert, key } from "./tls-fixture.ts";
import { createFormsApp, formEntries, type FormEntry } from "./forms-app.ts";
import { pseudoRandom } from "../support/pseudo-random.ts";
import { parseResponses } from "./raw-response.ts";

const BOUNDARY = "----wirecoreForm7MA4YWxk";
const MULTIPART = `multipart/form-data; boundary=${BOUNDARY}`;
const URLENCODED = "application/x-www-form-urlencoded";
const latin1 = (s: string): Uint8Array => Uint8Array.from(s, (c) => c.charCodeAt(0));

interface PartSpec {
  name: string;
  filename?: string;
  type?: string;
  /** Latin1: one char per byte. */
  content: string;
}

/** A multipart body as bytes (names and file names UTF-8, content latin1). */
function multipart(parts: PartSpec[], boundary = BOUNDARY): Uint8Array {
  const encoder = new TextEncoder();
  const pieces: Uint8Array[] = [];
  for (const p of parts) {
    let head = `--${boundary}\r\nContent-Disposition: form-data; name="${p.name}"`;
    if (p.filename !== undefined) head += `; filename="${p.filename}"`;
    head += "\r\n" + (p.type === undefined ? "" : `Content-Type: ${p.type}\r\n`) + "\r\n";
    pieces.push(encoder.encode(head), latin1(p.content), latin1("\r\n"));
  }
  pieces.push(latin1(`--${boundary}--\r\n`));
  const out = new Uint8Array(pieces.reduce((n, p) => n + p.length, 0));
  let at = 0;
  for (const p of pieces) {
    out.set(p, at);
    at += p.length;
  }
  return out;
}

/** `data` in chunks of `size`, each on its own turn: a streamed upload. */
async function* chunked(data: Uint8Array, size: number): AsyncGenerator<Uint8Array> {
  for (let at = 0; at < data.length; at += size) {
    await Promise.resolve();
    yield data.subarray(at, at + size);
  }
}

/** File entries without their type, for comparing with runtimes that lose it. */
function untyped(entries: FormEntry[]): FormEntry[] {
  return entries.map(([n, v]) => [n, typeof v === "string" ? v : { ...v, type: "" }]);
}

/** Register the form-body cases for `runtime`. */
export function formsCases(t: TestApi, runtime: Runtime): void {
  for (const under of PROTOCOLS) {
    t.describe(`Form bodies over ${under.name}`, () => protocolCases(t, runtime, under));
  }
  t.describe("Form bodies: HTTP/1.1 pipelined after errors (raw socket)", () => pipelineCases(t, runtime));
}

function protocolCases(t: TestApi, runtime: Runtime, under: ProtocolUnderTest): void {
  let server: Server | null = null;
  let client: HttpClient | null = null;
  t.beforeAll(async () => {
    server = await start(runtime, createFormsApp(), under.tls ? { tls: { cert, key } } : {});
    client = await under.connect(server.address.port);
  });
  t.afterAll(async () => {
    await client?.close();
    await server?.close();
  });
  const post = (path: string, type: string | null, body?: Uint8Array | string | AsyncIterable<Uint8Array>) =>
    client!.request({
      method: "POST",
      path,
      headers: type === null ? [] : [["content-type", type]],
      ...(body === undefined ? {} : { body }),
    });

  /** Our formData() of `body` beside the runtime's Response.formData() of the same bytes. */
  async function compareWithRuntime(type: string, body: Uint8Array): Promise<FormEntry[]> {
    const response = await post("/form", type, body);
    assert.equal(response.status, 200, response.text());
    const ours = response.json() as FormEntry[];
    const native = await formEntries(
      await new Response(body as Uint8Array<ArrayBuffer>, { headers: { "content-type": type } }).formData(),
    );
    const show = (entries: FormEntry[]) => JSON.stringify(entries).slice(0, 300);
    console.log(`[forms ${runtime.name} ${under.protocol}] wirecore: ${show(ours)}`);
    console.log(`[forms ${runtime.name} ${under.protocol}] Response.formData(): ${show(native)}`);
    assert.deepEqual(untyped(ours), untyped(native));
    return ours;
  }

  t.it("formData() of urlencoded matches the runtime's Response.formData()", async () => {
    const body = "a=1&b=%E2%82%AC+x&a=2&empty=&flag&%FF=bad&plus=a%2Bb&sp%20ace=%20";
    const ours = await compareWithRuntime(`${URLENCODED};charset=UTF-8`, new TextEncoder().encode(body));
    assert.deepEqual(ours[1], ["b", "€ x"]);
  });

  t.it("formData() of multipart matches the runtime's Response.formData()", async () => {
    const binary = String.fromCharCode(...Array.from({ length: 256 }, (_, i) => i));
    const ours = await compareWithRuntime(
      MULTIPART,
      multipart([
        { name: "title", content: "Hello" },
        { name: "photo", filename: "cat.bin", type: "application/octet-stream", content: binary + "\r\n--" + binary },
        { name: "名前", content: "\xe2\x82\xac" }, // "€" as UTF-8 bytes
        { name: "notes", filename: "notes.txt", type: "text/markdown", content: "" },
        { name: "title", content: "" },
      ]),
    );
    // The types the parts declared (Bun's Response.formData() guesses from the extension:
    // oven-sh/bun#39884), so the comparison above leaves types out.
    assert.deepEqual(ours.map(([, v]) => (typeof v === "string" ? null : v.type)), [
      null,
      "application/octet-stream",
      null,
      "text/markdown",
      null,
    ]);
    assert.deepEqual(ours[2], ["名前", "€"]);
  });

  t.it("a 4 MiB file streams through parts(), hashed on the way (SHA-256)", async () => {
    const file = pseudoRandom(4 << 20, 0xf11e);
    const head = multipart([{ name: "who", content: "ada" }]).subarray(0, -`--${BOUNDARY}--\r\n`.length);
    const body = new Uint8Array(head.length + 200 + file.length + 40);
    const fileHead = latin1(
      `--${BOUNDARY}\r\nContent-Disposition: form-data; name="upload"; filename="big.bin"\r\n` +
        "Content-Type: application/octet-stream\r\n\r\n",
    );
    const tail = latin1(`\r\n--${BOUNDARY}--\r\n`);
    let at = 0;
    for (const piece of [head, fileHead, file, tail]) {
      body.set(piece, at);
      at += piece.length;
    }
    const bytes = body.subarray(0, at);
    const response = await post("/upload", MULTIPART, chunked(bytes, 64 * 1024));
    assert.equal(response.status, 200, response.text());
    assert.deepEqual(response.json(), {
      fields: { who: "ada" },
      files: [{
        field: "upload",
        name: "big.bin",
        type: "application/octet-stream",
        size: file.length,
        sha256: createHash("sha256").update(file).digest("hex"),
      }],
    });
    // Streamed, not gathered: the content reached the handler in many chunks, none of them large.
    const chunks = await post("/upload/chunks", MULTIPART, chunked(bytes, 64 * 1024));
    const [, seen] = chunks.json() as { chunks: number; largest: number; size: number }[];
    assert.equal(seen!.size, file.length);
    assert.ok(seen!.chunks >= 16, `${seen!.chunks} chunks`);
    assert.ok(seen!.largest <= 1 << 20, `largest chunk ${seen!.largest}`);
  });

  t.it("limits answer 413: parts, field, file, header section, total", async () => {
    const many = multipart([1, 2, 3, 4].map((i) => ({ name: `f${i}`, content: "x" })));
    const field = multipart([{ name: "a", content: "x".repeat(17) }]);
    const file = multipart([{ name: "a", filename: "a.txt", content: "x".repeat(65) }]);
    const header = multipart([{ name: "a".repeat(300), content: "x" }]);
    const total = new TextEncoder().encode("a=" + "x".repeat(2000));
    for (
      const [type, body, reason] of [
        [MULTIPART, many, "more than 3 parts"],
        [MULTIPART, field, "Field is larger than the limit of 16 bytes"],
        [MULTIPART, file, "File is larger than the limit of 64 bytes"],
        [MULTIPART, header, "Part header section is larger than the limit of 256 bytes"],
        [URLENCODED, total, "Request body is larger than the limit"],
      ] as const
    ) {
      const response = await post("/form/limited", type, body);
      assert.equal(response.status, 413, reason);
      assert.match(response.text(), new RegExp(reason));
    }
    // Within every limit: 200.
    const ok = await post(
      "/form/limited",
      MULTIPART,
      multipart([{ name: "a", filename: "a", content: "x".repeat(64) }]),
    );
    assert.equal(ok.status, 200);
  });

  t.it("malformed bodies answer 400, other types 415, with the reason", async () => {
    const cases: [string | null, Uint8Array | string, number, string][] = [
      [MULTIPART, latin1(`--${BOUNDARY}\r\nContent-Disposition: form-data; name="a"\r\n\r\nx`), 400, "close delimiter"],
      [
        MULTIPART,
        latin1(`--${BOUNDARY}\nContent-Disposition: form-data; name="a"\n\nx\n--${BOUNDARY}--\n`),
        400,
        "neither CRLF",
      ],
      [
        MULTIPART,
        latin1(`--${BOUNDARY}\r\nContent-Type: text/plain\r\n\r\nx\r\n--${BOUNDARY}--`),
        400,
        "no Content-Disposition",
      ],
      ["multipart/form-data", "x", 400, "no boundary"],
      [`multipart/form-data; boundary=${"b".repeat(71)}`, "x", 400, "1 to 70 characters"],
      ["text/plain", "a=1", 415, "not text/plain"],
      [null, latin1("a=1"), 415, "without Content-Type"],
    ];
    for (const [type, body, status, reason] of cases) {
      const response = await post("/form", type, body);
      assert.equal(response.status, status, reason);
      assert.match(response.text(), new RegExp(reason), `${type} ${JSON.stringify(body)}`);
    }
    const upload = await post("/upload", MULTIPART, latin1(`--${BOUNDARY}\r\nbroken\r\n\r\n`));
    assert.equal(upload.status, 400);
  });

  t.it("json(): 400 for invalid JSON or no body, 413 past its limit", async () => {
    assert.equal((await post("/json", "application/json", '{"a":')).status, 400);
    assert.equal((await post("/json", "application/json", `"${"x".repeat(100)}"`)).status, 413);
    assert.equal((await post("/json", "application/json")).status, 400);
    const ok = await post("/json", "application/json", '{"a":[1,2]}');
    assert.deepEqual(ok.json(), { got: { a: [1, 2] } });
  });

  t.it("after errors the connection serves the next requests, concurrent ones included", async () => {
    const bad = latin1(`--${BOUNDARY}\r\nContent-Disposition: form-data; name="a"\r\n\r\nno end`);
    const many = multipart([1, 2, 3, 4].map((i) => ({ name: `f${i}`, content: "x" })));
    const good = multipart([{ name: "a", content: "1" }]);
    const answers = await Promise.all([
      post("/form", MULTIPART, bad),
      post("/form/limited", MULTIPART, many),
      post("/form", MULTIPART, good),
      client!.request({ path: "/ok" }),
    ]);
    assert.deepEqual(answers.map((r) => r.status), [400, 413, 200, 200]);
    assert.deepEqual(answers[2]!.json(), [["a", "1"]]);
    const after = await post("/form", MULTIPART, good);
    assert.equal(after.status, 200);
  });
}

function pipelineCases(t: TestApi, runtime: Runtime): void {
  let server: Server | null = null;
  t.beforeAll(async () => {
    server = await start(runtime, createFormsApp());
  });
  t.afterAll(async () => {
    await server?.close();
  });

  t.it("a 400 and a 413 in the middle of a pipeline lose nothing: the requests behind are answered", async () => {
    const client = await RawClient.open(server!.address.port);
    try {
      const bad = `--${BOUNDARY}\r\nContent-Disposition: form-data; name="a"\r\n\r\nno end`;
      const many = new TextDecoder("latin1").decode(
        multipart([1, 2, 3, 4].map((i) => ({ name: `f${i}`, content: "x" }))),
      );
      const post = (path: string, body: string) =>
        `POST ${path} HTTP/1.1\r\nHost: x\r\nContent-Type: ${MULTIPART}\r\nContent-Length: ${body.length}\r\n\r\n${body}`;
      await client.write(
        latin1(post("/form", bad) + post("/form/limited", many) + "GET /ok HTTP/1.1\r\nHost: x\r\n\r\n"),
      );
      const methods = ["POST", "POST", "GET"];
      const text = await client.until((s) => parseResponses(s, methods).responses.length === 3);
      const { responses } = parseResponses(text, methods);
      assert.deepEqual(responses.map((r) => r.status), [400, 413, 200]);
      assert.equal(responses[2]!.body, "ok");
      assert.equal(client.closed, false);
    } finally {
      client.close();
    }
  });
}
