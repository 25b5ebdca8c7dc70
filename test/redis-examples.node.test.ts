/**
 * The reference servers of three runtimes as one chat room: `examples/node.ts`, `bun.ts` and
 * `deno.ts` started as child processes with `--redis URL` against one real redis-server
 * (test/support/redis-server.ts). A message sent on `/chat` of one server reaches the clients
 * of the other two once and in order, text and binary alike; a bad or unreachable `--redis`
 * exits 1 with one line. `npx vitest run test/redis-examples.node.test.ts`
 */
import { type ChildProcess, execFile, spawn } from "node:child_process";
import { existsSync } from "node:fs";
import { join } from "node:path";
import process from "node:process";
import { fileURLToPath } from "node:url";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { freePort, RedisServer } from "./support/redis-server.ts";
import { openWebSocket } from "./contract/ws/helpers.ts";

const ROOT = fileURLToPath(new URL("..", import.meta.url));
const RUNTIMES = ["node", "bun", "deno"] as const;
type RuntimeName = (typeof RUNTIMES)[number];
type Socket = Awaited<ReturnType<typeof openWebSocket>>;

function bin(name: string): string {
  const path = join(ROOT, "node_modules", ".bin", name);
  if (!existsSync(path)) throw new Error(`${name} is not installed in node_modules/.bin: run npm install`);
  return path;
}

function command(runtime: RuntimeName, args: string[]): [string, string[]] {
  if (runtime === "node") return [process.execPath, ["examples/node.ts", ...args]];
  if (runtime === "bun") return [bin("bun"), ["examples/bun.ts", ...args]];
  return [bin("deno"), ["run", "-A", "examples/deno.ts", ...args]];
}

const children: ChildProcess[] = [];

/** Start a reference server; resolves with its URL once it prints `listening on …` (30 s at most). */
function startServer(runtime: RuntimeName, args: string[]): Promise<string> {
  const [cmd, argv] = command(runtime, args);
  const child = spawn(cmd, argv, { cwd: ROOT, stdio: ["ignore", "pipe", "pipe"] });
  children.push(child);
  let output = "";
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`${runtime} did not start in 30 s:\n${output}`)), 30_000);
    const read = (chunk: Buffer): void => {
      output += chunk.toString();
      const match = /listening on (http:\/\/\S+)/.exec(output);
      if (match !== null) {
        clearTimeout(timer);
        resolve(match[1]!);
      }
    };
    child.stdout!.on("data", read);
    child.stderr!.on("data", read);
    child.once("exit", (code) => {
      clearTimeout(timer);
      reject(new Error(`${runtime} exited (${code}) before listening:\n${output}`));
    });
  });
}

function run(runtime: RuntimeName, args: string[]): Promise<{ code: number | null; stderr: string }> {
  const [cmd, argv] = command(runtime, args);
  return new Promise((resolve) => {
    execFile(cmd, argv, { cwd: ROOT, timeout: 20_000 }, (error, _stdout, stderr) => {
      resolve({ code: error === null ? 0 : typeof error.code === "number" ? error.code : null, stderr });
    });
  });
}

describe("reference servers on node, bun and deno share /chat through --redis", () => {
  let redis: RedisServer;
  const clients = new Map<RuntimeName, Socket>();

  beforeAll(async () => {
    redis = await RedisServer.start();
    const urls = await Promise.all(
      RUNTIMES.map(async (runtime) => startServer(runtime, ["--port", String(await freePort()), "--redis", redis.url])),
    );
    for (const [i, runtime] of RUNTIMES.entries()) {
      clients.set(runtime, await openWebSocket(urls[i]!.replace("http", "ws") + "/chat"));
    }
    // Each server subscribes `chat` on Redis when its first client joins: wait for all three.
    const deadline = Date.now() + 15_000;
    for (;;) {
      const reply = await new Promise<string>((resolve) =>
        execFile(
          "redis-cli",
          ["-p", String(redis.port), "PUBSUB", "NUMSUB", "wirecore:ws:chat"],
          (_e, out) => resolve(String(out)),
        )
      );
      if (reply.trim().split("\n")[1] === "3") break;
      if (Date.now() > deadline) throw new Error(`the servers never all subscribed chat: ${reply}`);
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
  }, 90_000);

  afterAll(async () => {
    for (const client of clients.values()) client.ws.close();
    for (const child of children) child.kill("SIGKILL");
    await redis?.stop();
  });

  for (const from of RUNTIMES) {
    it(`a message sent on the ${from} server reaches the other two once, in order`, async () => {
      const sent = Array.from({ length: 10 }, (_, i) => `${from} says ${i} é€`);
      for (const message of sent) clients.get(from)!.ws.send(message);
      const binary = Uint8Array.from({ length: 3000 }, (_, i) => (i * 31) & 0xff);
      clients.get(from)!.ws.send(binary);
      for (const to of RUNTIMES.filter((r) => r !== from)) {
        const got: (string | ArrayBuffer)[] = [];
        for (let i = 0; i <= sent.length; i++) got.push(await clients.get(to)!.next(`${from} → ${to} #${i}`, 10_000));
        expect(got.slice(0, sent.length), `${from} → ${to}`).toEqual(sent);
        expect(got[sent.length]).toBeInstanceOf(ArrayBuffer);
        expect(new Uint8Array(got[sent.length] as ArrayBuffer)).toEqual(binary);
      }
    });
  }

  it("the sender gets nothing back, and nobody a duplicate", async () => {
    // A marker from node: if any earlier message had come twice, it would be read before the marker.
    clients.get("node")!.ws.send("marker");
    for (const to of ["bun", "deno"] as const) expect(await clients.get(to)!.next("marker", 10_000)).toBe("marker");
    clients.get("bun")!.ws.send("marker2");
    expect(await clients.get("node")!.next("marker2", 10_000)).toBe("marker2");
    expect(await clients.get("deno")!.next("marker2", 10_000)).toBe("marker2");
  });

  for (const runtime of RUNTIMES) {
    it(`${runtime}: a bad or unreachable --redis exits 1 with one line`, async () => {
      const bad = await run(runtime, ["--port", "0", "--redis", "not-a-url"]);
      expect(bad.code, bad.stderr).toBe(1);
      expect(bad.stderr.trim()).toMatch(/^wirecore: invalid --redis "not-a-url"/);
      const down = await run(runtime, ["--port", "0", "--redis", `redis://127.0.0.1:${await freePort()}`]);
      expect(down.code, down.stderr).toBe(1);
      expect(down.stderr.trim().split("\n")).toHaveLength(1);
      expect(down.stderr).toMatch(/^wirecore: cannot reach Redis at redis:\/\/127\.0\.0\.1:\d+/);
    }, 60_000);
  }
});
