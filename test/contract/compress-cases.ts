/**
 * `compress()` over the wire: each coding decoded with `node:zlib` and compared byte for byte,
 * negotiation, every rule that leaves a response alone, `Vary`, `Content-Length` (never stale),
 * and a streamed body flushed event by event. batteries-cases.ts runs them per protocol.
 */
import assert from "node:assert/strict";
import zlib from "node:zlib";
import { RawClient, type TestApi, waitFor } from "./harness.ts";
import type { ClientResponse } from "./http-client.ts";
import { BINARY, ITEMS, PRE_GZIPPED, releaseEvents, stoppedStreams, TEXT_BYTES } from "./batteries-app.ts";
import type { BatterySetup } from "./batteries-cases.ts";
import { header, parseResponses } from "./raw-response.ts";

const CODINGS = ["br", "zstd", "gzip", "deflate"] as const;
type Coding = (typeof CODINGS)[number];
const encoder = new TextEncoder();
const JSON_BYTES = encoder.encode(JSON.stringify(ITEMS));

function decode(coding: string | null, body: Uint8Array): Uint8Array {
  switch (coding) {
    case null:
      return body;
    case "br":
      return new Uint8Array(zlib.brotliDecompressSync(body));
    case "zstd":
      return new Uint8Array(zlib.zstdDecompressSync(body));
    case "gzip":
      return new Uint8Array(zlib.gunzipSync(body));
    case "deflate":
      return new Uint8Array(zlib.inflateSync(body));
    default:
      throw new Error(`unexpected coding ${coding}`);
  }
}

function varies(response: { headers: Headers }, field: string): boolean {
  const vary = response.headers.get("vary") ?? "";
  return vary.split(",").some((name) => name.trim().toLowerCase() === field.toLowerCase());
}

/** A Content-Length, when sent, is the length of the body that came (never a stale one). */
function assertLength(response: ClientResponse, what: string): void {
  const length = response.headers.get("content-length");
  if (length !== null) assert.equal(Number(length), response.body.length, `${what}: Content-Length matches the body`);
}

function get(s: BatterySetup, path: string, acceptEncoding?: string, method = "GET"): Promise<ClientResponse> {
  const headers: [string, string][] = acceptEncoding === undefined ? [] : [["accept-encoding", acceptEncoding]];
  return s.client.request({ path, method, headers });
}

/** A streaming decoder: text decoded so far from the compressed chunks pushed into it. */
class StreamDecoder {
  text = "";
  readonly #stream: zlib.Gunzip | zlib.Inflate | zlib.BrotliDecompress | zlib.ZstdDecompress;

  constructor(coding: Coding) {
    this.#stream = coding === "br"
      ? zlib.createBrotliDecompress()
      : coding === "zstd"
      ? zlib.createZstdDecompress()
      : coding === "gzip"
      ? zlib.createGunzip()
      : zlib.createInflate();
    this.#stream.on("data", (chunk: Uint8Array) => (this.text += new TextDecoder().decode(chunk)));
  }

