/**
 * Child processes of the bench: spawned pinned (taskset) and with a raised fd limit when asked,
 * each in its own process group, tracked so every one of them is killed on exit, on error and
 * on Ctrl-C.
 */
import { type ChildProcess, spawn } from "node:child_process";
import { rmSync } from "node:fs";
import process from "node:process";
import { ROOT } from "./system.ts";

const live: Set<ChildProcess> = new Set();

function killGroup(child: ChildProcess, signal: NodeJS.Signals = "SIGKILL"): void {
  if (child.pid === undefined || child.exitCode !== null || child.signalCode !== null) return;
  try {
    process.kill(-child.pid, signal); // the whole group: the runtime and anything it started
  } catch {
    try {
      child.kill(signal);
    } catch {
      // already gone
    }
  }
}

const tempDirs: Set<string> = new Set();

/** Remove this directory at exit if nobody did before (a wrk script dir, on Ctrl-C). */
export function removeAtExit(dir: string): void {
  tempDirs.add(dir);
}

/** Kill every child still running, remove leftover temp dirs. Synchronous: works in an `exit` handler. */
export function killAll(): void {
  for (const child of live) killGroup(child);
  live.clear();
  for (const dir of tempDirs) rmSync(dir, { recursive: true, force: true });
  tempDirs.clear();
}

let installed = false;
/** Kill the children when the bench exits, fails or is interrupted. */
export function installCleanup(): void {
  if (installed) return;
  installed = true;
  process.on("exit", killAll);
  for (const signal of ["SIGINT", "SIGTERM", "SIGHUP"] as const) {
    process.on(signal, () => {
      killAll();
      console.error(`\nbench: ${signal}, stopped every server it started`);
      process.exit(130);
    });
  }
  process.on("uncaughtException", (error) => {
    killAll();
    console.error(error);
    process.exit(1);
  });
  process.on("unhandledRejection", (error) => {
    killAll();
    console.error(error);
    process.exit(1);
  });
}

/** How to place a child. */
export interface Placement {
  /** taskset path, or null for no pinning. */
  taskset: string | null;
  /** The CPU to pin to. */
  cpu: number;
  /** Raise the soft open-file limit to at least this in the child's shell. */
  fdLimit?: number;
}

/** The full argv: taskset, then a shell raising the fd limit when asked, then the command. */
function placedArgv(command: readonly string[], placement: Placement): string[] {
  let argv = [...command];
  if (placement.fdLimit !== undefined) {
    // `exec` keeps one pid: the runtime's own, whose /proc status the bench reads.
    argv = ["sh", "-c", `ulimit -n ${placement.fdLimit} && exec "$@"`, "sh", ...argv];
  }
  if (placement.taskset !== null) argv = [placement.taskset, "-c", String(placement.cpu), ...argv];
  return argv;
}

/** A tracked child with line-wise stdout. */
export class Child {
  readonly process: ChildProcess;
  readonly argv: string[];
  stdout = "";
  stderr = "";
  readonly exited: Promise<number | null>;
  private lineWaiters: { test: (line: string) => boolean; resolve: (line: string) => void }[] = [];
  private lines: string[] = [];

  constructor(command: readonly string[], placement: Placement, stdin: "pipe" | "ignore" = "ignore") {
    this.argv = placedArgv(command, placement);
    const child = spawn(this.argv[0]!, this.argv.slice(1), {
      cwd: ROOT,
      detached: true, // its own process group, so killGroup() gets everything under it
      stdio: [stdin, "pipe", "pipe"],
    });
    this.process = child;
    live.add(child);
    this.exited = new Promise((resolve) => {
      child.on("exit", (code) => {
        live.delete(child);
        resolve(code);
      });
      child.on("error", (error) => {
        live.delete(child);
        this.stderr += String(error);
        resolve(null);
      });
    });
    let partial = "";
    child.stdout!.setEncoding("utf8");
    child.stdout!.on("data", (text: string) => {
      this.stdout += text;
      partial += text;
      let nl: number;
      while ((nl = partial.indexOf("\n")) >= 0) {
        const line = partial.slice(0, nl);
        partial = partial.slice(nl + 1);
        this.lines.push(line);
        for (const w of this.lineWaiters) {
          if (w.test(line)) {
            this.lineWaiters = this.lineWaiters.filter((x) => x !== w);
            w.resolve(line);
            break;
          }
        }
      }
    });
    child.stderr!.setEncoding("utf8");
    child.stderr!.on("data", (text: string) => {
      this.stderr += text;
    });
  }

  get pid(): number {
    return this.process.pid ?? -1;
  }

  /** The next stdout line (from now on, or already seen and unclaimed) passing `test`. */
  waitLine(test: (line: string) => boolean, timeoutMs: number, what: string): Promise<string> {
    const seen = this.lines.findIndex(test);
    if (seen >= 0) return Promise.resolve(this.lines.splice(seen, 1)[0]!);
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => {
        this.lineWaiters = this.lineWaiters.filter((x) => x.resolve !== done);
        reject(new Error(`${what}: nothing after ${timeoutMs} ms\n${this.tail()}`));
      }, timeoutMs);
      const done = (line: string): void => {
        clearTimeout(timer);
        this.lines.splice(this.lines.indexOf(line), 1);
        resolve(line);
      };
      this.lineWaiters.push({ test, resolve: done });
      void this.exited.then((code) => {
        if (this.lineWaiters.some((w) => w.resolve === done)) {
          clearTimeout(timer);
          reject(new Error(`${what}: exited with ${code}\n${this.tail()}`));
        }
      });
    });
  }

  /** The end of stderr/stdout, for error messages. */
  tail(): string {
    const text = (this.stderr.trim() || this.stdout.trim()).split("\n").slice(-8).join("\n");
    return `  $ ${this.argv.join(" ")}\n${text.replace(/^/gm, "  | ")}`;
  }

  /** Kill the group when `signal` aborts (a watchdog's deadline); no-op without a signal. */
  killOnAbort(signal: AbortSignal | undefined): this {
    if (signal === undefined) return this;
    if (signal.aborted) killGroup(this.process);
    else signal.addEventListener("abort", () => killGroup(this.process), { once: true });
    return this;
  }

  /** Kill the group and wait for the exit. */
  async kill(): Promise<void> {
    killGroup(this.process);
    await this.exited;
  }
}
