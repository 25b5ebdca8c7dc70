import { describe, expect, it } from "vitest";
import { App } from "../../app/app.ts";
import { serveStatic, type ServeStaticOptions } from "./serve-static.ts";
import { MemoryFiles } from "../../../test/support/memory-files.ts";
import { READ_AT_ONCE_LIMIT } from "../../providers/file-provider.ts";
import { parseByteRanges } from "../../../test/support/byteranges.ts";

const big = Uint8Array.from({ length: 4000 }, (_, i) => (i * 31) & 0xff);

function fixture(): MemoryFiles {
  return new MemoryFiles()
    .file("/srv/www/hello.txt", "Hello, static!")
    .file("/srv/www/hello.txt.br", "BR-BYTES")
    .file("/srv/www/hello.txt.gz", "GZIP-BYTES!")
    .file("/srv/www/big.bin", big)
    .file("/srv/www/empty.txt", "")
    .file("/srv/www/docs/index.html", "<h1>docs</h1>")
    .file("/srv/www/.env", "SECRET=1")
    .file("/srv/www/.well-known/x.txt", "x")
    .file("/srv/secret.txt", "outside")
    .link("/srv/www/escape.txt", "/srv/secret.txt")
    .link("/srv/www/inside.txt", "/srv/www/hello.txt")
    .link("/srv/www/escape-dir", "/srv");
}

function app(options: Partial<ServeStaticOptions> = {}, files = fixture()): App {
  return new App().get("/static/*", serveStatic({ root: "/srv/www", files, ...options }));
}

const text = async (response: Response): Promise<string> => await response.text();

describe("serveStatic: files", () => {
  it("serves a file with its type, length and validators", async () => {
    const response = await app().request("/static/hello.txt");
    expect(response.status).toBe(200);
    expect(response.headers.get("content-type")).toBe("text/plain; charset=utf-8");
    expect(response.headers.get("content-length")).toBe("14");
    expect(response.headers.get("accept-ranges")).toBe("bytes");
    expect(response.headers.get("etag")).toMatch(/^"e-[0-9a-f]+"$/);
    expect(response.headers.get("last-modified")).toBe("Thu, 01 Jan 2026 00:00:00 GMT");
    expect(response.headers.get("vary")).toBeNull();
    expect(await text(response)).toBe("Hello, static!");
  });

  it("HEAD answers the GET's fields without opening the file", async () => {
    const files = fixture();
    const response = await app({}, files).request("/static/big.bin", { method: "HEAD" });
    expect(response.status).toBe(200);
    expect(response.headers.get("content-length")).toBe("4000");
    expect(response.headers.get("content-type")).toBe("application/octet-stream");
    expect((await response.arrayBuffer()).byteLength).toBe(0);
    expect(files.opened).toBe(0);
  });

  it("an empty file is a 200 with length 0", async () => {
    const response = await app().request("/static/empty.txt");
    expect(response.status).toBe(200);
    expect(response.headers.get("content-length")).toBe("0");
    expect(await text(response)).toBe("");
  });

  it("missing files, dotfiles and symlinks out of the root are 404; symlinks inside are served", async () => {
    const a = app();
    expect((await a.request("/static/nope.txt")).status).toBe(404);
    expect((await a.request("/static/.env")).status).toBe(404);
    expect((await a.request("/static/.well-known/x.txt")).status).toBe(404);
    expect((await a.request("/static/escape.txt")).status).toBe(404);
    expect((await a.request("/static/escape-dir/secret.txt")).status).toBe(404);
    expect((await a.request("/static/hello.txt/")).status).toBe(404);
    const inside = await a.request("/static/inside.txt");
    expect(inside.status).toBe(200);
    expect(await text(inside)).toBe("Hello, static!");
  });

  it('dotfiles: "allow" serves them, "ignore" passes to next', async () => {
    expect(await text(await app({ dotfiles: "allow" }).request("/static/.env"))).toBe("SECRET=1");
    const files = fixture();
    const chained = new App()
      .use(serveStatic({ root: "/srv/www", files, dotfiles: "ignore" }))
      .get("/.env", (c) => c.text("from the route"));
    expect(await text(await chained.request("/.env"))).toBe("from the route");
  });

  it("a directory redirects to its slash form, then serves its index", async () => {
    const redirect = await app().request("/static/docs?x=1");
    expect(redirect.status).toBe(301);
    expect(redirect.headers.get("location")).toBe("/static/docs/?x=1");
    const index = await app().request("/static/docs/");
    expect(index.status).toBe(200);
    expect(index.headers.get("content-type")).toBe("text/html; charset=utf-8");
    expect(await text(index)).toBe("<h1>docs</h1>");
    expect((await app({ index: false }).request("/static/docs/")).status).toBe(404);
    expect((await app().request("/static/")).status).toBe(404); // the root has no index.html
  });

  it("Cache-Control from cacheControl or maxAge", async () => {
    expect((await app({ maxAge: 3600 }).request("/static/hello.txt")).headers.get("cache-control"))
      .toBe("public, max-age=3600");
    expect((await app({ cacheControl: "no-cache" }).request("/static/hello.txt")).headers.get("cache-control"))
      .toBe("no-cache");
  });
});

