/**
 * The reference servers (examples/node.ts, bun.ts, deno.ts through examples/run.ts) on each
 * runtime, as a user starts them: a server that cannot start prints one line naming the reason
 * and exits 1, with no stack trace — for an address in use, a privileged port, a bad `--port`;
 * a server that starts serves the batteries (request ids, health, static files with Range) and
 * writes an access log line per request only when started with `--access-log`.
 * `npx vitest run test/examples.node.test.ts`
 */
import { type ChildProcess, execFile, spawn } from "node:child_process";
import { chmodSync, existsSync, mkdtempSync, readFileSync } from "node:fs";
import { createServer, type Server as NetServer } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import process from "node:process";
import { fileURLToPath } from "node:url";
import { afterAll, beforeAll, describe, expect, it } from "vitest";

const ROOT = fileURLToPath(new URL("..", import.meta.url));
const RUNTIMES = ["node", "bun", "deno"] as const;
type RuntimeName = (typeof RUNTIMES)[number];

function bin(name: string): string {
  const path = join(ROOT, "node_modules", ".bin", name);
  if (!existsSync(path)) throw new Error(`${name} is not installed in node_modules/.bin: run npm install`);
  return path;
}

/** The command that starts the reference server of `runtime` with `args`. */
function command(runtime: RuntimeName, args: string[]): [string, string[]] {
  if (runtime === "node") return [process.execPath, ["examples/node.ts", ...args]];
  if (runtime === "bun") return [bin("bun"), ["examples/bun.ts", ...args]];
  return [bin("deno"), ["run", "-A", "examples/deno.ts", ...args]];
}

interface Exit {
  code: number | null;
  stdout: string;
  stderr: string;
}

/** Run to the end (20 s at most: a server that starts instead of failing is killed). */
function run(cmd: string, args: string[], env: NodeJS.ProcessEnv = process.env): Promise<Exit> {
  return new Promise((resolve) => {
    execFile(cmd, args, { cwd: ROOT, env, timeout: 20_000 }, (error, stdout, stderr) => {
      const code = error === null ? 0 : typeof error.code === "number" ? error.code : null;
      resolve({ code, stdout, stderr });
    });
  });
}

/** Exit 1 with exactly one line on stderr, matching `pattern`, and no stack frame anywhere. */
function expectOneLineFailure(exit: Exit, pattern: RegExp): void {
  const report = JSON.stringify(exit);
  expect(exit.code, report).toBe(1);
  const lines = exit.stderr.split("\n").filter((line) => line.trim() !== "");
  expect(lines, report).toHaveLength(1);
  expect(lines[0], report).toMatch(pattern);
  expect(exit.stdout + exit.stderr, report).not.toMatch(/^\s+at /m);
}

/**
 * A port only a privileged user may bind, and how to start a process as an unprivileged one
 * (as root, through util-linux `setpriv` as `nobody`; otherwise as we are).
 */
function unprivileged(): {
  port: number;
  wrap: (cmd: string, args: string[]) => [string, string[], NodeJS.ProcessEnv];
} {
  const start = Number(readFileSync("/proc/sys/net/ipv4/ip_unprivileged_port_start", "utf8").trim());
  if (!(start > 1)) {
    throw new Error(`every port is unprivileged here (ip_unprivileged_port_start = ${start}): EACCES cannot happen`);
  }
  const port = start - 1;
  if (process.getuid?.() !== 0) return { port, wrap: (cmd, args) => [cmd, args, process.env] };
  if (!existsSync("/usr/bin/setpriv")) throw new Error("/usr/bin/setpriv is missing: apt-get install util-linux");
  // nobody needs a home and a Deno cache it can write.
  const home = mkdtempSync(join(tmpdir(), "wirecore-nobody-"));
  chmodSync(home, 0o777);
  const env = { ...process.env, HOME: home, DENO_DIR: join(home, "deno"), XDG_CACHE_HOME: home };
  return {
    port,
    wrap: (cmd, args) => ["/usr/bin/setpriv", ["--reuid=65534", "--regid=65534", "--clear-groups", cmd, ...args], env],
  };
}

