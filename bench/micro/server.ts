/**
 * A micro-benchmark of one whole HTTP/1.1 request through wirecore's core, with no socket: the
 * reference app (examples/app.ts) behind `createServerCore`, fed request bytes through a fake
 * transport that only counts what it is asked to write. It measures what the core costs per
 * request (parse, route, handler, serialize, batch) apart from the runtime's sockets, so a
 * change to a hot path can be compared before and after on each runtime even on a busy machine
 * (the score is the best round of CPU time).
 *
 * ```sh
 * node bench/micro/server.ts                      # every case, 20 rounds × 20,000 reads
 * bun bench/micro/server.ts --case pipelined
 * deno run -A bench/micro/server.ts
 * ```
 *
 * Cases: `keep-alive` (one `GET /` per read, as wrk's keep-alive load sends it), `pipelined` (16
 * `GET /` in one read), `json-param` (`GET /users/:id`), `echo-4k` (`POST /echo` with a 4 KiB
 * body in the same read). `--copy-reads` makes the transport one whose reads the core must copy
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
  {
    name: "echo-4k",
    bytes: enc.encode(
      `POST /echo HTTP/1.1\r\nHost: 127.0.0.1:8080\r\nContent-Type: application/octet-stream\r\nContent-Length: 4096\r\n\r\n${BODY}`,
    ),
    requests: 1,
  },
];

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

const now = (): number => performance.now();
const core = createServerCore(createApp());
const conn = core.accept(transport);

/** Let promise-based work (a streamed echo) finish between reads. */
const settle = (): Promise<void> => new Promise((resolve) => setTimeout(resolve, 0));

for (const c of CASES) {
  if (only !== undefined && !c.name.includes(only)) continue;
  const asyncCase = c.name.startsWith("echo");
  let best = Number.POSITIVE_INFINITY;
  written = 0;
  writes = 0;
  let requests = 0;
  for (let round = 0; round < ROUNDS; round++) {
    const t0 = now();
    for (let i = 0; i < N; i++) {
      conn.data(c.bytes);
      if (asyncCase) await Promise.resolve();
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
