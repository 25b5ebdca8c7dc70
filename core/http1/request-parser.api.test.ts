import { describe, expect, it } from "vitest";
import { RequestParser } from "./request-parser.ts";
import type { RequestHead } from "../http/request-head.ts";
import { bytes, text } from "../../test/support/replay.ts";

describe("RequestParser: API behaviour", () => {
  it("returns after each pipelined request so the caller loops (RFC 9112 §9.3.2)", () => {
    const one = "GET /x HTTP/1.1\r\nHost: h\r\n\r\n";
    const withBody = "POST /y HTTP/1.1\r\nHost: h\r\nContent-Length: 2\r\n\r\nok";
    const input = bytes(one + withBody + one);
    const seen: string[] = [];
    const p = new RequestParser({
      onHead: (h) => seen.push(h.path),
      onBody: () => {},
      onMessageComplete: () => seen.push("done"),
    });
    const n1 = p.execute(input);
    expect(n1).toBe(one.length);
    expect(seen).toEqual(["/x", "done"]);
    const n2 = p.execute(input.subarray(n1));
    expect(n2).toBe(withBody.length);
    expect(p.execute(input.subarray(n1 + n2))).toBe(one.length);
    expect(seen).toEqual(["/x", "done", "/y", "done", "/x", "done"]);
    expect(p.execute(new Uint8Array(0))).toBe(0);
  });

  it("passes body bytes as views into the input, never copies (DESIGN §3)", () => {
    const input = bytes("POST / HTTP/1.1\r\nHost: h\r\nContent-Length: 5\r\n\r\nhello");
    let chunk: Uint8Array | null = null;
    const p = new RequestParser({
      onHead: () => {},
      onBody: (c) => {
        chunk = c;
      },
      onMessageComplete: () => {},
    });
    p.execute(input);
    expect(chunk!.buffer).toBe(input.buffer);
    expect(chunk!.byteOffset).toBe(input.length - 5);
  });

  it("reports inBody and bodyRemaining while a body is read (RFC 9112 §6.2)", () => {
    const states: [string, boolean, number][] = [];
    const p = new RequestParser({
      onHead: () => states.push(["head", p.inBody, p.bodyRemaining]),
      onBody: (c) => states.push([text(c), p.inBody, p.bodyRemaining]),
      onMessageComplete: () => states.push(["done", p.inBody, p.bodyRemaining]),
    });
    p.execute(bytes("POST / HTTP/1.1\r\nHost: h\r\nContent-Length: 5\r\n\r\nhe"));
    p.execute(bytes("llo"));
    expect(states).toEqual([
      ["head", true, 5],
      ["he", true, 3],
      ["llo", true, 0],
      ["done", false, -1],
    ]);
    expect(p.inBody).toBe(false);
    states.length = 0;
    p.execute(bytes("POST / HTTP/1.1\r\nHost: h\r\nTransfer-Encoding: chunked\r\n\r\n2\r\nab\r\n0\r\n"));
    expect(p.inBody).toBe(true);
    expect(p.bodyRemaining).toBe(-1);
    p.execute(bytes("\r\n"));
    expect(p.inBody).toBe(false);
    expect(states.map((s) => s[0])).toEqual(["head", "ab", "done"]);
  });

  it("fails a never-terminated header line at the limit when fed in small pieces (RFC 6585 §5)", () => {
    const limit = 1024;
    const p = new RequestParser(
      { onHead: () => {}, onBody: () => {}, onMessageComplete: () => {} },
      { maxHeaderSize: limit },
    );
    let fed = 0;
    let result = 0;
    const head = bytes("GET / HTTP/1.1\r\nHost: h\r\nX-Endless: ");
    result = p.execute(head);
    fed += head.length;
    const piece = bytes("aaaaaaa");
    while (result >= 0 && fed < 100 * limit) {
      result = p.execute(piece);
      fed += piece.length;
    }
    expect(result).toBe(-1);
    expect(p.error!.status).toBe(431);
    expect(p.error!.code).toBe("HEADERS_TOO_LARGE");
    expect(fed).toBeGreaterThan(limit);
    expect(fed).toBeLessThanOrEqual(limit + piece.length);
  });

  it("fails a never-terminated request line at the limit when fed byte by byte (RFC 9112 §3)", () => {
    const p = new RequestParser(
      { onHead: () => {}, onBody: () => {}, onMessageComplete: () => {} },
      { maxRequestLineSize: 256 },
    );
    let fed = 0;
    let result = p.execute(bytes("GET /"));
    fed += 5;
    const a = bytes("a");
    while (result >= 0 && fed < 10_000) {
      result = p.execute(a);
      fed++;
    }
    expect(p.error!.status).toBe(414);
    expect(fed).toBe(257);
  });

  it("errors carry a status, a code and a sentence-case message", () => {
    const p = new RequestParser({ onHead: () => {}, onBody: () => {}, onMessageComplete: () => {} });
    expect(p.execute(bytes("GET / HTTP/1.1\r\nHost: a\r\nHost: b\r\n\r\n"))).toBe(-1);
    expect(p.error).toMatchObject({ name: "HttpError", status: 400, code: "DUPLICATE_HOST", expose: true });
    expect(p.error!.message).toMatch(/^[A-Z][a-z]/);
  });

  it("interns common methods and header names", () => {
    const heads: RequestHead[] = []!;
    const p = new RequestParser({ onHead: (h) => heads.push(h), onBody: () => {}, onMessageComplete: () => {} });
    const input = bytes("GET / HTTP/1.1\r\nHost: h\r\nAccept-Encoding: gzip\r\nX-Custom: 1\r\n\r\n");
    p.execute(input);
    p.execute(input);
    expect(heads[0]!.method).toBe("GET");
    expect(heads[0]!.headers).toEqual(["host", "h", "accept-encoding", "gzip", "x-custom", "1"]);
    expect(heads[0]!.headers).toEqual(heads[1]!.headers);
  });
});
