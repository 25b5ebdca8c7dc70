import { describe, expect, it } from "vitest";
import { compileIpMatcher, parseIp } from "./ip-match.ts";

describe("parseIp", () => {
  it.each([
    ["127.0.0.1", [127, 0, 0, 1]],
    ["::ffff:10.1.2.3", [10, 1, 2, 3]],
    ["[::ffff:10.1.2.3]", [10, 1, 2, 3]],
  ])("reads %s as IPv4", (text, bytes) => {
    expect([...parseIp(text)!]).toEqual(bytes);
  });

  it("reads IPv6 with and without ::, zones and embedded IPv4", () => {
    expect([...parseIp("::1")!]).toEqual([...new Array(15).fill(0), 1]);
    expect(parseIp("2001:db8::8:800:200c:417a")![15]).toBe(0x7a);
    expect(parseIp("fe80::1%eth0")![0]).toBe(0xfe);
    expect(parseIp("64:ff9b::192.0.2.33")![15]).toBe(33);
    expect(parseIp("1:2:3:4:5:6:7:8")!.length).toBe(16);
  });

  it.each([
    "",
    "1.2.3",
    "1.2.3.4.5",
    "256.1.1.1",
    "01.1.1.1",
    "1.2.3.x",
    ":::",
    "1::2::3",
    "1:2:3:4:5:6:7:8:9",
    "12345::",
  ])(
    "refuses %j",
    (text) => {
      expect(parseIp(text)).toBeNull();
    },
  );
});

describe("compileIpMatcher", () => {
  const trusted = compileIpMatcher(["10.0.0.0/8", "192.168.1.7", "::1", "fd00::/8", "172.16.0.0/12"]);

  it.each([
    ["10.200.3.4", true],
    ["::ffff:10.0.0.1", true],
    ["11.0.0.1", false],
    ["192.168.1.7", true],
    ["192.168.1.8", false],
    ["::1", true],
    ["::2", false],
    ["fdab::1", true],
    ["fe00::1", false],
    ["172.31.255.255", true],
    ["172.32.0.0", false],
    ["not an address", false],
    ["", false],
  ])("%s → %s", (address, expected) => {
    expect(trusted(address)).toBe(expected);
  });

  it("matches everything of a family with /0, and nothing of the other family", () => {
    const v4 = compileIpMatcher(["0.0.0.0/0"]);
    expect(v4("203.0.113.9")).toBe(true);
    expect(v4("2001:db8::1")).toBe(false);
  });

  it.each(["10.0.0.0/33", "10.0.0.0/-1", "10.0.0.0/8x", "::/129", "localhost", "10.0.0/8"])(
    "refuses the entry %j",
    (entry) => {
      expect(() => compileIpMatcher([entry])).toThrow(TypeError);
    },
  );
});
