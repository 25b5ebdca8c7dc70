import { describe, expect, it } from "vitest";
import { App } from "./app.ts";
import { createServerCore } from "./serve-target.ts";
import { requestId } from "../middleware/request-id/request-id.ts";
import { FakeTransport } from "../../test/support/fake-transport.ts";
import { withContextFields } from "./upgrade-fields.ts";

const HANDSHAKE = "GET /ws HTTP/1.1\r\nHost: x\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n" +
  "Sec-WebSocket-Version: 13\r\n";

async function exchange(request: string): Promise<string> {
  const app = new App().use(requestId()).use(async (c, next) => {
    c.header("set-cookie", "seen=1").header("content-type", "text/plain");
    await next();
  });
  app.ws("/ws", {});
  const core = createServerCore(app, { onError: () => {} });
  const transport = new FakeTransport();
  transport.handler = core.accept(transport);
  transport.send(request);
  for (let i = 0; i < 10 && !transport.text().includes("\r\n\r\n"); i++) await Promise.resolve();
  await new Promise((resolve) => setTimeout(resolve, 0));
  core.closeAll();
  return transport.text();
}

describe("middleware fields on a WebSocket handshake's answer", () => {
  it("puts the request id and cookies on the 101, not content-type", async () => {
    const head = await exchange(HANDSHAKE + "Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\n\r\n");
    expect(head).toMatch(/^HTTP\/1\.1 101 /);
    expect(head).toMatch(/\r\nx-request-id: [0-9a-z]{10}-[0-9a-z]+\r\n/);
    expect(head).toContain("\r\nset-cookie: seen=1\r\n");
    expect(head.toLowerCase()).not.toContain("content-type");
  });

  it("puts them on the 400 refusing a bad handshake", async () => {
    const head = await exchange(HANDSHAKE + "\r\n");
    expect(head).toMatch(/^HTTP\/1\.1 400 /);
    expect(head).toMatch(/\r\nx-request-id: [0-9a-z]{10}-[0-9a-z]+\r\n/);
  });

  it("keeps the upgrade's own headers after the middleware's, and the options when there is nothing to add", () => {
    const options = { headers: ["x-own", "1"] };
    expect(withContextFields(options, ["x-request-id", "a", "content-length", "3"]).headers).toEqual([
      "x-request-id",
      "a",
      "x-own",
      "1",
    ]);
    expect(withContextFields(options, ["content-type", "text/plain"])).toBe(options);
    expect(withContextFields(options, [])).toBe(options);
  });
});
