/**
 * Deno's socket APIs side by side: a canned-response HTTP/1.1 server with no parsing over each of them, to choose the
 * one the Deno adapter uses (adapters/deno/serve.ts, figures in bench/README.md "Where the time goes"). The bench's
 * raw-ceiling row is raw-deno.ts, on the API chosen here.
 *
 *   deno run -A bench/peers/deno-socket-apis.ts --port 3000 [--api read|byob|node-net] [--no-delay] [--await-write] [--backlog N] [--fairness]
 *
 * Every `GET /` gets `Hello, World!`. It counts requests by their blank line (`\r\n\r\n`, even across reads), so it
 * answers pipelined requests and nothing else (no bodies: GET only). All the answers to one read leave in one write.
 * - `--api read` (default): `Deno.listen` and `conn.read()` into one reused buffer per connection, `conn.write()`.
 * - `--api byob`: `conn.readable` with a BYOB reader (the buffer comes back each read), `conn.write()`.
 * - `--api node-net`: Deno's `node:net` (`createServer`, `data` events, `socket.write`).
 * - `--no-delay`: TCP_NODELAY on every connection (`setNoDelay(true)`).
 * - `--backlog N`: the listen queue's depth (default 511, as Deno's and Node's own).
 * - `--await-write`: (read and byob) wait for each write before the next read, rather than reading on while the write
 *   is in flight.
 * - `--fairness`: on SIGINT/SIGTERM, print how many requests each connection was served (min, p10, p50, p90, max) — under
 *   `wrk -c1024` a fair server serves every connection about as often (bench/README.md, "conns-1024, the third queue").
 */
import process from "node:process";
import { createServer } from "node:net";

const args = process.argv.slice(2);
const at = args.indexOf("--port");
const port = at < 0 ? 3000 : Number(args[at + 1]);
const apiAt = args.indexOf("--api");
const api = apiAt < 0 ? "read" : args[apiAt + 1];
const noDelay = args.includes("--no-delay");
const awaitWrite = args.includes("--await-write");
const backlogAt = args.indexOf("--backlog");
const backlog = backlogAt < 0 ? 511 : Number(args[backlogAt + 1]);
if (api !== "read" && api !== "byob" && api !== "node-net") throw new Error(`Unknown --api ${api}`);
const fairness = args.includes("--fairness");

/** Requests answered per connection, in the order they were accepted (with `--fairness`). */
const served: number[] = [];
function newConnection(): number {
  served.push(0);
  return served.length - 1;
}
function countServed(connection: number, requests: number): void {
  served[connection]! += requests;
}
function fairnessReport(): string {
  const counts = served.filter((n) => n > 0).sort((a, b) => a - b);
  if (counts.length === 0) return "fairness: no request served";
  const at = (q: number): number => counts[Math.min(counts.length - 1, Math.floor(counts.length * q))]!;
  return `fairness: requests per connection over ${counts.length} connections: min ${counts[0]} p10 ${at(0.1)} ` +
    `p50 ${at(0.5)} p90 ${at(0.9)} max ${counts[counts.length - 1]}`;
}

const encoder = new TextEncoder();
let date = new Date().toUTCString();
setInterval(() => (date = new Date().toUTCString()), 1000);
/** The canned answer, rebuilt when the Date changes; one answer repeated n times per write. */
let answer = build();
let answerDate = date;
function build(): Uint8Array {
  return encoder.encode(
    `HTTP/1.1 200 OK\r\ncontent-type: text/plain; charset=utf-8\r\ncontent-length: 13\r\ndate: ${date}\r\n\r\nHello, World!`,
  );
}
function answers(n: number): Uint8Array {
  if (answerDate !== date) {
    answer = build();
    answerDate = date;
  }
  if (n === 1) return answer;
  const out = new Uint8Array(answer.length * n);
  for (let i = 0; i < n; i++) out.set(answer, i * answer.length);
  return out;
}

