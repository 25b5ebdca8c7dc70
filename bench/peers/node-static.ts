/**
 * The static-file peer on Node: `node:http` + `fs.createReadStream(path, { start, end })` piped
 * into the response, the way a Node user serves a file without a framework
 * (https://nodejs.org/api/fs.html#fscreatereadstreampath-options).
 *
 *   node bench/peers/node-static.ts --port 3000
 */
import { createReadStream, stat } from "node:fs";
import { createServer } from "node:http";
import { join } from "node:path";
import process from "node:process";
import { peerArgs } from "./args.ts";
import { singleRange } from "./single-range.ts";
import { ensureStaticFiles, STATIC_FILES } from "../servers/static-files.ts";

const { port, idleTimeoutSeconds } = peerArgs(process.argv.slice(2));
const root = ensureStaticFiles();

const server = createServer((req, res) => {
  const name = (req.url ?? "").startsWith("/static/") ? req.url!.slice(8) : "";
  if (!(name in STATIC_FILES)) {
    res.writeHead(404, { "content-length": 0 }).end();
    return;
  }
  const path = join(root, name);
  stat(path, (error, st) => {
    if (error !== null) return void res.writeHead(404, { "content-length": 0 }).end();
    const range = singleRange(req.headers.range, st.size);
    const [start, end] = range ?? [0, st.size - 1];
    const headers: Record<string, string | number> = {
      "content-type": "application/octet-stream",
      "content-length": end - start + 1,
      "last-modified": st.mtime.toUTCString(),
    };
    if (range !== null) headers["content-range"] = `bytes ${start}-${end}/${st.size}`;
    res.writeHead(range === null ? 200 : 206, headers);
    createReadStream(path, { start, end }).pipe(res);
  });
});
server.keepAliveTimeout = idleTimeoutSeconds * 1000;
server.listen(port, "127.0.0.1", () => {
  const address = server.address();
  const actual = typeof address === "object" && address !== null ? address.port : port;
  console.log(`listening on http://127.0.0.1:${actual}`);
});
for (const signal of ["SIGINT", "SIGTERM"] as const) process.once(signal, () => process.exit(0));
