import { describe, expect, it } from "vitest";
import { App } from "../../app/app.ts";
import { HttpError } from "../../http/http-error.ts";
import { FakeTransport } from "../../../test/support/fake-transport.ts";
import type { ServerCore } from "../../server/server-core.ts";
import { createServerCore } from "../../app/serve-target.ts";
import type { ServeOptions } from "../../server/options.ts";

function setup(app: App, options: ServeOptions = {}): { core: ServerCore; t: FakeTransport } {
  const core = createServerCore(app, { onError: () => {}, ...options });
  const t = new FakeTransport();
  t.handler = core.accept(t);
  return { core, t };
}

const tick = (): Promise<void> => new Promise((resolve) => setTimeout(resolve, 0));

function countStatus(text: string, status: number): number {
  return text.split(`HTTP/1.1 ${status} `).length - 1;
}

describe("Http1Connection over a fake transport", () => {
  it("answers 100 pipelined requests from one read with one write, in order", () => {
    const app = new App().get("/users/:id", (c) => c.json({ id: c.params.id }));
    const { t } = setup(app);
    let input = "";
    for (let i = 0; i < 100; i++) input += `GET /users/${i} HTTP/1.1\r\nHost: x\r\n\r\n`;
    t.send(input);
    expect(t.writes.length).toBe(1);
    const text = t.text();
    expect(countStatus(text, 200)).toBe(100);
    let at = 0;
    for (let i = 0; i < 100; i++) {
      const next = text.indexOf(`{"id":"${i}"}`, at);
      expect(next).toBeGreaterThan(at);
      at = next;
    }
  });

  it("keeps order when handlers are async, and halts parsing behind a pending response", async () => {
    let release: () => void = () => {};
    const gate = new Promise<void>((resolve) => (release = resolve));
    const app = new App()
      .get("/slow", async (c) => {
        await gate;
        return c.text("slow");
      })
      .get("/fast", (c) => c.text("fast"));
    const { t } = setup(app);
    t.send("GET /slow HTTP/1.1\r\nHost: x\r\n\r\nGET /fast HTTP/1.1\r\nHost: x\r\n\r\n");
    expect(t.text()).toBe("");
    release();
    await tick();
    const text = t.text();
    expect(text.indexOf("slow")).toBeGreaterThan(0);
    expect(text.indexOf("fast")).toBeGreaterThan(text.indexOf("slow"));
  });

  it("stops parsing pipelined requests while the transport is above its high-water mark (§ backpressure)", () => {
    const app = new App().get("/", (c) => c.text("x"));
    const { t } = setup(app);
    t.full = true;
    const one = "GET / HTTP/1.1\r\nHost: x\r\n\r\n";
    t.send(one.repeat(10));
    // The batch of one read goes out in one write, which fills the socket.
    expect(countStatus(t.text(), 200)).toBe(10);
    expect(t.writes.length).toBe(1);
    // More input while blocked is kept unparsed, and reading pauses once the backlog is large.
    t.send(one.repeat(5000));
    expect(t.paused).toBe(true);
    expect(countStatus(t.text(), 200)).toBe(10);
    t.full = false;
    t.handler!.drain();
    expect(countStatus(t.text(), 200)).toBe(5010);
    expect(t.paused).toBe(false);
  });

  it("does not produce a whole read's worth of large responses while the socket is full", () => {
    const big = new Uint8Array(100 * 1024);
    const app = new App().get("/big", (c) => c.body(big));
    const { t } = setup(app);
    t.full = true;
    t.send("GET /big HTTP/1.1\r\nHost: x\r\n\r\n".repeat(50));
    expect(countStatus(t.text(), 200)).toBe(1);
    t.full = false;
    t.handler!.drain();
    expect(countStatus(t.text(), 200)).toBe(50);
  });

  it("pauses reading while a request body is not consumed, resumes as it is read", async () => {
    let body: ReadableStream<Uint8Array> | null = null;
    let finish: () => void = () => {};
    const done = new Promise<void>((resolve) => (finish = resolve));
    const app = new App().post("/up", async (c) => {
      body = c.req.body;
      await done;
      return c.text("ok");
    });
    const { t } = setup(app);
    const size = 256 * 1024;
    t.send(`POST /up HTTP/1.1\r\nHost: x\r\nContent-Length: ${size}\r\n\r\n`);
    t.send("a".repeat(128 * 1024));
    expect(t.paused).toBe(true);
    const reader = body!.getReader();
    let got = 0;
    while (got < 128 * 1024) got += (await reader.read()).value!.length;
    expect(t.paused).toBe(false);
    t.send("a".repeat(128 * 1024));
    while (got < size) got += (await reader.read()).value!.length;
    expect((await reader.read()).done).toBe(true);
    finish();
    await tick();
    expect(t.text()).toContain("HTTP/1.1 200 OK");
  });

  it("sends 100 Continue only when the handler reads the body (RFC 9110 §10.1.1)", async () => {
    const app = new App().post("/read", async (c) => c.text(await c.req.text()));
    const { t } = setup(app);
    t.send("POST /read HTTP/1.1\r\nHost: x\r\nExpect: 100-continue\r\nContent-Length: 5\r\n\r\n");
    await tick();
    expect(t.text()).toBe("HTTP/1.1 100 Continue\r\n\r\n");
    t.send("hello");
    await tick();
    expect(t.text()).toMatch(/^HTTP\/1\.1 100 Continue\r\n\r\nHTTP\/1\.1 200 OK\r\n[\s\S]*\r\n\r\nhello$/);
  });

  it("answers 413 without 100 Continue when the declared body is over the route limit", () => {
    const app = new App().post("/small", { bodyLimit: 10 }, (c) => c.text("never"));
    const { t } = setup(app);
    t.send("POST /small HTTP/1.1\r\nHost: x\r\nExpect: 100-continue\r\nContent-Length: 11\r\n\r\n");
    const text = t.text();
    expect(text).not.toContain("100 Continue");
    expect(text).toMatch(/^HTTP\/1\.1 413 /);
    expect(text).toContain("connection: close");
    expect(t.ended).toBe(true);
  });

  it("answers a malformed request after the responses to the good ones before it, then closes", () => {
    const app = new App().get("/", (c) => c.text("ok"));
    const { t } = setup(app);
    t.send(
      "GET / HTTP/1.1\r\nHost: x\r\n\r\nGET / HTTP/1.1\r\nHost: x\r\nContent-Length: 1\r\nTransfer-Encoding: chunked\r\n\r\n",
    );
    const text = t.text();
    expect(text.indexOf("200 OK")).toBeLessThan(text.indexOf("400 Bad Request"));
    expect(t.ended).toBe(true);
  });

  it("gives 500 for a thrown error and HttpError's status, keeping the connection", async () => {
    const app = new App()
      .get("/boom", () => {
        throw new Error("boom");
      })
      .get("/teapot", () => {
        throw new HttpError(418, "short and stout");
      });
    const { t } = setup(app);
    t.send("GET /boom HTTP/1.1\r\nHost: x\r\n\r\nGET /teapot HTTP/1.1\r\nHost: x\r\n\r\n");
    await tick();
    const text = t.text();
    expect(text).toContain("HTTP/1.1 500 Internal Server Error");
    expect(text).not.toContain("boom");
    expect(text).toContain("HTTP/1.1 418");
    expect(text).toContain("short and stout");
    expect(t.ended).toBe(false);
  });

  it("never writes a header value with CR or LF: the response becomes a 500", () => {
    const app = new App().get("/", (c) => c.header("x-evil", "a\r\nset-cookie: pwned=1").text("hi"));
    const { t } = setup(app);
    t.send("GET / HTTP/1.1\r\nHost: x\r\n\r\n");
    expect(t.text()).toMatch(/^HTTP\/1\.1 500 /);
    expect(t.text()).not.toContain("pwned");
  });

  it("sends no body for HEAD, 204 and 304, with Content-Length for HEAD", () => {
    const app = new App()
      .get("/", (c) => c.text("hello"))
      .get("/204", (c) => c.body(null, 204))
      .get("/304", (c) => c.body(null, 304));
    const { t } = setup(app);
    t.send(
      "HEAD / HTTP/1.1\r\nHost: x\r\n\r\nGET /204 HTTP/1.1\r\nHost: x\r\n\r\nGET /304 HTTP/1.1\r\nHost: x\r\n\r\n",
    );
    const text = t.text();
    expect(text).toContain("content-length: 5\r\n");
    expect(text).not.toContain("hello");
    const after204 = text.slice(text.indexOf("204 No Content"));
    expect(after204.slice(0, after204.indexOf("\r\n\r\n"))).not.toContain("content-length");
  });

  it("streams a body with chunked coding and ends with the last chunk", async () => {
    const app = new App().get("/s", (c) =>
      c.body((async function* () {
        yield "ab";
        yield new Uint8Array([0x63]);
      })()));
    const { t } = setup(app);
    t.send("GET /s HTTP/1.1\r\nHost: x\r\n\r\n");
    for (let i = 0; i < 5; i++) await tick();
    expect(t.text()).toMatch(/transfer-encoding: chunked\r\n[\s\S]*\r\n\r\n2\r\nab\r\n1\r\nc\r\n0\r\n\r\n$/);
  });

  it("closes after the response with Connection: close, and for HTTP/1.0 without keep-alive (RFC 9112 §9.3)", () => {
    const app = new App().get("/", (c) => c.text("x"));
    const a = setup(app).t;
    a.send("GET / HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n");
    expect(a.text()).toContain("connection: close");
    expect(a.ended).toBe(true);
    const b = setup(app).t;
    b.send("GET / HTTP/1.0\r\n\r\n");
    expect(b.text()).toMatch(/^HTTP\/1\.1 200 OK/);
    expect(b.ended).toBe(true);
    const c = setup(app).t;
    c.send("GET / HTTP/1.0\r\nConnection: keep-alive\r\n\r\n");
    expect(c.text()).toContain("connection: keep-alive");
    expect(c.ended).toBe(false);
  });

  it("aborts the request signal when the client goes away", () => {
    let signal: AbortSignal | null = null;
    const app = new App().get("/wait", (c) => {
      signal = c.req.signal;
      return new Promise(() => {});
    });
    const { t } = setup(app);
    t.send("GET /wait HTTP/1.1\r\nHost: x\r\n\r\n");
    expect(signal!.aborted).toBe(false);
    t.handler!.closed();
    expect(signal!.aborted).toBe(true);
  });

  it("closes idle keep-alive connections on shutdown and waits for in-flight ones", async () => {
    let release: () => void = () => {};
    const gate = new Promise<void>((resolve) => (release = resolve));
    const app = new App().get("/slow", async (c) => {
      await gate;
      return c.text("done");
    }).get("/", (c) => c.text("x"));
    const core = createServerCore(app, { onError: () => {} });
    const idle = new FakeTransport();
    idle.handler = core.accept(idle);
    idle.send("GET / HTTP/1.1\r\nHost: x\r\n\r\n");
    const busy = new FakeTransport();
    busy.handler = core.accept(busy);
    busy.send("GET /slow HTTP/1.1\r\nHost: x\r\n\r\n");
    let finished = false;
    const shutdown = core.shutdown().then(() => (finished = true));
    expect(idle.ended).toBe(true);
    idle.handler!.closed();
    expect(busy.ended).toBe(false);
    release();
    await tick();
    expect(busy.text()).toContain("done");
    expect(busy.text()).toContain("connection: close");
    expect(busy.ended).toBe(true);
    busy.handler!.closed();
    await shutdown;
    expect(finished).toBe(true);
  });
});
