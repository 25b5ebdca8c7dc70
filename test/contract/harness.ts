/**
 * The runner-neutral harness of the contract suite. Each runtime's test file passes its own
 * `describe`/`it`/hooks and its adapter's `serve`; the cases use only `node:assert/strict`,
 * `node:net` and `fetch`, which Node, Bun and Deno all have. Also here: what every case file
 * needs — a server per describe block, a raw TCP client, and waiting with a deadline.
 */
import { connect, type Socket } from "node:net";
import type { Server } from "../../core/server/server.ts";
import type { ServeOptions } from "../../core/server/options.ts";
import type { ServeTarget } from "../../core/app/serve-target.ts";

type Body = () => void | Promise<void>;

/** The test API of a runner (vitest, bun:test, node:test under Deno). */
export interface TestApi {
  describe(name: string, body: () => void): void;
  it(name: string, body: Body, timeoutMs?: number): void;
  beforeAll(body: Body): void;
  afterAll(body: Body): void;
}

/** A fetch handler as the runtimes' own servers call it: the second argument is theirs. */
export type NativeHandler = (
  request: Request,
  info: unknown,
) => Response | undefined | Promise<Response | undefined>;

/** A runtime's own server, running a fetch handler on 127.0.0.1. */
export interface NativeServer {
  readonly port: number;
  close(): Promise<void>;
}

/** A Hono `getConnInfo` result (hono/conninfo's ConnInfo). */
export interface ConnInfo {
  remote: { address?: string; port?: number; addressType?: string; transport?: string };
}

/**
 * The runtime's own Hono adapter helpers: `hono/bun`, `hono/deno`, or `@hono/node-server`.
 * They can only be imported on their runtime, so each test entry brings its own.
 */
export interface HonoAdapter {
  /** Where the helpers come from, e.g. "hono/bun". */
  name: string;
  getConnInfo(c: unknown): ConnInfo;
  /** The adapter's `upgradeWebSocket`, with why it is missing when it is. */
  upgradeWebSocket: ((createEvents: (c: never) => unknown) => unknown) | { missing: string };
  /** The Bun.serve `websocket` handlers that go with hono/bun's `upgradeWebSocket`. */
  websocket?: unknown;
}

/** The runtime under test. */
export interface Runtime {
  name: "node" | "bun" | "deno";
  serve(target: ServeTarget, options?: ServeOptions): Server;
  /**
   * Run `handler` on the runtime's own server, the reference the fetch-path cases compare with:
   * Bun.serve, Deno.serve, and on Node `@hono/node-server` (node:http with a fetch bridge).
   * `websocket` is Bun.serve's `websocket` option (ignored elsewhere).
   */
  nativeServe(handler: NativeHandler, websocket?: unknown): Promise<NativeServer>;
  /** The name of that server, for test names: "Bun.serve", "Deno.serve", "@hono/node-server". */
  nativeName: string;
  /** The runtime's Hono adapter helpers, for the cases of the fetch handler's second argument. */
  hono: HonoAdapter;
}

/** Start a server on a free port of 127.0.0.1 and wait until it listens. */
export async function start(runtime: Runtime, target: ServeTarget, options: ServeOptions = {}): Promise<Server> {
  const server = runtime.serve(target, { port: 0, hostname: "127.0.0.1", onError: () => {}, ...options });
  await server.ready;
  return server;
}

/** A server of a describe block, reachable once its `beforeAll` has run. */
export interface Served {
  readonly server: Server;
  readonly port: number;
  /** `http://127.0.0.1:port`. */
  readonly url: string;
}

/** One server for the enclosing describe block: started in beforeAll, closed in afterAll. */
export function useServer(t: TestApi, runtime: Runtime, target: () => ServeTarget, options: ServeOptions = {}): Served {
  let server: Server | null = null;
  t.beforeAll(async () => {
    server = await start(runtime, target(), options);
  });
  t.afterAll(async () => {
    await server?.close();
  });
  return {
    get server(): Server {
      if (server === null) throw new Error("server not started");
      return server;
    },
    get port(): number {
      return this.server.address.port;
    },
    get url(): string {
      return `http://127.0.0.1:${this.port}`;
    },
  };
}

