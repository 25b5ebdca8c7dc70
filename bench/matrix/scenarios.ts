/** The scenarios of the matrix. Later issues add more by adding entries here. */
import type { RuntimeName } from "./system.ts";

/** A WebSocket echo load (the built-in generator's `--ws` mode): what each connection sends. */
export interface WsSpec {
  /** Messages in flight per connection. */
  inflight: number;
  /** Payload bytes per message. */
  messageSize: number;
  binary: boolean;
  /** Offer permessage-deflate and compress every message (the servers get `--deflate`). */
  deflate: boolean;
}

/** A load: what each connection sends (HTTP/1.1, or WebSocket messages when `ws` is set). */
export interface LoadSpec {
  method: "GET" | "POST";
  /** Path; `{i}` is replaced by 0 … variants-1 (one prebuilt request per value). */
  path: string;
  variants: number;
  bodySize: number;
  connections: number;
  pipeline: number;
  /** A WebSocket load on `path` instead of HTTP requests; wrk cannot drive it. */
  ws?: WsSpec;
  /**
   * An HTTP/2 load instead (h2c by prior knowledge), driven by h2load: `connections` ×
   * `streams` concurrent streams, `GET path`.
   */
  h2?: { streams: number };
  /** Extra request fields, `[name, value]` (e.g. a Range). */
  headers?: [string, string][];
  /** The status every response must have (default 200; 206 for a Range). */
  expectStatus?: number;
  /** Response body bytes, for MB/s of a download scenario (static files). */
  responseBytes?: number;
  /**
   * Pin nothing: the servers' processes and the generator all run on every core (a multi-core server cannot have
   * one CPU to itself, and the generator none left).
   */
  unpinned?: boolean;
}

/** A native server a scenario is compared with, when not the runtime's default peer. */
export interface Peer {
  /** What it is, for the tables: "node:http2", "Bun.serve". */
  name: string;
  script: string;
  /** Extra arguments for this server. */
  args?: string[];
}

interface ScenarioBase {
  name: string;
  /** One line for the table heading. */
  title: string;
  /** With --quick (unless --runs / --duration are given): this scenario's own runs or duration. */
  quick?: { runs?: number; durationMs?: number };
  /** Not part of a plain `npm run bench`: runs only when named with --scenario (why, for the help). */
  optIn?: string;
}

/** Throughput of the reference app, wirecore vs the native server. */
export interface LoadScenario extends ScenarioBase {
  kind: "load";
  spec: LoadSpec;
  /** The headline number: requests/s, WebSocket messages/s, or echoed MB/s. */
  metric: "rps" | "msg/s" | "MB/s";
  /** Extra arguments for both servers (e.g. `--deflate`). */
  serverArgs?: string[];
  /**
   * The native servers per runtime, when not the default peer (bench/peers/<runtime>-…): wirecore
   * is compared with each, in this order; the first is the runtime's own (the chart's bar).
   */
  peers?: Record<RuntimeName, Peer[]>;
  /** Runtimes whose native server cannot serve the scenario, and why: their native row is skipped. */
  nativeMissing?: Partial<Record<RuntimeName, string>>;
  /** wirecore's server for this scenario, when not the reference app (bench/servers/wirecore.ts). */
  wirecoreScript?: string;
  /**
   * Also measure the raw ceiling (RAW_CEILING): the table then shows wirecore ÷ raw, how close
   * wirecore comes to what the runtime's socket layer allows. Only for `GET /` loads with no body.
   */
  rawCeiling?: boolean;
}

/** Resident memory per idle keep-alive connection. */
export interface IdleScenario extends ScenarioBase {
  kind: "idle";
  connections: number;
  path: string;
}

/** Request rate of one route in tables of different sizes (wirecore only). */
export interface RoutesScenario extends ScenarioBase {
  kind: "routes";
  sizes: number[];
  spec: Omit<LoadSpec, "path">;
}

export type Scenario = LoadScenario | IdleScenario | RoutesScenario;

const GET = { method: "GET", variants: 1, bodySize: 0, connections: 64, pipeline: 1 } as const;
const WS = { ...GET, path: "/ws" } as const;
/**
 * --quick budget (the whole matrix in about 3 minutes): the WebSocket runs are measured by the
 * built-in generator and h2 by h2load, which take durations in ms (wrk rounds to whole seconds),
 * so they are shorter; routes-scaling, nine servers per matrix and no ratio, gets one run per size.
 */
const QUICK_WS = { durationMs: 500 };
const QUICK_H2 = { durationMs: 500 };
/**
 * Static files (bench/servers/static-files.ts makes them): wirecore's serveStatic against each
 * runtime's idiomatic file serving — node:http + fs.createReadStream, Bun.serve + Bun.file,
 * Deno.serve + Deno.open readable.
 */
