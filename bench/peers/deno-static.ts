/**
 * The static-file peer on Deno: `Deno.serve` answering with `Deno.open(path)` and the file's
 * `readable` (after `seek`, cut to the Range's length), the way a Deno user serves a file without
 * std (https://docs.deno.com/api/deno/~/Deno.FsFile).
 *
 *   deno run -A bench/peers/deno-static.ts --port 3000
 */
import { join } from "node:path";
import process from "node:process";
import { peerArgs } from "./args.ts";
import { singleRange } from "./single-range.ts";
import { ensureStaticFiles, STATIC_FILES } from "../servers/static-files.ts";

/** The part of Deno's API used here, declared locally. */
interface DenoFile {
  readonly readable: ReadableStream<Uint8Array>;
  stat(): Promise<{ size: number; mtime: Date | null }>;
  seek(offset: number, whence: 0): Promise<number>;
}
interface DenoGlobal {
  serve(
    options: { hostname: string; port: number; onListen(addr: { port: number }): void },
    handler: (req: Request) => Response | Promise<Response>,
  ): unknown;
  open(path: string): Promise<DenoFile>;
}
const deno = (globalThis as { Deno?: DenoGlobal }).Deno;
if (deno === undefined) throw new Error("bench/peers/deno-static.ts needs Deno");

const { port } = peerArgs(process.argv.slice(2));
const root = ensureStaticFiles();

/** The first `length` bytes of `source`. */
function take(source: ReadableStream<Uint8Array>, length: number): ReadableStream<Uint8Array> {
  let left = length;
  return source.pipeThrough(
    new TransformStream<Uint8Array, Uint8Array>({
      transform(chunk, controller) {
        if (left <= 0) return;
        const part = chunk.length > left ? chunk.subarray(0, left) : chunk;
        left -= part.length;
        controller.enqueue(part);
        if (left === 0) controller.terminate();
      },
    }),
  );
}

deno.serve({
  hostname: "127.0.0.1",
  port,
  onListen: (addr) => console.log(`listening on http://127.0.0.1:${addr.port}`),
}, async (req) => {
  const path = new URL(req.url).pathname;
  const name = path.startsWith("/static/") ? path.slice(8) : "";
  if (!(name in STATIC_FILES)) return new Response(null, { status: 404 });
  const file = await deno.open(join(root, name));
  const { size, mtime } = await file.stat();
  const headers: Record<string, string> = {
    "content-type": "application/octet-stream",
    "last-modified": (mtime ?? new Date()).toUTCString(),
  };
  const range = singleRange(req.headers.get("range"), size);
  if (range === null) {
    headers["content-length"] = String(size);
    return new Response(file.readable, { headers });
  }
  const [start, end] = range;
  await file.seek(start, 0);
  headers["content-length"] = String(end - start + 1);
  headers["content-range"] = `bytes ${start}-${end}/${size}`;
  return new Response(take(file.readable, end - start + 1), { status: 206, headers });
});
for (const signal of ["SIGINT", "SIGTERM"] as const) process.once(signal, () => process.exit(0));
