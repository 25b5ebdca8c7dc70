/**
 * wirecore's HTTP/1.1 and WebSocket load generator. Runs on Node, Bun or Deno:
 *
 *   npm run load -- http://127.0.0.1:3000/ -c 64 -d 10s [--pipeline 16] [--method POST --body-size 4096]
 *   npm run load -- ws://127.0.0.1:3000/ws -c 64 -d 10s --ws --inflight 16 --message-size 13 [--binary]
 *   bun bench/load/cli.ts …        deno run -A bench/load/cli.ts …
 *
 * See `--help` and bench/README.md.
 */
import process from "node:process";
import { createInterface } from "node:readline";
import type { LoadResult } from "./engine.ts";
import type { WsLoadResult } from "./ws-engine.ts";
import { IdleConnections, type IdleReport } from "./idle.ts";
import { buildVariants, VARIANT_PLACEHOLDER } from "./request.ts";
import { parseDuration, parseSize, runtimeName } from "./args.ts";

const HELP = `usage: npm run load -- <url> [options]
       npm run load -- ws://host:port/path --ws [options]

  -c, --connections N    keep-alive connections (default 64)
  -d, --duration T       how long to measure: 10s, 500ms, 1m (default 10s)
  -p, --pipeline N       requests per write; the next batch goes when all are answered (default 1)
  -m, --method M         request method (default GET, or POST with --body-size)
      --body-size N      request body bytes: 4096, 4k, 1m (sent with Content-Length)
  -H, --header "N: v"    an extra request header (repeatable)
      --variants N       replace {i} in the URL with 0 … N-1, one prebuilt request each
                         (default 1000 when the URL holds {i})
      --expect-status N  the status every response must have (default 200)
      --expect-length N  the body length every response must have
                         (default: learned per variant from its first response)
      --timeout T        a response later than this is an error (default 10s)
      --idle N           open N keep-alive connections, one request each, then hold them idle
      --hold T           with --idle: hold this long (default: until stdin ends or Ctrl-C);
                         with --json, the line "report" on stdin prints the current state
      --json             print the result as one JSON line
  -h, --help

WebSocket mode (a ws:// URL, or --ws with an http:// one):
      --ws               open each connection with a WebSocket handshake (101 and
                         Sec-WebSocket-Accept verified), then send messages and verify echoes
      --inflight N       messages in flight per connection; each verified echo is replaced
                         by a new message (default 16)
      --message-size N   payload bytes per message: 13, 4k, 1m (default 13)
      --binary           binary messages (default text)
      --deflate          offer permessage-deflate without context takeover either way
                         (same work per message on every server) and compress every
                         message; the server must accept it
  (-c, -d, --timeout and --json apply as above)

Every response is verified (status and body length); a mismatch is an error, not a request.
Every echo is verified (type, length and every byte); a mismatch is an error, not a message.
Latency runs from the write of a request's batch to the end of its response, so time queued
behind a pipelined batch is included. Percentiles come from a histogram with < 1 % error.`;

interface CliOptions {
  url: URL;
  target: string;
  connections: number;
  durationMs: number;
  pipeline: number;
  method: string;
  bodySize: number;
  headers: [string, string][];
  variants: number;
  expectStatus: number;
  expectLength: number;
  timeoutMs: number;
  idle: number;
  holdMs: number;
  json: boolean;
  ws: boolean;
  inflight: number;
  messageSize: number;
  binary: boolean;
  deflate: boolean;
}

function fail(message: string): never {
  console.error(`load: ${message}\n\n${HELP}`);
  process.exit(2);
}

