/**
 * The runner-neutral harness of the contract suite. Each runtime's test file passes its own
 * `describe`/`it`/hooks and its adapter's `serve`; the cases use only `node:assert/strict`,
 * `node:net` and `fetch`, which Node, Bun and Deno all have.
 */
import { connect, type Socket } from "node:net";
import type { Server } from "../../core/server/server.ts";
import type { ServeOptions } from "../../core/server/options.ts";
import type { ServeTarget } from "../../core/server/server-core.ts";

type Body = () => void | Promise<void>;

/** The test API of a runner (vitest, bun:test, node:test under Deno). */
export interface TestApi {
  describe(name: string, body: () => void): void;
  it(name: string, body: Body, timeoutMs?: number): void;
  beforeAll(body: Body): void;
  afterAll(body: Body): void;
}

/** The runtime under test. */
export interface Runtime {
  name: "node" | "bun" | "deno";
  serve(target: ServeTarget, options?: ServeOptions): Server;
}

/** Start a server on a free port of 127.0.0.1 and wait until it listens. */
export async function start(runtime: Runtime, target: ServeTarget, options: ServeOptions = {}): Promise<Server> {
  const server = runtime.serve(target, { port: 0, hostname: "127.0.0.1", onError: () => {}, ...options });
  await server.ready;
  return server;
}

/** A raw TCP client: write bytes, collect everything the server sends until it closes or a predicate holds. */
export class RawClient {
  readonly socket: Socket;
  #chunks: Uint8Array[] = [];
  #received = 0;
  closed = false;
  #waiters: (() => void)[] = [];
  readonly ready: Promise<void>;

  constructor(port: number) {
    this.socket = connect({ port, host: "127.0.0.1", noDelay: true });
    this.ready = new Promise((resolve, reject) => {
      this.socket.once("connect", () => resolve());
      this.socket.once("error", reject);
    });
    this.socket.on("data", (chunk: Uint8Array) => {
      this.#chunks.push(new Uint8Array(chunk));
      this.#received += chunk.length;
      this.#wake();
    });
    this.socket.on("error", () => {});
    this.socket.on("close", () => {
      this.closed = true;
      this.#wake();
    });
  }

  #wake(): void {
    const waiters = this.#waiters;
    this.#waiters = [];
    for (const w of waiters) w();
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
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, left);
        this.#waiters.push(() => {
          clearTimeout(timer);
          resolve();
        });
      });
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