  /** Decode a chunk as far as it goes (a flush, without waiting for the end of the stream). */
  async push(chunk: Uint8Array): Promise<void> {
    this.#stream.write(chunk);
    await new Promise<void>((resolve) => this.#stream.flush(() => resolve()));
    await new Promise((resolve) => setTimeout(resolve, 0));
  }

  end(): Promise<void> {
    return new Promise((resolve, reject) => {
      this.#stream.once("end", resolve);
      this.#stream.once("error", reject);
      this.#stream.end();
      this.#stream.resume();
    });
  }
}

/** Read chunks into `decoder` until its text holds `needle`, or fail after `ms`. */
async function readUntil(
  chunks: AsyncIterator<Uint8Array>,
  decoder: StreamDecoder,
  needle: string,
  ms = 5000,
): Promise<void> {
  const deadline = Date.now() + ms;
  while (!decoder.text.includes(needle)) {
    let timer: ReturnType<typeof setTimeout> | undefined;
    const late = new Promise<never>((_, reject) => {
      timer = setTimeout(
        () => reject(new Error(`"${needle}" not decoded within ${ms} ms (got ${JSON.stringify(decoder.text)})`)),
        Math.max(deadline - Date.now(), 1),
      );
    });
    try {
      const next = await Promise.race([chunks.next(), late]);
      assert.equal(next.done, false, `the body ended before "${needle}"`);
      await decoder.push(next.value);
    } finally {
      clearTimeout(timer);
    }
  }
}

export function compressCases(t: TestApi, s: BatterySetup): void {
  t.it("compress: each coding, decoded with node:zlib, gives the JSON back byte for byte", async () => {
    for (const coding of CODINGS) {
      const response = await get(s, "/c/json", coding);
      assert.equal(response.status, 200);
      assert.equal(response.headers.get("content-encoding"), coding);
      assert.ok(varies(response, "accept-encoding"), `${coding}: Vary: Accept-Encoding`);
      assertLength(response, coding);
      assert.ok(response.body.length < JSON_BYTES.length / 3, `${coding}: ${response.body.length} bytes`);
      assert.deepEqual(decode(coding, response.body), JSON_BYTES, coding);
    }
  });

  t.it("compress: q-values pick the coding, server order breaks ties, identity when refused", async () => {
    const cases: [string | undefined, Coding | null][] = [
      ["gzip, deflate, br, zstd", "br"],
      ["gzip;q=0.5, zstd;q=0.9, br;q=0.8", "zstd"],
      ["br;q=0, zstd;q=0, *", "gzip"],
      ["*;q=0", null],
      ["identity", null],
      [undefined, null],
    ];
    for (const [accept, expected] of cases) {
      const response = await get(s, "/c/text", accept);
      assert.equal(response.headers.get("content-encoding"), expected, String(accept));
      // The form depends on Accept-Encoding even when the answer is identity.
      assert.ok(varies(response, "accept-encoding"), `${accept}: Vary`);
      assertLength(response, String(accept));
      assert.deepEqual(decode(expected, response.body), TEXT_BYTES, String(accept));
    }
  });

  t.it("compress: unknown binary is compressed and comes back intact", async () => {
    const response = await get(s, "/c/bin", "gzip");
    assert.equal(response.headers.get("content-encoding"), "gzip");
    assertLength(response, "bin");
    assert.deepEqual(decode("gzip", response.body), BINARY);
  });

  t.it("compress: images, encoded bodies, no-transform and small bodies are left alone", async () => {
    const cases: [string, Uint8Array, string | null, boolean][] = [
      ["/c/png", BINARY, null, false],
      ["/c/encoded", PRE_GZIPPED, "gzip", false],
      ["/c/no-transform", TEXT_BYTES, null, false],
      ["/c/small", encoder.encode("small"), null, false],
    ];
    for (const [path, body, encoding, vary] of cases) {
      const response = await get(s, path, "br, zstd, gzip, deflate");
      assert.equal(response.status, 200, path);
      assert.equal(response.headers.get("content-encoding"), encoding, path);
      assert.equal(varies(response, "accept-encoding"), vary, `${path}: Vary`);
      assert.equal(response.headers.get("content-length"), String(body.length), path);
      assert.deepEqual(response.body, body, path);
    }
  });

  t.it("compress: HEAD, 204 and 304 get no coding; HEAD keeps the identity length, HEAD and 304 get Vary", async () => {
    const head = await get(s, "/c/json", "gzip", "HEAD");
    assert.equal(head.status, 200);
    assert.equal(head.headers.get("content-encoding"), null);
    assert.equal(head.headers.get("content-length"), String(JSON_BYTES.length));
    assert.ok(varies(head, "accept-encoding"));
    assert.equal(head.body.length, 0);
    for (const [path, status] of [["/c/204", 204], ["/c/304", 304]] as const) {
      const response = await get(s, path, "gzip");
      assert.equal(response.status, status, path);
      assert.equal(response.headers.get("content-encoding"), null, path);
      assert.equal(response.body.length, 0, path);
    }
    // A 304 stands for the compressed 200: its Vary and its weak ETag (RFC 9110 §15.4.5).
    const notModified = await get(s, "/c/304", "gzip");
    assert.ok(varies(notModified, "accept-encoding"));
    assert.equal(notModified.headers.get("etag"), 'W/"t1"');
  });

  t.it("compress: a strong ETag becomes weak; a declared stream length is dropped, never stale", async () => {
    const etag = await get(s, "/c/etag", "br");
    assert.equal(etag.headers.get("etag"), 'W/"t1"');
    assert.equal((await get(s, "/c/etag")).headers.get("etag"), '"t1"');
    for (const path of ["/c/known-stream", "/c/response"]) {
      const response = await get(s, path, "zstd");
      assert.equal(response.headers.get("content-encoding"), "zstd", path);
      assertLength(response, path);
      assert.deepEqual(decode("zstd", response.body), TEXT_BYTES, path);
    }
    const identity = await get(s, "/c/known-stream");
    assert.equal(identity.headers.get("content-length"), String(TEXT_BYTES.length));
    assert.deepEqual(identity.body, TEXT_BYTES);
  });

  t.it("compress: a stream of unknown length is compressed", async () => {
    for (const coding of CODINGS) {
      const response = await get(s, "/c/stream", coding);
      assert.equal(response.headers.get("content-encoding"), coding);
      assert.equal(response.headers.get("content-length"), null);
      assert.deepEqual(decode(coding, response.body), TEXT_BYTES, coding);
    }
  });

  t.it("compress: each server-sent event is flushed, the first arrives before the stream ends", async () => {
    for (const coding of CODINGS) {
      const id = `${s.runtime.name}-${s.under.protocol.replace(/\W/g, "")}-${coding}-${
        Math.random().toString(36).slice(2)
      }`;
      const response = await s.client.open({ path: `/c/sse/${id}`, headers: [["accept-encoding", coding]] });
      assert.equal(response.headers.get("content-encoding"), coding);
      const chunks = response.body[Symbol.asyncIterator]();
      const decoder = new StreamDecoder(coding);
      try {
        await readUntil(chunks, decoder, "data: first\n\n");
        assert.ok(!decoder.text.includes("second"), "the second event is not sent yet");
      } finally {
        releaseEvents(id);
      }
      for (;;) {
        const next = await chunks.next();
        if (next.done === true) break;
        await decoder.push(next.value);
      }
      await decoder.end();
      assert.equal(decoder.text, "data: first\n\ndata: second\n\n", coding);
    }
  });

  t.it("compress: a client that goes away stops the handler's compressed stream", async () => {
    for (const coding of ["br", "gzip"] as const) {
      const id = `${s.runtime.name}-${s.under.protocol.replace(/\W/g, "")}-${coding}-${
        Math.random().toString(36).slice(2)
      }`;
      const abort = new AbortController();
      const response = await s.client.open({
        path: `/c/forever/${id}`,
        headers: [["accept-encoding", coding]],
        signal: abort.signal,
      });
      assert.equal(response.headers.get("content-encoding"), coding);
      const decoder = new StreamDecoder(coding);
      await readUntil(response.body[Symbol.asyncIterator](), decoder, "data: 2\n\n");
      abort.abort();
      await waitFor(() => stoppedStreams.has(id), `the ${coding} stream's generator to stop`);
    }
  });
}

/** HTTP/1.1 framing read off the socket: each Content-Length is exact, so pipelining holds. */
export function compressFramingCases(t: TestApi, s: BatterySetup): void {
  t.it("compress: pipelined compressed and plain responses frame exactly (raw HTTP/1.1)", async () => {
    const client = await RawClient.open(s.port);
    try {
      const request = (path: string, accept: string | null): string =>
        `GET ${path} HTTP/1.1\r\nHost: x\r\n${accept === null ? "" : `Accept-Encoding: ${accept}\r\n`}\r\n`;
      await client.write(
        request("/c/json", "br") + request("/c/response", "gzip") + request("/c/json", null) +
          request("/c/stream", "deflate") + request("/c/small", "gzip"),
      );
      const text = await client.until((received) => parseResponses(received).responses.length >= 5);
      const { responses, rest } = parseResponses(text);
      assert.equal(responses.length, 5);
      assert.equal(rest, "", "nothing after the last response");
      const expected: [string | null, Uint8Array, boolean][] = [
        ["br", JSON_BYTES, false],
        ["gzip", TEXT_BYTES, true],
        [null, JSON_BYTES, false],
        ["deflate", TEXT_BYTES, true],
        [null, encoder.encode("small"), false],
      ];
      responses.forEach((response, i) => {
        const [coding, body, chunked] = expected[i]!;
        const bytes = Uint8Array.from(response.body, (ch) => ch.charCodeAt(0));
        assert.equal(header(response, "content-encoding"), coding ?? undefined, `response ${i}`);
        assert.equal(response.chunked, chunked, `response ${i}: chunked`);
        if (!chunked) assert.equal(header(response, "content-length"), String(bytes.length), `response ${i}`);
        assert.deepEqual(decode(coding, bytes), body, `response ${i}`);
      });
    } finally {
      client.close();
    }
  });
}
