import { describe, expect, it } from "vitest";
import type { RequestHead } from "../../http/request-head.ts";
import { ParserLease } from "./parser-pool.ts";

const bytes = (s: string): Uint8Array => new TextEncoder().encode(s);

function recorder(): { heads: string[]; onHead(h: RequestHead): void; onBody(): void; onMessageComplete(): void } {
  const heads: string[] = [];
  return { heads, onHead: (h) => heads.push(`${h.method} ${h.target}`), onBody() {}, onMessageComplete() {} };
}

describe("ParserLease", () => {
  it("a parser that rests between requests goes back to its pool and serves the next connection", () => {
    const limits = {};
    const a = recorder();
    const first = ParserLease.take(a, limits);
    first.parser.execute(bytes("GET /a HTTP/1.1\r\nHost: x\r\n\r\n"));
    first.release();
    const b = recorder();
    const second = ParserLease.take(b, limits);
    expect(second).toBe(first);
    second.parser.execute(bytes("GET /b HTTP/1.1\r\nHost: x\r\n\r\n"));
    expect(a.heads).toEqual(["GET /a"]);
    expect(b.heads).toEqual(["GET /b"]);
  });

  it("a parser holding a partial head is dropped, never lent to another connection", () => {
    const limits = {};
    const lease = ParserLease.take(recorder(), limits);
    lease.parser.execute(bytes("GET /half HTTP/1.1\r\nHo"));
    expect(lease.parser.atRest).toBe(false);
    lease.release();
    expect(ParserLease.take(recorder(), limits)).not.toBe(lease);
  });

  it("pools are per limits object: a server's parser is never lent to another server", () => {
    const lease = ParserLease.take(recorder(), { maxHeaders: 10 });
    lease.release();
    expect(ParserLease.take(recorder(), { maxHeaders: 10 })).not.toBe(lease);
  });
});
