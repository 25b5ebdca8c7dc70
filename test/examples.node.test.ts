/**
 * The reference servers (examples/node.ts, bun.ts, deno.ts through examples/run.ts) on each
 * runtime, as a user starts them: a server that cannot start prints one line naming the reason
 * and exits 1, with no stack trace — for an address in use, a privileged port, a bad `--port`.
 * `npx vitest run test/examples.node.test.ts`
 */
import { execFile } from "node:child_process";
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
