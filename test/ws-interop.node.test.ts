/**
 * WebSocket interop with independent peers (DESIGN.md §4, issue 5 "Tests and peers"), run by
 * vitest on Node: `npx vitest run test/ws-interop.node.test.ts`
 *
 * - The Python `websockets` library (Debian `python3-websockets`, run with /usr/bin/python3) as a
 *   client against the reference app served by each runtime in its own process: the example
 *   entry as it is (`examples/{node,bun,deno}.ts`, compression off: an offer is declined) and
 *   the same app with permessage-deflate on (`test/ws-interop-server.ts`), with the client's
 *   compression off (`compression=None`), on (its default, `deflate`, with context takeover), and
 *   on without context takeover either way.
 * - Headless Chromium (Debian `chromium`, driven by playwright-core) loading `/ws-demo` from the
 *   Node adapter (the page opens a socket, a click sends, the echo shows), and echoing text and
 *   binary messages up to 300 kB with each runtime's server compressing every message from
 *   scratch (`server_no_context_takeover`).
 *
 * A missing peer is a failure, not a skip: CI installs them (`apt-get install python3-websockets
 * chromium`).
 */
import assert from "node:assert/strict";
import { type ChildProcess, execFile, spawn } from "node:child_process";
import { existsSync } from "node:fs";
import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import type { Browser } from "playwright-core";
import { afterAll, beforeAll, describe, it } from "vitest";
import { serve } from "../adapters/node/mod.ts";
import type { Server } from "../core/server/server.ts";
import { createApp } from "../examples/app.ts";
import { launchChromium } from "./support/chromium.ts";

const ROOT = resolve(import.meta.dirname, "..");
const PYTHON = "/usr/bin/python3";

// ── the Python client ────────────────────────────────────────────────────────────────────────────

/**
 * Runs the checks against `argv[1]` (a ws:// base URL) with `argv[2]` = "none" | "deflate" |
 * "fresh" (deflate offered without context takeover either way) and prints a JSON summary; any failed check raises (exit code 1, traceback on stderr).
 */
const PYTHON_CLIENT = String.raw`
import asyncio, json, os, sys
import websockets

from websockets.extensions.permessage_deflate import ClientPerMessageDeflateFactory

BASE, MODE = sys.argv[1], sys.argv[2]
SIZES = [0, 1, 125, 126, 65535, 65536, 1 << 20, 4 << 20]
UNIT = "wirecore \u2713 h\u00e9llo \U0001d11e "

def connect(path):
    if MODE == "fresh":  # permessage-deflate without context takeover either way
        offer = ClientPerMessageDeflateFactory(server_no_context_takeover=True, client_no_context_takeover=True)
        options = {"compression": None, "extensions": [offer]}
    else:
        options = {"compression": None if MODE == "none" else "deflate"}
    return websockets.connect(BASE + path, max_size=None, ping_interval=None, open_timeout=5,
                              close_timeout=5, **options)

def check(condition, message):
    if not condition:
        raise AssertionError(message)

async def echo(summary):
    async with connect("/ws") as ws:
        summary["extensions"] = [e.name for e in ws.extensions]
        summary["fresh"] = [e.remote_no_context_takeover for e in ws.extensions]
        for size in SIZES:
            text = (UNIT * (size // len(UNIT) + 1))[:size]
            await ws.send(text)
            back = await asyncio.wait_for(ws.recv(), 10)
            check(isinstance(back, str), f"text of {size} chars came back as {type(back).__name__}")
            check(back == text, f"text of {size} chars changed")
            data = os.urandom(size)
            await ws.send(data)
            back = await asyncio.wait_for(ws.recv(), 10)
            check(isinstance(back, bytes), f"{size} bytes came back as {type(back).__name__}")
            check(back == data, f"{size} bytes changed")
        # The same message again: with context takeover it is a back-reference both ways.
        for _ in range(3):
            text = UNIT * 100
            await ws.send(text)
            check(await asyncio.wait_for(ws.recv(), 10) == text, "repeated text changed")
        # Fragmented messages: an iterable is sent as one frame per item.
        await ws.send(["frag", "mented ", "\u2713 text"])
        check(await asyncio.wait_for(ws.recv(), 10) == "fragmented \u2713 text", "fragmented text")
        await ws.send([b"\x00\x01", b"", b"\x02" * 70000])
        check(await asyncio.wait_for(ws.recv(), 10) == b"\x00\x01" + b"\x02" * 70000, "fragmented binary")
        # Ping: the pong carries the same payload (websockets matches it to the waiter).
        pong = await ws.ping(b"python ping")
        await asyncio.wait_for(pong, 5)
        summary["pong"] = True

async def close_codes(summary):
    codes = {}
    for code in [1000, 1001, 1003, 1008, 3000, 4000, 4999]:
        ws = await connect("/ws")
        await ws.send("before close")
        check(await asyncio.wait_for(ws.recv(), 5) == "before close", "echo before close")
        await ws.close(code, "bye \u2713")
        codes[str(code)] = ws.close_code
    summary["close_codes"] = codes

async def chat(summary):
    a, b, c = await connect("/chat"), await connect("/chat"), await connect("/chat")
    await asyncio.sleep(0.1)
    await a.send("hello from a")
    for name, ws in (("b", b), ("c", c)):
        check(await asyncio.wait_for(ws.recv(), 5) == "hello from a", f"{name} missed a's message")
    await b.send(b"\x01\x02")
    check(await asyncio.wait_for(a.recv(), 5) == b"\x01\x02", "a missed b's bytes")
    check(await asyncio.wait_for(c.recv(), 5) == b"\x01\x02", "c missed b's bytes")
    try:
        extra = await asyncio.wait_for(a.recv(), 0.3)
        raise AssertionError(f"a got its own message back: {extra!r}")
    except asyncio.TimeoutError:
        pass
    for ws in (a, b, c):
        await ws.close()
    summary["chat"] = True

async def main():
    summary = {"version": websockets.__version__}
    await echo(summary)
    await close_codes(summary)
    await chat(summary)
    print(json.dumps(summary))

asyncio.run(main())
`;

