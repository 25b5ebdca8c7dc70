/** What the machine offers the bench: runtimes, wrk, h2load, taskset, CPU, fd limits. */
import { execFileSync } from "node:child_process";
import { existsSync, readdirSync, readFileSync } from "node:fs";
import { availableParallelism, platform, release } from "node:os";
import { delimiter, join, resolve } from "node:path";
import process from "node:process";

/** The repository root (bench/matrix/../..). */
export const ROOT: string = resolve(import.meta.dirname, "..", "..");

export type RuntimeName = "node" | "bun" | "deno";
export const RUNTIMES: readonly RuntimeName[] = ["node", "bun", "deno"];

/** How to run a TypeScript file on a runtime. */
export interface RuntimeInfo {
  name: RuntimeName;
  /** The executable and the arguments before the script path. */
  command: string[];
  version: string;
}

/** An executable from node_modules/.bin (what `npm install` brings), else from PATH, else null. */
export function findExecutable(name: string): string | null {
  const local = join(ROOT, "node_modules", ".bin", name);
  if (existsSync(local)) return local;
  for (const dir of (process.env.PATH ?? "").split(delimiter)) {
    if (dir === "") continue;
    const candidate = join(dir, name);
    if (existsSync(candidate)) return candidate;
  }
  return null;
}

function firstLine(file: string, args: string[]): string | null {
  try {
    return execFileSync(file, args, { encoding: "utf8", stdio: ["ignore", "pipe", "pipe"] }).split("\n")[0]!.trim();
  } catch (error) {
    // `wrk -v` prints its version and exits 1.
    const out = (error as { stdout?: string; stderr?: string }).stdout ?? "";
    const line = out.split("\n")[0]?.trim();
    return line !== undefined && line !== "" ? line : null;
  }
}

/** The runtime, or a reason it is not available. */
export function findRuntime(name: RuntimeName): RuntimeInfo | string {
  if (name === "node") return { name, command: [process.execPath], version: process.versions.node };
  const bin = findExecutable(name);
  if (bin === null) return `${name} not found (npm install brings it as a devDependency)`;
  const line = firstLine(bin, ["--version"]);
  if (line === null) return `${bin} --version failed`;
  const version = /(\d+\.\d+\.\d+\S*)/.exec(line)?.[1] ?? line;
  return { name, command: name === "deno" ? [bin, "run", "-A"] : [bin], version };
}

/** wrk on PATH: its path and version line, or null. */
export function findWrk(): { path: string; version: string } | null {
  const path = findExecutable("wrk");
  if (path === null) return null;
  const line = firstLine(path, ["-v"]) ?? "wrk";
  const version = /\d+\.\d+(?:\.\d+)?/.exec(line)?.[0];
  return { path, version: version === undefined ? "wrk" : `wrk ${version}` };
}

/** h2load on PATH: its path and "h2load 1.52.0", or why not. */
export function findH2load(): { path: string; version: string } | string {
  const path = findExecutable("h2load");
  if (path === null) return "h2load not found on PATH (Debian/Ubuntu package nghttp2-client): h2 not measured";
  const line = firstLine(path, ["--version"]) ?? "h2load";
  const version = /\d+\.\d+(?:\.\d+)?/.exec(line)?.[0];
  return { path, version: version === undefined ? "h2load" : `h2load ${version}` };
}

/** taskset on PATH and at least two CPUs to pin to. */
export function pinning(): { taskset: string | null; cores: number; note: string } {
  const cores = availableParallelism();
  const taskset = findExecutable("taskset");
  if (taskset === null) {
    return {
      taskset: null,
      cores,
      note: "taskset not found: server and load generator are NOT pinned (they share the CPUs)",
    };
  }
  if (cores < 2) {
    return {
      taskset: null,
      cores,
      note: `only ${cores} CPU: server and load generator are NOT pinned (they share it)`,
    };
  }
  return { taskset, cores, note: "server pinned to CPU 0, load generator to CPU 1 (taskset)" };
}

/** The CPU model name from /proc/cpuinfo (Linux), else the platform. */
export function cpuModel(): string {
  try {
    const info = readFileSync("/proc/cpuinfo", "utf8");
    const m = /^model name\s*:\s*(.+)$/m.exec(info);
    if (m) return m[1]!.trim();
  } catch {
    // not Linux
  }
  return `${platform()} ${release()}`;
}

/** The soft and hard open-file limits of a shell spawned from here. */
export function fdLimits(): { soft: number; hard: number } {
  try {
    const out = execFileSync("sh", ["-c", "ulimit -Sn; ulimit -Hn"], { encoding: "utf8" }).trim().split("\n");
    const parse = (s: string | undefined): number => (s === undefined || s === "unlimited" ? Infinity : Number(s));
    return { soft: parse(out[0]), hard: parse(out[1]) };
  } catch {
    return { soft: 1024, hard: 1024 };
  }
}

/** VmRSS of a process in KiB, from /proc/<pid>/status; null when unreadable. */
export function rssKb(pid: number): number | null {
  try {
    const m = /^VmRSS:\s*(\d+)\s*kB/m.exec(readFileSync(`/proc/${pid}/status`, "utf8"));
    return m ? Number(m[1]) : null;
  } catch {
    return null;
  }
}

/** CPU seconds (user + system) one process has used, from /proc/PID/stat (ticks of 1/100 s); NaN when gone. */
function ownCpuSeconds(pid: number): number {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, "utf8");
    const fields = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
    return (Number(fields[11]) + Number(fields[12])) / 100; // utime, stime: fields 14 and 15
  } catch {
    return Number.NaN;
  }
}

/** The children of a process (every thread's), from /proc/PID/task/TID/children. */
function childrenOf(pid: number): number[] {
  try {
    return readdirSync(`/proc/${pid}/task`).flatMap((tid) =>
      readFileSync(`/proc/${pid}/task/${tid}/children`, "utf8").split(" ").filter((x) => x !== "").map(Number)
    );
  } catch {
    return [];
  }
}

/**
 * CPU seconds a server has used: the process and its live descendants (a multi-process server's
 * workers), from /proc. NaN when the process is gone.
 */
export function cpuSeconds(pid: number): number {
  let total = ownCpuSeconds(pid);
  for (const child of childrenOf(pid)) total += cpuSeconds(child);
  return total;
}
