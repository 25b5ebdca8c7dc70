/**
 * A micro-benchmark of the codec hot paths, with no socket: the HTTP/1.1 request parser on a few
 * typical heads, the WebSocket frame parser on small frames, whole and split across reads, and
 * HPACK decoding and encoding of a browser's request fields once they are in the dynamic table.
 * It exists to compare a change to a parser before and after on each runtime; the server-level
 * numbers are `npm run bench`'s.
 *
 * ```sh
 * node bench/micro/codecs.ts                 # 20 rounds × 50,000 iterations per case
 * bun bench/micro/codecs.ts --rounds 40 --n 25000
 * deno run -A bench/micro/codecs.ts
 * # Another checkout of core/ (e.g. `git archive main core | tar -x -C /tmp/base`):
 * node bench/micro/codecs.ts --core /tmp/base --case http1
 * ```
 *
 * Prints one line per case: nanoseconds of CPU time per iteration (best round) and the runtime. For an A/B
 * comparison alternate processes (this tree, `--core` the other, again…) and take each case's
 * best: two copies of a parser in one process share the engine's feedback and skew each other.
 * @module
 */

const argv: string[] = (globalThis as { process?: { argv: string[] } }).process?.argv ??
  (globalThis as unknown as { Deno: { args: string[] } }).Deno.args;
function option(name: string): string | undefined {
  const at = argv.indexOf(name);
  return at >= 0 ? argv[at + 1] : undefined;
}
/** Iterations per round; the score is the best round, so short rounds dodge preemption on a busy machine. */
const N = Number(option("--n") ?? 50_000);
const ROUNDS = Number(option("--rounds") ?? 20);
const root = option("--core");
/** Only the cases whose name contains this. */
const only = option("--case");

interface Codecs {
  // deno-lint-ignore no-explicit-any
  RequestParser: new (events: any) => { execute(b: Uint8Array): number; error: unknown };
  // deno-lint-ignore no-explicit-any
  FrameParser: new (events: any) => { push(b: Uint8Array): unknown };
  HpackDecoder: new () => { decode(block: Uint8Array): string[] };
  HpackEncoder: new () => { encode(fields: string[], out: unknown): void };
  BlockBuffer: new () => { view(): Uint8Array; reset(): void };
}
async function load(root: URL): Promise<Codecs> {
  const http1 = await import(new URL("core/http1/request-parser.ts", root).href);
  const ws = await import(new URL("core/ws/frame-parser.ts", root).href);
  const hpack = await import(new URL("core/hpack/mod.ts", root).href);
  return {
    RequestParser: http1.RequestParser,
    FrameParser: ws.FrameParser,
    HpackDecoder: hpack.HpackDecoder,
    HpackEncoder: hpack.HpackEncoder,
    BlockBuffer: hpack.BlockBuffer,
  };
}

const runtime = "Bun" in globalThis ? "bun" : "Deno" in globalThis ? "deno" : "node";
const enc = new TextEncoder();

const CURL = enc.encode("GET / HTTP/1.1\r\nHost: 127.0.0.1:3000\r\nUser-Agent: curl/8.5.0\r\nAccept: */*\r\n\r\n");
const BROWSER = enc.encode(
  "GET /users/42?tab=posts&page=2 HTTP/1.1\r\n" +
    "Host: example.com\r\n" +
    "Connection: keep-alive\r\n" +
    "User-Agent: Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/126.0 Safari/537.36\r\n" +
    "Accept: text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8\r\n" +
    "Accept-Encoding: gzip, deflate, br\r\n" +
    "Accept-Language: en-US,en;q=0.9\r\n" +
    "Cookie: session=abcdef0123456789; theme=dark\r\n" +
    "Referer: https://example.com/users\r\n" +
    "Sec-Fetch-Mode: navigate\r\n" +
    "Cache-Control: max-age=0\r\n\r\n",
);
const POST = enc.encode(
  "POST /echo HTTP/1.1\r\nHost: a\r\nContent-Type: application/json\r\nContent-Length: 13\r\n\r\n" +
    '{"hello":"1"}',
);
const CHUNKED = enc.encode(
  "POST /up HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: chunked\r\n\r\n5\r\nhello\r\n6\r\n world\r\n0\r\n\r\n",
);
const PIPELINED = enc.encode("GET / HTTP/1.1\r\nHost: a\r\n\r\n".repeat(16));

let sink = 0;
const events = {
  onHead(head: { method: string }): void {
    sink += head.method.length;
  },
  onBody(chunk: Uint8Array): void {
    sink += chunk.length;
  },
  onMessageComplete(): void {
    sink++;
  },
};

function parseAll(parser: { execute(b: Uint8Array): number; error: unknown }, bytes: Uint8Array): void {
  let rest = bytes;
  while (rest.length > 0) {
    const n = parser.execute(rest);
    if (n < 0) throw parser.error;
    rest = rest.subarray(n);
  }
}

/** A masked client frame (RFC 6455 §5.2) with a zero key, so unmasking in place changes nothing. */
function maskedFrame(opcode: number, payload: Uint8Array): Uint8Array {
  const len = payload.length;
  const header = len < 126 ? 2 : len < 0x10000 ? 4 : 10;
  const out = new Uint8Array(header + 4 + len);
  out[0] = 0x80 | opcode;
  if (len < 126) out[1] = 0x80 | len;
  else if (len < 0x10000) {
    out[1] = 0x80 | 126;
    out[2] = len >>> 8;
    out[3] = len & 0xff;
  } else {
    out[1] = 0x80 | 127;
    new DataView(out.buffer).setUint32(6, len);
  }
  out.set(payload, header + 4);
  return out;
}

