/**
 * A real `redis-server` for tests (Debian package `redis-server`; scripts/preflight.ts installs it):
 * started on a free port of 127.0.0.1 with no persistence (no RDB, no AOF, a throwaway working
 * directory), ready once it answers PING, stopped or restarted on the same port. Works on Node,
 * Bun and Deno (node:child_process, node:net). Shared by every test that needs Redis (session
 * store, rate-limit store, pub/sub backplane).
 *
 * ```ts
 * const redis = await RedisServer.start();
 * // … createClient({ url: redis.url }) …
 * await redis.restart(); // same port, empty data (nothing is persisted)
 * await redis.stop();
 * ```
 */
import { type ChildProcess, spawn } from "node:child_process";
import { accessSync, constants, mkdtempSync, rmSync } from "node:fs";
import { connect, createServer } from "node:net";
import { tmpdir } from "node:os";
import { delimiter, join } from "node:path";
import process from "node:process";

/** The one command that brings the binary on Debian/Ubuntu. */
export const REDIS_INSTALL_COMMAND = "sudo apt-get install -y redis-server";

/** Options of {@link RedisServer.start}. */
export interface RedisServerOptions {
  /** A fixed port; a free one (retried if taken in the meantime) unless given. */
  port?: number;
  /** How long to wait for the first PONG, in ms; 10 s unless given. */
  readyTimeoutMs?: number;
  /** More `redis-server` arguments, e.g. `["--maxmemory", "10mb"]`. */
  args?: readonly string[];
}

/**
 * The path of `redis-server` in `dirs` (PATH, then /usr/bin, /usr/sbin, /usr/local/bin); throws
 * naming the install command when it is missing.
 */
export function findRedisServer(
  dirs: readonly string[] = [...(process.env.PATH ?? "").split(delimiter), "/usr/bin", "/usr/sbin", "/usr/local/bin"],
): string {
  for (const dir of dirs) {
    if (dir === "") continue;
    const path = join(dir, "redis-server");
    try {
      accessSync(path, constants.X_OK);
      return path;
    } catch {
      // not here
    }
  }
  throw new Error(`redis-server is not installed; the Redis tests need it: ${REDIS_INSTALL_COMMAND}`);
}

/** A TCP port free on 127.0.0.1 right now (the OS picks it; another process may still take it). */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once("error", reject);
    server.listen(0, "127.0.0.1", () => {
      const address = server.address();
      const port = typeof address === "object" && address !== null ? address.port : 0;
      server.close(() => (port > 0 ? resolve(port) : reject(new Error("no port from the OS"))));
    });
  });
}

/** Resolves when the Redis on `port` answers one PING with +PONG; rejects on any failure. */
export function pingOnce(port: number, timeoutMs = 1000): Promise<void> {
  return new Promise((resolve, reject) => {
    const socket = connect(port, "127.0.0.1");
    let reply = "";
    const done = (error?: Error): void => {
      clearTimeout(timer);
      socket.destroy();
      if (error === undefined) resolve();
      else reject(error);
    };
    const timer = setTimeout(() => done(new Error(`no PONG within ${timeoutMs} ms`)), timeoutMs);
    socket.setEncoding("latin1");
    socket.once("connect", () => socket.write("*1\r\n$4\r\nPING\r\n"));
    socket.on("data", (chunk: string) => {
      reply += chunk;
      if (reply.includes("\r\n")) {
        done(reply.startsWith("+PONG") ? undefined : new Error(`PING answered ${reply.trim()}`));
      }
    });
    socket.once("error", (error) => done(error));
    socket.once("close", () => done(new Error("connection closed before PONG")));
  });
}

const running = new Set<ChildProcess>();
let exitHookInstalled = false;
/** A test run that dies leaves no redis-server behind. */
function installExitHook(): void {
  if (exitHookInstalled) return;
  exitHookInstalled = true;
  process.once("exit", () => {
    for (const child of running) child.kill("SIGKILL");
  });
}

