/**
 * The raw ceiling on Deno: `Deno.listen` (the socket API wirecore's Deno adapter uses) with no
 * HTTP at all — a read loop over one reused buffer per connection, counting the request heads in
 * each read and writing that many canned responses in one `write` (bench/peers/raw-response.ts).
 *
 *   deno run -A bench/peers/raw-deno.ts --port 3000
 */
import { peerArgs } from "./args.ts";
import { CannedResponses, HeadCounter } from "./raw-response.ts";

const { port } = peerArgs(Deno.args);
const canned = new CannedResponses();

async function writeAll(conn: Deno.TcpConn, bytes: Uint8Array): Promise<void> {
  let off = 0;
  while (off < bytes.length) off += await conn.write(bytes.subarray(off));
}

async function serveConn(conn: Deno.TcpConn): Promise<void> {
  conn.setNoDelay(true);
  const heads = new HeadCounter();
  const buf = new Uint8Array(64 * 1024);
  try {
    for (;;) {
      const got = await conn.read(buf);
      if (got === null) break;
      const n = heads.count(buf.subarray(0, got));
      if (n > 0) await writeAll(conn, canned.take(n));
    }
  } catch {
    // a reset peer ends the connection
  } finally {
    try {
      conn.close();
    } catch {
      // already closed
    }
  }
}

const listener = Deno.listen({ hostname: "127.0.0.1", port });
console.log(`listening on http://127.0.0.1:${(listener.addr as Deno.NetAddr).port}`);
for await (const conn of listener) serveConn(conn);
