/**
 * The reference site's generated files: `large.bin` (1 MiB, for trying Range requests; not
 * committed) and the precompressed siblings of `style.css`, remade when the source is newer.
 * node:fs and node:zlib exist on Node, Bun and Deno alike, so every reference server calls this
 * at start.
 * @module
 */
import { existsSync, readFileSync, statSync, writeFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { brotliCompressSync, gzipSync } from "node:zlib";

/** Where the reference site lives. */
export const PUBLIC_DIR: string = fileURLToPath(new URL("./public/", import.meta.url).href);

/** Size of the generated file for Range requests. */
export const LARGE_FILE_SIZE = 1024 * 1024;

/** Make the generated files that are missing or stale. */
export function ensureSiteAssets(dir: string = PUBLIC_DIR): void {
  const large = dir + "large.bin";
  if (!existsSync(large) || statSync(large).size !== LARGE_FILE_SIZE) {
    writeFileSync(large, patternBytes(LARGE_FILE_SIZE));
  }
  const css = dir + "style.css";
  const source = statSync(css);
  for (const [suffix, compress] of [[".gz", gzipSync], [".br", brotliCompressSync]] as const) {
    const target = css + suffix;
    if (existsSync(target) && statSync(target).mtimeMs >= source.mtimeMs) continue;
    writeFileSync(target, compress(readFileSync(css)));
  }
}

/** Bytes whose every offset is recognisable (a byte-counter pattern): a wrong range shows at once. */
export function patternBytes(size: number): Uint8Array {
  const bytes = new Uint8Array(size);
  for (let i = 0; i < size; i++) bytes[i] = (i * 31 + (i >>> 8)) & 0xff;
  return bytes;
}
