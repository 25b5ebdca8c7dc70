/**
 * The app the HTTP/2 core tests serve: the reference routes plus a few that hold, fail, stream or
 * send trailers. Test support only.
 * @module
 */
import { App } from "../../core/app/app.ts";
import type { Http2Exchange } from "../../core/session/http2/http2-exchange.ts";

/** Handlers that wait for the test to release them. */
export class Gate {
  #waiters: (() => void)[] = [];
  /** Exchanges that reached the gate, with their abort signals. */
  readonly signals: AbortSignal[] = [];
  /** Chunks `/firehose` produced. */
  pulled = 0;
  wait(signal: AbortSignal): Promise<void> {
    this.signals.push(signal);
    return new Promise((resolve) => this.#waiters.push(resolve));
  }
  get waiting(): number {
    return this.#waiters.length;
  }
  release(): void {
    const waiters = this.#waiters;
    this.#waiters = [];
    for (const resolve of waiters) resolve();
  }
}

/** Build the test app; `gate` holds `/slow`, `/hold` and `/stream-slow`. */
export function testApp(gate: Gate = new Gate()): App {
  const app = new App();
  app.get("/", (c) => c.text("Hello, World!"));
  app.get("/big", (c) => c.body(new Uint8Array(100_000).fill(7)));
  app.post("/echo", { bodyLimit: Number.POSITIVE_INFINITY }, (c) => c.body(c.req.body ?? ""));
  app.post("/len", { bodyLimit: Number.POSITIVE_INFINITY }, async (c) => c.text(String((await c.req.bytes()).length)));
  app.post("/ignore", (c) => c.text("ignored"));
  app.get("/slow", async (c) => {
    await gate.wait(c.req.signal);
    return c.text("slow");
  });
  // Reads the body only once released: tests WINDOW_UPDATE-as-consumed.
  app.post("/hold", { bodyLimit: Number.POSITIVE_INFINITY }, async (c) => {
    await gate.wait(c.req.signal);
    return c.text(String((await c.req.bytes()).length));
  });
  app.get("/stream", (c) =>
    c.body((async function* () {
      yield "a";
      yield "bc";
      yield new Uint8Array([0x64]);
    })()));
  // A large streamed body, counting what the producer was asked for.
  app.get("/firehose", (c) => {
    let pulled = 0;
    return c.body(
      new ReadableStream<Uint8Array>({
        pull(controller) {
          pulled++;
          gate.pulled++;
          controller.enqueue(new Uint8Array(16384).fill(1));
          if (pulled >= 1000) controller.close();
        },
      }, { highWaterMark: 0 }),
    );
  });
  // Gives up on the body at once, answers when released.
  app.post("/discard", async (c) => {
    await c.req.body?.cancel();
    await gate.wait(c.req.signal);
    return c.text("discarded");
  });
  app.get("/trailers", (c) => {
    (c.exchange as Http2Exchange).setTrailers(["x-checksum", "42", "X-Upper", "ok"]);
    return c.text("body");
  });
  app.get("/trailers-late", (c) => {
    (c.exchange as Http2Exchange).setTrailers(() => ["x-count", "3"]);
    return c.body((async function* () {
      yield "a";
      yield "b";
      yield "c";
    })());
  });
  app.post("/trailers-echo", async (c) => {
    const body = await c.req.text();
    const ex = c.exchange as Http2Exchange;
    return c.json({ body, trailers: ex.body?.trailers ?? null });
  });
  app.get("/fail", () => {
    throw new Error("boom");
  });
  app.get("/fail-midway", (c) =>
    c.body((async function* () {
      yield "partial";
      throw new Error("midway");
    })()));
  app.get("/bad-header", (c) => c.header("x-bad", "a\r\nb").text("x"));
  app.get("/status/:code", (c) => c.body(c.req.method === "HEAD" ? "head" : "x", Number(c.params.code)));
  app.on("HEAD", "/", (c) => c.text("Hello, World!"));
  return app;
}
