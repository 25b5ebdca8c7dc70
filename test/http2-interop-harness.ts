/**
 * The shared setup of the HTTP/2 interop tests (`test/http2-interop-*.node.test.ts`, DESIGN.md §4,
 * issue 6 "Tests and peers"), run by vitest on Node: `npx vitest run test/http2-interop`
 *
 * One test body runs against six servers: the reference app (`test/http2-interop-server.ts`) on
 * Node, Bun and Deno, each in its own process, in two modes:
 * - h2c: HTTP/2 by prior knowledge and by `Upgrade: h2c` from HTTP/1.1, on http://;
 * - tls: HTTPS with ALPN (`h2`, `http/1.1`), with the checked-in self-signed certificate
 *   `test/fixtures/localhost-{cert,key}.pem`, which the clients trust as their CA.
 *
 * {@link describeEachServer} starts the six servers for a test file and runs its body once per
 * server; {@link run} runs a peer. A peer missing is a failure (Debian `curl`, `nghttp2-client`).
 */
import assert from "node:assert/strict";
import { type ChildProcess, execFile, spawn } from "node:child_process";
import { randomBytes } from "node:crypto";
import { existsSync, readFileSync } from "node:fs";
import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { afterAll, beforeAll, describe } from "vitest";

/** The repository root. */
export const ROOT: string = resolve(import.meta.dirname, "..");
const SERVER = "test/http2-interop-server.ts";
/** The fixture certificate, which the clients trust as their CA. */
export const CERT: string = join(ROOT, "test/fixtures/localhost-cert.pem");
export const CA: string = readFileSync(CERT, "utf8");

/** Length of `GET /large` from the interop server. */
export const LARGE_LENGTH: number = 8 * 1024 * 1024 + 17;

const RUNTIMES = ["node", "bun", "deno"] as const;
const MODES = ["h2c", "tls"] as const;
export type RuntimeName = (typeof RUNTIMES)[number];
export type Mode = (typeof MODES)[number];

// ── running peers ────────────────────────────────────────────────────────────────────────────────

export interface Run {
  code: number | null;
  stdout: Buffer;
  stderr: string;
}

export function run(command: string, args: string[], timeout = 60_000): Promise<Run> {
  return new Promise((done, fail) => {
    execFile(command, args, { timeout, encoding: "buffer", maxBuffer: 64 * 1024 * 1024 }, (error, stdout, stderr) => {
      if (error !== null && (error as NodeJS.ErrnoException).code === "ENOENT") {
        fail(
          new Error(
            `${command} is not installed: the HTTP/2 interop tests need it (Debian/Ubuntu: apt-get install curl nghttp2-client)`,
          ),
        );
        return;
      }
      const code = error === null
        ? 0
        : typeof (error as { code?: unknown }).code === "number"
        ? (error as { code: number }).code
        : null;
      done({ code, stdout, stderr: stderr.toString("latin1") });
    });
  });
}

// ── servers in child processes ───────────────────────────────────────────────────────────────────

export interface Child {
  process: ChildProcess;
  url: string;
  port: number;
  output(): string;
}

/** Every server process started, killed on the way out whatever happens. */
const children = new Set<ChildProcess>();
process.once("exit", () => {
  for (const child of children) if (child.exitCode === null && child.signalCode === null) child.kill("SIGKILL");
});

function command(runtime: RuntimeName, mode: Mode): [string, string[]] {
  const args = [SERVER, "--port", "0", "--exit-with-stdin", ...(mode === "tls" ? ["--tls"] : [])];
  if (runtime === "node") return [process.execPath, args];
  const bin = join(ROOT, "node_modules", ".bin", runtime);
  if (!existsSync(bin)) throw new Error(`${runtime} is not installed in node_modules/.bin: run npm install`);
  return runtime === "bun" ? [bin, args] : [bin, ["run", "-A", ...args]];
}

/**
 * Start a server and wait for its `listening on …` line. Its stdin is a pipe that this process
 * holds: when this process dies, the pipe closes and the server exits (`--exit-with-stdin`).
 */
