import { describe, expect, it } from "vitest";
import { createServerCore } from "../app/serve-target.ts";
import { App } from "../app/app.ts";
import { FakeTransport } from "../../test/support/fake-transport.ts";

describe("ServerCore refusals", () => {
  it("holds at most 1 024 refused connections; past it a refused socket is closed at once, unanswered", () => {
    const core = createServerCore(new App(), { maxConnections: 0, onError: () => {} });
    const held: FakeTransport[] = [];
    for (let i = 0; i < 1024; i++) {
      const transport = new FakeTransport();
      transport.handler = core.accept(transport);
      held.push(transport);
    }
    expect(held.some((transport) => transport.closed)).toBe(false);
    const extra = new FakeTransport();
    extra.handler = core.accept(extra);
    expect(extra.closed).toBe(true);
    extra.handler.data(new TextEncoder().encode("GET / HTTP/1.1\r\n\r\n"));
    expect(extra.writes).toEqual([]);
    expect(core.stats().refused).toBe(1025);

    // Room comes back as refused connections go.
    held[0]!.close();
    const next = new FakeTransport();
    next.handler = core.accept(next);
    expect(next.closed).toBe(false);
    next.send("GET / HTTP/1.1\r\n\r\n");
    expect(next.text()).toMatch(/^HTTP\/1\.1 503 /);
    core.closeAll();
  });

  it("answers one refusal a second from a penalized address and closes the rest at once, unread", () => {
    const core = createServerCore(new App(), { onError: () => {}, floodPenalty: { strikes: 1 } });
    core.flooded("192.0.2.7");
    const connect = (address: string): FakeTransport => {
      const transport = new FakeTransport({ remoteAddress: address });
      transport.handler = core.accept(transport);
      return transport;
    };
    const answered = connect("192.0.2.7");
    answered.send("GET / HTTP/1.1\r\n\r\n");
    expect(answered.text()).toMatch(/^HTTP\/1\.1 429 /);
    const silenced = connect("192.0.2.7");
    expect(silenced.closed).toBe(true);
    silenced.send("GET / HTTP/1.1\r\n\r\n");
    expect(silenced.writes).toEqual([]);
    const other = connect("192.0.2.8");
    expect(other.closed).toBe(false);
    expect(core.stats().refused).toBe(2);
    core.closeAll();
  });
});
