import { describe, expect, it } from "vitest";
import { BUSY, calmDown, RefusedConnection } from "./refused-connection.ts";
import { FakeTransport } from "../../test/support/fake-transport.ts";

const host = { forget: () => {} };

describe("RefusedConnection", () => {
  it("answers an HTTP/1.1 client in HTTP/1.1, half-closes and reads on (RFC 9112 §9.6)", () => {
    const transport = new FakeTransport();
    const conn = new RefusedConnection(transport, host, calmDown(7));
    conn.data(new TextEncoder().encode("GET / HTTP/1.1\r\n"));
    expect(transport.text()).toMatch(/^HTTP\/1\.1 429 Too Many Requests\r\nretry-after: 7\r\n/);
    expect([transport.ended, transport.paused, transport.closed]).toEqual([true, false, false]);
    conn.data(new TextEncoder().encode("Host: x\r\n\r\n"));
    expect(transport.writes.length).toBe(1); // answered once; what follows is dropped
  });

  it("answers an HTTP/2 preface with SETTINGS and GOAWAY (last stream 0)", () => {
    const transport = new FakeTransport();
    new RefusedConnection(transport, host, BUSY).data(new TextEncoder().encode("PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n"));
    const bytes = transport.writes[0]!;
    expect(bytes[3]).toBe(0x4); // SETTINGS
    const goaway = bytes.subarray(9 + ((bytes[0]! << 16) | (bytes[1]! << 8) | bytes[2]!));
    expect(goaway[3]).toBe(0x7);
    expect(goaway.subarray(9, 13)).toEqual(Uint8Array.of(0, 0, 0, 0));
  });

  it("cuts a client that goes on sending past 256 KiB after the answer", () => {
    const transport = new FakeTransport();
    const conn = new RefusedConnection(transport, host, BUSY);
    conn.data(new Uint8Array(100));
    conn.data(new Uint8Array(256 * 1024));
    expect(transport.closed).toBe(false);
    conn.data(new Uint8Array(1));
    expect(transport.closed).toBe(true);
  });

  it("closes a second after the answer, or five seconds after a silent connect", () => {
    const answered = new FakeTransport();
    const conn = new RefusedConnection(answered, host, BUSY);
    const start = Date.now();
    conn.data(new Uint8Array(1));
    conn.tick(start + 500);
    expect(answered.closed).toBe(false);
    conn.tick(start + 1_500);
    expect(answered.closed).toBe(true);

    const silent = new FakeTransport();
    const idle = new RefusedConnection(silent, host, BUSY);
    idle.tick(Date.now() + 4_000);
    expect(silent.closed).toBe(false);
    idle.tick(Date.now() + 5_100);
    expect(silent.closed).toBe(true);
  });
});