/** Counts `\r\n\r\n` across reads: `state` is how many bytes of it the last read ended with. */
class BlankLines {
  state = 0;
  count(bytes: Uint8Array): number {
    let n = 0;
    let s = this.state;
    for (let i = 0; i < bytes.length; i++) {
      const b = bytes[i];
      if (b === 13) s = s === 2 ? 3 : 1;
      else if (b === 10 && (s === 1 || s === 3)) {
        if (s === 3) {
          n++;
          s = 0;
        } else s = 2;
      } else s = 0;
    }
    this.state = s;
    return n;
  }
}

async function writeAll(conn: Deno.Conn, bytes: Uint8Array): Promise<void> {
  let offset = 0;
  while (offset < bytes.length) offset += await conn.write(bytes.subarray(offset));
}

/** Writes without waiting: answers produced while one write is in flight leave together in the next. */
class Writer {
  #pending: Uint8Array[] = [];
  #busy = false;
  readonly conn: Deno.Conn;
  constructor(conn: Deno.Conn) {
    this.conn = conn;
  }
  send(bytes: Uint8Array): void {
    this.#pending.push(bytes);
    if (!this.#busy) void this.#loop();
  }
  async #loop(): Promise<void> {
    this.#busy = true;
    try {
      while (this.#pending.length > 0) {
        const parts = this.#pending;
        this.#pending = [];
        await writeAll(this.conn, parts.length === 1 ? parts[0]! : concat(parts));
      }
    } catch {
      // the read loop sees the socket go
    } finally {
      this.#busy = false;
    }
  }
}

function concat(parts: Uint8Array[]): Uint8Array {
  let length = 0;
  for (const p of parts) length += p.length;
  const out = new Uint8Array(length);
  let offset = 0;
  for (const p of parts) {
    out.set(p, offset);
    offset += p.length;
  }
  return out;
}

async function serveRead(conn: Deno.TcpConn): Promise<void> {
  const buffer = new Uint8Array(16 * 1024);
  const lines = new BlankLines();
  const writer = new Writer(conn);
  const connection = newConnection();
  try {
    for (;;) {
      const n = await conn.read(buffer);
      if (n === null) break;
      const count = lines.count(buffer.subarray(0, n));
      if (count === 0) continue;
      countServed(connection, count);
      if (awaitWrite) await writeAll(conn, answers(count));
      else writer.send(answers(count));
    }
  } catch {
    // reset by the peer
  }
  conn.close();
}

async function serveByob(conn: Deno.TcpConn): Promise<void> {
  const reader = conn.readable.getReader({ mode: "byob" });
  let buffer = new Uint8Array(16 * 1024);
  const lines = new BlankLines();
  const writer = new Writer(conn);
  const connection = newConnection();
  try {
    for (;;) {
      const { value, done } = await reader.read(buffer);
      if (done || value === undefined) break;
      const count = lines.count(value);
      // The reader hands the (transferred) buffer back inside `value`: reuse it whole.
      buffer = new Uint8Array(value.buffer);
      if (count === 0) continue;
      countServed(connection, count);
      if (awaitWrite) await writeAll(conn, answers(count));
      else writer.send(answers(count));
    }
  } catch {
    // reset by the peer
  }
  try {
    conn.close();
  } catch {
    // closed by the stream already
  }
}

function listening(port: number): void {
  console.log(`listening on http://127.0.0.1:${port}`);
}

// Before the accept loop below, which never ends.
for (const signal of ["SIGINT", "SIGTERM"] as const) {
  process.once(signal, () => {
    if (fairness) console.log(fairnessReport());
    process.exit(0);
  });
}
if (api === "node-net") {
  const server = createServer((socket) => {
    if (noDelay) socket.setNoDelay(true);
    const lines = new BlankLines();
    const connection = newConnection();
    socket.on("data", (chunk: Uint8Array) => {
      const count = lines.count(chunk);
      if (count === 0) return;
      countServed(connection, count);
      socket.write(answers(count));
    });
    socket.on("error", () => socket.destroy());
  });
  server.listen(port, "127.0.0.1", backlog, () => listening((server.address() as { port: number }).port));
} else {
  const listener = Deno.listen({ hostname: "127.0.0.1", port, tcpBacklog: backlog });
  listening(listener.addr.port);
  for await (const conn of listener) {
    if (noDelay) conn.setNoDelay(true);
    void (api === "read" ? serveRead(conn) : serveByob(conn));
  }
}
