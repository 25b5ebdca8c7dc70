import { describe, expect, it } from "vitest";
import fc from "fast-check";
import { MAX_NAME_VALUE_LENGTH, serializeCookie, serializeCookieDeletion } from "./serialize-cookie.ts";
import { parseCookies } from "./parse-cookie.ts";

describe("serializeCookie", () => {
  it("§4.1.1 name=value with Path=/ by default", () => {
    expect(serializeCookie("a", "1")).toBe("a=1; Path=/");
    expect(serializeCookie("a", "")).toBe("a=; Path=/");
  });

  it("§4.1.2 every attribute, in a fixed order", () => {
    const expires = new Date(Date.UTC(2030, 0, 2, 3, 4, 5));
    expect(
      serializeCookie("sid", "abc", {
        path: "/app",
        domain: "example.com",
        maxAge: 3600.9,
        expires,
        httpOnly: true,
        secure: true,
        sameSite: "none",
        partitioned: true,
      }),
    ).toBe(
      "sid=abc; Path=/app; Domain=example.com; Max-Age=3600; Expires=Wed, 02 Jan 2030 03:04:05 GMT; HttpOnly; " +
        "Secure; SameSite=None; Partitioned",
    );
  });

  it("path '' leaves Path out; negative Max-Age is 0; SameSite is case-insensitive", () => {
    expect(serializeCookie("a", "1", { path: "", maxAge: -5, sameSite: "STRICT" as "Strict" })).toBe(
      "a=1; Max-Age=0; SameSite=Strict",
    );
  });

  const BAD_NAMES: [string, string, RegExp][] = [
    ["empty", "", /Cookie name is empty/],
    ["space", "a b", /invalid character " " \(U\+0020\) at index 1/],
    ["semicolon", "a;b", /invalid character ";" \(U\+003B\)/],
    ["equals", "a=b", /invalid character "=" \(U\+003D\)/],
    ["CR", "a\rb", /invalid character "\\r" \(U\+000D\)/],
    ["LF", "a\nSet-Cookie: x", /invalid character "\\n" \(U\+000A\)/],
    ["non-ASCII", "caf\u00e9", /invalid character "\u00e9" \(U\+00E9\) at index 3/],
    ["DQUOTE", 'a"', /invalid character """ \(U\+0022\)/],
  ];
  it.each(BAD_NAMES)("§4.1.1 name must be a token: %s", (_what, name, message) => {
    expect(() => serializeCookie(name, "v")).toThrow(TypeError);
    expect(() => serializeCookie(name, "v")).toThrow(message);
  });

  const BAD_VALUES: [string, string, RegExp][] = [
    ["CR LF injection", "1\r\nSet-Cookie: admin=1", /invalid character "\\r" \(U\+000D\) at index 1/],
    ["semicolon (attribute injection)", "1; Domain=evil.com", /invalid character ";" \(U\+003B\) at index 1/],
    ["space", "a b", /" " \(U\+0020\)/],
    ["comma", "a,b", /"," \(U\+002C\)/],
    ["DQUOTE", '"quoted"', /""" \(U\+0022\) at index 0/],
    ["backslash", "a\\b", /"\\" \(U\+005C\)/],
    ["NUL", "a\0", /"\\u0000" \(U\+0000\)/],
    ["DEL", "a\x7f", /\(U\+007F\)/],
    ["non-ASCII", "\u20ac", /"\u20ac" \(U\+20AC\)/],
  ];
  it.each(BAD_VALUES)("§4.1.1 value must be cookie-octets: %s", (_what, value, message) => {
    expect(() => serializeCookie("a", value)).toThrow(TypeError);
    expect(() => serializeCookie("a", value)).toThrow(message);
  });

  it("attributes cannot break out of the field either", () => {
    expect(() => serializeCookie("a", "1", { path: "/x;Secure" })).toThrow(/path has an invalid character ";"/);
    expect(() => serializeCookie("a", "1", { path: "/x\r\nX: y" })).toThrow(/path has an invalid character "\\r"/);
    expect(() => serializeCookie("a", "1", { path: "x" })).toThrow(/path must start with "\/"/);
    expect(() => serializeCookie("a", "1", { domain: "a.com;x" })).toThrow(/domain has an invalid character/);
    expect(() => serializeCookie("a", "1", { domain: "" })).toThrow(/invalid domain/);
    expect(() => serializeCookie("a", "1", { domain: "a b.com" })).toThrow(/invalid domain/);
    expect(() => serializeCookie("a", "1", { maxAge: NaN })).toThrow(/maxAge must be a finite number/);
    expect(() => serializeCookie("a", "1", { maxAge: Infinity })).toThrow(TypeError);
    expect(() => serializeCookie("a", "1", { expires: new Date(NaN) })).toThrow(/expires must be a valid Date/);
    expect(() => serializeCookie("a", "1", { sameSite: "Loose" as "Lax" })).toThrow(/sameSite must be/);
  });

  it("SameSite=None and Partitioned need Secure (user agents drop them otherwise)", () => {
    expect(() => serializeCookie("a", "1", { sameSite: "None" })).toThrow(/"None" needs secure: true/);
    expect(() => serializeCookie("a", "1", { partitioned: true })).toThrow(/partitioned needs secure: true/);
  });

  it("§5.6 sizes a user agent would ignore are refused", () => {
    const value = "x".repeat(MAX_NAME_VALUE_LENGTH - 1);
    expect(serializeCookie("a", value).length).toBe(MAX_NAME_VALUE_LENGTH + 9);
    expect(() => serializeCookie("ab", value)).toThrow(RangeError);
    expect(() => serializeCookie("a", "1", { path: "/" + "p".repeat(1024) })).toThrow(/over 1024 characters/);
  });

  describe("§4.1.3 cookie prefixes", () => {
    it("__Secure- needs Secure", () => {
      expect(() => serializeCookie("__Secure-id", "1")).toThrow(/a __Secure- cookie needs secure: true/);
      expect(serializeCookie("__Secure-id", "1", { secure: true, domain: "a.com" })).toBe(
        "__Secure-id=1; Path=/; Domain=a.com; Secure",
      );
    });
    it("__Host- needs Secure, Path=/ and no Domain", () => {
      expect(() => serializeCookie("__Host-id", "1")).toThrow(/needs secure: true/);
      expect(() => serializeCookie("__Host-id", "1", { secure: true, domain: "a.com" })).toThrow(
        /must not have a domain/,
      );
      expect(() => serializeCookie("__Host-id", "1", { secure: true, path: "/app" })).toThrow(/needs path "\/"/);
      expect(() => serializeCookie("__Host-id", "1", { secure: true, path: "" })).toThrow(/needs path "\/"/);
      expect(serializeCookie("__Host-id", "1", { secure: true })).toBe("__Host-id=1; Path=/; Secure");
    });
    it("prefixes match case-insensitively", () => {
      expect(() => serializeCookie("__secure-id", "1")).toThrow(/needs secure/);
      expect(() => serializeCookie("__HOST-id", "1", { secure: true, domain: "a.com" })).toThrow(/domain/);
      expect(serializeCookie("_Secure-id", "1")).toBe("_Secure-id=1; Path=/");
    });
  });

  it("serializeCookieDeletion expires the cookie and satisfies its prefix", () => {
    expect(serializeCookieDeletion("a", { path: "/x", domain: "a.com" })).toBe(
      "a=; Path=/x; Domain=a.com; Max-Age=0; Expires=Thu, 01 Jan 1970 00:00:00 GMT",
    );
    expect(serializeCookieDeletion("__Host-sid")).toBe(
      "__Host-sid=; Path=/; Max-Age=0; Expires=Thu, 01 Jan 1970 00:00:00 GMT; Secure",
    );
    expect(serializeCookieDeletion("__Secure-sid", { path: "/app" })).toBe(
      "__Secure-sid=; Path=/app; Max-Age=0; Expires=Thu, 01 Jan 1970 00:00:00 GMT; Secure",
    );
  });

  it("property: whatever the input, the result is one field value (no CR, LF, NUL) or an error", () => {
    fc.assert(
      fc.property(
        fc.string({ maxLength: 30 }),
        fc.string({ maxLength: 30 }),
        fc.string({ maxLength: 10 }),
        (n, v, p) => {
          let out: string;
          try {
            out = serializeCookie(n, v, { path: "/" + p });
          } catch (error) {
            expect(error).toBeInstanceOf(Error);
            return;
          }
          expect(out).not.toMatch(/[\0\r\n]/);
          // The cookie a user agent stores is the one asked for.
          expect(parseCookies(out.slice(0, out.indexOf(";")))[n]).toBe(v);
        },
      ),
    );
  });
});
