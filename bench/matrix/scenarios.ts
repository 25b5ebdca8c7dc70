/** The scenarios of the matrix. Later issues add more (ws-echo, h2, …) by adding entries here. */

/** An HTTP/1.1 load: what each connection sends. */
export interface LoadSpec {
  method: "GET" | "POST";
  /** Path; `{i}` is replaced by 0 … variants-1 (one prebuilt request per value). */
  path: string;
  variants: number;
  bodySize: number;
  connections: number;
  pipeline: number;
}

interface ScenarioBase {
  name: string;
  /** One line for the table heading. */
  title: string;
}

/** Throughput of the reference app, wirecore vs the native server. */
export interface LoadScenario extends ScenarioBase {
  kind: "load";
  spec: LoadSpec;
  /** The headline number: requests/s, or echoed MB/s. */
  metric: "rps" | "MB/s";
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

export const SCENARIOS: readonly Scenario[] = [
  { name: "plaintext", kind: "load", metric: "rps", title: "GET / → 13 bytes, 64 keep-alive connections", spec: { ...GET, path: "/" } },
  { name: "pipelined", kind: "load", metric: "rps", title: "GET /, 64 connections, 16 requests pipelined per write", spec: { ...GET, path: "/", pipeline: 16 } },
  { name: "json-param", kind: "load", metric: "rps", title: "GET /users/:id with 1000 different ids, 64 connections", spec: { ...GET, path: "/users/{i}", variants: 1000 } },
  { name: "echo-4k", kind: "load", metric: "MB/s", title: "POST /echo, 4 KiB bodies streamed back, 64 connections", spec: { ...GET, method: "POST", path: "/echo", bodySize: 4096 } },
  { name: "echo-1m", kind: "load", metric: "MB/s", title: "POST /echo, 1 MiB bodies streamed back, 64 connections", spec: { ...GET, method: "POST", path: "/echo", bodySize: 1 << 20 } },
  { name: "conns-1024", kind: "load", metric: "rps", title: "GET /, 1024 keep-alive connections", spec: { ...GET, path: "/", connections: 1024 } },
  { name: "idle-memory", kind: "idle", title: "RSS growth per idle keep-alive connection (10 000, one GET each); lower is better", connections: 10_000, path: "/" },
  { name: "routes-scaling", kind: "routes", title: "GET of a parametric route in the middle of 10 / 1 000 / 10 000 routes, 64 connections", sizes: [10, 1_000, 10_000], spec: GET },
];
