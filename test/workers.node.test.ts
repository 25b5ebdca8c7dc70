/**
 * `serve(app, { workers: 2 })` on Node, Bun and Deno, each started as a user would (test/fixtures/workers-server.ts):
 * two worker processes share the port, a killed worker is replaced while the port keeps serving, and SIGTERM to the
 * primary finishes an in-flight request, stops every worker and exits 0.
 * `npx vitest run test/workers.node.test.ts`
 */
import { type ChildProcess, execFile, spawn } from "node:child_process";
import { createServer, type Server as NetServer } from "node:net";
import { existsSync } from "node:fs";
import { request } from "node:http";
import { connect } from "node:http2";
import { join } from "node:path";
import process from "node:process";
import { fileURLToPath } from "node:url";
import { afterAll, describe, expect, it } from "vitest";

const ROOT = fileURLToPath(new URL("..", import.meta.url));
const FIXTURE = "test/fixtures/workers-server.ts";

function bin(name: string): string {
  const path = join(ROOT, "node_modules", ".bin", name);
  if (!existsSync(path)) throw new Error(`${name} is not installed in node_modules/.bin: run npm install`);
  return path;
}

/** The reference server of each runtime (examples/run.ts parses `--workers`). */
const EXAMPLES: Record<string, [string, string[]]> = {
  node: [process.execPath, ["examples/node.ts"]],
  bun: [bin("bun"), ["examples/bun.ts"]],
  deno: [bin("deno"), ["run", "-A", "examples/deno.ts"]],
};

/** Run to the end (30 s at most): exit code and stderr. */
function runToEnd(cmd: string, args: string[]): Promise<{ code: number | null; stderr: string }> {
  return new Promise((resolve) => {
    execFile(cmd, args, { cwd: ROOT, timeout: 30_000 }, (error, _stdout, stderr) => {
      resolve({ code: error === null ? 0 : typeof error.code === "number" ? error.code : null, stderr });
    });
  });
}

const COMMANDS: Record<string, [string, string[]]> = {
  node: [process.execPath, [FIXTURE, "--workers", "2"]],
  bun: [bin("bun"), [FIXTURE, "--workers", "2"]],
  // No -A: the worker must get the parent's own permissions, which these are enough for.
  deno: [bin("deno"), ["run", "--allow-net", "--allow-env", "--allow-run", "--allow-read", FIXTURE, "--workers", "2"]],
};

/** One request on a fresh connection (so SO_REUSEPORT may pick another worker): status and body. */
function get(url: string, path: string): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    const req = request(`${url}${path}`, { agent: false, headers: { connection: "close" } }, (res) => {
      let body = "";
      res.setEncoding("utf8");
      res.on("data", (chunk: string) => (body += chunk));
      res.on("end", () => resolve({ status: res.statusCode ?? 0, body }));
    });
    req.on("error", reject);
    req.setTimeout(10_000, () => req.destroy(new Error(`GET ${path}: no answer in 10 s`)));
    req.end();
  });
}

/** Pids that answered `/pid` over `n` fresh connections; every answer must be 200. */
async function pids(url: string, n: number): Promise<Set<number>> {
  const seen = new Set<number>();
  for (let i = 0; i < n; i++) {
    const res = await get(url, "/pid");
    expect(res.status).toBe(200);
    seen.add(Number(res.body));
  }
  return seen;
}

/** `GET /pid` over HTTP/2 (h2c by prior knowledge) on a fresh connection: the status and the pid. */
function getH2(url: string): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    const session = connect(url);
    session.on("error", reject);
    const stream = session.request({ ":path": "/pid" });
    let status = 0;
    let body = "";
    stream.setEncoding("utf8");
    stream.on("response", (headers) => (status = Number(headers[":status"])));
    stream.on("data", (chunk: string) => (body += chunk));
    stream.on("end", () => {
      session.close();
      resolve({ status, body });
    });
    stream.on("error", reject);
  });
}

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

interface Started {
  child: ChildProcess;
  url: string;
  output: () => string;
  exit: Promise<number | null>;
}

const started: ChildProcess[] = [];
const workerPids = new Set<number>();

