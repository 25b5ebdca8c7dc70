/**
 * The raw ceiling on Bun: `Bun.listen` (the socket API wirecore's Bun adapter uses) with no HTTP
 * at all — count the request heads in each read, write that many canned responses at once
 * (bench/peers/raw-response.ts); what the socket did not take waits for `drain`.
 *
 *   bun bench/peers/raw-bun.ts --port 3000
 */
import process from "node:process";
import { peerArgs } from "./args.ts";
import { CannedResponses, HeadCounter } from "./raw-response.ts";

interface Conn {
  heads: HeadCounter;
  /** Bytes the socket has not taken yet. */
  pending: Uint8Array | null;
}

const { port, idleTimeoutSeconds } = peerArgs(process.argv.slice(2));
const canned = new CannedResponses();

function flush(socket: Bun.Socket<Conn>, bytes: Uint8Array): void {
  const written = socket.write(bytes);
  socket.data.pending = written < bytes.length ? bytes.slice(Math.max(0, written)) : null;
}

const listener = Bun.listen<Conn>({
  hostname: "127.0.0.1",
  port,
  socket: {
    open(socket) {
      socket.data = { heads: new HeadCounter(), pending: null };
      socket.timeout(idleTimeoutSeconds);
    },
    data(socket, data) {
      const n = socket.data.heads.count(data);
      if (n === 0) return;
      const out = canned.take(n);
      const pending = socket.data.pending;
      if (pending === null) return flush(socket, out);
      const joined = new Uint8Array(pending.length + out.length);
      joined.set(pending);
      joined.set(out, pending.length);
      socket.data.pending = joined;
    },
    drain(socket) {
      const pending = socket.data.pending;
      if (pending !== null) flush(socket, pending);
    },
    timeout(socket) {
      socket.end();
    },
    error(socket) {
      socket.end();
    },
  },
});
console.log(`listening on http://127.0.0.1:${listener.port}`);