function parseArgs(argv: readonly string[]): CliOptions {
  let url: string | undefined;
  const o = {
    connections: 64,
    durationMs: 10_000,
    pipeline: 1,
    method: "",
    bodySize: 0,
    headers: [] as [string, string][],
    variants: -1,
    expectStatus: 200,
    expectLength: -1,
    timeoutMs: 10_000,
    idle: 0,
    holdMs: -1,
    json: false,
    ws: false,
    inflight: 16,
    messageSize: 13,
    binary: false,
    deflate: false,
  };
  const int = (name: string, v: string | undefined, min: number): number => {
    const n = Number(v);
    if (!Number.isInteger(n) || n < min) fail(`${name} needs an integer ≥ ${min}, got ${v}`);
    return n;
  };
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i]!;
    const next = (): string => {
      const v = argv[++i];
      if (v === undefined) fail(`${a} needs a value`);
      return v;
    };
    switch (a) {
      case "-h":
      case "--help":
        console.log(HELP);
        process.exit(0);
        break;
      case "-c":
      case "--connections":
        o.connections = int(a, next(), 1);
        break;
      case "-d":
      case "--duration":
        o.durationMs = parseDuration(next()) ?? fail(`bad duration for ${a}`);
        break;
      case "-p":
      case "--pipeline":
        o.pipeline = int(a, next(), 1);
        break;
      case "-m":
      case "--method":
        o.method = next();
        break;
      case "--body-size":
        o.bodySize = parseSize(next()) ?? fail("bad --body-size");
        break;
      case "-H":
      case "--header": {
        const h = next();
        const colon = h.indexOf(":");
        if (colon <= 0) fail(`bad header ${JSON.stringify(h)}`);
        o.headers.push([h.slice(0, colon).trim(), h.slice(colon + 1).trim()]);
        break;
      }
      case "--variants":
        o.variants = int(a, next(), 1);
        break;
      case "--expect-status":
        o.expectStatus = int(a, next(), 100);
        break;
      case "--expect-length":
        o.expectLength = int(a, next(), 0);
        break;
      case "--timeout":
        o.timeoutMs = parseDuration(next()) ?? fail("bad --timeout");
        break;
      case "--idle":
        o.idle = int(a, next(), 1);
        break;
      case "--hold":
        o.holdMs = parseDuration(next()) ?? fail("bad --hold");
        break;
      case "--json":
        o.json = true;
        break;
      case "--ws":
        o.ws = true;
        break;
      case "--inflight":
        o.inflight = int(a, next(), 1);
        break;
      case "--message-size":
        o.messageSize = parseSize(next()) ?? fail("bad --message-size");
        break;
      case "--binary":
        o.binary = true;
        break;
      case "--deflate":
        o.deflate = true;
        break;
      default:
        if (a.startsWith("-") || url !== undefined) fail(`unknown argument ${a}`);
        url = a;
    }
  }
  if (url === undefined) fail("missing URL");
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    fail(`bad URL ${url}`);
  }
  if (parsed.protocol === "ws:") o.ws = true;
  else if (parsed.protocol !== "http:") fail("only http:// and ws:// URLs (over TCP)");
  if (o.ws && (o.idle > 0 || o.pipeline > 1 || o.bodySize > 0)) {
    fail("--idle, --pipeline and --body-size are HTTP options, not for --ws");
  }
  // URL parsing percent-encodes the braces of the placeholder; put it back.
  const target = (parsed.pathname + parsed.search).replaceAll("%7Bi%7D", VARIANT_PLACEHOLDER);
  const method = o.method !== "" ? o.method.toUpperCase() : o.bodySize > 0 ? "POST" : "GET";
  const variants = target.includes(VARIANT_PLACEHOLDER) ? (o.variants > 0 ? o.variants : 1000) : 1;
  return { ...o, url: parsed, target, method, variants };
}

const fmt = (n: number, digits = 0): string =>
  n.toLocaleString("en-US", { minimumFractionDigits: digits, maximumFractionDigits: digits });
const ms = (v: number): string => (v >= 100 ? fmt(v, 0) : v >= 10 ? fmt(v, 1) : fmt(v, 2)) + " ms";
const mbps = (bytes: number, durationMs: number): string => fmt(bytes / 1e6 / (durationMs / 1000), 2) + " MB/s";

function errorLines(errors: Record<string, number>, examples: Record<string, string>): string {
  const kinds = Object.keys(errors);
  if (kinds.length === 0) return "none";
  return kinds.map((k) => `${k}: ${fmt(errors[k]!)}${examples[k] ? ` (${examples[k]})` : ""}`).join("\n             ");
}

function printLoad(o: CliOptions, r: LoadResult): void {
  const secs = r.durationMs / 1000;
  console.log(
    `wirecore load on ${runtimeName()}: ${o.method} ${o.url.origin}${o.target}` +
      `${o.variants > 1 ? ` (${o.variants} variants)` : ""} — ${o.connections} connections` +
      `${o.pipeline > 1 ? `, pipeline ${o.pipeline}` : ""}${o.bodySize > 0 ? `, ${fmt(o.bodySize)}-byte bodies` : ""}`,
  );
  console.log(`  requests   ${fmt(r.requests)} verified in ${fmt(secs, 2)} s = ${fmt(r.rps)} req/s`);
  console.log(
    `  transfer   read ${mbps(r.bytesRead, r.durationMs)}, written ${mbps(r.bytesWritten, r.durationMs)}` +
      ` (response bodies ${mbps(r.bodyBytes, r.durationMs)})`,
  );
  const l = r.latency;
  console.log(
    `  latency    p50 ${ms(l.p50)}   p90 ${ms(l.p90)}   p99 ${ms(l.p99)}   p99.9 ${ms(l.p999)}   max ${
      ms(l.max)
    }   mean ${ms(l.mean)}`,
  );
  console.log(`  errors     ${errorLines(r.errors, r.errorExamples)}`);
  console.log(
    `  connections ${r.connections} up in ${ms(r.connectMs)}${
      r.reconnects > 0 ? `, ${fmt(r.reconnects)} reconnects` : ""
    }`,
  );
}

