/**
 * `app.fetch()` and `app.request()`: the App answering web Requests with web Responses, with no
 * socket at all (core/app/fetch-exchange.ts).
 */
import { describe, expect, it } from "vitest";
import { App } from "./app.ts";
import { HttpError } from "../http/http-error.ts";

const encoder = new TextEncoder();

function quiet(app: App): App {
  app.configure(1024 * 1024, () => {});
  return app;
}

describe("app.request() with no socket", () => {
  it("answers a path with status, fields and a Content-Length body", async () => {
    const app = new App().get("/users/:id", (c) => c.json({ id: c.params.id, q: c.req.query.get("q") }, 201));
    const response = await app.request("/users/7?q=x");
    expect(response.status).toBe(201);
    expect(response.statusText).toBe("Created");
    expect(response.headers.get("content-type")).toBe("application/json");
    expect(response.headers.get("content-length")).toBe(String('{"id":"7","q":"x"}'.length));
    expect(await response.json()).toEqual({ id: "7", q: "x" });
  });

  it("takes a Request, a URL or a path with init, and reads the request body", async () => {
    const app = new App().post("/echo", async (c) => c.text(`${c.req.url} ${await c.req.text()}`));
    const a = await app.request("/echo", { method: "POST", body: "one" });
    expect(await a.text()).toBe("http://localhost/echo one");
    const b = await app.request(new URL("https://example.com/echo"), { method: "POST", body: "two" });
    expect(await b.text()).toBe("https://example.com/echo two");
    const c = await app.request(new Request("http://h.test/echo", { method: "POST", body: "three" }));
    expect(await c.text()).toBe("http://h.test/echo three");
  });

  it("streams a request body that arrives as a stream", async () => {
    const app = new App().post("/count", async (c) => c.text(String((await c.req.bytes()).length)));
    let sent = 0;
    const body = new ReadableStream<Uint8Array>({
      pull(controller) {
        if (sent === 5) return controller.close();
        sent++;
        controller.enqueue(new Uint8Array(1000));
      },
    });
    const response = await app.request("/count", { method: "POST", body });
    expect(await response.text()).toBe("5000");
  });

  it("keeps several Set-Cookie fields apart (RFC 6265 §3)", async () => {
    const app = new App().get("/", (c) => c.header("set-cookie", "a=1").header("set-cookie", "b=2").text("ok"));
    const response = await app.request("/");
    expect(response.headers.getSetCookie()).toEqual(["a=1", "b=2"]);
  });

  it("sends no body for HEAD, 204 and 304, and the length a GET would have for HEAD (RFC 9110 §9.3.2)", async () => {
    const app = new App()
      .get("/", (c) => c.text("Hello"))
      .get("/none", (c) => c.body(null, 204))
      .get("/same", (c) => c.header("etag", '"x"').body("ignored", 304));
    const head = await app.request("/", { method: "HEAD" });
    expect(head.status).toBe(200);
    expect(head.headers.get("content-length")).toBe("5");
    expect(head.body).toBeNull();
    const none = await app.request("/none");
    expect(none.status).toBe(204);
    expect(none.headers.get("content-length")).toBeNull();
    expect(none.body).toBeNull();
    const same = await app.request("/same");
    expect(same.status).toBe(304);
    expect(same.headers.get("etag")).toBe('"x"');
    expect(same.body).toBeNull();
  });

  it("streams a response body as a ReadableStream, the first chunk before the source ends", async () => {
    let release = (): void => {};
    const released = new Promise<void>((resolve) => (release = resolve));
    const app = new App().get("/sse", (c) =>
      c.header("content-type", "text/event-stream").body((async function* () {
        yield "data: one\n\n";
        await released;
        yield "data: two\n\n";
      })()));
    const response = await app.request("/sse");
    expect(response.headers.get("content-length")).toBeNull();
    const reader = response.body!.getReader();
    const first = await reader.read();
    expect(new TextDecoder().decode(first.value)).toBe("data: one\n\n");
    release();
    const second = await reader.read();
    expect(new TextDecoder().decode(second.value)).toBe("data: two\n\n");
    expect((await reader.read()).done).toBe(true);
  });

  it("keeps a streamed body's declared Content-Length, and fails the stream when the source breaks it", async () => {
    const app = quiet(new App())
      .get("/ok", (c) => c.header("content-length", "4").body(new Blob(["abcd"]).stream()))
      .get("/short", (c) => c.header("content-length", "10").body(new Blob(["abcd"]).stream()));
    const ok = await app.request("/ok");
    expect(ok.headers.get("content-length")).toBe("4");
    expect(await ok.text()).toBe("abcd");
    const short = await app.request("/short");
    await expect(short.text()).rejects.toThrow(/shorter than its content-length/);
  });

  it("aborts c.req.signal when the Request's signal aborts, and cancels the streamed source", async () => {
    let cancelled = false;
    let seen: AbortSignal | null = null;
    const app = new App().get("/live", (c) => {
      seen = c.req.signal;
      return c.body(
        new ReadableStream<Uint8Array>({
          pull: (controller) => controller.enqueue(encoder.encode("tick")),
          cancel: () => void (cancelled = true),
        }),
      );
    });
    const controller = new AbortController();
    const response = await app.request("/live", { signal: controller.signal });
    const reader = response.body!.getReader();
    await reader.read();
    expect(seen!.aborted).toBe(false);
    controller.abort();
    expect(seen!.aborted).toBe(true);
    expect(cancelled).toBe(true);
    expect((seen!.reason as Error).name).toBe("AbortError");
  });

  it("aborts c.req.signal when the response body is cancelled before its end", async () => {
    let seen: AbortSignal | null = null;
    const app = new App().get("/live", (c) => {
      seen = c.req.signal;
      return c.body(new ReadableStream<Uint8Array>({ pull: (ctl) => ctl.enqueue(encoder.encode("x")) }));
    });
    const response = await app.request("/live");
    await response.body!.cancel();
    expect(seen!.aborted).toBe(true);
  });

  it("reads the peer's address from what Deno.serve, Bun.serve, @hono/node-server and plain callers pass", async () => {
    const app = new App().get("/", (c) => c.text(`${c.req.remoteAddress}:${c.exchange.info.remotePort}`));
    const deno = await app.fetch(new Request("http://x/"), { remoteAddr: { hostname: "10.0.0.1", port: 1 } });
    expect(await deno.text()).toBe("10.0.0.1:1");
    const bunServer = { requestIP: (_request: Request) => ({ address: "10.0.0.2", port: 2 }) };
    const bun = await app.fetch(new Request("http://x/"), bunServer);
    expect(await bun.text()).toBe("10.0.0.2:2");
    const node = await app.fetch(new Request("http://x/"), {
      incoming: { socket: { remoteAddress: "10.0.0.4", remotePort: 4 } },
    });
    expect(await node.text()).toBe("10.0.0.4:4");
    const plain = await app.request("/", undefined, { remoteAddress: "10.0.0.3", remotePort: 3 });
    expect(await plain.text()).toBe("10.0.0.3:3");
    expect(await (await app.request("/")).text()).toBe(":0");
  });

  it("is a bound function: `fetch` can be handed to a host on its own", async () => {
    const { fetch } = new App().get("/", (c) => c.text("bound"));
    expect(await (await fetch(new Request("http://x/"))).text()).toBe("bound");
  });

  it("answers 500 for a status outside 200–599 and for an invalid header value", async () => {
    const app = quiet(new App())
      .get("/status", (c) => c.status(1000).text("no"))
      .get("/header", (c) => c.header("x-bad", "a\r\nb").text("no"));
    expect((await app.request("/status")).status).toBe(500);
    expect((await app.request("/header")).status).toBe(500);
  });

  it("drops trailers: a web Response cannot carry them", async () => {
    const app = new App().get("/", (c) => c.setTrailers(["x-sum", "1"]).text("body"));
    const response = await app.request("/");
    expect(response.status).toBe(200);
    expect(await response.text()).toBe("body");
  });

  it("answers a WebSocket upgrade with 501: a fetch host owns its sockets", async () => {
    const app = quiet(new App()).ws("/ws", {});
    const response = await app.request("/ws", { headers: { upgrade: "websocket", connection: "upgrade" } });
    expect(response.status).toBe(501);
  });

  it("answers a thrown HttpError with its status, and a returned Response as it is", async () => {
    const app = new App()
      .get("/gone", () => {
        throw new HttpError(410, "gone for good");
      })
      .get("/web", () => new Response("web", { status: 202, headers: { "x-web": "1" } }));
    const gone = await app.request("/gone");
    expect([gone.status, await gone.text()]).toEqual([410, "gone for good"]);
    const web = await app.request("/web");
    expect([web.status, web.headers.get("x-web"), await web.text()]).toEqual([202, "1", "web"]);
  });
});
