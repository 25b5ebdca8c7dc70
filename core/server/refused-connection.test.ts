import { describe, expect, it } from "vitest";
import { BUSY, calmDown, RefusedConnection } from "./refused-connection.ts";
import type { Transport } from "../transport/transport.ts";

/** A transport that records what the connection asks of it. */
function recorder(): { transport: Transport; calls: string[]; written: Uint8Array[] } {
  const calls: string[] = [];
  const written: Uint8Array[] = [];
  const transport: Transport = {
    write: (bytes) => (written.push(bytes), true),
    end: () => void calls.push("end"),
    close: () => void calls.push("close"),
    pause: () => void calls.push("pause"),
    resume: () => void calls.push("resume"),
    info: { remoteAddress: "192.0.2.1", remotePort: 1, tls: false },
  };
  return { transport, calls, written };
}

const host = { forget: () => {} };
const text = (bytes: Uint8Array): string => new TextDecoder().decode(bytes);

describe("RefusedConnection", () => {
  it("answers an HTTP/1.1 client in HTTP/1.1, then stops reading", () => {
    const { transport, calls, written } = recorder();
    new RefusedConnection(transport, host, calmDown(7)).data(new TextEncoder().encode("GET / HTTP/1.1\r\n"));
    expect(text(written[0]!)).toMatch(/^HTTP\/1\.1 429 Too Many Requests\r\nretry-after: 7\r\n/);
    expect(calls).toEqual(["end", "pause"]);
  });

  it("answers an HTTP/2 preface with SETTINGS and GOAWAY (last stream 0)", () => {
    const { transport, written } = recorder();
    new RefusedConnection(transport, host, BUSY).data(new TextEncoder().encode("PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n"));
    const bytes = written[0]!;
    expect(bytes[3]).toBe(0x4); // SETTINGS
    const goaway = bytes.subarray(9 + ((bytes[0]! << 16) | (bytes[1]! << 8) | bytes[2]!));
    expect(goaway[3]).toBe(0x7);
    expect(goaway.subarray(9, 13)).toEqual(Uint8Array.of(0, 0, 0, 0));
  });

  it("cuts a client that goes on sending past 16 KiB after the answer", () => {
    const { transport, calls } = recorder();
    const conn = new RefusedConnection(transport, host, BUSY);
    conn.data(new Uint8Array(100));
    conn.data(new Uint8Array(16 * 1024));
    expect(calls).not.toContain("close");
    conn.data(new Uint8Array(1));
    expect(calls.at(-1)).toBe("close");
  });

  it("closes a second after the answer, or five seconds after a silent connect", () => {
    const answered = recorder();
    const conn = new RefusedConnection(answered.transport, host, BUSY);
    const start = Date.now();
    conn.data(new Uint8Array(1));
    conn.tick(start + 500);
    expect(answered.calls).not.toContain("close");
    conn.tick(start + 1_500);
    expect(answered.calls).toContain("close");

    const silent = recorder();
    const idle = new RefusedConnection(silent.transport, host, BUSY);
    idle.tick(Date.now() + 4_000);
    expect(silent.calls).not.toContain("close");
    idle.tick(Date.now() + 5_100);
    expect(silent.calls).toContain("close");
  });
});