function printWs(o: CliOptions, r: WsLoadResult): void {
  const secs = r.durationMs / 1000;
  console.log(
    `wirecore load on ${runtimeName()}: WebSocket ${o.url.host}${o.target} — ${o.connections} connections × ${o.inflight} in flight, ` +
      `${fmt(o.messageSize)}-byte ${o.binary ? "binary" : "text"} messages${r.extensions ? ` (${r.extensions})` : ""}`,
  );
  console.log(
    `  messages   ${fmt(r.messages)} echoes verified in ${fmt(secs, 2)} s = ${fmt(r.messagesPerSecond)} messages/s`,
  );
  console.log(
    `  transfer   echoed payload ${fmt(r.mbps, 2)} MB/s; on the wire read ${mbps(r.bytesRead, r.durationMs)}, written ${
      mbps(r.bytesWritten, r.durationMs)
    }`,
  );
  const l = r.latency;
  console.log(
    `  latency    p50 ${ms(l.p50)}   p90 ${ms(l.p90)}   p99 ${ms(l.p99)}   p99.9 ${ms(l.p999)}   max ${
      ms(l.max)
    }   mean ${ms(l.mean)}`,
  );
  console.log(`  errors     ${errorLines(r.errors, r.errorExamples)}`);
  console.log(
    `  connections ${r.connections} up (handshakes done) in ${ms(r.connectMs)}${
      r.reconnects > 0 ? `, ${fmt(r.reconnects)} reconnects` : ""
    }`,
  );
}

function printIdle(r: IdleReport): void {
  console.log(
    `idle: ${fmt(r.good)}/${fmt(r.requested)} connections answered and idle in ${ms(r.elapsedMs)}; ` +
      `${fmt(r.open)} open now, ${fmt(r.closedByServer)} closed by the server`,
  );
  console.log(`  errors     ${errorLines(r.errors, r.errorExamples)}`);
}

async function main(): Promise<void> {
  const o = parseArgs(process.argv.slice(2));
  if (o.ws) {
    const host = o.url.hostname.replace(/^\[|\]$/g, "");
    // Loaded on demand: each mode starts without the other's modules (the bench spawns this often).
    const { runWsLoad } = await import("./ws-engine.ts");
    const result = await runWsLoad({
      host,
      port: Number(o.url.port || 80),
      authority: o.url.host,
      target: o.url.pathname + o.url.search,
      connections: o.connections,
      inflight: o.inflight,
      messageSize: o.messageSize,
      binary: o.binary,
      deflate: o.deflate,
      durationMs: o.durationMs,
      timeoutMs: o.timeoutMs,
    });
    if (o.json) console.log(JSON.stringify({ runtime: runtimeName(), ...result }));
    else printWs(o, result);
    process.exit(result.messages > 0 ? 0 : 1);
  }
  const requests = buildVariants(
    { method: o.method, authority: o.url.host, target: o.target, bodySize: o.bodySize, headers: o.headers },
    o.variants,
  );
  const host = o.url.hostname.replace(/^\[|\]$/g, "");
  const port = Number(o.url.port || 80);

  if (o.idle > 0) {
    const idle = await IdleConnections.open({
      host,
      port,
      request: requests[0]!,
      method: o.method,
      count: o.idle,
      expectStatus: o.expectStatus,
      expectLength: o.expectLength,
      timeoutMs: o.timeoutMs,
    });
    const report = (event: string): void => {
      if (o.json) console.log(JSON.stringify({ event, runtime: runtimeName(), ...idle.report() }));
      else printIdle(idle.report());
    };
    report("ready");
    const done = (): void => {
      idle.close();
      process.exit(0);
    };
    process.once("SIGINT", done);
    process.once("SIGTERM", done);
    if (o.holdMs >= 0) setTimeout(done, o.holdMs);
    else {
      // Commands on stdin: "report" prints the state; "close" or the end of stdin closes all.
      const commands = createInterface({ input: process.stdin });
      commands.on("line", (line: string) => {
        const command = line.trim();
        if (command === "report") report("report");
        else if (command === "close") done();
      });
      commands.on("close", done);
    }
    return;
  }

  const { runLoad } = await import("./engine.ts");
  const result = await runLoad({
    host,
    port,
    requests,
    method: o.method,
    connections: o.connections,
    pipeline: o.pipeline,
    durationMs: o.durationMs,
    expectStatus: o.expectStatus,
    expectLength: o.expectLength,
    timeoutMs: o.timeoutMs,
  });
  if (o.json) console.log(JSON.stringify({ runtime: runtimeName(), ...result }));
  else printLoad(o, result);
  // Sockets are destroyed; exit now rather than wait for the runtime to notice.
  process.exit(result.requests > 0 ? 0 : 1);
}

await main();
