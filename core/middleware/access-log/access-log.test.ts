import { describe, expect, it } from "vitest";
import { App } from "../../app/app.ts";
import { requestId } from "../request-id/request-id.ts";
import { accessLog, type AccessLogEntry } from "./access-log.ts";

function loggedApp(lines: string[], sample?: number): App {
  const app = new App().use(requestId()).use(accessLog({ write: (line) => lines.push(line), sample }));
  app.post("/echo", async (c) => c.text(await c.req.text(), 201));
  app.get("/stream", (c) =>
    c.body(
      new ReadableStream<Uint8Array>({
        start(controller) {
          controller.enqueue(new Uint8Array(3));
          controller.enqueue(new Uint8Array(4));
          controller.close();
        },
      }),
    ));
  return app;
}

describe("accessLog()", () => {
  it("writes one JSON line per request with its fields, once the response is complete", async () => {
    const lines: string[] = [];
    const app = loggedApp(lines);
    const before = Date.now();
    const response = await app.request("/echo?secret=1", { method: "POST", body: "hello" }, {
      remoteAddress: "192.0.2.1",
    });
    expect(await response.text()).toBe("hello");
    expect(lines).toHaveLength(1);
    const entry = JSON.parse(lines[0]!) as AccessLogEntry;
    expect(Object.keys(entry)).toEqual([
      "time",
      "method",
      "path",
      "status",
      "bytesIn",
      "bytesOut",
      "durationUs",
      "remoteAddress",
      "protocol",
      "requestId",
      "aborted",
    ]);
    expect(Date.parse(entry.time)).toBeGreaterThanOrEqual(before - 1);
    expect(entry).toMatchObject({
      method: "POST",
      path: "/echo",
      status: 201,
      bytesIn: 5,
      bytesOut: 5,
      remoteAddress: "192.0.2.1",
      protocol: "",
      requestId: response.headers.get("x-request-id"),
      aborted: false,
    });
    expect(Number.isInteger(entry.durationUs) && entry.durationUs >= 0).toBe(true);
  });

  it("counts a streamed body and writes the line only after its end", async () => {
    const lines: string[] = [];
    const response = await loggedApp(lines).request("/stream");
    expect(lines).toHaveLength(0);
    expect((await response.bytes()).length).toBe(7);
    expect(lines).toHaveLength(1);
    expect(JSON.parse(lines[0]!)).toMatchObject({ status: 200, bytesOut: 7, aborted: false });
  });

  it("flags a response the client stopped reading", async () => {
    const lines: string[] = [];
    const app = new App().use(accessLog({ write: (line) => lines.push(line) })).get("/forever", (c) =>
      c.body(
        new ReadableStream<Uint8Array>({
          pull: (controller) => controller.enqueue(new Uint8Array(10)),
        }),
      ));
    const response = await app.request("/forever");
    const reader = response.body!.getReader();
    await reader.read();
    await reader.cancel();
    expect(lines).toHaveLength(1);
    expect(JSON.parse(lines[0]!)).toMatchObject({ status: 200, aborted: true });
  });

  it("logs a sample: none at 0, all at 1", async () => {
    const none: string[] = [];
    const all: string[] = [];
    for (let i = 0; i < 20; i++) {
      await loggedApp(none, 0).request("/echo", { method: "POST", body: "x" });
      await loggedApp(all, 1).request("/echo", { method: "POST", body: "x" });
    }
    expect(none).toHaveLength(0);
    expect(all).toHaveLength(20);
  });

  it.each([-0.1, 1.5, Number.NaN])("refuses sample %s", (sample) => {
    expect(() => accessLog({ sample })).toThrow(RangeError);
  });
});