function startChild(runtime: RuntimeName, mode: Mode): Promise<Child> {
  const [cmd, args] = command(runtime, mode);
  const child = spawn(cmd, args, { cwd: ROOT, stdio: ["pipe", "pipe", "pipe"] });
  children.add(child);
  let output = "";
  return new Promise((done, fail) => {
    const timer = setTimeout(() => {
      child.kill("SIGKILL");
      fail(new Error(`${runtime} ${SERVER} (${mode}): no "listening on" within 20 s; output:\n${output}`));
    }, 20_000);
    const onData = (chunk: Buffer): void => {
      output = (output + chunk.toString()).slice(-16_000);
      const match = /listening on (https?:\/\/[^\s]+)/.exec(output);
      if (match !== null) {
        clearTimeout(timer);
        const url = match[1]!.replace(/\/$/, "");
        done({ process: child, url, port: Number(new URL(url).port), output: () => output });
      }
    };
    child.stdout!.on("data", onData);
    child.stderr!.on("data", onData);
    child.once("exit", (code, signal) => {
      children.delete(child);
      clearTimeout(timer);
      fail(new Error(`${runtime} ${SERVER} (${mode}) exited (${code ?? signal}) before listening; output:\n${output}`));
    });
    child.once("error", (error) => {
      clearTimeout(timer);
      fail(new Error(`${runtime} ${SERVER} (${mode}): ${error.message}`));
    });
  });
}

async function stopChild(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const exited = new Promise((done) => child.once("exit", done));
  child.kill("SIGTERM");
  const timer = setTimeout(() => child.kill("SIGKILL"), 3000);
  await exited;
  clearTimeout(timer);
}

/** The six servers start together (startup is the slow part); each suite awaits its own. */
const servers = new Map<string, Promise<Child>>();
const key = (runtime: RuntimeName, mode: Mode): string => `${runtime}/${mode}`;

// Live bindings, set in the file's beforeAll: a temporary directory, and a 10 MiB random upload
// both as a file in it and in memory.
export let dir = "";
export let upload = "";
export let payload: Buffer;

// ── the test body, once per runtime × mode ───────────────────────────────────────────────────────

/** What a test body knows of the server it runs against. */
export interface InteropSuite {
  runtime: RuntimeName;
  mode: Mode;
  tls: boolean;
  /** curl's options for HTTP/2: prior knowledge on http://, ALPN on https:// (trusting the fixture). */
  curlH2: string[];
  /** The server, once the suite's first beforeAll (before the body's own) has awaited it. */
  readonly server: Child;
  /** Fail with the server's output when a peer reports an error. */
  ok(result: Run, what: string): void;
}

/**
 * Call once per test file: starts the six servers (and the upload) before its tests, stops them
 * after, and runs `body` inside one describe per runtime × mode.
 */
export function describeEachServer(body: (suite: InteropSuite) => void): void {
  beforeAll(async () => {
    for (const runtime of RUNTIMES) {
      for (const mode of MODES) {
        const started = startChild(runtime, mode);
        started.catch(() => {}); // reported by the suite that awaits it
        servers.set(key(runtime, mode), started);
      }
    }
    dir = await mkdtemp(join(tmpdir(), "wirecore-h2-"));
    upload = join(dir, "upload.bin");
    payload = randomBytes(10 * 1024 * 1024);
    await writeFile(upload, payload);
  });

  afterAll(async () => {
    await Promise.all([...children].map(stopChild));
    if (dir !== "") await rm(dir, { recursive: true, force: true });
  }, 20_000);

  for (const runtime of RUNTIMES) {
    for (const mode of MODES) {
      describe(`HTTP/2 interop: reference app on ${runtime}, ${mode === "tls" ? "TLS (ALPN h2)" : "h2c"}`, () => {
        const tls = mode === "tls";
        let server: Child | undefined;
        const suite: InteropSuite = {
          runtime,
          mode,
          tls,
          curlH2: tls ? ["--http2", "--cacert", CERT] : ["--http2-prior-knowledge"],
          get server(): Child {
            assert.ok(server !== undefined, `the ${runtime}/${mode} server is read before its beforeAll`);
            return server;
          },
          ok: (result, what) => {
            assert.equal(
              result.code,
              0,
              `${what} exited ${result.code}:\n${result.stderr}\n${
                result.stdout.toString().slice(-2000)
              }\nserver output:\n${suite.server.output()}`,
            );
          },
        };

        beforeAll(async () => {
          server = await servers.get(key(runtime, mode))!;
          assert.ok(server.url.startsWith(tls ? "https://" : "http://"), server.url);
        }, 30_000);

        body(suite);
      });
    }
  }
}
