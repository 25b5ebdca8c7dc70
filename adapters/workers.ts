/**
 * `serve(app, { workers: n })` on every runtime: the calling process becomes the primary, starts n worker processes
 * running the same entry, and supervises them; each worker listens on the same port with `SO_REUSEPORT`, so the
 * Linux kernel spreads new connections over them. Built on `node:child_process` with an IPC channel, which Node, Bun
 * and Deno all have; the adapters differ only in how they re-run their entry ({@link WorkerCommand}) and how they set
 * `SO_REUSEPORT` (the `reusePort` listen option). See docs/workers.md.
 * @module
 */
import { type ChildProcess, spawn } from "node:child_process";
import { createServer } from "node:net";
import { availableParallelism } from "node:os";
import process from "node:process";
import {
  checkListenTarget,
  createServerCore,
  type ListenTarget,
  ServeError,
  type ServeErrorCode,
  type ServeOptions,
  Server,
  type ServerAddress,
  type ServeTarget,
} from "../core/mod.ts";

/** Marks a worker process and its index (0-based); the primary sets it for each worker it starts. */
export const WORKER_ENV = "WIRECORE_WORKER";
/** The port the primary chose for its workers (it picks one when asked for port 0). */
export const WORKER_PORT_ENV = "WIRECORE_WORKER_PORT";

/** How to start this same program again: the runtime's executable and its arguments. */
export interface WorkerCommand {
  command: string;
  args: string[];
}

/** How a runtime re-runs its entry for a worker that will listen on `where`. */
export type WorkerCommandFactory = (where: ListenTarget) => WorkerCommand;

/** One runtime's `serve` without workers. */
export type ServeOne = (target: ServeTarget, options: ServeOptions) => Server;

/** Messages a worker sends its primary over the IPC channel. */
type WorkerMessage =
  | { type: "ready"; hostname: string; port: number }
  | { type: "failed"; code: ServeErrorCode; message: string };

/** Restarts allowed per worker slot within {@link RESTART_WINDOW_MS}; past that the slot stays empty. */
const MAX_RESTARTS = 10;
const RESTART_WINDOW_MS = 60_000;
/** Backoff before restart k (0-based) of a slot: 100 ms doubling, at most 5 s. */
const restartDelay = (k: number): number => Math.min(100 * 2 ** k, 5_000);
/** How long the primary waits, past `shutdownTimeout`, for a worker to exit before it kills it. */
const EXIT_GRACE_MS = 2_000;

/** This process's worker index when a wirecore primary started it, else `undefined`. */
export function workerIndex(): number | undefined {
  const mark = process.env[WORKER_ENV];
  return mark === undefined || !/^\d+$/.test(mark) ? undefined : Number(mark);
}

/** `workers` as a count: `"auto"` is the number of cores this process may use. */
export function workerCount(workers: number | "auto"): number {
  if (workers === "auto") {
    const cores = (globalThis.navigator as { hardwareConcurrency?: number } | undefined)?.hardwareConcurrency;
    return typeof cores === "number" && cores >= 1 ? cores : availableParallelism();
  }
  if (!Number.isInteger(workers) || workers < 1) {
    throw new RangeError(`workers must be an integer of at least 1 or "auto", got ${String(workers)}`);
  }
  return workers;
}

/**
 * `serve` with `options.workers` set: in a worker process, serve on the primary's port with `reusePort` and report to
 * the primary; in any other process, become the primary.
 */
export function serveWorkers(
  target: ServeTarget,
  options: ServeOptions,
  serveOne: ServeOne,
  command: WorkerCommandFactory,
): Server {
  const index = workerIndex();
  if (index !== undefined && process.send !== undefined) return serveAsWorker(target, options, serveOne);
  return servePrimary(target, options, command);
}