describe("serveStatic: small bodies read at once, large ones streamed", () => {
  const atLimit = Uint8Array.from({ length: READ_AT_ONCE_LIMIT }, (_, i) => (i * 7) & 0xff);
  const overLimit = Uint8Array.from({ length: READ_AT_ONCE_LIMIT + 1 }, (_, i) => (i * 13) & 0xff);
  const sized = (options: { readBytes?: boolean } = {}): MemoryFiles =>
    new MemoryFiles(undefined, options).file("/srv/www/at.bin", atLimit).file("/srv/www/over.bin", overLimit);
  // A digest of the body: vitest's toEqual on 256 KiB arrays takes seconds.
  const bytes = async (response: Response): Promise<string> => digest(new Uint8Array(await response.arrayBuffer()));
  const digest = (data: Uint8Array): string => {
    let hash = 0x811c9dc5;
    for (const byte of data) hash = Math.imul(hash ^ byte, 0x01000193);
    return `${data.length}:${(hash >>> 0).toString(16)}`;
  };

  it("a body up to the limit is one readBytes call; one byte more streams", async () => {
    const files = sized();
    const at = await app({}, files).request("/static/at.bin");
    expect(at.headers.get("content-length")).toBe(String(READ_AT_ONCE_LIMIT));
    expect(await bytes(at)).toBe(digest(atLimit));
    expect([files.opened, files.readsAtOnce]).toEqual([1, 1]);
    const over = await app({}, files).request("/static/over.bin");
    expect(await bytes(over)).toBe(digest(overLimit));
    expect([files.opened, files.readsAtOnce]).toEqual([2, 1]);
  });

  it("one range is read at once by its own length, not the file's", async () => {
    const files = sized();
    const small = await app({}, files).request("/static/over.bin", { headers: { range: "bytes=1000-1999" } });
    expect(small.status).toBe(206);
    expect(await bytes(small)).toBe(digest(overLimit.slice(1000, 2000)));
    expect(files.readsAtOnce).toBe(1);
    const whole = await app({}, files).request("/static/over.bin", { headers: { range: "bytes=0-" } });
    expect(await bytes(whole)).toBe(digest(overLimit));
    expect([files.opened, files.readsAtOnce]).toEqual([2, 1]);
  });

  it("a provider without readBytes streams every body", async () => {
    const files = sized({ readBytes: false });
    expect(await bytes(await app({}, files).request("/static/at.bin"))).toBe(digest(atLimit));
    expect([files.opened, files.readsAtOnce]).toEqual([1, 0]);
  });

  it("a file that shrank after its stat is a 500, never a body shorter than its Content-Length", async () => {
    const files = sized();
    files.beforeReadBytes = () => void files.file("/srv/www/at.bin", atLimit.subarray(0, 10));
    let message = "";
    const a = new App().get("/static/*", serveStatic({ root: "/srv/www", files })).onError((error, c) => {
      message = (error as Error).message;
      return c.text("failed", 500);
    });
    const response = await a.request("/static/at.bin");
    expect(response.status).toBe(500);
    expect(await response.text()).toBe("failed");
    expect(message).toBe(`serveStatic: /srv/www/at.bin has 10 bytes, not the ${READ_AT_ONCE_LIMIT} its stat announced`);
  });
});

