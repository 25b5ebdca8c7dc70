/**
 * The static-file peer on Bun: `Bun.serve` answering with `Bun.file(path)` (a Range with
 * `file.slice(start, end)`), which Bun sends from the file itself
 * (https://bun.sh/docs/api/http#sending-files).
 *
 *   bun bench/peers/bun-static.ts --port 3000
 */
import { join } from "node:path";
import process from "node:process";
import { peerArgs } from "./args.ts";
import { singleRange } from "./single-range.ts";
import { ensureStaticFiles, STATIC_FILES } from "../servers/static-files.ts";

/** The part of Bun's API used here, declared locally. */
interface BunFile extends Blob {
  slice(start: number, end: number): BunFile;
  readonly lastModified: number;
}
interface BunGlobal {
  serve(options: {
    hostname: string;
    port: number;
    idleTimeout: number;
    fetch(req: Request): Response | Promise<Response>;
  }): { readonly port: number };
  file(path: string): BunFile;
}
const bun = (globalThis as { Bun?: BunGlobal }).Bun;
if (bun === undefined) throw new Error("bench/peers/bun-static.ts needs Bun");

const { port, idleTimeoutSeconds } = peerArgs(process.argv.slice(2));
const root = ensureStaticFiles();

const server = bun.serve({
  hostname: "127.0.0.1",
  port,
  idleTimeout: Math.min(255, idleTimeoutSeconds),
  fetch(req) {
    const path = new URL(req.url).pathname;
    const name = path.startsWith("/static/") ? path.slice(8) : "";
    if (!(name in STATIC_FILES)) return new Response(null, { status: 404 });
    const file = bun.file(join(root, name));
    const headers = {
      "content-type": "application/octet-stream",
      "last-modified": new Date(file.lastModified).toUTCString(),
    };
    const range = singleRange(req.headers.get("range"), file.size);
    if (range === null) return new Response(file, { headers });
    const [start, end] = range;
    return new Response(file.slice(start, end + 1), {
      status: 206,
      headers: { ...headers, "content-range": `bytes ${start}-${end}/${file.size}` },
    });
  },
});
console.log(`listening on http://127.0.0.1:${server.port}`);
for (const signal of ["SIGINT", "SIGTERM"] as const) process.once(signal, () => process.exit(0));