function serveAsWorker(target: ServeTarget, options: ServeOptions, serveOne: ServeOne): Server {
  const port = Number(process.env[WORKER_PORT_ENV] ?? options.port ?? 3000);
  const server = serveOne(target, { ...options, workers: undefined, port, reusePort: true });
  const send = (message: WorkerMessage): Promise<void> =>
    new Promise((resolve) => {
      if (!process.connected || process.send === undefined) return resolve();
      process.send(message, undefined, {}, () => resolve());
    });
  // `ready` settles for the caller only once the primary has been told: a program that exits as soon as it fails to
  // listen (examples/run.ts) would otherwise exit before the message leaves (Deno), and the reason would be lost.
  const ready = server.ready.then(
    () => send({ type: "ready", hostname: server.address.hostname, port: server.address.port }),
    async (error: unknown) => {
      const code = error instanceof ServeError ? error.code : "ELISTEN";
      await send({ type: "failed", code, message: error instanceof Error ? error.message : String(error) });
      throw error;
    },
  );
  (server as { ready: Promise<void> }).ready = ready;
  process.on("message", (message: { type?: string }) => {
    if (message?.type === "shutdown") void server.shutdown();
    else if (message?.type === "close") void server.close();
  });
  // The primary is gone (killed, crashed): nobody supervises this worker any more, so it stops too.
  process.on("disconnect", () => void server.shutdown());
  // Once stopped, let go of the channel so the event loop can end and the process exit.
  void server.finished.then(() => {
    if (process.connected) process.disconnect();
  });
  return server;
}

/** Pick a free port on `hostname` for every worker to share (port 0 asked for one). */
function freePort(where: ListenTarget): Promise<number> {
  return new Promise((resolve, reject) => {
    const probe = createServer();
    probe.once("error", reject);
    probe.listen({ port: 0, host: where.hostname }, () => {
      const address = probe.address();
      const port = typeof address === "object" && address !== null ? address.port : 0;
      probe.close(() => resolve(port));
    });
  });
}

function servePrimary(
  target: ServeTarget,
  options: ServeOptions,
  command: WorkerCommandFactory,
): Server {
  const count = workerCount(options.workers ?? 1);
  // The primary's core serves no connection; it carries the options and the Server's lifecycle.
  const core = createServerCore(target, { ...options, workers: undefined });
  const where: ListenTarget = { hostname: core.options.hostname, port: core.options.port };
  const pool = new WorkerPool(count, command, where, core.options.shutdownTimeout, core.options.onError);
  const invalid = checkListenTarget(where);
  const listening = invalid !== null ? Promise.reject(invalid) : pool.start();
  return new Server(core, {
    listening,
    stop: (graceful) => pool.stop(graceful),
    tls: options.tls !== undefined,
  }, options.signal);
}

/** One worker slot: the live process, and how often it had to be restarted lately. */
interface Slot {
  child: ChildProcess | null;
  restarts: number[];
  timer: ReturnType<typeof setTimeout> | undefined;
}

/** The primary's workers: starts them, restarts one that dies, stops them all. */
class WorkerPool {
  readonly #slots: Slot[];
  readonly #makeCommand: WorkerCommandFactory;
  #command: WorkerCommand = { command: "", args: [] };
  readonly #where: ListenTarget;
  readonly #shutdownTimeout: number;
  readonly #onError: (error: unknown) => void;
  #port = 0;
  #stopping = false;

  constructor(
    count: number,
    command: WorkerCommandFactory,
    where: ListenTarget,
    shutdownTimeout: number,
    onError: (error: unknown) => void,
  ) {
    this.#slots = Array.from({ length: count }, () => ({ child: null, restarts: [], timer: undefined }));
    this.#makeCommand = command;
    this.#where = where;
    this.#shutdownTimeout = shutdownTimeout;
    this.#onError = onError;
  }

