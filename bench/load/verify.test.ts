import { afterEach, describe, expect, it } from "vitest";
import { createServer, type Server, type Socket } from "node:net";
import { ResponseVerifier } from "./verify.ts";
import { runLoad } from "./engine.ts";
import { buildVariants } from "./request.ts";

describe("ResponseVerifier", () => {
  it("learns the body length from the first good response, then holds every response to it", () => {
    const v = new ResponseVerifier(1, { status: 200, bodyLength: -1 });
    expect(v.check(0, 200, 13)).toBe(true);
    expect(v.check(0, 200, 13)).toBe(true);
    expect(v.check(0, 200, 12)).toBe(false);
    expect(v.check(0, 200, 0)).toBe(false);
    expect(v.toJSON()).toEqual({ "body length": 2 });
    expect(v.examples.get("body length")).toBe("expected 13 bytes, got 12");
  });

  it("does not learn from a response with the wrong status", () => {
    const v = new ResponseVerifier(1, { status: 200, bodyLength: -1 });
    expect(v.check(0, 500, 21)).toBe(false);
    expect(v.check(0, 200, 13)).toBe(true);
    expect(v.check(0, 200, 21)).toBe(false);
    expect(v.toJSON()).toEqual({ "status 500": 1, "body length": 1 });
  });

  it("counts a wrong status by its code, whatever the length", () => {
    const v = new ResponseVerifier(1, { status: 200, bodyLength: 13 });
    expect(v.check(0, 404, 13)).toBe(false);
    expect(v.check(0, 404, 9)).toBe(false);
    expect(v.check(0, 503, 13)).toBe(false);
    expect(v.toJSON()).toEqual({ "status 404": 2, "status 503": 1 });
    expect(v.total).toBe(3);
  });

  it("uses a given length from the start", () => {
    const v = new ResponseVerifier(1, { status: 200, bodyLength: 5 });
    expect(v.check(0, 200, 13)).toBe(false);
    expect(v.check(0, 200, 5)).toBe(true);
  });

  it("learns one length per request variant", () => {
    const v = new ResponseVerifier(3, { status: 200, bodyLength: -1 });
    expect(v.check(0, 200, 10)).toBe(true); // {"id":"0"}
    expect(v.check(2, 200, 11)).toBe(true); // {"id":"10"}
    expect(v.check(0, 200, 10)).toBe(true);
    expect(v.check(2, 200, 11)).toBe(true);
    expect(v.check(1, 200, 10)).toBe(true);
    expect(v.check(2, 200, 10)).toBe(false);
    expect(v.total).toBe(1);
  });

  it("counts several lost requests at once and lists kinds largest first", () => {
    const v = new ResponseVerifier(1, { status: 200, bodyLength: -1 });
    v.count("timeout", "no response", 1);
    v.count("closed with requests in flight", "closed", 15);
    expect(Object.keys(v.toJSON())).toEqual(["closed with requests in flight", "timeout"]);
    expect(v.total).toBe(16);
  });
});

// ─── The engine against small misbehaving servers ─────────────────────────────────────────────

let server: Server | null = null;

afterEach(async () => {
  await new Promise<void>((resolve) => (server ? server.close(() => resolve()) : resolve()));
  server = null;
});

/** A server that answers each request (heads end with CRLFCRLF; no bodies) via `answer(n)`. */
async function fakeServer(answer: (n: number, socket: Socket) => string | null, delayMs = 0): Promise<number> {
  let n = 0;
  server = createServer((socket) => {
    let pending = "";
    let queue = Promise.resolve();
    socket.on("error", () => {});
    socket.on("data", (chunk) => {
      pending += chunk.toString("latin1");
      let end: number;
      while ((end = pending.indexOf("\r\n\r\n")) >= 0) {
        pending = pending.slice(end + 4);
        const k = n++;
        queue = queue.then(async () => {
          if (delayMs > 0) await new Promise((r) => setTimeout(r, delayMs));
          const out = answer(k, socket);
          if (out !== null && !socket.destroyed) socket.write(out);
        });
      }
    });
  });
  await new Promise<void>((resolve) => server!.listen(0, "127.0.0.1", resolve));
  const address = server.address();
  return typeof address === "object" && address !== null ? address.port : 0;
}

const ok = (body: string, status = 200): string =>
  `HTTP/1.1 ${status} X\r\ncontent-length: ${body.length}\r\n\r\n${body}`;

function options(port: number, extra: Partial<Parameters<typeof runLoad>[0]> = {}): Parameters<typeof runLoad>[0] {
  return {
    host: "127.0.0.1",
    port,
    requests: buildVariants(
      { method: "GET", authority: `127.0.0.1:${port}`, target: "/", bodySize: 0, headers: [] },
      1,
    ),
    method: "GET",
    connections: 4,
    pipeline: 1,
    durationMs: 300,
    expectStatus: 200,
    expectLength: -1,
    timeoutMs: 5_000,
    ...extra,
  };
}

describe("runLoad verifies every response", () => {
  it("counts a wrong body length and a wrong status as errors, not requests", async () => {
    const port = await fakeServer((
      n,
    ) => (n === 0 ? ok("Hello") : n % 5 === 0 ? ok("Hello!!") : n % 7 === 0 ? ok("Hello", 500) : ok("Hello")));
    const r = await runLoad(options(port));
    expect(r.requests).toBeGreaterThan(20);
    expect(r.errors["body length"]).toBeGreaterThan(0);
    expect(r.errors["status 500"]).toBeGreaterThan(0);
    // Every error was one response the server sent; none of them counted as a request.
    const total = r.requests + r.errors["body length"]! + r.errors["status 500"]!;
    expect(r.requests / total).toBeGreaterThan(0.6);
    expect(r.requests / total).toBeLessThan(0.8);
  });

  it("counts requests lost with a connection the server closes", async () => {
    const port = await fakeServer((n, socket) => {
      if (n % 10 === 9) {
        socket.destroy();
        return null;
      }
      return ok("fine");
    });
    const r = await runLoad(options(port));
    expect(r.requests).toBeGreaterThan(5);
    expect(r.errors["closed with requests in flight"]).toBeGreaterThan(0);
    expect(r.reconnects).toBeGreaterThan(0);
  });

  it("counts a malformed response as a parse error", async () => {
    const port = await fakeServer((
      n,
    ) => (n % 4 === 3 ? "HTTP/1.1 200 OK\r\nContent-Length: 1\r\nContent-Length: 2\r\n\r\nx" : ok("fine")));
    const r = await runLoad(options(port));
    expect(r.errors["parse CONFLICTING_CONTENT_LENGTH"]).toBeGreaterThan(0);
    expect(r.requests).toBeGreaterThan(0);
  });

  it("charges pipelined requests the time they queued behind earlier ones", async () => {
    // One connection, 8 requests per write, the server answers one every 10 ms: the k-th
    // response of a batch waited about 10·k ms since the batch was written.
    const port = await fakeServer(() => ok("x"), 10);
    const r = await runLoad(options(port, { connections: 1, pipeline: 8, durationMs: 600 }));
    expect(r.requests).toBeGreaterThanOrEqual(16);
    expect(r.latency.min).toBeGreaterThanOrEqual(9);
    expect(r.latency.min).toBeLessThan(50);
    expect(r.latency.max).toBeGreaterThanOrEqual(75);
    expect(r.latency.p50).toBeGreaterThanOrEqual(35);
    expect(Object.keys(r.errors)).toEqual([]);
  });
});
