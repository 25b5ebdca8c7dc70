import { describe, expect, it } from "vitest";
import { signCookieValue, verifyCookieValue } from "./sign-cookie.ts";

const KEY = "first-secret-of-32-bytes-length!";
const OLD = "an-older-secret-still-verifying";

describe("signed cookie values (HMAC-SHA256)", () => {
  it("signs value.signature with a 43-character base64url signature, and verifies it", async () => {
    const signed = await signCookieValue("user", "42", [KEY]);
    expect(signed).toMatch(/^42\.[A-Za-z0-9_-]{43}$/);
    expect(await verifyCookieValue("user", signed, [KEY])).toBe("42");
  });

  it("matches an HMAC computed independently over name=value", async () => {
    const key = await crypto.subtle.importKey(
      "raw",
      new TextEncoder().encode(KEY),
      { name: "HMAC", hash: "SHA-256" },
      false,
      ["sign"],
    );
    const mac = new Uint8Array(await crypto.subtle.sign("HMAC", key, new TextEncoder().encode("user=42")));
    const signed = await signCookieValue("user", "42", [KEY]);
    const sig = signed.slice(3).replace(/-/g, "+").replace(/_/g, "/");
    expect(Uint8Array.from(atob(sig), (ch) => ch.charCodeAt(0))).toEqual(mac);
  });

  it("a value with dots keeps them", async () => {
    const signed = await signCookieValue("v", "a.b.c", [KEY]);
    expect(await verifyCookieValue("v", signed, [KEY])).toBe("a.b.c");
  });

  it("tampered value, signature, name or key → undefined", async () => {
    const signed = await signCookieValue("user", "42", [KEY]);
    expect(await verifyCookieValue("user", "43" + signed.slice(2), [KEY])).toBeUndefined();
    const last = signed.at(-1) === "A" ? "B" : "A";
    expect(await verifyCookieValue("user", signed.slice(0, -1) + last, [KEY])).toBeUndefined();
    expect(await verifyCookieValue("admin", signed, [KEY])).toBeUndefined();
    expect(await verifyCookieValue("user", signed, [OLD])).toBeUndefined();
  });

  it("malformed input → undefined, never a throw", async () => {
    for (
      const bad of [undefined, "", "42", "42.", ".", "42.short", "42." + "A".repeat(44), "\u00e9." + "A".repeat(43)]
    ) {
      expect(await verifyCookieValue("user", bad, [KEY])).toBeUndefined();
    }
  });

  it("rotation: the first key signs, any key verifies", async () => {
    const old = await signCookieValue("user", "7", [OLD]);
    expect(await verifyCookieValue("user", old, [KEY, OLD])).toBe("7");
    const fresh = await signCookieValue("user", "7", [KEY, OLD]);
    expect(fresh).not.toBe(old);
    expect(await verifyCookieValue("user", fresh, [KEY])).toBe("7");
    expect(await verifyCookieValue("user", fresh, [OLD])).toBeUndefined();
  });

  it("byte keys work like string keys", async () => {
    const bytes = new TextEncoder().encode(KEY);
    expect(await signCookieValue("user", "1", [bytes])).toBe(await signCookieValue("user", "1", [KEY]));
  });

  it("refuses no keys and short keys with a clear error", async () => {
    await expect(signCookieValue("user", "1", [])).rejects.toThrow(/non-empty array/);
    await expect(verifyCookieValue("user", "1.x", [])).rejects.toThrow(/non-empty array/);
    await expect(signCookieValue("user", "1", ["short"])).rejects.toThrow(/5 bytes; use at least 16/);
    await expect(signCookieValue("user", "1", [new Uint8Array(8)])).rejects.toThrow(/8 bytes/);
  });
});