interface PythonSummary {
  version: string;
  extensions: string[];
  /** Per extension: whether the server agreed to compress each message from scratch. */
  fresh: boolean[];
  pong: boolean;
  close_codes: Record<string, number>;
  chat: boolean;
}

function run(
  file: string,
  args: string[],
  timeoutMs: number,
): Promise<{ code: number | null; stdout: string; stderr: string; error: NodeJS.ErrnoException | null }> {
  return new Promise((done) => {
    execFile(file, args, { timeout: timeoutMs, maxBuffer: 16 * 1024 * 1024 }, (error, stdout, stderr) => {
      done({
        code: error === null ? 0 : typeof error.code === "number" ? error.code : null,
        stdout,
        stderr,
        error: error as NodeJS.ErrnoException | null,
      });
    });
  });
}

// ── servers in child processes ───────────────────────────────────────────────────────────────────

type RuntimeName = "node" | "bun" | "deno";

/** The command that runs a TypeScript file on a runtime (the npm-installed binaries). */
function command(runtime: RuntimeName, file: string): [string, string[]] {
  const bin = (name: string): string => {
    const path = join(ROOT, "node_modules", ".bin", name);
    if (!existsSync(path)) throw new Error(`${name} is not installed in node_modules/.bin: run npm install`);
    return path;
  };
  if (runtime === "node") return [process.execPath, [file, "--port", "0"]];
  if (runtime === "bun") return [bin("bun"), [file, "--port", "0"]];
  return [bin("deno"), ["run", "-A", file, "--port", "0"]];
}

interface Child {
  process: ChildProcess;
  url: string;
  output(): string;
}