describe("serveStatic: conditional requests (RFC 9110 §13)", () => {
  it("If-None-Match and If-Modified-Since give 304 with the validators; If-Match a 412", async () => {
    const a = app({ maxAge: 60 });
    const first = await a.request("/static/hello.txt");
    const etag = first.headers.get("etag")!;
    const byTag = await a.request("/static/hello.txt", { headers: { "if-none-match": etag } });
    expect(byTag.status).toBe(304);
    expect(byTag.headers.get("etag")).toBe(etag);
    expect(byTag.headers.get("cache-control")).toBe("public, max-age=60");
    expect(await text(byTag)).toBe("");
    const byDate = await a.request("/static/hello.txt", {
      headers: { "if-modified-since": first.headers.get("last-modified")! },
    });
    expect(byDate.status).toBe(304);
    const changed = await a.request("/static/hello.txt", { headers: { "if-none-match": '"stale"' } });
    expect(changed.status).toBe(200);
    expect((await a.request("/static/hello.txt", { headers: { "if-match": '"stale"' } })).status).toBe(412);
  });
});

describe("serveStatic: ranges (RFC 9110 §14)", () => {
  it("one range: 206 with Content-Range", async () => {
    const response = await app().request("/static/big.bin", { headers: { range: "bytes=100-199" } });
    expect(response.status).toBe(206);
    expect(response.headers.get("content-range")).toBe("bytes 100-199/4000");
    expect(response.headers.get("content-length")).toBe("100");
    expect(new Uint8Array(await response.arrayBuffer())).toEqual(big.slice(100, 200));
  });

  it("several ranges: multipart/byteranges with exact length and parts", async () => {
    const response = await app().request("/static/big.bin", { headers: { range: "bytes=3000-3099,0-9,-5" } });
    expect(response.status).toBe(206);
    const body = new Uint8Array(await response.arrayBuffer());
    expect(Number(response.headers.get("content-length"))).toBe(body.length);
    const parts = parseByteRanges(response.headers.get("content-type")!, body);
    expect(parts.map((p) => [p.first, p.last, p.size])).toEqual([[0, 9, 4000], [3000, 3099, 4000], [3995, 3999, 4000]]);
    for (const part of parts) {
      expect(part.contentType).toBe("application/octet-stream");
      expect(part.body).toEqual(big.slice(part.first, part.last + 1));
    }
  });

  it("unsatisfiable: 416 with bytes */size; invalid syntax and HEAD: the whole file", async () => {
    const unsat = await app().request("/static/big.bin", { headers: { range: "bytes=5000-" } });
    expect(unsat.status).toBe(416);
    expect(unsat.headers.get("content-range")).toBe("bytes */4000");
    const invalid = await app().request("/static/big.bin", { headers: { range: "bytes=9-1" } });
    expect(invalid.status).toBe(200);
    expect((await invalid.arrayBuffer()).byteLength).toBe(4000);
    const head = await app().request("/static/big.bin", { method: "HEAD", headers: { range: "bytes=0-0" } });
    expect(head.status).toBe(200);
    expect(head.headers.get("content-length")).toBe("4000");
  });

  it("If-Range: the current tag or date honours the range, a stale one sends everything", async () => {
    const a = app();
    const first = await a.request("/static/big.bin");
    const etag = first.headers.get("etag")!;
    const fresh = await a.request("/static/big.bin", { headers: { range: "bytes=0-0", "if-range": etag } });
    expect(fresh.status).toBe(206);
    const byDate = await a.request("/static/big.bin", {
      headers: { range: "bytes=0-0", "if-range": first.headers.get("last-modified")! },
    });
    expect(byDate.status).toBe(206);
    const stale = await a.request("/static/big.bin", { headers: { range: "bytes=0-0", "if-range": '"old"' } });
    expect(stale.status).toBe(200);
    expect((await stale.arrayBuffer()).byteLength).toBe(4000);
  });
});

