/**
 * A micro-benchmark of one whole HTTP/1.1 request through wirecore's core, with no socket: the
 * reference app (examples/app.ts) behind `createServerCore`, fed request bytes through a fake
 * transport that only counts what it is asked to write. It measures what the core costs per
 * request (parse, route, handler, serialize, batch) apart from the runtime's sockets, so a
 * change to a hot path can be compared before and after on each runtime even on a busy machine
 * (the score is the best round of CPU time: `process.cpuUsage()`).
 *
 * ```sh
 * node bench/micro/server.ts                      # every case, 20 rounds × 20,000 reads
 * bun bench/micro/server.ts --case pipelined
 * deno run -A bench/micro/server.ts
 * ```
 *
 * Cases: `keep-alive` (one `GET /` per read, as wrk's keep-alive load sends it), `pipelined` (16
 * `GET /` in one read), `json-param` (`GET /users/:id`), `echo-4k` (`POST /echo` with a 4 KiB
 * body in the same read), `h2` (h2c by prior knowledge: 32 `GET /` HEADERS frames per read, as h2load's
 * 32 streams per connection send them). `--copy-reads` makes the transport one whose reads the core must copy
 * (as Deno's reused read buffer); by default they are fresh, as on Node. Prints nanoseconds per request and the bytes written per request.
 * @module
 */
import { createServerCore, type Transport } from "../../core/mod.ts";
import { createApp } from "../../examples/app.ts";

const argv: string[] = (globalThis as { process?: { argv: string[] } }).process?.argv ??
  (globalThis as unknown as { Deno: { args: string[] } }).Deno.args;
function option(name: string): string | undefined {
  const at = argv.indexOf(name);
  return at >= 0 ? argv[at + 1] : undefined;
}
const N = Number(option("--n") ?? 20_000);
const ROUNDS = Number(option("--rounds") ?? 20);
const only = option("--case");

const enc = new TextEncoder();
const GET = "GET / HTTP/1.1\r\nHost: 127.0.0.1:8080\r\n\r\n";
const BODY = "x".repeat(4096);
const CASES: { name: string; bytes: Uint8Array; requests: number }[] = [
  { name: "keep-alive", bytes: enc.encode(GET), requests: 1 },
  { name: "pipelined", bytes: enc.encode(GET.repeat(16)), requests: 16 },
  { name: "json-param", bytes: enc.encode("GET /users/42 HTTP/1.1\r\nHost: 127.0.0.1:8080\r\n\r\n"), requests: 1 },
  { name: "h2", bytes: new Uint8Array(0), requests: 32 },
  {
    name: "echo-4k",
    bytes: enc.encode(
      `POST /echo HTTP/1.1\r\nHost: 127.0.0.1:8080\r\nContent-Type: application/octet-stream\r\nContent-Length: 4096\r\n\r\n${BODY}`,
    ),
    requests: 1,
  },
];

/** A frame header (RFC 9113 §4.1) at `at`. */
function frameHeader(out: Uint8Array, at: number, length: number, type: number, flags: number, stream: number): void {
  out[at] = length >>> 16;
  out[at + 1] = (length >>> 8) & 0xff;
  out[at + 2] = length & 0xff;
  out[at + 3] = type;
  out[at + 4] = flags;
  new DataView(out.buffer, out.byteOffset).setUint32(at + 5, stream);
}

const H2_STREAMS = 32;
const AUTHORITY = enc.encode("127.0.0.1:8080");
/** :method GET, :scheme http, :path / (static indexes), :authority as a literal without indexing (RFC 7541). */
const H2_BLOCK = Uint8Array.from([0x82, 0x86, 0x84, 0x01, AUTHORITY.length, ...AUTHORITY]);
const H2_HEADERS = 9 + H2_BLOCK.length;
/** One read of the h2 case: 32 HEADERS (END_STREAM | END_HEADERS). */
const h2Read = new Uint8Array(H2_STREAMS * H2_HEADERS);
for (let i = 0; i < H2_STREAMS; i++) h2Read.set(H2_BLOCK, i * H2_HEADERS + 9);
let nextStream = 1;
/** The next read of the h2 case, with the next 32 stream ids. */
function nextH2Read(): Uint8Array {
  for (let i = 0; i < H2_STREAMS; i++, nextStream += 2) {
    frameHeader(h2Read, i * H2_HEADERS, H2_BLOCK.length, 0x1, 0x5, nextStream);
  }
  return h2Read;
}
/**
 * The client preface, an empty SETTINGS (RFC 9113 §3.4) and, as h2load, one connection
 * WINDOW_UPDATE to the largest window (2^31 − 1): the responses never wait for the window.
 */
const H2_PREFACE = new Uint8Array([...enc.encode("PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n"), ...new Uint8Array(9 + 13)]);
frameHeader(H2_PREFACE, 24, 0, 0x4, 0, 0);
frameHeader(H2_PREFACE, 33, 4, 0x8, 0, 0);
new DataView(H2_PREFACE.buffer).setUint32(42, 2 ** 31 - 1 - 65_535);

let written = 0;
let writes = 0;
const transport: Transport = {
  write(bytes: Uint8Array): boolean {
    written += bytes.length;
    writes++;
    return true;
  },
  end(): void {},
  close(): void {},
  pause(): void {},
  resume(): void {},
  info: { remoteAddress: "127.0.0.1", remotePort: 40000, tls: false },
  // As the Node adapter: the core may keep views of what it reads (`--copy-reads`: as on Deno).
  freshReads: !argv.includes("--copy-reads"),
};

/**
 * The process's CPU time in ms (user + system) where the runtime has `process.cpuUsage` (all
 * three do): unlike wall time it leaves out the time other jobs on a busy machine take the core.
 */
const cpuUsage = (globalThis as { process?: { cpuUsage?: () => { user: number; system: number } } }).process
  ?.cpuUsage;
const now = cpuUsage === undefined ? (): number => performance.now() : (): number => {
  const u = cpuUsage();
  return (u.user + u.system) / 1000;
};
const core = createServerCore(createApp());
const conn = core.accept(transport);
const h2 = core.accept(transport);
h2.data(H2_PREFACE);

/** Let promise-based work (a streamed echo) finish between reads. */
const settle = (): Promise<void> => new Promise((resolve) => setTimeout(resolve, 0));

for (const c of CASES) {
  if (only !== undefined && !c.name.includes(only)) continue;
  const asyncCase = c.name.startsWith("echo") || c.name === "h2";
  let best = Number.POSITIVE_INFINITY;
  written = 0;
  writes = 0;
  let requests = 0;
  for (let round = 0; round < ROUNDS; round++) {
    const t0 = now();
    if (c.name === "h2") {
      for (let i = 0; i < N; i++) {
        h2.data(nextH2Read());
        await Promise.resolve(); // the connection writes once its batch's microtask runs
      }
    } else {
      for (let i = 0; i < N; i++) {
        conn.data(c.bytes);
        if (asyncCase) await Promise.resolve();
      }
    }
    if (asyncCase) await settle();
    const t = now() - t0;
    requests += N * c.requests;
    best = Math.min(best, (t * 1e6) / (N * c.requests));
  }
  console.log(
    `${c.name.padEnd(12)} ${best.toFixed(0).padStart(6)} ns/request  ${(written / requests).toFixed(0)} bytes, ${
      (writes / requests).toFixed(2)
    } writes per request`,
  );
}
conn.closed();
h2.closed();
