/**
 * Streaming from disk with backpressure: a sparse 1 GiB file read through a client slower than
 * the disk, over HTTP/1.1 and h2c, while the server's memory is sampled. The contract suite runs
 * the server in the test process, so `process.memoryUsage().rss` (node:process, on all three
 * runtimes) sees the server's buffers. The client reads from its socket at a fixed rate and
 * stops reading for 3 s after 64 MiB: a server that read the file ahead of the socket would
 * grow by hundreds of MB there (checked by turning the provider's read-ahead up: it fails).
 */
import assert from "node:assert/strict";
import { connect as netConnect } from "node:net";
import http2 from "node:http2";
import process from "node:process";
import { App } from "../../../mod.ts";
import { serveStatic } from "../../../core/middleware/static/serve-static.ts";
import type { Server } from "../../../core/server/server.ts";
import { type Runtime, start, type TestApi } from "../harness.ts";
import { HUGE_SIZE, makeStaticTree, type StaticTree } from "./static-fixture.ts";
import { collect } from "../stress/memory-probe.ts";

/** The client's pace: well under what any provider reads (bench/README.md, static-file). */
const RATE_BYTES_PER_MS = 128 * 1024;
/** What the server may grow by while sending 1 GiB. */
const MAX_GROWTH = 100 * 1024 * 1024;

/**
 * Samples RSS every 25 ms until stopped; the peak above the start. As in the stress cases, a
 * collection is forced every 100 ms where the runtime allows it: every chunk that passes is a
 * fresh array, and a collector that runs late (Bun's, seen at +200 MB once) would be measured
 * instead of what the server holds.
 */
function sampleRss(): { stop(): number } {
  collect?.();
  const base = process.memoryUsage().rss;
  let peak = base;
  let ticks = 0;
  const timer = setInterval(() => {
    if (++ticks % 4 === 0) collect?.();
    peak = Math.max(peak, process.memoryUsage().rss);
  }, 25);
  return {
    stop: () => {
      clearInterval(timer);
      peak = Math.max(peak, process.memoryUsage().rss);
      return peak - base;
    },
  };
}

/** Where the client stops reading for a while: a server that reads ahead would fill memory then. */
const STALL_AT = 64 << 20;
const STALL_MS = 3000;

/**
 * Pause a reader that is ahead of the pace, resume it when the pace catches up; once, at
 * `STALL_AT` bytes, stop reading for `STALL_MS` altogether.
 */
function pacer(pause: () => void, resume: () => void): (bytes: number) => void {
  let started = Date.now();
  let received = 0;
  let waiting = false;
  let stalled = false;
  return (bytes) => {
    received += bytes;
    if (!stalled && received >= STALL_AT) {
      stalled = true;
      waiting = true;
      pause();
      setTimeout(() => {
        started += STALL_MS;
        waiting = false;
        resume();
      }, STALL_MS);
      return;
    }
    const ahead = received / RATE_BYTES_PER_MS - (Date.now() - started);
    if (ahead > 5 && !waiting) {
      waiting = true;
      pause();
      setTimeout(() => {
        waiting = false;
        resume();
      }, ahead);
    }
  };
}

/** GET the file over HTTP/1.1 on a raw socket; resolves with the body length read. */
function readHttp1(port: number, path: string, range?: string): Promise<number> {
  return new Promise((resolve, reject) => {
    const socket = netConnect({ port, host: "127.0.0.1" });
    let head = "";
    let body = -1;
    const pace = pacer(() => socket.pause(), () => socket.resume());
    socket.on("connect", () =>
      socket.write(
        `GET ${path} HTTP/1.1\r\nhost: x\r\nconnection: close\r\n${
          range === undefined ? "" : `range: ${range}\r\n`
        }\r\n`,
      ));
    socket.on("data", (chunk: Uint8Array) => {
      if (body < 0) {
        head += String.fromCharCode(...chunk.subarray(0, Math.min(chunk.length, 1024)));
        const end = head.indexOf("\r\n\r\n");
        if (end < 0) return;
        if (!head.startsWith(range === undefined ? "HTTP/1.1 200" : "HTTP/1.1 206")) {
          return reject(new Error(`Unexpected head: ${head.slice(0, end)}`));
        }
        body = chunk.length - (end + 4 - (head.length - Math.min(chunk.length, 1024)));
      } else body += chunk.length;
      pace(chunk.length);
    });
    socket.on("error", reject);
    socket.on("close", () => resolve(body));
  });
}

/** GET the file over h2c with node:http2, pausing the stream to keep the pace. */
function readH2c(port: number, path: string, range?: string): Promise<number> {
  return new Promise((resolve, reject) => {
    const session = http2.connect(`http://127.0.0.1:${port}`);
    session.on("error", reject);
    const stream = session.request({ ":path": path, ...(range === undefined ? {} : { range }) });
    let body = 0;
    const pace = pacer(() => stream.pause(), () => stream.resume());
    stream.on("response", (fields) => {
      if (fields[":status"] !== (range === undefined ? 200 : 206)) {
        reject(new Error(`Unexpected status ${fields[":status"]}`));
      }
    });
    stream.on("data", (chunk: Uint8Array) => {
      body += chunk.length;
      pace(chunk.length);
    });
    stream.on("error", reject);
    stream.on("end", () => {
      session.close();
      resolve(body);
    });
  });
}

/** Register the 1 GiB streaming cases. */
export function staticMemoryCases(t: TestApi, runtime: Runtime): void {
  t.describe("serveStatic streams a 1 GiB file with flat memory", () => {
    let tree: StaticTree;
    let server: Server;
    t.beforeAll(async () => {
      tree = makeStaticTree(true);
      server = await start(runtime, new App().get("/static/*", serveStatic({ root: tree.root })));
    });
    t.afterAll(async () => {
      await server?.close();
      tree?.remove();
    });
    // The whole 1 GiB over HTTP/1.1; over h2c its first 256 MiB (a range), which is still well past
    // what the server may hold and keeps the suite's time in bounds (h2c is the slower client here).
    const readers: [string, (port: number, path: string, range?: string) => Promise<number>, number][] = [
      ["HTTP/1.1", readHttp1, HUGE_SIZE],
      ["h2c", readH2c, 256 << 20],
    ];
    for (const [name, read, size] of readers) {
      const what = size === HUGE_SIZE ? "1 GiB" : `${size >> 20} MiB of it`;
      t.it(`over ${name}: every byte of ${what} arrives, RSS grows < 100 MB`, async () => {
        // Warm up on the first 32 MiB (JIT, heap sizing), so what follows measures the stream.
        assert.equal(await read(server.address.port, "/static/huge.bin", "bytes=0-33554431"), 32 << 20);
        const rss = sampleRss();
        const range = size === HUGE_SIZE ? undefined : `bytes=0-${size - 1}`;
        const length = await read(server.address.port, "/static/huge.bin", range);
        const growth = rss.stop();
        assert.equal(length, size);
        assert.ok(growth < MAX_GROWTH, `RSS grew by ${(growth / 1048576).toFixed(1)} MB while sending ${what}`);
        console.log(
          `serveStatic ${what} over ${name} on ${runtime.name}: RSS growth ${(growth / 1048576).toFixed(1)} MB`,
        );
      }, 120_000);
    }
  });
}
