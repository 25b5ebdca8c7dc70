/**
 * The directory tree the static-file cases serve, made fresh in a temp directory with `node:fs`
 * (which Node, Bun and Deno all have): files, a directory with an index, a dotfile, precompressed
 * siblings made with node:zlib, a symlinked file and directory pointing out of the root, and
 * a secret beside the root that no request may ever read. Files are stamped {@link SETTLED} (2026-01-01), so
 * serveStatic's memory cache keeps them from the first read: the cases after it are answered from memory.
 */
import { mkdirSync, mkdtempSync, rmSync, symlinkSync, truncateSync, utimesSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { brotliCompressSync, gzipSync } from "node:zlib";

export const HELLO = "Hello, static files! ".repeat(20);
export const SECRET = "TOP-SECRET-OUTSIDE-THE-ROOT";
/** 64 KiB with every byte depending on its offset, so a wrong range shows. */
export const DATA: Uint8Array = Uint8Array.from({ length: 64 * 1024 }, (_, i) => (i * 7 + (i >> 8)) & 0xff);
export const HUGE_SIZE = 1024 * 1024 * 1024;
/** The modification time of every file of the tree (seconds, as `utimesSync` takes it). */
export const SETTLED = Date.UTC(2026, 0, 1) / 1000;

export interface StaticTree {
  /** The temp directory holding `public/` and `outside/`. */
  readonly base: string;
  /** The root to serve. */
  readonly root: string;
  readonly brotli: Uint8Array;
  readonly gzip: Uint8Array;
  remove(): void;
}

/** Make the tree; `huge` adds a sparse 1 GiB `huge.bin` (no disk blocks: made with truncate). */
export function makeStaticTree(huge = false): StaticTree {
  const base = mkdtempSync(join(tmpdir(), "wirecore-static-"));
  const root = join(base, "public");
  const outside = join(base, "outside");
  mkdirSync(join(root, "docs"), { recursive: true });
  mkdirSync(outside);
  const brotli = new Uint8Array(brotliCompressSync(HELLO));
  const gzip = new Uint8Array(gzipSync(HELLO));
  writeFileSync(join(root, "hello.txt"), HELLO);
  writeFileSync(join(root, "hello.txt.br"), brotli);
  writeFileSync(join(root, "hello.txt.gz"), gzip);
  writeFileSync(join(root, "data.bin"), DATA);
  writeFileSync(join(root, "style.css"), "body { color: teal }\n");
  writeFileSync(join(root, "docs", "index.html"), "<h1>docs</h1>\n");
  writeFileSync(join(root, ".env"), SECRET);
  writeFileSync(join(outside, "secret.txt"), SECRET);
  writeFileSync(join(base, "secret.txt"), SECRET);
  symlinkSync(join(outside, "secret.txt"), join(root, "escape.txt"));
  symlinkSync(outside, join(root, "escape-dir"));
  symlinkSync(join(root, "hello.txt"), join(root, "alias.txt"));
  if (huge) {
    writeFileSync(join(root, "huge.bin"), "");
    truncateSync(join(root, "huge.bin"), HUGE_SIZE);
  }
  for (const file of ["hello.txt", "hello.txt.br", "hello.txt.gz", "data.bin", "style.css", "docs/index.html"]) {
    utimesSync(join(root, file), SETTLED, SETTLED);
  }
  return { base, root, brotli, gzip, remove: () => rmSync(base, { recursive: true, force: true }) };
}
