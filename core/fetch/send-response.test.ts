import { describe, expect, it } from "vitest";
import type { BodyStream, Exchange } from "../exchange/exchange.ts";
import { sendWebResponse } from "./send-response.ts";

/** An exchange that records how it was answered. */
class RecordingExchange {
  calls: { kind: "respond" | "stream"; status: number; headers: string[]; length: number; body: string }[] = [];
  streamed: Promise<string> | null = null;

  respond(status: number, headers: string[], body: string | Uint8Array | null): void {
    const text = body === null ? "" : typeof body === "string" ? body : new TextDecoder().decode(body);
    this.calls.push({ kind: "respond", status, headers, length: text.length, body: text });
  }

  respondStream(status: number, headers: string[], body: BodyStream, contentLength: number): Promise<void> {
    this.calls.push({ kind: "stream", status, headers, length: contentLength, body: "" });
    this.streamed = (async () => {
      let text = "";
      for await (const chunk of body as AsyncIterable<Uint8Array | string>) {
        text += typeof chunk === "string" ? chunk : new TextDecoder().decode(chunk);
      }
      return text;
    })();
    return this.streamed.then(() => {});
  }
}

function send(response: Response): { exchange: RecordingExchange; done: Promise<void> } {
  const exchange = new RecordingExchange();
  return { exchange, done: sendWebResponse(exchange as unknown as Exchange, response) };
}

const encoder = new TextEncoder();

describe("sendWebResponse", () => {
  it.each([
    ["a string", () => new Response("hello"), "hello"],
    ["bytes", () => new Response(encoder.encode("bytes")), "bytes"],
    ["a Blob", () => new Response(new Blob(["blob"])), "blob"],
    ["URLSearchParams", () => new Response(new URLSearchParams("a=1")), "a=1"],
    ["JSON", () => Response.json({ a: 1 }), '{"a":1}'],
    ["a stream that enqueued all and closed", () =>
      new Response(
        new ReadableStream({
          start(c) {
            c.enqueue(encoder.encode("a"));
            c.enqueue(encoder.encode("b"));
            c.close();
          },
        }),
      ), "ab"],
  ])("sends %s whole, with a known length", async (_name, make, body) => {
    const { exchange, done } = send(make());
    await done;
    expect(exchange.calls.map((c) => [c.kind, c.body])).toEqual([["respond", body]]);
  });

  it("sends the head and first chunk of a stream before its second chunk exists", async () => {
    let next: ((value: string) => void) | null = null;
    const stream = new ReadableStream<Uint8Array>({
      start(c) {
        c.enqueue(encoder.encode("first "));
      },
      pull(c) {
        return new Promise<void>((resolve) => {
          next = (value) => {
            c.enqueue(encoder.encode(value));
            c.close();
            resolve();
          };
        });
      },
    });
    const { exchange, done } = send(new Response(stream));
    // The stream is answered within a timer turn or two, while its second chunk does not exist.
    for (let i = 0; i < 5 && exchange.calls.length === 0; i++) await new Promise((r) => setTimeout(r, 5));
    expect(exchange.calls.map((c) => [c.kind, c.length])).toEqual([["stream", -1]]);
    next!("second");
    await done;
    expect(await exchange.streamed).toBe("first second");
  });

  it("streams a body that keeps producing without waiting, past the collect limit", async () => {
    let sent = 0;
    const chunk = new Uint8Array(64 * 1024);
    const stream = new ReadableStream<Uint8Array>({
      pull(c) {
        if (sent++ < 40) c.enqueue(chunk);
        else c.close();
      },
    });
    const { exchange, done } = send(new Response(stream));
    await done;
    expect(exchange.calls.map((c) => c.kind)).toEqual(["stream"]);
    expect((await exchange.streamed)!.length).toBe(40 * 64 * 1024);
  });

  it("refuses a 101 it did not make and Response.error(), naming the fix", async () => {
    let r101: Response;
    try {
      r101 = new Response(null, { status: 101 });
    } catch {
      // Node's constructor refuses 101 (Fetch); fake what Deno.upgradeWebSocket returns.
      r101 = Object.defineProperty(new Response(null), "status", { value: 101 });
    }
    await expect(send(r101).done).rejects.toThrow(/upgradeWebSocket\(\) from wirecore/);
    await expect(send(Response.error()).done).rejects.toThrow(/Response\.error\(\)/);
  });

  it("fails on a chunk that is not bytes (Fetch: a TypeError)", async () => {
    const stream = new ReadableStream({
      start(c) {
        c.enqueue(42);
        c.close();
      },
    });
    await expect(send(new Response(stream)).done).rejects.toThrow(TypeError);
  });
});
