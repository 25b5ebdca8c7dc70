/**
 * serveStatic over real sockets, on this runtime's adapter and file provider (`serve()` passes
 * it as `files`), over HTTP/1.1, h2c and h2 over TLS: validators and conditional requests,
 * ranges and multipart/byteranges, 416, precompressed siblings, index and redirect, HEAD, and
 * the traversal list — sent raw over HTTP/1.1 (fetch would normalise the paths first) and as
 * `:path` over HTTP/2 — where no answer may carry a byte from outside the root.
 */
import assert from "node:assert/strict";
import { symlinkSync, unlinkSync, utimesSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { brotliDecompressSync } from "node:zlib";
import { App } from "../../../mod.ts";
import { serveStatic } from "../../../core/middleware/static/serve-static.ts";
import type { Server } from "../../../core/server/server.ts";
import { type Runtime, start, type TestApi } from "../harness.ts";
import type { HttpClient } from "../http-client.ts";
import { PROTOCOLS } from "../semantics-setup.ts";
import { cert, key } from "../tls-fixture.ts";
import { parseByteRanges } from "../../support/byteranges.ts";
import { DATA, HELLO, makeStaticTree, SECRET, SETTLED, type StaticTree } from "./static-fixture.ts";
import { rawRequest } from "./raw-request.ts";

const latin1 = (bytes: Uint8Array): string => String.fromCharCode(...bytes);

/** [what, raw path, status]: every way out of the root we know of (safe-path.ts, serve-static.ts). */
const TRAVERSALS: [string, string, number][] = [
  ["dot-dot", "/static/../secret.txt", 403],
  ["dot-dot twice", "/static/docs/../../secret.txt", 403],
  ["encoded dot-dot", "/static/%2e%2e/secret.txt", 403],
  ["encoded dot-dot, deep", "/static/%2e%2e/%2e%2e/%2e%2e/%2e%2e/etc/passwd", 403],
  ["encoded slash", "/static/..%2fsecret.txt", 400],
  ["encoded dot-dot and slash", "/static/%2e%2e%2fsecret.txt", 400],
  ["encoded backslash", "/static/..%5csecret.txt", 400],
  ["NUL", "/static/hello.txt%00.png", 400],
  ["overlong UTF-8 dot", "/static/%c0%ae%c0%ae/secret.txt", 400],
  ["double encoding is a literal name", "/static/%252e%252e/secret.txt", 404],
  ["symlinked file out of the root", "/static/escape.txt", 404],
  ["symlinked directory out of the root", "/static/escape-dir/secret.txt", 404],
  ["dotfile", "/static/.env", 404],
];

/** Raw backslashes are not valid in a request-target (RFC 3986 §3.3): a 400 from either layer. */
const BACKSLASH: [string, string, number] = ["backslash", "/static/..\\secret.txt", 400];

/** Register the static-file cases once per protocol. */
export function staticCases(t: TestApi, runtime: Runtime): void {
  for (const under of PROTOCOLS) {
    t.describe(`serveStatic over ${under.name}`, () => {
      let tree: StaticTree;
      let server: Server;
      let client: HttpClient;
      t.beforeAll(async () => {
        tree = makeStaticTree();
        const app = new App().get("/static/*", serveStatic({ root: tree.root, maxAge: 60 }));
        server = await start(runtime, app, under.tls ? { tls: { cert, key } } : {});
        client = await under.connect(server.address.port);
      });
      t.afterAll(async () => {
        await client?.close();
        await server?.close();
        tree?.remove();
      });
      const get = (path: string, headers: [string, string][] = [], method = "GET") =>
        client.request({ path, method, headers });

      t.it("GET: 200 with type, length, validators and Cache-Control", async () => {
        const response = await get("/static/hello.txt", [["accept-encoding", "identity"]]);
        assert.equal(response.status, 200);
        assert.equal(response.text(), HELLO);
        assert.equal(response.headers.get("content-type"), "text/plain; charset=utf-8");
        assert.equal(response.headers.get("content-length"), String(HELLO.length));
        assert.match(response.headers.get("etag") ?? "", /^"[0-9a-f]+-[0-9a-f]+"$/);
        assert.ok(!Number.isNaN(Date.parse(response.headers.get("last-modified") ?? "")));
        assert.equal(response.headers.get("cache-control"), "public, max-age=60");
        assert.equal(response.headers.get("accept-ranges"), "bytes");
        const css = await get("/static/style.css");
        assert.equal(css.headers.get("content-type"), "text/css; charset=utf-8");
      });

      t.it("HEAD: the GET's fields, no body", async () => {
        const response = await get("/static/data.bin", [], "HEAD");
        assert.equal(response.status, 200);
        assert.equal(response.headers.get("content-length"), String(DATA.length));
        assert.equal(response.headers.get("content-type"), "application/octet-stream");
        assert.equal(response.body.length, 0);
      });

      t.it("RFC 9110 §13: If-None-Match / If-Modified-Since → 304, If-Match → 412", async () => {
        const first = await get("/static/data.bin");
        const etag = first.headers.get("etag")!;
        const byTag = await get("/static/data.bin", [["if-none-match", `"nope", ${etag}`]]);
        assert.equal(byTag.status, 304);
        assert.equal(byTag.body.length, 0);
        assert.equal(byTag.headers.get("etag"), etag);
        assert.equal(byTag.headers.get("cache-control"), "public, max-age=60");
        const byDate = await get("/static/data.bin", [["if-modified-since", first.headers.get("last-modified")!]]);
        assert.equal(byDate.status, 304);
        const old = await get("/static/data.bin", [["if-modified-since", "Thu, 01 Jan 1970 00:00:00 GMT"]]);
        assert.equal(old.status, 200);
        // §13.2.2: If-None-Match decides; If-Modified-Since is then ignored.
        const both = await get("/static/data.bin", [
          ["if-none-match", '"other"'],
          ["if-modified-since", first.headers.get("last-modified")!],
        ]);
        assert.equal(both.status, 200);
        assert.equal((await get("/static/data.bin", [["if-match", '"other"']])).status, 412);
        assert.equal((await get("/static/data.bin", [["if-match", etag]])).status, 200);
      });

      t.it("RFC 9110 §14: one range → 206 with Content-Range", async () => {
        const response = await get("/static/data.bin", [["range", "bytes=1000-1999"]]);
        assert.equal(response.status, 206);
        assert.equal(response.headers.get("content-range"), `bytes 1000-1999/${DATA.length}`);
        assert.equal(response.headers.get("content-length"), "1000");
        assert.deepEqual(response.body, DATA.slice(1000, 2000));
        const suffix = await get("/static/data.bin", [["range", "bytes=-10"]]);
        assert.deepEqual(suffix.body, DATA.slice(DATA.length - 10));
      });

      t.it("RFC 9110 §14.6: several ranges → multipart/byteranges, parsed part by part", async () => {
        const response = await get("/static/data.bin", [["range", "bytes=60000-60099, 0-99, 30000-"]]);
        assert.equal(response.status, 206);
        assert.equal(Number(response.headers.get("content-length")), response.body.length);
        const parts = parseByteRanges(response.headers.get("content-type")!, response.body);
        assert.deepEqual(parts.map((p) => [p.first, p.last, p.size]), [
          [0, 99, DATA.length],
          [30000, DATA.length - 1, DATA.length],
        ]);
        for (const part of parts) {
          assert.equal(part.contentType, "application/octet-stream");
          assert.deepEqual(part.body, DATA.slice(part.first, part.last + 1));
        }
      });

      t.it("RFC 9110 §15.5.17: unsatisfiable → 416 with bytes */size; bad syntax → 200", async () => {
        const unsat = await get("/static/data.bin", [["range", `bytes=${DATA.length}-`]]);
        assert.equal(unsat.status, 416);
        assert.equal(unsat.headers.get("content-range"), `bytes */${DATA.length}`);
        for (const bad of ["bytes=5-1", "bytes=x-", "pages=1-2"]) {
          const whole = await get("/static/data.bin", [["range", bad]]);
          assert.equal(whole.status, 200, bad);
          assert.equal(whole.body.length, DATA.length, bad);
        }
        const many = "bytes=" + Array.from({ length: 40 }, (_, i) => `${i * 1000}-${i * 1000}`).join(",");
        assert.equal((await get("/static/data.bin", [["range", many]])).status, 200);
      });

      t.it("RFC 9110 §13.1.5: If-Range with the current tag → 206, a stale one → 200", async () => {
        const etag = (await get("/static/data.bin", [], "HEAD")).headers.get("etag")!;
        const fresh = await get("/static/data.bin", [["range", "bytes=0-9"], ["if-range", etag]]);
        assert.equal(fresh.status, 206);
        assert.deepEqual(fresh.body, DATA.slice(0, 10));
        const stale = await get("/static/data.bin", [["range", "bytes=0-9"], ["if-range", '"stale"']]);
        assert.equal(stale.status, 200);
        assert.equal(stale.body.length, DATA.length);
      });

      t.it("precompressed siblings by Accept-Encoding q-value, with Vary and their own length", async () => {
        const br = await get("/static/hello.txt", [["accept-encoding", "gzip;q=0.8, br"]]);
        assert.equal(br.status, 200);
        assert.equal(br.headers.get("content-encoding"), "br");
        assert.equal(br.headers.get("vary"), "accept-encoding");
        assert.equal(br.headers.get("content-length"), String(tree.brotli.length));
        assert.equal(br.headers.get("content-type"), "text/plain; charset=utf-8");
        // fetch decodes the coding itself; node:http2 hands over the bytes as sent.
        const text = under.protocol === "http/1.1"
          ? br.text()
          : new TextDecoder().decode(brotliDecompressSync(br.body));
        assert.equal(text, HELLO);
        const gz = await get("/static/hello.txt", [["accept-encoding", "br;q=0.1, gzip"]]);
        assert.equal(gz.headers.get("content-encoding"), "gzip");
        assert.equal(gz.headers.get("content-length"), String(tree.gzip.length));
        const plain = await get("/static/data.bin", [["accept-encoding", "br, gzip"]]);
        assert.equal(plain.headers.get("content-encoding"), null);
        assert.equal(plain.body.length, DATA.length);
      });

      t.it("a directory redirects to /dir/, which serves its index", async () => {
        const redirect = await get("/static/docs");
        assert.equal(redirect.status, 301);
        assert.equal(redirect.headers.get("location"), "/static/docs/");
        const index = await get("/static/docs/");
        assert.equal(index.status, 200);
        assert.equal(index.headers.get("content-type"), "text/html; charset=utf-8");
        assert.equal(index.text(), "<h1>docs</h1>\n");
      });

      t.it("a symlink inside the root is served; a missing file is 404; POST is 405", async () => {
        const alias = await get("/static/alias.txt", [["accept-encoding", "identity"]]);
        assert.equal(alias.status, 200);
        assert.equal(alias.text(), HELLO);
        assert.equal((await get("/static/missing.txt")).status, 404);
        const post = await get("/static/hello.txt", [], "POST");
        assert.equal(post.status, 405);
        assert.match(post.headers.get("allow") ?? "", /GET/);
      });

      t.it(
        "the memory cache: a rewritten file is served anew; a link swapped in never serves the outside",
        async () => {
          const path = join(tree.root, "note.txt");
          writeFileSync(path, "first version");
          utimesSync(path, SETTLED, SETTLED);
          for (let i = 0; i < 2; i++) assert.equal((await get("/static/note.txt")).text(), "first version");
          writeFileSync(path, "other version");
          utimesSync(path, SETTLED + 1, SETTLED + 1);
          assert.equal((await get("/static/note.txt")).text(), "other version");
          // A link out of the root with the kept file's size and time: the kept bytes answer, never the target's.
          const outside = join(tree.base, "outside", "note.txt");
          writeFileSync(outside, "SECRET-VERSON");
          utimesSync(outside, SETTLED + 1, SETTLED + 1);
          unlinkSync(path);
          symlinkSync(outside, path);
          assert.equal((await get("/static/note.txt")).text(), "other version");
          utimesSync(outside, SETTLED + 2, SETTLED + 2);
          const changed = await get("/static/note.txt");
          assert.equal(changed.status, 404);
          assert.ok(!changed.text().includes("SECRET"));
        },
      );

      t.it("path traversal: refused with 400/403/404, never a byte from outside the root", async () => {
        const list = under.protocol === "http/1.1" ? [...TRAVERSALS, BACKSLASH] : TRAVERSALS;
        for (const [what, path, status] of list) {
          const response = under.protocol === "http/1.1"
            ? await rawRequest(server.address.port, path)
            : await traverseH2(client, path);
          assert.equal(response.status, status, `${what}: ${path}`);
          assert.ok(!response.body.includes(SECRET), `${what}: the secret leaked`);
        }
      });
    });
  }
}

async function traverseH2(client: HttpClient, path: string): Promise<{ status: number; body: string }> {
  const response = await client.request({ path });
  return { status: response.status, body: latin1(response.body) };
}