const STATIC_PEERS: Record<RuntimeName, Peer[]> = {
  node: [{ name: "node:http + createReadStream", script: "bench/peers/node-static.ts" }],
  bun: [{ name: "Bun.serve + Bun.file", script: "bench/peers/bun-static.ts" }],
  deno: [{ name: "Deno.serve + Deno.open", script: "bench/peers/deno-static.ts" }],
};
const STATIC = {
  kind: "load",
  metric: "MB/s",
  wirecoreScript: "bench/servers/wirecore-static.ts",
  peers: STATIC_PEERS,
} as const;
/**
 * The middleware stack (bench/servers/middleware-stack.ts): wirecore's native API against the
 * same stack in Hono on the runtime's own server (the ratio), and Hono served by wirecore.
 */
const HONO_NATIVE: Record<RuntimeName, string> = {
  node: "Hono + @hono/node-server",
  bun: "Hono + Bun.serve",
  deno: "Hono + Deno.serve",
};
/** What the load sends (as bench/servers/middleware-stack.ts expects): gzip, which both compress() offer. */
const STACK_HEADERS: [string, string][] = [
  ["accept-encoding", "gzip"],
  ["origin", "https://app.example"],
  ["cookie", "theme=dark; session=abc123"],
];
const HONO_ON_WIRECORE: Peer = { name: "Hono on wirecore", script: "bench/servers/hono-stack-wirecore.ts" };
const STACK_PEERS: Record<RuntimeName, Peer[]> = {
  node: [{ name: HONO_NATIVE.node, script: "bench/peers/hono-stack.ts" }, HONO_ON_WIRECORE],
  bun: [{ name: HONO_NATIVE.bun, script: "bench/peers/hono-stack.ts" }, HONO_ON_WIRECORE],
  deno: [{ name: HONO_NATIVE.deno, script: "bench/peers/hono-stack.ts" }, HONO_ON_WIRECORE],
};

/**
 * The raw ceiling per runtime: a canned-response server on the socket API wirecore's adapter
 * uses (node:net, Bun.listen, Deno.listen), no parsing (bench/peers/raw-response.ts).
 */
export const RAW_CEILING: Record<RuntimeName, Peer> = {
  node: { name: "node:net", script: "bench/peers/raw-node.ts" },
  bun: { name: "Bun.listen", script: "bench/peers/raw-bun.ts" },
  deno: { name: "Deno.listen", script: "bench/peers/raw-deno.ts" },
};

/** node:http2 (cleartext createServer), on Node and on Bun. */
const NODE_HTTP2: Peer = { name: "node:http2", script: "bench/peers/node-http2.ts" };

