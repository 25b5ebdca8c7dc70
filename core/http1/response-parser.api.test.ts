import { describe, expect, it } from "vitest";
import { type ResponseHead, ResponseParser } from "./response-parser.ts";
import { bytes } from "../../test/support/replay.ts";
import { OK } from "../../test/support/response-parser-cases.ts";

describe("ResponseParser: API behaviour", () => {
  it("returns after each response so the caller can set the next method", () => {
    const one = OK + "Content-Length: 2\r\n\r\nhi";
    const input = bytes(one + one);
    let completions = 0;
    const p = new ResponseParser({ onHead: () => {}, onBody: () => {}, onMessageComplete: () => completions++ });
    expect(p.execute(input)).toBe(one.length);
    expect(completions).toBe(1);
    expect(p.idle).toBe(true);
    expect(p.execute(input.subarray(one.length))).toBe(one.length);
    expect(completions).toBe(2);
    expect(p.execute(new Uint8Array(0))).toBe(0);
  });

  it("passes body bytes as views into the input, never copies (DESIGN §3)", () => {
    const input = bytes(OK + "Content-Length: 5\r\n\r\nhello");
    let chunk: Uint8Array | null = null;
    const p = new ResponseParser({ onHead: () => {}, onBody: (c) => (chunk = c), onMessageComplete: () => {} });
    p.execute(input);
    expect(chunk!.buffer).toBe(input.buffer);
    expect(chunk!.byteOffset).toBe(input.length - 5);
  });

  it("reports inBody and idle while a response is read", () => {
    const p = new ResponseParser({ onHead: () => {}, onBody: () => {}, onMessageComplete: () => {} });
    expect(p.idle).toBe(true);
    p.execute(bytes("HTTP/1.1 2"));
    expect(p.idle).toBe(false);
    expect(p.inBody).toBe(false);
    p.execute(bytes("00 OK\r\nContent-Length: 3\r\n\r\na"));
    expect(p.inBody).toBe(true);
    p.execute(bytes("bc"));
    expect(p.inBody).toBe(false);
    expect(p.idle).toBe(true);
  });

  it("fails a never-ending header line at the limit when fed in small pieces", () => {
    const limit = 1024;
    const p = new ResponseParser({ onHead: () => {}, onBody: () => {}, onMessageComplete: () => {} }, {
      maxHeaderSize: limit,
    });
    let fed = 0;
    const head = bytes(OK + "X-Endless: ");
    let result = p.execute(head);
    fed += head.length;
    const piece = bytes("aaaaaaa");
    while (result >= 0 && fed < 100 * limit) {
      result = p.execute(piece);
      fed += piece.length;
    }
    expect(result).toBe(-1);
    expect(p.error!.code).toBe("HEADERS_TOO_LARGE");
    expect(fed).toBeGreaterThan(limit);
    expect(fed).toBeLessThanOrEqual(limit + piece.length);
  });

  it("rejects data after a close-delimited response has ended", () => {
    const p = new ResponseParser({ onHead: () => {}, onBody: () => {}, onMessageComplete: () => {} });
    p.execute(bytes(OK + "\r\nbody"));
    expect(p.finish()).toBe(true);
    expect(p.execute(bytes("more"))).toBe(-1);
    expect(p.error!.code).toBe("DATA_AFTER_CLOSE");
  });

  it("errors are HttpErrors with status 502, a code and a sentence-case message", () => {
    const p = new ResponseParser({ onHead: () => {}, onBody: () => {}, onMessageComplete: () => {} });
    expect(p.execute(bytes(OK + "Content-Length: 1\r\nContent-Length: 2\r\n\r\n"))).toBe(-1);
    expect(p.error).toMatchObject({
      name: "HttpError",
      status: 502,
      code: "CONFLICTING_CONTENT_LENGTH",
      expose: false,
    });
    expect(p.error!.message).toMatch(/^[A-Z][a-z]/);
  });

  it("parses the serializer's own output (round trip)", async () => {
    const { serializeResponseHead } = await import("./response-serializer.ts");
    const head = serializeResponseHead(200, ["content-type", "text/plain"], "length", 3, true, 1);
    const heads: ResponseHead[] = []!;
    const p = new ResponseParser({ onHead: (h) => heads.push(h), onBody: () => {}, onMessageComplete: () => {} });
    expect(p.execute(bytes(head + "abc"))).toBe(head.length + 3);
    expect(heads[0]).toMatchObject({ status: 200, reason: "OK", contentLength: 3, framing: "length", keepAlive: true });
    expect(heads[0]!.headers.slice(0, 4)).toEqual(["content-type", "text/plain", "content-length", "3"]);
  });
});
