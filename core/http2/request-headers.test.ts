// Request header rules (RFC 9113 §8.2–8.3): field lists in → request head, or malformed
// (stream error PROTOCOL_ERROR, §8.1.1), or 431.
import { describe, expect, it } from "vitest";
import { HttpError } from "../http/http-error.ts";
import { ErrorCode, StreamError } from "./errors.ts";
import { buildRequestHead, validateTrailers } from "./request-headers.ts";

const BASE = [":method", "GET", ":scheme", "https", ":path", "/", ":authority", "example.com"];
const malformed: [string, string, string[]][] = [
  ["§8.2.1", "uppercase field name", [...BASE, "X-Foo", "1"]],
  ["§8.2.1", "empty field name (CVE-2019-9516)", [...BASE, "", "v"]],
  ["§8.2.1", "space in a name", [...BASE, "x foo", "1"]],
  ["§8.2.1", "colon inside a name", [...BASE, "x:foo", "1"]],
  ["§8.2.1", "NUL in a value", [...BASE, "x-foo", "a\0b"]],
  ["§8.2.1", "CR in a value", [...BASE, "x-foo", "a\rb"]],
  ["§8.2.1", "LF in a value", [...BASE, "x-foo", "a\nb"]],
  ["§8.2.1", "leading space in a value", [...BASE, "x-foo", " a"]],
  ["§8.2.1", "trailing tab in a value", [...BASE, "x-foo", "a\t"]],
  ["§8.2.2", "connection", [...BASE, "connection", "keep-alive"]],
  ["§8.2.2", "keep-alive", [...BASE, "keep-alive", "5"]],
  ["§8.2.2", "proxy-connection", [...BASE, "proxy-connection", "x"]],
  ["§8.2.2", "transfer-encoding", [...BASE, "transfer-encoding", "chunked"]],
  ["§8.2.2", "upgrade", [...BASE, "upgrade", "websocket"]],
  ["§8.2.2", "te other than trailers", [...BASE, "te", "gzip"]],
  ["§8.3", "unknown pseudo-header", [":method", "GET", ":foo", "x", ":scheme", "https", ":path", "/"]],
  ["§8.3", "response pseudo-header", [":status", "200", ...BASE]],
  ["§8.3", "pseudo-header after a regular field", [":method", "GET", ":scheme", "https", "x-a", "1", ":path", "/"]],
  ["§8.3", "duplicate :method", [":method", "GET", ":method", "GET", ":scheme", "https", ":path", "/"]],
  ["§8.3", "duplicate :scheme", [":method", "GET", ":scheme", "https", ":scheme", "https", ":path", "/"]],
  ["§8.3", "duplicate :path", [":method", "GET", ":scheme", "https", ":path", "/", ":path", "/"]],
  ["§8.3.1", "missing :method", [":scheme", "https", ":path", "/"]],
  ["§8.3.1", "missing :scheme", [":method", "GET", ":path", "/"]],
  ["§8.3.1", "missing :path", [":method", "GET", ":scheme", "https"]],
  ["§8.3.1", "empty :path", [":method", "GET", ":scheme", "https", ":path", ""]],
  ["§8.3.1", ":path not origin-form", [":method", "GET", ":scheme", "https", ":path", "a/b"]],
  ["§8.3.1", "asterisk :path with GET", [":method", "GET", ":scheme", "https", ":path", "*"]],
  ["§8.3.1", "space in :path", [":method", "GET", ":scheme", "https", ":path", "/a b"]],
  ["§8.3.1", "invalid :method", [":method", "G E", ":scheme", "https", ":path", "/"]],
  ["§8.3.1", "invalid :scheme", [":method", "GET", ":scheme", "1http", ":path", "/"]],
  ["§8.3.1", "userinfo in :authority", [
    ":method",
    "GET",
    ":scheme",
    "https",
    ":path",
    "/",
    ":authority",
    "u@example.com",
  ]],
  ["§8.3.1", "host differs from :authority", [...BASE, "host", "other.example"]],
  ["§8.3.1", ":authority with a second port", [
    ":method",
    "GET",
    ":scheme",
    "https",
    ":path",
    "/",
    ":authority",
    "a:1:2",
  ]],
  ["§8.3.1", "Host with a second port", [":method", "GET", ":scheme", "http", ":path", "/", "host", "a:1:2"]],
  ["§8.5", "CONNECT with :path", [":method", "CONNECT", ":authority", "a:443", ":path", "/"]],
  ["§8.5", "CONNECT without :authority", [":method", "CONNECT"]],
  ["§8.1.1", "non-numeric content-length", [...BASE, "content-length", "1x"]],
  ["§8.1.1", "conflicting content-lengths", [...BASE, "content-length", "1", "content-length", "2"]],
];