/** One `redis-server` process (and its port, which a restart keeps). */
export class RedisServer {
  readonly port: number;
  readonly #binary: string;
  readonly #options: RedisServerOptions;
  #child: ChildProcess | null = null;
  #dir: string | null = null;
  #output = "";

  private constructor(binary: string, port: number, options: RedisServerOptions) {
    this.#binary = binary;
    this.port = port;
    this.#options = options;
  }

  /** Start a server and wait until it answers PING. Fails (never skips) when redis-server is missing. */
  static async start(options: RedisServerOptions = {}): Promise<RedisServer> {
    const binary = findRedisServer();
    const attempts = options.port === undefined ? 5 : 1;
    let lastError: unknown;
    for (let i = 0; i < attempts; i++) {
      const server = new RedisServer(binary, options.port ?? await freePort(), options);
      try {
        await server.#launch();
        return server;
      } catch (error) {
        lastError = error; // most likely the free port was taken meanwhile: try another
        await server.stop();
      }
    }
    throw lastError;
  }

  /** `redis://127.0.0.1:<port>`, for `createClient({ url })`. */
  get url(): string {
    return `redis://127.0.0.1:${this.port}`;
  }

  /** Whether the process is up. */
  get running(): boolean {
    return this.#child !== null;
  }

  /** Stop the process (SIGTERM, SIGKILL after 5 s) and remove its working directory. Idempotent. */
  async stop(): Promise<void> {
    const child = this.#child;
    this.#child = null;
    if (child !== null) {
      running.delete(child);
      if (child.exitCode === null && child.signalCode === null) {
        const exited = new Promise<void>((resolve) => child.once("exit", () => resolve()));
        child.kill("SIGTERM");
        const timer = setTimeout(() => child.kill("SIGKILL"), 5000);
        await exited;
        clearTimeout(timer);
      }
    }
    if (this.#dir !== null) rmSync(this.#dir, { recursive: true, force: true });
    this.#dir = null;
  }

  /** Stop, then start again on the same port (empty: nothing was persisted). */
  async restart(): Promise<void> {
    await this.stop();
    await this.#launch();
  }

  async #launch(): Promise<void> {
    this.#dir = mkdtempSync(join(tmpdir(), "wirecore-redis-"));
    this.#output = "";
    const child = spawn(this.#binary, [
      "--port",
      String(this.port),
      "--bind",
      "127.0.0.1",
      "--save",
      "",
      "--appendonly",
      "no",
      "--dir",
      this.#dir,
      "--daemonize",
      "no",
      "--loglevel",
      "warning",
      ...(this.#options.args ?? []),
    ], { stdio: ["ignore", "pipe", "pipe"] });
    this.#child = child;
    running.add(child);
    installExitHook();
    const keep = (chunk: Buffer): void => {
      this.#output = (this.#output + chunk.toString("latin1")).slice(-4000);
    };
    child.stdout!.on("data", keep);
    child.stderr!.on("data", keep);
    let exited = false;
    let spawnError: Error | null = null;
    child.once("exit", () => (exited = true));
    child.once("error", (error) => (spawnError = error));
    const deadline = Date.now() + (this.#options.readyTimeoutMs ?? 10_000);
    for (;;) {
      if (spawnError !== null) throw new Error(`redis-server did not start: ${(spawnError as Error).message}`);
      if (exited) {
        throw new Error(`redis-server on port ${this.port} exited at start:\n${this.#output.trim()}`);
      }
      try {
        await pingOnce(this.port, 500);
        return;
      } catch (error) {
        if (Date.now() > deadline) {
          throw new Error(
            `redis-server on port ${this.port} gave no PONG in time (${(error as Error).message}):\n` +
              this.#output.trim(),
          );
        }
        await new Promise((resolve) => setTimeout(resolve, 20));
      }
    }
  }
}