function start(runtime: string): Promise<Started> {
  const [cmd, args] = COMMANDS[runtime] as [string, string[]];
  const child = spawn(cmd, args, { cwd: ROOT, stdio: ["ignore", "pipe", "pipe"] });
  started.push(child);
  let out = "";
  child.stdout?.on("data", (chunk: Buffer) => (out += chunk));
  child.stderr?.on("data", (chunk: Buffer) => (out += chunk));
  const exit = new Promise<number | null>((resolve) => child.once("exit", (code) => resolve(code)));
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`${runtime}: not listening after 30 s:\n${out}`)), 30_000);
    const look = (): void => {
      const match = /listening on (http:\/\/\S+)/.exec(out);
      if (match === null) return;
      clearTimeout(timer);
      resolve({ child, url: match[1] as string, output: () => out, exit });
    };
    child.stdout?.on("data", look);
    void exit.then((code) => reject(new Error(`${runtime}: exited ${code} before listening:\n${out}`)));
  });
}

afterAll(() => {
  // Never leave a process behind: the primaries, then every worker seen.
  for (const child of started) if (child.exitCode === null) child.kill("SIGKILL");
  for (const pid of workerPids) if (alive(pid)) process.kill(pid, "SIGKILL");
});

describe.each(Object.keys(COMMANDS))("workers: 2 on %s", (runtime) => {
  it("serves from two worker processes, replaces a killed one, and stops gracefully on SIGTERM", async () => {
    const server = await start(runtime);
    const primary = server.child.pid as number;
    // Both workers answer: SO_REUSEPORT spreads connections by their source port.
    const seen = new Set<number>();
    for (let round = 0; round < 10 && seen.size < 2; round++) {
      for (const pid of await pids(server.url, 20)) seen.add(pid);
    }
    for (const pid of seen) workerPids.add(pid);
    expect([...seen].length, server.output()).toBe(2);
    expect(seen.has(primary)).toBe(false);
    // HTTP/2 on the same port, served by one of the workers.
    const h2 = await getH2(server.url);
    expect(h2.status).toBe(200);
    expect(seen.has(Number(h2.body)), h2.body).toBe(true);

    // Kill one worker: the other keeps the port; the primary starts a replacement.
    const [victim, survivor] = [...seen] as [number, number];
    process.kill(victim, "SIGKILL");
    for (let i = 0; i < 50 && alive(victim); i++) await new Promise((resolve) => setTimeout(resolve, 20));
    expect((await pids(server.url, 10)).has(victim)).toBe(false);
    let replacement: number | undefined;
    for (let round = 0; round < 100 && replacement === undefined; round++) {
      for (const pid of await pids(server.url, 5)) {
        workerPids.add(pid);
        if (pid !== survivor && pid !== victim) replacement = pid;
      }
      if (replacement === undefined) await new Promise((resolve) => setTimeout(resolve, 100));
    }
    expect(replacement, server.output()).toBeDefined();
    expect(server.output()).toMatch(/worker \d exited \(SIGKILL\); restarting/);

    // SIGTERM during a request: it is answered, then every process exits, the primary with 0.
    const inFlight = get(server.url, "/slow?ms=1500");
    await new Promise((resolve) => setTimeout(resolve, 400));
    server.child.kill("SIGTERM");
    const answer = await inFlight;
    expect(answer.status).toBe(200);
    expect(answer.body).toMatch(/^done by \d+$/);
    expect(await server.exit, server.output()).toBe(0);
    for (const pid of [survivor, replacement as number]) expect(alive(pid), `worker ${pid} still runs`).toBe(false);
  });
});

describe.each(Object.keys(EXAMPLES))("reference server --workers on %s", (runtime) => {
  const [cmd, args] = EXAMPLES[runtime] as [string, string[]];
  let busy: NetServer;
  afterAll(() => new Promise<void>((resolve) => busy.close(() => resolve())));

  it("a port in use fails start-up once, in one line, exit 1, no worker left behind", async () => {
    busy = createServer();
    await new Promise<void>((resolve) => busy.listen(0, "127.0.0.1", resolve));
    const port = (busy.address() as { port: number }).port;
    const exit = await runToEnd(cmd, [...args, "--port", String(port), "--workers", "2"]);
    expect(exit.code, exit.stderr).toBe(1);
    const lines = exit.stderr.split("\n").filter((line) => line.trim() !== "");
    expect(lines, exit.stderr).toEqual([expect.stringMatching(/address is already in use \(EADDRINUSE\)/)]);
  });

  it("--workers 0 is a usage error", async () => {
    const exit = await runToEnd(cmd, [...args, "--port", "0", "--workers", "0"]);
    expect(exit.code).toBe(1);
    expect(exit.stderr).toMatch(/invalid --workers "0"/);
  });
});