describe("request header rules (RFC 9113 §8.2–8.3)", () => {
  it.each(malformed)("%s %s is malformed", (_section, _name, fields) => {
    let error: unknown;
    try {
      buildRequestHead(1, fields, 100);
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(StreamError);
    expect((error as StreamError).code).toBe(ErrorCode.PROTOCOL_ERROR);
    expect((error as StreamError).streamId).toBe(1);
  });

  it("builds the head the HTTP/1.1 parser would", () => {
    const head = buildRequestHead(1, [
      ...BASE.slice(0, 4),
      ":path",
      "/a/b?x=1&y",
      ":authority",
      "example.com",
      "accept",
      "*/*",
      "content-length",
      "5",
      "te",
      "trailers",
    ], 100);
    expect(head).toMatchObject({
      method: "GET",
      target: "/a/b?x=1&y",
      path: "/a/b",
      query: "x=1&y",
      host: "example.com",
      versionMinor: 1,
      contentLength: 5,
      chunked: false,
      expectContinue: false,
      headers: ["accept", "*/*", "content-length", "5", "te", "trailers"],
    });
  });

  it("takes the host from the Host field without :authority, and accepts a matching Host", () => {
    expect(buildRequestHead(1, [":method", "GET", ":scheme", "http", ":path", "/", "host", "h.example"], 100).host)
      .toBe("h.example");
    expect(buildRequestHead(1, [...BASE, "host", "EXAMPLE.com"], 100).host).toBe("example.com");
  });

  it("joins cookie crumbs with '; ' (§8.2.3)", () => {
    const head = buildRequestHead(1, [...BASE, "cookie", "a=1", "x-y", "z", "cookie", "b=2"], 100);
    expect(head.headers).toEqual(["cookie", "a=1; b=2", "x-y", "z"]);
  });

  it("accepts OPTIONS * and CONNECT", () => {
    expect(buildRequestHead(1, [":method", "OPTIONS", ":scheme", "https", ":path", "*"], 100).path).toBe("*");
    const connect = buildRequestHead(1, [":method", "CONNECT", ":authority", "a.example:443"], 100);
    expect([connect.target, connect.host]).toEqual(["a.example:443", "a.example:443"]);
  });

  it("notes 100-continue", () => {
    expect(buildRequestHead(1, [...BASE, "expect", "100-Continue"], 100).expectContinue).toBe(true);
  });

  it("answers more fields than maxHeaders with 431", () => {
    const fields = [...BASE];
    for (let i = 0; i < 5; i++) fields.push(`x-${i}`, "v");
    expect(() => buildRequestHead(1, fields, 4)).toThrow(HttpError);
    expect(buildRequestHead(1, fields, 5).headers.length).toBe(10);
  });
});

describe("trailers (RFC 9113 §8.1)", () => {
  it("accepts regular fields", () => {
    expect(validateTrailers(3, ["x-sum", "abc"])).toEqual(["x-sum", "abc"]);
  });
  it.each([
    ["pseudo-header", [":status", "200"]],
    ["uppercase", ["X-Sum", "1"]],
    ["connection-specific", ["connection", "close"]],
  ])("refuses %s", (_name, fields) => {
    expect(() => validateTrailers(3, fields)).toThrow(StreamError);
  });
});
