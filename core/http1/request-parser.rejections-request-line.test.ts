import { describe, it } from "vitest";
import { type Case, check, reject } from "../../test/support/request-parser-cases.ts";

const invalid: Case[] = [
  // ── request line ──
  {
    name: "separator in the method (RFC 9110 §9.1)",
    input: "GE(T / HTTP/1.1\r\nHost: h\r\n\r\n",
    events: reject(400, "INVALID_METHOD"),
  },
  {
    name: "NUL in the method (RFC 9110 §9.1)",
    input: "G\x00T / HTTP/1.1\r\nHost: h\r\n\r\n",
    events: reject(400, "INVALID_METHOD"),
  },
  {
    name: "empty method (RFC 9112 §3)",
    input: " / HTTP/1.1\r\nHost: h\r\n\r\n",
    events: reject(400, "INVALID_METHOD"),
  },
  {
    name: "request line without target (RFC 9112 §3)",
    input: "GET\r\nHost: h\r\n\r\n",
    events: reject(400, "INVALID_REQUEST_LINE"),
  },
  {
    name: "HTTP/0.9-style request line (RFC 9112 §3)",
    input: "GET /\r\nHost: h\r\n\r\n",
    events: reject(400, "INVALID_REQUEST_LINE"),
  },
  {
    name: "two spaces after the method (RFC 9112 §3)",
    input: "GET  / HTTP/1.1\r\nHost: h\r\n\r\n",
    events: reject(400, "INVALID_REQUEST_LINE"),
  },
  {
    name: "space inside the target (RFC 9112 §3.2)",
    input: "GET /a b HTTP/1.1\r\nHost: h\r\n\r\n",
    events: reject(400, "INVALID_REQUEST_LINE"),
  },
  {
    name: "trailing space after the version (RFC 9112 §3)",
    input: "GET / HTTP/1.1 \r\nHost: h\r\n\r\n",
    events: reject(400, "INVALID_REQUEST_LINE"),
  },
  {
    name: "HTAB as separator (RFC 9112 §3)",
    input: "GET\t/ HTTP/1.1\r\nHost: h\r\n\r\n",
    events: reject(400, "INVALID_METHOD"),
  },
  {
    name: "CTL in the target (RFC 9112 §3.2)",
    input: "GET /a\x01b HTTP/1.1\r\nHost: h\r\n\r\n",
    events: reject(400, "INVALID_TARGET"),
  },
  {
    name: "DEL in the target (RFC 9112 §3.2)",
    input: "GET /\x7f HTTP/1.1\r\nHost: h\r\n\r\n",
    events: reject(400, "INVALID_TARGET"),
  },
  {
    name: "byte >= 0x80 in the target (RFC 3986 §2)",
    input: "GET /caf\xe9 HTTP/1.1\r\nHost: h\r\n\r\n",
    events: reject(400, "INVALID_TARGET"),
  },
  {
    name: "target not starting with '/' (RFC 9112 §3.2.1)",
    input: "GET a/b HTTP/1.1\r\nHost: h\r\n\r\n",
    events: reject(400, "INVALID_TARGET"),
  },
  {
    name: "asterisk-form with GET (RFC 9112 §3.2.4)",
    input: "GET * HTTP/1.1\r\nHost: h\r\n\r\n",
    events: reject(400, "INVALID_TARGET"),
  },
  {
    name: "authority-form with GET (RFC 9112 §3.2.3)",
    input: "GET example.com:80 HTTP/1.1\r\nHost: h\r\n\r\n",
    events: reject(400, "INVALID_TARGET"),
  },
  {
    name: 'Host with a second port (RFC 9110 §7.2: uri-host [ ":" port ])',
    input: "GET / HTTP/1.1\r\nHost: host:80:extra\r\n\r\n",
    events: reject(400, "INVALID_HOST"),
  },
  {
    name: "Host with a bad percent-encoding (RFC 3986 §2.1)",
    input: "GET / HTTP/1.1\r\nHost: a%zz\r\n\r\n",
    events: reject(400, "INVALID_HOST"),
  },
  {
    name: "absolute-form with a second port (RFC 9112 §3.2.2, RFC 3986 §3.2)",
    input: "GET http://a:1:2/ HTTP/1.1\r\nHost: a\r\n\r\n",
    events: reject(400, "INVALID_TARGET"),
  },
  {
    name: "CONNECT with origin-form (RFC 9112 §3.2.3)",
    input: "CONNECT / HTTP/1.1\r\nHost: h\r\n\r\n",
    events: reject(400, "INVALID_TARGET"),
  },
  {
    name: "CONNECT without port (RFC 9112 §3.2.3)",
    input: "CONNECT example.com HTTP/1.1\r\nHost: h\r\n\r\n",
    events: reject(400, "INVALID_TARGET"),
  },
  {
    name: "absolute-form with another scheme (RFC 9112 §3.2.2)",
    input: "GET ftp://example.com/ HTTP/1.1\r\nHost: h\r\n\r\n",
    events: reject(400, "INVALID_TARGET"),
  },
  {
    name: "absolute-form with empty authority (RFC 9110 §4.2.1)",
    input: "GET http:///p HTTP/1.1\r\nHost: h\r\n\r\n",
    events: reject(400, "INVALID_TARGET"),
  },
  {
    name: "absolute-form with userinfo (RFC 9110 §4.2.4)",
    input: "GET http://user@example.com/ HTTP/1.1\r\nHost: h\r\n\r\n",
    events: reject(400, "INVALID_TARGET"),
  },

  // ── version ──
  ...["HTTP/2.0", "HTTP/0.9", "HTTP/3.0"].map((v): Case => ({
    name: `${v} is not supported (RFC 9110 §2.5, RFC 9112 §2.3)`,
    input: `GET / ${v}\r\nHost: h\r\n\r\n`,
    events: reject(505, "HTTP_VERSION_NOT_SUPPORTED"),
  })),
  ...["HTTP/1", "HTTP/1.10", "http/1.1", "HTTP/1.x", "HTTP/11", "HTTPS/1.1", "HTTP/1.1.1"].map((v): Case => ({
    name: `malformed version ${v} (RFC 9112 §2.3)`,
    input: `GET / ${v}\r\nHost: h\r\n\r\n`,
    events: reject(400, "INVALID_VERSION"),
  })),

  // ── Host ──
  {
    name: "HTTP/1.1 without Host (RFC 9112 §3.2)",
    input: "GET / HTTP/1.1\r\nAccept: */*\r\n\r\n",
    events: reject(400, "MISSING_HOST"),
  },
  {
    name: "HTTP/1.1 absolute-form without Host (RFC 9112 §3.2)",
    input: "GET http://a/ HTTP/1.1\r\n\r\n",
    events: reject(400, "MISSING_HOST"),
  },
  {
    name: "two Host fields (RFC 9112 §3.2)",
    input: "GET / HTTP/1.1\r\nHost: a\r\nhost: a\r\n\r\n",
    events: reject(400, "DUPLICATE_HOST"),
  },
  {
    name: "two Host fields in HTTP/1.0 (RFC 9112 §3.2)",
    input: "GET / HTTP/1.0\r\nHost: a\r\nHost: b\r\n\r\n",
    events: reject(400, "DUPLICATE_HOST"),
  },
  {
    name: "space inside Host (RFC 9112 §3.2)",
    input: "GET / HTTP/1.1\r\nHost: a b\r\n\r\n",
    events: reject(400, "INVALID_HOST"),
  },
  {
    name: "'/' in Host (RFC 9112 §3.2)",
    input: "GET / HTTP/1.1\r\nHost: a/b\r\n\r\n",
    events: reject(400, "INVALID_HOST"),
  },
  {
    name: "'@' in Host (RFC 9110 §4.2.4)",
    input: "GET / HTTP/1.1\r\nHost: u@a\r\n\r\n",
    events: reject(400, "INVALID_HOST"),
  },
];

describe("RequestParser: rejections", () => {
  for (const c of invalid) it(c.name, () => check(c));
});
