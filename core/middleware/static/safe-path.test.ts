import { describe, expect, it } from "vitest";
import { checkPath, isInside } from "./safe-path.ts";

// [what, raw path below the root, expected status]
const REFUSED: [string, string, 400 | 403][] = [
  ["dot-dot", "/../etc/passwd", 403],
  ["dot-dot in the middle", "/a/../../b", 403],
  ["dot-dot at the end", "/a/..", 403],
  ["dot segment", "/./a", 403],
  ["encoded dot-dot", "/%2e%2e/etc/passwd", 403],
  ["encoded dot-dot, upper case", "/%2E%2E/etc/passwd", 403],
  ["half-encoded dot-dot", "/.%2e/x", 403],
  ["encoded slash", "/..%2fetc%2fpasswd", 400],
  ["encoded slash, upper case", "/a%2Fb", 400],
  ["encoded backslash", "/..%5cwin.ini", 400],
  ["backslash", "/..\\win.ini", 400],
  ["NUL", "/a.txt%00.png", 400],
  ["raw NUL", "/a\u0000b", 400],
  ["control character", "/a%0ab", 400],
  ["DEL", "/a%7f", 400],
  ["malformed escape", "/a%zz", 400],
  ["truncated escape", "/a%2", 400],
  ["broken UTF-8", "/a%c3", 400],
];

describe("checkPath", () => {
  for (const [what, raw, status] of REFUSED) {
    it(`refuses ${what} (${JSON.stringify(raw)}) with ${status}`, () => {
      const result = checkPath(raw);
      expect(result.ok).toBe(false);
      expect(!result.ok && result.status).toBe(status);
    });
  }

  it("decodes once: double encoding is a literal name, not a dot segment", () => {
    expect(checkPath("/%252e%252e/x")).toEqual({ ok: true, segments: ["%2e%2e", "x"], directory: false });
  });

  it("splits, decodes and notes a trailing slash", () => {
    expect(checkPath("/css/site%20main.css")).toEqual({
      ok: true,
      segments: ["css", "site main.css"],
      directory: false,
    });
    expect(checkPath("/docs/")).toEqual({ ok: true, segments: ["docs"], directory: true });
    // The mount point itself ("/assets" under prefix "/assets") is a directory URL without its slash.
    expect(checkPath("")).toEqual({ ok: true, segments: [], directory: false });
    expect(checkPath("/caf%C3%A9//menu..txt")).toEqual({ ok: true, segments: ["café", "menu..txt"], directory: false });
  });
});

describe("isInside", () => {
  it("is a prefix test on whole segments", () => {
    expect(isInside("/srv/www", "/srv/www")).toBe(true);
    expect(isInside("/srv/www", "/srv/www/a/b")).toBe(true);
    expect(isInside("/srv/www", "/srv/www-old/a")).toBe(false);
    expect(isInside("/srv/www", "/srv")).toBe(false);
    expect(isInside("/", "/etc/passwd")).toBe(true);
  });
});
