import { describe, expect, it } from "vitest";
import { CannedResponses, HeadCounter } from "./raw-response.ts";

const enc = (s: string): Uint8Array => new TextEncoder().encode(s);
const dec = (b: Uint8Array): string => new TextDecoder().decode(b);
const REQ = "GET / HTTP/1.1\r\nhost: a\r\n\r\n";

describe("HeadCounter", () => {
  it("counts every request head in one read", () => {
    expect(new HeadCounter().count(enc(REQ.repeat(16)))).toBe(16);
    expect(new HeadCounter().count(enc("GET / HTTP/1.1\r\nhost: a\r\n"))).toBe(0);
  });

  it("counts a terminator split at every point between two reads once", () => {
    const two = REQ.repeat(2);
    for (let at = 0; at <= two.length; at++) {
      const c = new HeadCounter();
      expect(c.count(enc(two.slice(0, at))) + c.count(enc(two.slice(at)))).toBe(2);
    }
  });

  it("restarts on a CR inside a broken terminator", () => {
    expect(new HeadCounter().count(enc("a\r\n\r\r\n\r\n"))).toBe(1);
    expect(new HeadCounter().count(enc("a\r\n\n\r\n"))).toBe(0);
  });
});

describe("CannedResponses", () => {
  it("gives n whole responses, within and past the prebuilt run", () => {
    const canned = new CannedResponses();
    for (const n of [1, 16, 64, 65, 200]) {
      const text = dec(canned.take(n));
      expect(text.split("HTTP/1.1 200 OK\r\n").length - 1).toBe(n);
      expect(text.endsWith("\r\n\r\nHello, World!")).toBe(true);
    }
  });
});