describe("reference servers: a failed start is one line and exit code 1", () => {
  let taken: NetServer;
  let takenPort = 0;
  beforeAll(async () => {
    taken = createServer();
    await new Promise<void>((resolve) => taken.listen(0, "127.0.0.1", resolve));
    takenPort = (taken.address() as { port: number }).port;
  });
  afterAll(() => void taken.close());

  for (const runtime of RUNTIMES) {
    it(`${runtime}: the address is in use (EADDRINUSE)`, async () => {
      const [cmd, args] = command(runtime, ["--port", String(takenPort)]);
      const exit = await run(cmd, args);
      expectOneLineFailure(
        exit,
        new RegExp(
          `^wirecore: Cannot listen on 127\\.0\\.0\\.1:${takenPort}: the address is already in use \\(EADDRINUSE\\)$`,
        ),
      );
    }, 30_000);

    it(`${runtime}: a privileged port for an unprivileged user (EACCES)`, async () => {
      const { port, wrap } = unprivileged();
      const [cmd, args, env] = wrap(...command(runtime, ["--port", String(port)]));
      const exit = await run(cmd, args, env);
      expectOneLineFailure(exit, new RegExp(`^wirecore: Cannot listen on 127\\.0\\.0\\.1:${port}: .*\\(EACCES\\)$`));
    }, 30_000);

    it(`${runtime}: a bad --port`, async () => {
      for (const value of ["abc", "70000", "-1"]) {
        const [cmd, args] = command(runtime, ["--port", value]);
        expectOneLineFailure(await run(cmd, args), new RegExp(`^wirecore: invalid --port "${value}"`));
      }
    }, 60_000);
  }
});

/** Start a reference server on a free port; resolves with its URL and what it printed so far. */
function startServer(
  runtime: RuntimeName,
  args: string[],
): Promise<{ url: string; child: ChildProcess; out: string[] }> {
  const [cmd, argv] = command(runtime, ["--port", "0", ...args]);
  const child = spawn(cmd, argv, { cwd: ROOT, stdio: ["ignore", "pipe", "pipe"] });
  const out: string[] = [];
  return new Promise((resolve, reject) => {
    const timer = setTimeout(
      () => reject(new Error(`${runtime}: no "listening" line in 20 s: ${out.join("")}`)),
      20_000,
    );
    child.stderr!.on("data", (chunk: Buffer) => out.push(chunk.toString()));
    child.stdout!.on("data", (chunk: Buffer) => {
      out.push(chunk.toString());
      const found = /listening on (http:\/\/\S+?)\/?\n/.exec(out.join(""));
      if (found !== null) {
        clearTimeout(timer);
        resolve({ url: found[1]!, child, out });
      }
    });
    child.once("exit", (code) => reject(new Error(`${runtime} exited (${code}): ${out.join("")}`)));
  });
}

describe("reference servers: the batteries as a user starts them", () => {
  for (const runtime of RUNTIMES) {
    it(`${runtime}: request ids, health, a Range on large.bin; an access log line only with --access-log`, async () => {
      for (const withLog of [true, false]) {
        const { url, child, out } = await startServer(runtime, withLog ? ["--access-log"] : []);
        try {
          const health = await fetch(`${url}/healthz`);
          expect(await health.text()).toBe("ok");
          const id = health.headers.get("x-request-id");
          expect(id).toMatch(/^[0-9a-z]+-[0-9a-z]+$/);
          const range = await fetch(`${url}/static/large.bin`, { headers: { range: "bytes=0-99" } });
          expect(range.status).toBe(206);
          expect((await range.arrayBuffer()).byteLength).toBe(100);
          expect((await fetch(`${url}/readyz`)).status).toBe(200);
          // The log line of /healthz is written once its response is out: give it a moment.
          const deadline = Date.now() + 3000;
          while (withLog && !out.join("").includes(`"requestId":"${id}"`) && Date.now() < deadline) {
            await new Promise((resolve) => setTimeout(resolve, 20));
          }
          const lines = out.join("").split("\n").filter((line) => line.startsWith("{"));
          if (withLog) {
            const entry = lines.map((line) => JSON.parse(line)).find((one) => one.requestId === id);
            expect(entry).toMatchObject({ method: "GET", path: "/healthz", status: 200 });
          } else {
            expect(lines).toEqual([]);
          }
        } finally {
          child.kill("SIGTERM");
        }
      }
    }, 60_000);
  }
});