const wsEvents = {
  onMessage(_opcode: number, payload: Uint8Array): void {
    sink += payload.length;
  },
  onPing(): void {},
  onPong(): void {},
  onClose(): void {},
};
const TEXT_13 = maskedFrame(1, enc.encode("Hello, World!"));
const TEXT_BATCH = (() => {
  const one = TEXT_13;
  const out = new Uint8Array(one.length * 16);
  for (let i = 0; i < 16; i++) out.set(one, i * one.length);
  return out;
})();
const BINARY_4K = maskedFrame(2, new Uint8Array(4096).fill(0x61));
const BINARY_300 = maskedFrame(2, new Uint8Array(300).fill(0x62));

interface Case {
  name: string;
  /** One iteration; the score is per iteration (see `perIteration`). */
  run: () => void;
}

const H2_FIELDS = [
  ":method",
  "GET",
  ":scheme",
  "https",
  ":authority",
  "example.com",
  ":path",
  "/users/42?tab=posts&page=2",
  "user-agent",
  "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/126.0 Safari/537.36",
  "accept",
  "text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8",
  "accept-encoding",
  "gzip, deflate, br",
  "accept-language",
  "en-US,en;q=0.9",
  "cookie",
  "session=abcdef0123456789; theme=dark",
  "sec-fetch-mode",
  "navigate",
];

function makeCases({ RequestParser, FrameParser, HpackDecoder, HpackEncoder, BlockBuffer }: Codecs): Case[] {
  const cases: Case[] = [];
  {
    const p = new RequestParser(events);
    cases.push({ name: "http1 head: curl GET", run: () => parseAll(p, CURL) });
  }
  {
    const p = new RequestParser(events);
    cases.push({ name: "http1 head: browser GET, 10 fields", run: () => parseAll(p, BROWSER) });
  }
  {
    const p = new RequestParser(events);
    cases.push({ name: "http1 POST, Content-Length body", run: () => parseAll(p, POST) });
  }
  {
    const p = new RequestParser(events);
    cases.push({ name: "http1 POST, chunked body", run: () => parseAll(p, CHUNKED) });
  }
  {
    const p = new RequestParser(events);
    cases.push({ name: "http1 16 pipelined GETs (per GET)", run: () => parseAll(p, PIPELINED) });
  }
  {
    const p = new FrameParser(wsEvents);
    cases.push({ name: "ws 13 B text frame", run: () => void p.push(TEXT_13) });
  }
  {
    const p = new FrameParser(wsEvents);
    cases.push({ name: "ws 16 × 13 B frames in one read (per frame)", run: () => void p.push(TEXT_BATCH) });
  }
  {
    const p = new FrameParser(wsEvents);
    cases.push({ name: "ws 4 KiB binary frame", run: () => void p.push(BINARY_4K) });
  }
  {
    // Every header split: 1-byte reads through the header, then the payload in one read.
    const p = new FrameParser(wsEvents);
    const f = BINARY_300;
    const pieces = [
      f.subarray(0, 1),
      f.subarray(1, 2),
      f.subarray(2, 3),
      f.subarray(3, 5),
      f.subarray(5, 8),
      f.subarray(8),
    ];
    cases.push({
      name: "ws 300 B frame, header split in 5 reads",
      run: () => {
        for (const piece of pieces) p.push(piece);
      },
    });
  }
  {
    // The second request of a connection: every field is in the dynamic table by now.
    const encoder = new HpackEncoder();
    const decoder = new HpackDecoder();
    const out = new BlockBuffer();
    encoder.encode(H2_FIELDS, out);
    decoder.decode(out.view().slice());
    out.reset();
    encoder.encode(H2_FIELDS, out);
    const block = out.view().slice();
    cases.push({
      name: "hpack decode: 10 browser fields, indexed",
      run: () => void (sink += decoder.decode(block).length),
    });
    cases.push({
      name: "hpack encode: 10 browser fields, indexed",
      run: () => {
        out.reset();
        encoder.encode(H2_FIELDS, out);
      },
    });
  }
  return cases;
}

const perIteration: Record<string, number> = {
  "http1 16 pipelined GETs (per GET)": 16,
  "ws 16 × 13 B frames in one read (per frame)": 16,
};

/**
 * Milliseconds of CPU this process spent (user + system) where the runtime tells, else wall
 * time: on a shared machine, time spent descheduled is not the parser's.
 */
const cpuUsage = (globalThis as { process?: { cpuUsage?: () => { user: number; system: number } } }).process
  ?.cpuUsage;
function clock(): number {
  if (cpuUsage === undefined) return performance.now();
  const { user, system } = cpuUsage();
  return (user + system) / 1000;
}

function time(c: Case): number {
  const t0 = clock();
  for (let i = 0; i < N; i++) c.run();
  return clock() - t0;
}

const here = root === undefined ? new URL("../../", import.meta.url) : new URL(`file://${root.replace(/\/?$/, "/")}`);
const cases = makeCases(await load(here));
for (const c of cases) {
  if (only !== undefined && !c.name.includes(only)) continue;
  for (let i = 0; i < Math.min(N, 100_000); i++) c.run(); // warm-up
  let best = Infinity;
  for (let r = 0; r < ROUNDS; r++) best = Math.min(best, time(c));
  const ns = (best * 1e6) / N / (perIteration[c.name] ?? 1);
  console.log(`${runtime.padEnd(5)} ${c.name.padEnd(46)} ${ns.toFixed(1).padStart(8)} ns`);
}
if (sink === 0) console.log("(nothing parsed?)");
