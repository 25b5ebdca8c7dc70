import { describe, expect, it } from "vitest";
import { isValidHost } from "./authority.ts";

// RFC 9110 §7.2 Host = uri-host [ ":" port ]; RFC 3986 §3.2.2 host, §3.2.3 port = *DIGIT.
const VALID: [string, string][] = [
  ["§7.2 empty Host", ""],
  ["§3.2.2 reg-name", "example.com"],
  ["§3.2.2 reg-name with port", "example.com:8080"],
  ["§3.2.3 empty port", "example.com:"],
  ["§3.2.2 sub-delims and unreserved", "a-b_c~d!$&'()*+,;=.e"],
  ["§3.2.2 pct-encoded", "caf%C3%A9.example"],
  ["§3.2.2 IPv4address", "127.0.0.1:3000"],
  ["§3.2.2 IPv6 loopback", "[::1]"],
  ["§3.2.2 IPv6 with port", "[::1]:443"],
  ["§3.2.2 IPv6 full", "[2001:db8:0:0:0:0:0:1]"],
  ["§3.2.2 IPv6 compressed middle", "[2001:db8::1]"],
  ["§3.2.2 IPv6 trailing ::", "[fe80::]"],
  ["§3.2.2 IPv6 all zero", "[::]"],
  ["§3.2.2 IPv6 with IPv4 tail", "[::ffff:192.0.2.1]:80"],
  ["§3.2.2 IPvFuture", "[v1.fe80::a+en1]"],
];

const INVALID: [string, string][] = [
  ["§7.2 two ports", "host:80:extra"],
  ["§7.2 colon inside reg-name", "a:b:1"],
  ["§3.2.3 port with letters", "host:8o"],
  ["§4.2.1 empty host before a port", ":80"],
  ["§3.2.2 bad pct-encoding", "a%zz"],
  ["§3.2.2 truncated pct-encoding", "a%4"],
  ["§3.2.2 userinfo is not part of Host", "user@host"],
  ["§3.2.2 space", "a b"],
  ["§3.2.2 slash", "a/b"],
  ["§3.2.2 non-ASCII", "caf\u00e9"],
  ["§3.2.2 IPv6 without brackets' end", "[::1"],
  ["§3.2.2 text after the bracket", "[::1]x"],
  ["§3.2.2 IPv6 two ::", "[1::2::3]"],
  ["§3.2.2 IPv6 nine groups", "[1:2:3:4:5:6:7:8:9]"],
  ["§3.2.2 IPv6 seven groups, no ::", "[1:2:3:4:5:6:7]"],
  ["§3.2.2 IPv6 group of five digits", "[12345::1]"],
  ["§3.2.2 IPv6 single leading colon", "[:1::2]"],
  ["§3.2.2 IPv6 single trailing colon", "[1::2:]"],
  ["§3.2.2 IPv6 with bad IPv4 tail", "[::ffff:256.0.0.1]"],
  ["§3.2.2 IPv6 IPv4 tail with a leading zero", "[::ffff:01.0.0.1]"],
  ["§3.2.2 empty brackets", "[]"],
  ["§3.2.2 IPvFuture without a dot", "[v1fe80]"],
  ["§3.2.2 IPvFuture without hex", "[v.x]"],
  ["§3.2.2 reg-name in brackets", "[example.com]"],
];

describe("isValidHost (RFC 9110 §7.2, RFC 3986 §3.2.2)", () => {
  for (const [rule, value] of VALID) {
    it(`accepts ${JSON.stringify(value)} (${rule})`, () => expect(isValidHost(value)).toBe(true));
  }
  for (const [rule, value] of INVALID) {
    it(`rejects ${JSON.stringify(value)} (${rule})`, () => expect(isValidHost(value)).toBe(false));
  }
  it("answers the same whichever host it saw last (it remembers the last valid one)", () => {
    for (const [, good] of VALID) {
      for (const [, bad] of INVALID) {
        expect(isValidHost(good)).toBe(true);
        expect(isValidHost(bad)).toBe(false);
        expect(isValidHost(good)).toBe(true);
        expect(isValidHost(good + "\u0000")).toBe(false);
      }
    }
  });
  it("agrees with the WHATWG URL parser on every valid IP literal", () => {
    for (const [, value] of VALID) {
      if (!value.startsWith("[") || value.startsWith("[v")) continue;
      expect(() => new URL(`http://${value}/`)).not.toThrow();
    }
  });
});
