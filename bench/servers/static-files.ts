/**
 * The files of the static-file scenarios, shared by wirecore's bench server and the native peers:
 * `64k.bin` (64 KiB) and `10m.bin` (10 MiB) of pseudo-random bytes in one temp directory, made
 * once (written to a temp name, then renamed, so two servers starting together never see half a
 * file). The bench asks for them under `/static/`.
 */
import { existsSync, mkdirSync, renameSync, statSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import process from "node:process";

export const STATIC_FILES: Readonly<Record<string, number>> = { "64k.bin": 64 << 10, "10m.bin": 10 << 20 };

/** The directory holding the bench files, made if missing; returns its path. */
export function ensureStaticFiles(): string {
  const dir = join(tmpdir(), "wirecore-bench-static");
  mkdirSync(dir, { recursive: true });
  for (const [name, size] of Object.entries(STATIC_FILES)) {
    const path = join(dir, name);
    if (existsSync(path) && statSync(path).size === size) continue;
    const bytes = new Uint8Array(size);
    let x = 0x9e3779b9;
    for (let i = 0; i < size; i++) {
      x ^= x << 13;
      x ^= x >>> 17;
      x ^= x << 5;
      bytes[i] = x & 0xff;
    }
    const partial = `${path}.${process.pid}.partial`;
    writeFileSync(partial, bytes);
    renameSync(partial, path);
  }
  return dir;
}