export const SCENARIOS: readonly Scenario[] = [
  {
    name: "plaintext",
    kind: "load",
    metric: "rps",
    title: "GET / → 13 bytes, 64 keep-alive connections",
    spec: { ...GET, path: "/" },
    rawCeiling: true,
  },
  {
    name: "plaintext-2cores",
    kind: "load",
    metric: "rps",
    title: "GET / → 13 bytes, 64 connections, servers in 2 processes sharing the port (nothing pinned)",
    spec: { ...GET, path: "/", unpinned: true },
    // wirecore: serve(app, { workers: 2 }), SO_REUSEPORT; the natives: each runtime's own way to use 2 cores.
    serverArgs: ["--workers", "2"],
    peers: {
      node: [{ name: "node:cluster + node:http", script: "bench/peers/node-cluster.ts" }],
      bun: [{ name: "Bun.serve reusePort ×2", script: "bench/peers/bun-serve.ts" }],
      deno: [{ name: "Deno.serve reusePort ×2", script: "bench/peers/deno-serve.ts" }],
    },
  },
  {
    name: "pipelined",
    kind: "load",
    metric: "rps",
    title: "GET /, 64 connections, 16 requests pipelined per write",
    spec: { ...GET, path: "/", pipeline: 16 },
    rawCeiling: true,
  },
  {
    name: "json-param",
    kind: "load",
    metric: "rps",
    title: "GET /users/:id with 1000 different ids, 64 connections",
    spec: { ...GET, path: "/users/{i}", variants: 1000 },
  },
  {
    name: "echo-4k",
    kind: "load",
    metric: "MB/s",
    title: "POST /echo, 4 KiB bodies streamed back, 64 connections",
    spec: { ...GET, method: "POST", path: "/echo", bodySize: 4096 },
  },
  {
    name: "echo-1m",
    kind: "load",
    metric: "MB/s",
    title: "POST /echo, 1 MiB bodies streamed back, 64 connections",
    spec: { ...GET, method: "POST", path: "/echo", bodySize: 1 << 20 },
  },
  {
    name: "conns-1024",
    kind: "load",
    metric: "rps",
    title: "GET /, 1024 keep-alive connections",
    spec: { ...GET, path: "/", connections: 1024 },
  },
  {
    name: "ws-echo-13b",
    kind: "load",
    metric: "msg/s",
    title: "WebSocket echo at /ws: 13-byte text messages, 64 connections × 16 in flight",
    spec: { ...WS, ws: { inflight: 16, messageSize: 13, binary: false, deflate: false } },
    quick: QUICK_WS,
  },
  {
    name: "ws-echo-4k",
    kind: "load",
    metric: "MB/s",
    title: "WebSocket echo at /ws: 4 KiB binary messages, 64 connections × 16 in flight",
    spec: { ...WS, ws: { inflight: 16, messageSize: 4096, binary: true, deflate: false } },
    quick: QUICK_WS,
  },
  {
    name: "ws-echo-deflate",
    kind: "load",
    metric: "MB/s",
    title:
      "WebSocket echo at /ws with permessage-deflate on both sides: 4 KiB text messages, 64 connections × 16 in flight",
    spec: { ...WS, ws: { inflight: 16, messageSize: 4096, binary: false, deflate: true } },
    serverArgs: ["--deflate"],
    quick: QUICK_WS,
    nativeMissing: { deno: "Deno.upgradeWebSocket has no permessage-deflate: ratio n/a" },
  },
  {
    name: "h2",
    kind: "load",
    metric: "rps",
    title: "HTTP/2 (h2c by prior knowledge): GET / → 13 bytes, 16 connections × 32 streams, h2load",
    spec: { ...GET, path: "/", connections: 16, h2: { streams: 32 } },
    peers: {
      node: [NODE_HTTP2],
      bun: [{ name: "Bun.serve", script: "bench/peers/bun-serve.ts", args: ["--http2"] }, NODE_HTTP2],
      deno: [{ name: "Deno.serve", script: "bench/peers/deno-serve.ts" }],
    },
    quick: QUICK_H2,
  },
  {
    name: "middleware-stack",
    kind: "load",
    metric: "rps",
    title:
      "GET /api/items (4 KiB JSON, gzip) behind request id + access log + CORS + cookies + compress, 64 connections",
    spec: { ...GET, path: "/api/items", headers: STACK_HEADERS },
    wirecoreScript: "bench/servers/wirecore-stack.ts",
    peers: STACK_PEERS,
  },
  {
    ...STATIC,
    name: "static-file-64k",
    title: "GET /static/64k.bin (64 KiB file from disk), 64 connections",
    spec: { ...GET, path: "/static/64k.bin", responseBytes: 64 << 10 },
  },
  {
    ...STATIC,
    name: "static-file-64k-range",
    title: "GET /static/64k.bin with Range: bytes=1000-17383 (16 KiB, 206), 64 connections",
    spec: {
      ...GET,
      path: "/static/64k.bin",
      headers: [["range", "bytes=1000-17383"]],
      expectStatus: 206,
      responseBytes: 16 << 10,
    },
  },
  {
    ...STATIC,
    name: "static-file-10m",
    title: "GET /static/10m.bin (10 MiB file from disk), 16 connections",
    spec: { ...GET, path: "/static/10m.bin", connections: 16, responseBytes: 10 << 20 },
  },
  {
    ...STATIC,
    name: "static-file-10m-range",
    title: "GET /static/10m.bin with Range: bytes=1048576-2097151 (1 MiB, 206), 16 connections",
    spec: {
      ...GET,
      path: "/static/10m.bin",
      connections: 16,
      headers: [["range", "bytes=1048576-2097151"]],
      expectStatus: 206,
      responseBytes: 1 << 20,
    },
  },
  {
    name: "idle-memory",
    kind: "idle",
    title: "RSS growth per idle keep-alive connection (10 000, one GET each); lower is better",
    connections: 10_000,
    path: "/",
  },
  {
    name: "idle-100k",
    kind: "idle",
    title: "Server RSS with 100 000 idle keep-alive connections (one GET each), measured up to the open-file limit",
    connections: 100_000,
    path: "/",
    optIn: "opens 100 000 connections (or as many as the open-file limit allows, then scales)",
  },
  {
    name: "routes-scaling",
    kind: "routes",
    title: "GET of a parametric route in the middle of 10 / 1 000 / 10 000 routes, 64 connections",
    sizes: [10, 1_000, 10_000],
    spec: GET,
    quick: { runs: 1 },
  },
];