  /** Start every worker; resolves with the address once all of them listen. */
  async start(): Promise<ServerAddress> {
    try {
      this.#port = this.#where.port === 0 ? await freePort(this.#where) : this.#where.port;
    } catch (error) {
      throw new ServeError("ELISTEN", this.#where, error);
    }
    const target = { hostname: this.#where.hostname, port: this.#port };
    this.#command = this.#makeCommand(target);
    try {
      const addresses = await Promise.all(this.#slots.map((_, index) => this.#spawn(index, true)));
      return addresses[0] ?? target;
    } catch (error) {
      // One worker could not listen: the server as a whole did not start.
      await this.stop(false);
      throw error;
    }
  }

  /**
   * Start the worker of slot `index`; resolves once it listens, rejects when it fails to or exits first. A worker
   * that dies later, or a replacement that dies at any time, is restarted.
   */
  #spawn(index: number, initial: boolean): Promise<ServerAddress> {
    const slot = this.#slots[index] as Slot;
    const where = { hostname: this.#where.hostname, port: this.#port };
    const child = spawn(this.#command.command, this.#command.args, {
      // Its own process group: a Ctrl-C at the terminal reaches the primary only, which then stops the workers in
      // order (a worker that got the signal too would exit first and look like a crash).
      detached: true,
      stdio: ["ignore", "inherit", "inherit", "ipc"],
      env: { ...process.env, [WORKER_ENV]: String(index), [WORKER_PORT_ENV]: String(this.#port) },
    });
    slot.child = child;
    return new Promise<ServerAddress>((resolve, reject) => {
      let listening = false;
      child.on("message", (message: WorkerMessage) => {
        if (message?.type === "ready") {
          listening = true;
          resolve({ hostname: message.hostname, port: message.port });
        } else if (message?.type === "failed") {
          reject(new ServeError(message.code, where, new Error(message.message)));
          child.kill("SIGKILL");
        }
      });
      child.once("error", (error) => reject(new ServeError("ELISTEN", where, error)));
      child.once("exit", (code, signal) => {
        if (slot.child === child) slot.child = null;
        if (!listening) {
          // The worker's "failed" message may still be in the IPC channel when "exit" comes (seen with Deno
          // workers): "close" waits for the channel, so the reason it sent wins over this generic one.
          child.once("close", () =>
            reject(
              new ServeError(
                "ELISTEN",
                where,
                undefined,
                `worker ${index} exited (${signal ?? code}) before listening`,
              ),
            ));
        }
        if (!this.#stopping && (listening || !initial)) this.#restart(index, code, signal);
      });
    });
  }

  /** A worker died on its own: start another in its slot after a backoff, a bounded number of times. */
  #restart(index: number, code: number | null, signal: string | null): void {
    const slot = this.#slots[index] as Slot;
    const now = Date.now();
    slot.restarts = slot.restarts.filter((at) => now - at < RESTART_WINDOW_MS);
    if (slot.restarts.length >= MAX_RESTARTS) {
      this.#onError(new Error(`wirecore: worker ${index} died ${MAX_RESTARTS} times within a minute; not restarted`));
      return;
    }
    const delay = restartDelay(slot.restarts.length);
    slot.restarts.push(now);
    this.#onError(new Error(`wirecore: worker ${index} exited (${signal ?? code}); restarting in ${delay} ms`));
    slot.timer = setTimeout(() => {
      slot.timer = undefined;
      if (this.#stopping) return;
      this.#spawn(index, false).catch((error) => this.#onError(error));
    }, delay);
  }

  /**
   * Graceful: ask each worker to shut down (it finishes in-flight requests within `shutdownTimeout`), kill one that
   * has not exited some time after that. Not graceful: kill them now. Resolves once every worker has exited.
   */
  stop(graceful: boolean): Promise<void> {
    this.#stopping = true;
    const exits = this.#slots.map((slot) => {
      clearTimeout(slot.timer);
      const child = slot.child;
      if (child === null || child.exitCode !== null || child.signalCode !== null) return Promise.resolve();
      return new Promise<void>((resolve) => {
        const killer = setTimeout(() => child.kill("SIGKILL"), graceful ? this.#shutdownTimeout + EXIT_GRACE_MS : 0);
        child.once("exit", () => {
          clearTimeout(killer);
          resolve();
        });
        if (graceful && child.connected) child.send({ type: "shutdown" });
        else child.kill("SIGKILL");
      });
    });
    return Promise.all(exits).then(() => {});
  }
}