/** Start a server process and wait for its `listening on http://…` line. */
function startChild(runtime: RuntimeName, file: string, extra: string[] = []): Promise<Child> {
  const [cmd, base] = command(runtime, file);
  const args = [...base, ...extra];
  const child = spawn(cmd, args, { cwd: ROOT, stdio: ["ignore", "pipe", "pipe"] });
  let output = "";
  return new Promise((done, fail) => {
    const timer = setTimeout(() => {
      child.kill();
      fail(new Error(`${runtime} ${file}: no "listening on" within 20 s; output:\n${output}`));
    }, 20_000);
    const onData = (chunk: Buffer): void => {
      output += chunk.toString();
      const match = /listening on (http:\/\/[^\s]+)/.exec(output);
      if (match !== null) {
        clearTimeout(timer);
        done({ process: child, url: match[1]!.replace(/\/$/, ""), output: () => output });
      }
    };
    child.stdout!.on("data", onData);
    child.stderr!.on("data", onData);
    child.once("exit", (code) => {
      clearTimeout(timer);
      fail(new Error(`${runtime} ${file} exited (${code}) before listening; output:\n${output}`));
    });
    child.once("error", (error) => {
      clearTimeout(timer);
      fail(new Error(`${runtime} ${file}: ${error.message}`));
    });
  });
}

async function stopChild(child: Child | undefined): Promise<void> {
  if (child === undefined || child.process.exitCode !== null) return;
  const exited = new Promise((done) => child.process.once("exit", done));
  child.process.kill("SIGTERM");
  const timer = setTimeout(() => child.process.kill("SIGKILL"), 3000);
  await exited;
  clearTimeout(timer);
}

// ── the Python cases ─────────────────────────────────────────────────────────────────────────────

let dir = "";
let script = "";

beforeAll(async () => {
  const probe = await run(PYTHON, ["-c", "import websockets; print(websockets.__version__)"], 10_000);
  if (probe.error?.code === "ENOENT") {
    throw new Error(
      `${PYTHON} is missing: the interop tests need Python 3 with websockets (Debian: apt-get install python3-websockets)`,
    );
  }
  if (probe.code !== 0) {
    throw new Error(
      `${PYTHON} cannot import websockets (Debian: apt-get install python3-websockets):\n${probe.stderr}`,
    );
  }
  dir = await mkdtemp(join(tmpdir(), "wirecore-ws-interop-"));
  script = join(dir, "client.py");
  await writeFile(script, PYTHON_CLIENT);
});

afterAll(async () => {
  if (dir !== "") await rm(dir, { recursive: true, force: true });
});

async function python(url: string, mode: "none" | "deflate" | "fresh"): Promise<PythonSummary> {
  const wsUrl = url.replace(/^http/, "ws");
  const result = await run(PYTHON, [script, wsUrl, mode], 60_000);
  if (result.code !== 0) {
    assert.fail(
      `python websockets (compression=${mode}) against ${wsUrl} failed (exit ${result.code}):\n${result.stderr}${result.stdout}`,
    );
  }
  return JSON.parse(result.stdout.trim().split("\n").pop()!) as PythonSummary;
}

function assertSummary(summary: PythonSummary, compressed: boolean): void {
  assert.deepEqual(summary.extensions, compressed ? ["permessage-deflate"] : [], "negotiated extensions");
  assert.equal(summary.pong, true);
  assert.equal(summary.chat, true);
  // The server echoes the client's close code (RFC 6455 §5.5.1).
  for (const [code, echoed] of Object.entries(summary.close_codes)) assert.equal(echoed, Number(code), `close ${code}`);
}

for (const runtime of ["node", "bun", "deno"] as const) {
  describe(`python websockets against the reference app on ${runtime}`, () => {
    let plain: Child | undefined;
    let deflate: Child | undefined;

    beforeAll(async () => {
      [plain, deflate] = await Promise.all([
        startChild(runtime, `examples/${runtime}.ts`),
        startChild(runtime, "test/ws-interop-server.ts"),
      ]);
    }, 30_000);

    afterAll(async () => {
      await Promise.all([stopChild(plain), stopChild(deflate)]);
    });

    it(
      `examples/${runtime}.ts (compression off): the client's deflate offer is declined, everything works`,
      async () => {
        assertSummary(await python(plain!.url, "deflate"), false);
      },
      60_000,
    );

    it(`permessage-deflate on, client compression=None`, async () => {
      assertSummary(await python(deflate!.url, "none"), false);
    }, 60_000);

    it(`permessage-deflate on, client compression=deflate (context takeover both ways)`, async () => {
      const summary = await python(deflate!.url, "deflate");
      assertSummary(summary, true);
      // Deno's node:zlib ignores a preset dictionary on raw deflate, so there the server always
      // answers server_no_context_takeover (adapters/zlib-deflate.ts).
      assert.deepEqual(summary.fresh, [runtime === "deno"]);
    }, 60_000);

    // Without server context takeover, Bun's adapter ends each message with a final block
    // (RFC 7692 §7.2.3.3); the client must read every size back unchanged.
    it(`permessage-deflate on, no context takeover either way`, async () => {
      const summary = await python(deflate!.url, "fresh");
      assertSummary(summary, true);
      assert.deepEqual(summary.fresh, [true]);
    }, 60_000);
  });
}

