import { describe, expect, it } from "vitest";
import { App } from "../../app/app.ts";
import { serveStatic, type ServeStaticOptions } from "./serve-static.ts";
import { FileCache } from "./file-cache.ts";
import { MemoryFiles } from "../../../test/support/memory-files.ts";

const OLD = Date.UTC(2026, 0, 1);
const kib = (n: number, fill: number): Uint8Array => new Uint8Array(n * 1024).fill(fill);

function site(): MemoryFiles {
  return new MemoryFiles(OLD)
    .file("/srv/www/a.txt", "alpha")
    .file("/srv/www/b.txt", "bravo")
    .file("/srv/www/c.txt", "charl")
    .file("/srv/www/page.html", "<p>page</p>")
    .file("/srv/www/page.html.br", "BROTLI")
    .file("/srv/secret.txt", "SECRET");
}

function serving(files: MemoryFiles, options: Partial<ServeStaticOptions> = {}): App {
  return new App().get("/*", serveStatic({ root: "/srv/www", files, ...options }));
}

const get = async (app: App, path: string, headers: Record<string, string> = {}): Promise<[number, string]> => {
  const response = await app.request(path, { headers });
  return [response.status, await response.text()];
};

describe("serveStatic memory cache", () => {
  it("serves a file again without reading it, with the same fields; ranges come from the kept bytes", async () => {
    const files = site();
    const app = serving(files);
    const first = await app.request("/a.txt");
    const again = await app.request("/a.txt");
    expect(await again.text()).toBe("alpha");
    expect([...again.headers]).toEqual([...first.headers]);
    expect(await get(app, "/a.txt", { range: "bytes=1-3" })).toEqual([206, "lph"]);
    expect(files.opened).toBe(1);
  });

  it("a file with a new size or modification time is read again, and the new bytes served", async () => {
    const files = site();
    const app = serving(files);
    await get(app, "/a.txt");
    files.file("/srv/www/a.txt", "ALPHA", OLD + 1);
    expect(await get(app, "/a.txt")).toEqual([200, "ALPHA"]);
    files.file("/srv/www/a.txt", "alpha, longer", OLD + 1);
    expect(await get(app, "/a.txt")).toEqual([200, "alpha, longer"]);
    expect(await get(app, "/a.txt")).toEqual([200, "alpha, longer"]);
    expect(files.opened).toBe(3);
  });

  it("a file modified in the last 2 s is read from disk every time", async () => {
    const files = site().file("/srv/www/new.txt", "fresh", Date.now() - 500);
    const app = serving(files);
    for (let i = 0; i < 3; i++) expect(await get(app, "/new.txt")).toEqual([200, "fresh"]);
    expect(files.opened).toBe(3);
  });

  it("memoryCache: false reads every time; files over maxFileBytes are not kept", async () => {
    const off = site();
    const uncached = serving(off, { memoryCache: false });
    await get(uncached, "/a.txt");
    await get(uncached, "/a.txt");
    expect(off.opened).toBe(2);
    const files = site().file("/srv/www/big.bin", kib(2, 7));
    const app = serving(files, { memoryCache: { maxFileBytes: 1024 } });
    for (let i = 0; i < 2; i++) expect((await app.request("/big.bin")).headers.get("content-length")).toBe("2048");
    await get(app, "/a.txt");
    await get(app, "/a.txt");
    expect(files.opened).toBe(3);
  });

  it("maxFileBytes above 256 KiB keeps such files too (read whole once, then from memory)", async () => {
    const files = site().file("/srv/www/big.bin", kib(300, 9));
    const app = serving(files, { memoryCache: { maxFileBytes: 512 * 1024 } });
    for (let i = 0; i < 2; i++) {
      const body = new Uint8Array(await (await app.request("/big.bin")).arrayBuffer());
      expect([body.length, body[0], body[body.length - 1]]).toEqual([300 * 1024, 9, 9]);
    }
    expect([files.opened, files.readsAtOnce]).toEqual([1, 1]);
  });

  it("past maxBytes the least recently served file goes first", async () => {
    const files = site();
    const app = serving(files, { memoryCache: { maxBytes: 10 } }); // two 5-byte files
    await get(app, "/a.txt");
    await get(app, "/b.txt");
    await get(app, "/a.txt"); // a is now the most recent
    await get(app, "/c.txt"); // b goes
    expect(files.opened).toBe(3);
    expect(await get(app, "/a.txt")).toEqual([200, "alpha"]);
    expect(files.opened).toBe(3);
    expect(await get(app, "/b.txt")).toEqual([200, "bravo"]);
    expect(files.opened).toBe(4);
  });

  it("a path turned into a link out of the root never serves the outside file", async () => {
    const files = site();
    const app = serving(files);
    await get(app, "/a.txt");
    // The same size and time as the kept file: the kept bytes answer, not the target's.
    files.file("/srv/secret.txt", "SECRT", OLD).link("/srv/www/a.txt", "/srv/secret.txt");
    expect(await get(app, "/a.txt")).toEqual([200, "alpha"]);
    // Any other stamp misses, and the containment check refuses the link.
    files.file("/srv/secret.txt", "SECRT", OLD + 1);
    expect((await get(app, "/a.txt"))[0]).toBe(404);
  });

  it("keeps precompressed siblings too", async () => {
    const files = site();
    const app = serving(files);
    for (let i = 0; i < 2; i++) {
      const response = await app.request("/page.html", { headers: { "accept-encoding": "br" } });
      expect(response.headers.get("content-encoding")).toBe("br");
      expect(await response.text()).toBe("BROTLI");
    }
    expect(files.opened).toBe(1);
  });

  it("refuses bounds that are not byte counts", () => {
    expect(() => serveStatic({ root: "/x", memoryCache: { maxBytes: -1 } })).toThrow(/maxBytes/);
    expect(() => serveStatic({ root: "/x", memoryCache: { maxFileBytes: 1.5 } })).toThrow(/maxFileBytes/);
  });
});

describe("FileCache", () => {
  const stat = (size: number, mtimeMs = OLD) => ({ size, mtimeMs, isFile: true, isDirectory: false });

  it("counts the bytes it keeps, as entries are replaced, go stale and are evicted", () => {
    const cache = new FileCache({ maxBytes: 100 });
    cache.set("/a", stat(40), new Uint8Array(40));
    cache.set("/b", stat(40), new Uint8Array(40));
    cache.set("/a", stat(30), new Uint8Array(30));
    expect(cache.bytes).toBe(70);
    expect(cache.get("/b", stat(40, OLD + 1))).toBeNull();
    expect(cache.bytes).toBe(30);
    cache.set("/c", stat(60), new Uint8Array(60));
    cache.set("/d", stat(20), new Uint8Array(20)); // 110 > 100: /a, the oldest, goes
    expect(cache.bytes).toBe(80);
    expect(cache.get("/a", stat(30))).toBeNull();
    expect(cache.get("/c", stat(60))?.length).toBe(60);
  });

  it("wants settled files within the size bound only", () => {
    const cache = new FileCache({ maxFileBytes: 10 });
    expect(cache.wants(stat(10), OLD + 2000)).toBe(true);
    expect(cache.wants(stat(11), OLD + 2000)).toBe(false);
    expect(cache.wants(stat(10), OLD + 1999)).toBe(false);
  });
});