describe("serveStatic: precompressed siblings (RFC 9110 §8.4, §12.5.3)", () => {
  it("picks by q-value, with Content-Encoding, its own length and tag, and Vary", async () => {
    const a = app();
    const br = await a.request("/static/hello.txt", { headers: { "accept-encoding": "gzip, br" } });
    expect(br.headers.get("content-encoding")).toBe("br");
    expect(br.headers.get("content-length")).toBe("8");
    expect(br.headers.get("content-type")).toBe("text/plain; charset=utf-8");
    expect(br.headers.get("vary")).toBe("accept-encoding");
    expect(br.headers.get("etag")).toMatch(/-br"$/);
    // A web Response decodes what it can; read the bytes as sent.
    const gz = await a.request("/static/hello.txt", { headers: { "accept-encoding": "br;q=0.5, gzip" } });
    expect(gz.headers.get("content-encoding")).toBe("gzip");
    expect(gz.headers.get("content-length")).toBe("11");
    const none = await a.request("/static/hello.txt", { headers: { "accept-encoding": "br;q=0, gzip;q=0" } });
    expect(none.headers.get("content-encoding")).toBeNull();
    expect(await text(none)).toBe("Hello, static!");
    const off = await app({ precompressed: false }).request("/static/hello.txt", {
      headers: { "accept-encoding": "br" },
    });
    expect(off.headers.get("content-encoding")).toBeNull();
    expect(off.headers.get("vary")).toBeNull();
  });
});

describe("serveStatic: mounting and methods", () => {
  it("takes the prefix from the wildcard route, or from the option", async () => {
    const files = fixture();
    const mounted = new App().get("/assets/v1/*", serveStatic({ root: "/srv/www", files }));
    expect(await text(await mounted.request("/assets/v1/hello.txt"))).toBe("Hello, static!");
    const used = new App().use(serveStatic({ root: "/srv/www", files, prefix: "/s/" })).get("/", (c) => c.text("home"));
    expect(await text(await used.request("/s/hello.txt"))).toBe("Hello, static!");
    const mountPoint = await used.request("/s");
    expect(mountPoint.status).toBe(301);
    expect(mountPoint.headers.get("location")).toBe("/s/");
    expect(await text(await used.request("/"))).toBe("home");
    expect((await used.request("/other.txt")).status).toBe(404);
  });

  it("as middleware a miss or another method goes on; as an any-method route other methods get 405", async () => {
    const files = fixture();
    const chained = new App()
      .use(serveStatic({ root: "/srv/www", files }))
      .post("/hello.txt", (c) => c.text("posted"))
      .get("/api", (c) => c.text("api"));
    expect(await text(await chained.request("/hello.txt", { method: "POST" }))).toBe("posted");
    expect(await text(await chained.request("/api"))).toBe("api");
    const all = new App().all("/f/*", serveStatic({ root: "/srv/www", files }));
    const put = await all.request("/f/hello.txt", { method: "PUT" });
    expect(put.status).toBe(405);
    expect(put.headers.get("allow")).toBe("GET, HEAD");
  });

  it("without a FileProvider the error says how to give one", async () => {
    let message = "";
    const a = new App().get("/*", serveStatic({ root: "/srv/www" })).onError((error, c) => {
      message = (error as Error).message;
      return c.text("failed", 500);
    });
    expect((await a.request("/hello.txt")).status).toBe(500);
    expect(message).toMatch(/no FileProvider.*files: nodeFiles/);
  });

  it("a root that does not exist fails with its name", async () => {
    let message = "";
    const a = new App().get("/*", serveStatic({ root: "/nowhere", files: fixture() })).onError((error, c) => {
      message = (error as Error).message;
      return c.text("failed", 500);
    });
    expect((await a.request("/x")).status).toBe(500);
    expect(message).toContain('root "/nowhere"');
  });

  it("takes a file: URL as root", async () => {
    const a = new App().get("/*", serveStatic({ root: new URL("file:///srv/w%77w/"), files: fixture() }));
    expect(await text(await a.request("/hello.txt"))).toBe("Hello, static!");
  });

  it("refuses bad options at once", () => {
    expect(() => serveStatic({ root: "" })).toThrow(/root/);
    expect(() => serveStatic({ root: new URL("https://example.com/") })).toThrow(/file: URL/);
    expect(() => serveStatic({ root: "/x", index: "a/b.html" })).toThrow(/index/);
  });
});