// ── Chromium ─────────────────────────────────────────────────────────────────────────────────────

describe("chromium", () => {
  let browser: Browser | undefined;
  let server: Server | undefined;
  const children: Child[] = [];

  beforeAll(async () => {
    browser = await launchChromium();
  }, 30_000);

  afterAll(async () => {
    await browser?.close();
    await server?.close();
    await Promise.all(children.map(stopChild));
  });

  it("loads /ws-demo from the node adapter, clicks send, and the page shows the echo", async () => {
    server = serve(createApp(), { port: 0, hostname: "127.0.0.1" });
    await server.ready;
    const page = await browser!.newPage();
    await page.goto(`${server.url}/ws-demo`);
    await page.waitForFunction(() => document.title === "open", undefined, { timeout: 10_000 });
    await page.fill("#text", "hello from chromium ✓");
    await page.click("#send");
    await page.waitForFunction(() => document.title.startsWith("echo: "), undefined, { timeout: 10_000 });
    assert.equal(await page.title(), "echo: hello from chromium ✓");
    assert.match((await page.textContent("#log"))!, /^open\necho: hello from chromium ✓\n$/);
    await page.close();
  }, 60_000);

  // The server compresses every message from scratch: on Bun each one is a final-block stream
  // (RFC 7692 §7.2.3.3), which the browser must read back, message after message.
  for (const runtime of ["node", "bun", "deno"] as const) {
    it(`echoes compressed messages without server context takeover (${runtime})`, async () => {
      const child = await startChild(runtime, "test/ws-interop-server.ts", ["--fresh"]);
      children.push(child);
      const page = await browser!.newPage();
      const result = await page.evaluate(async (url) => {
        const ws = new WebSocket(url);
        ws.binaryType = "arraybuffer";
        await new Promise((resolve, reject) => {
          ws.onopen = resolve;
          ws.onerror = () => reject(new Error("the WebSocket failed to open"));
        });
        // The next message, or the close that ended the connection (a browser that cannot
        // inflate a message fails the connection, RFC 7692 §8).
        const next = (): Promise<unknown> =>
          new Promise((resolve, reject) => {
            ws.onmessage = (event) => resolve(event.data);
            ws.onclose = (event) => reject(new Error(`closed ${event.code} ${event.reason}`));
          });
        const echoes: { sent: number; same: boolean }[] = [];
        for (const size of [0, 13, 4096, 4096, 40_000, 300_000]) {
          const text = "wirecore ✓ deflate ".repeat(Math.ceil(size / 19)).slice(0, size);
          ws.send(text);
          echoes.push({ sent: size, same: (await next()) === text });
          const bytes = Uint8Array.from({ length: size }, (_, i) => (i * 7) & 0xff);
          ws.send(bytes);
          const got = new Uint8Array((await next()) as ArrayBuffer);
          echoes.push({ sent: size, same: got.length === size && got.every((b, i) => b === bytes[i]) });
        }
        const extensions = ws.extensions;
        ws.close();
        return { extensions, echoes };
      }, child.url.replace(/^http/, "ws") + "/ws");
      await page.close();
      assert.match(result.extensions, /^permessage-deflate;.*server_no_context_takeover/);
      for (const echo of result.echoes) assert.ok(echo.same, `echo of ${echo.sent} came back changed`);
    }, 60_000);
  }
});
