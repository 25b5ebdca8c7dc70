/** The SSE body (core/app/sse.ts): pulled chunk by chunk, cancelled by the client, errors reported once. */
import { describe, expect, it } from "vitest";
import { type SseCallback, type SseOptions, SseSource } from "./sse.ts";
import { App } from "./app.ts";

const decoder = new TextDecoder();

function source(callback: SseCallback, options: SseOptions = {}, request = new AbortController()) {
  const errors: unknown[] = [];
  const sse = new SseSource(callback, "7", request.signal, options, (error) => errors.push(error));
  const pull = async (): Promise<string | null> => {
    const next = await sse.next();
    return next.done ? null : decoder.decode(next.value);
  };
  return { sse, errors, pull, request };
}

function tick(): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, 0));
}

describe("SseSource", () => {
  it("runs the callback on the first pull, hands each event over as it is sent, and ends when it returns", async () => {
    let release!: () => void;
    const gate = new Promise<void>((resolve) => (release = resolve));
    let ran = false;
    const { pull, sse } = source(async (stream) => {
      ran = true;
      expect(stream.lastEventId).toBe("7");
      await stream.send({ id: 1, data: "one" });
      await gate;
      await stream.send({ id: 2, data: "two" });
    });
    expect(ran).toBe(false);
    expect(await pull()).toBe("id: 1\ndata: one\n\n");
    const second = pull();
    await tick();
    release();
    expect(await second).toBe("id: 2\ndata: two\n\n");
    expect(await pull()).toBe(null);
    expect(sse.signal.aborted).toBe(true); // the stream is over: work tied to it stops
    await sse.closed;
  });

  it("holds a send until the connection pulls it (backpressure)", async () => {
    const settled: number[] = [];
    const { pull } = source(async (stream) => {
      await stream.send({ data: "a" }); // the connection is waiting: goes out at once
      const b = stream.send({ data: "b" }).then(() => settled.push(2));
      const c = stream.send({ data: "c" }).then(() => settled.push(3));
      await Promise.all([b, c]);
    });
    expect(await pull()).toBe("data: a\n\n");
    await tick();
    expect(settled).toEqual([]); // nobody pulled b yet: the sender waits
    expect(await pull()).toBe("data: b\n\n");
    await tick();
    expect(settled).toEqual([2]);
    expect(await pull()).toBe("data: c\n\n");
    expect(await pull()).toBe(null);
  });

  it("a client that goes away aborts the signal, rejects pending sends and sleeps, and nothing is reported", async () => {
    let caught: unknown;
    const { sse, pull, errors } = source(async (stream) => {
      try {
        for (let i = 0;; i++) {
          await stream.send({ data: String(i) });
          await stream.sleep(60_000);
        }
      } catch (error) {
        caught = error;
        throw error;
      }
    });
    expect(await pull()).toBe("data: 0\n\n");
    await tick();
    await sse.return();
    await sse.closed;
    await tick();
    expect(sse.signal.aborted).toBe(true);
    expect((caught as DOMException).name).toBe("AbortError");
    expect(errors).toEqual([]);
    expect(await pull()).toBe(null);
  });

  it("the request's signal (the connection closed, an HTTP/2 reset) cancels the stream too", async () => {
    let pending: Promise<void> | undefined;
    const { sse, pull, request } = source((stream) => {
      pending = stream.send({ data: "x" }).then(() => stream.send({ data: "never pulled" }));
    });
    expect(await pull()).toBe("data: x\n\n");
    const waiting = pull();
    request.abort();
    expect(await waiting).toBe(null);
    expect(sse.signal.aborted).toBe(true);
    await expect(pending).rejects.toMatchObject({ name: "AbortError" });
  });

  it("an error thrown by the callback is reported once and ends the stream after what was sent", async () => {
    const boom = new Error("boom");
    const { pull, errors, sse } = source((stream) => {
      void stream.send({ data: "before" });
      return Promise.reject(boom);
    });
    expect(await pull()).toBe("data: before\n\n");
    expect(await pull()).toBe(null);
    expect(errors).toEqual([boom]);
    await expect(sse.send({ data: "after" })).rejects.toMatchObject({ name: "AbortError" });
    expect(errors).toEqual([boom]);
  });

  it("a send with a field the format cannot carry rejects with TypeError", async () => {
    const { pull, errors } = source((stream) => stream.send({ event: "a\nb" }));
    expect(await pull()).toBe(null);
    expect(errors).toHaveLength(1);
    expect(errors[0]).toBeInstanceOf(TypeError);
  });

  it("sends a heartbeat comment while idle, and stops its timer when the stream closes", async () => {
    const { pull, sse } = source((stream) => stream.closed, { heartbeat: 15 });
    expect(await pull()).toBe(":\n\n");
    expect(await pull()).toBe(":\n\n");
    await sse.return();
    expect(await pull()).toBe(null);
  });

  it("close() ends the stream; a body never pulled (HEAD) never runs the callback", async () => {
    const { pull } = source(async (stream) => {
      await stream.send({ data: "only" });
      stream.close();
      await stream.closed;
    });
    expect(await pull()).toBe("data: only\n\n");
    expect(await pull()).toBe(null);
    let ran = false;
    const head = source(() => {
      ran = true;
    });
    await head.sse.return();
    expect(ran).toBe(false);
  });
});

describe("c.sse()", () => {
  it("answers text/event-stream, no-cache, no Content-Length, and passes Last-Event-ID", async () => {
    const app = new App().get("/events", (c) =>
      c.sse(async (stream) => {
        await stream.send({ id: Number(stream.lastEventId) + 1, data: "a\nb" });
      }));
    const response = await app.request("/events", { headers: { "last-event-id": "41" } });
    expect(response.status).toBe(200);
    expect(response.headers.get("content-type")).toBe("text/event-stream; charset=utf-8");
    expect(response.headers.get("cache-control")).toBe("no-cache");
    expect(response.headers.get("content-length")).toBe(null);
    expect(await response.text()).toBe("id: 42\ndata: a\ndata: b\n\n");
  });

  it("HEAD gets the head only and does not run the callback", async () => {
    let ran = false;
    const app = new App().get("/events", (c) =>
      c.sse(() => {
        ran = true;
      }));
    const response = await app.request("/events", { method: "HEAD" });
    expect(response.headers.get("content-type")).toBe("text/event-stream; charset=utf-8");
    expect(await response.text()).toBe("");
    expect(ran).toBe(false);
  });
});