export function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

/** Resolves once `check()` holds (polled every 5 ms), or rejects after `timeoutMs`. */
export async function waitFor(check: () => boolean, what: string, timeoutMs = 5000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!check()) {
    if (Date.now() > deadline) throw new Error(`Timed out waiting for: ${what}`);
    await sleep(5);
  }
}

/** Resolves once `socket` connects; rejects on an error first. */
export function connected(socket: Socket): Promise<void> {
  return new Promise((resolve, reject) => {
    socket.once("connect", () => resolve());
    socket.once("error", reject);
  });
}

/**
 * Lets a test client's readers wait for its socket's next event (data, end, close) without
 * polling: the socket handlers call `wake()`, a reader awaits `next(ms)`.
 */
export class Wakeup {
  #waiters: (() => void)[] = [];

  /** Resolve every pending `next`. */
  wake(): void {
    const waiters = this.#waiters;
    this.#waiters = [];
    for (const wake of waiters) wake();
  }

  /** Resolves on the next `wake()`, or after `ms`. */
  next(ms: number): Promise<void> {
    return new Promise((resolve) => {
      const timer = setTimeout(resolve, ms);
      this.#waiters.push(() => {
        clearTimeout(timer);
        resolve();
      });
    });
  }
}

/** A raw TCP client: write bytes, collect everything the server sends until it closes or a predicate holds. */
export class RawClient {
  readonly socket: Socket;
  #chunks: Uint8Array[] = [];
  #received = 0;
  closed = false;
  readonly #wakeup = new Wakeup();
  readonly ready: Promise<void>;

  constructor(port: number) {
    this.socket = connect({ port, host: "127.0.0.1", noDelay: true });
    this.ready = connected(this.socket);
    this.socket.on("data", (chunk: Uint8Array) => {
      this.#chunks.push(new Uint8Array(chunk));
      this.#received += chunk.length;
      this.#wakeup.wake();
    });
    this.socket.on("error", () => {});
    this.socket.on("close", () => {
      this.closed = true;
      this.#wakeup.wake();
    });
  }

  static async open(port: number): Promise<RawClient> {
    const client = new RawClient(port);
    await client.ready;
    return client;
  }

  /** Bytes received so far. */
  get received(): number {
    return this.#received;
  }

  write(data: string | Uint8Array): Promise<void> {
    return new Promise((resolve, reject) => this.socket.write(data, (error) => (error ? reject(error) : resolve())));
  }

  /** Everything received so far, as latin1 text. */
  text(): string {
    let out = "";
    for (const chunk of this.#chunks) for (let i = 0; i < chunk.length; i++) out += String.fromCharCode(chunk[i]!);
    return out;
  }

  /** Wait until `predicate(text so far)` holds, or the connection closes, or the time runs out. */
  async until(predicate: (text: string) => boolean, timeoutMs = 5000): Promise<string> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const text = this.text();
      if (predicate(text) || this.closed) return text;
      const left = deadline - Date.now();
      if (left <= 0) throw new Error(`Timed out waiting; received so far: ${JSON.stringify(text.slice(0, 500))}`);
      await this.#wakeup.next(left);
    }
  }

  /** Wait for the server to close the connection; returns everything received. */
  untilClosed(timeoutMs = 5000): Promise<string> {
    return this.until(() => false, timeoutMs).catch((error) => {
      throw new Error(`Server did not close the connection: ${(error as Error).message}`);
    });
  }

  close(): void {
    this.socket.destroy();
  }
}

/** Count complete HTTP/1.1 responses with Content-Length in a text (heads and bodies). */
export function countResponses(text: string): number {
  let count = 0;
  let at = 0;
  for (;;) {
    const end = text.indexOf("\r\n\r\n", at);
    if (end < 0) return count;
    const head = text.slice(at, end);
    const match = /\r\ncontent-length: *(\d+)/i.exec(head);
    const length = match ? Number(match[1]) : 0;
    if (text.length < end + 4 + length) return count;
    count++;
    at = end + 4 + length;
  }
}
