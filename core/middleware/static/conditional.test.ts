import { describe, expect, it } from "vitest";
import { checkPreconditions, entityTag, ifRangeHolds, lastModified } from "./conditional.ts";
import { acceptedPrecompressed } from "./accept-encoding.ts";
import type { FileStat } from "../../providers/file-provider.ts";

const stat: FileStat = { size: 1234, mtimeMs: Date.UTC(2026, 0, 2, 3, 4, 5, 600), isFile: true, isDirectory: false };
const etag = entityTag(stat, "");
const modified = lastModified(stat); // "Fri, 02 Jan 2026 03:04:05 GMT"
const before = "Fri, 02 Jan 2026 03:04:04 GMT";
const later = "Fri, 02 Jan 2026 03:04:06 GMT";

function check(fields: Record<string, string>, method = "GET"): number {
  return checkPreconditions((name) => fields[name], method, etag, stat);
}

describe("entityTag and lastModified", () => {
  it("make a strong tag from size and mtime, one per coding", () => {
    expect(etag).toMatch(/^"[0-9a-f]+-[0-9a-f]+"$/);
    expect(entityTag(stat, "br")).not.toBe(etag);
    expect(entityTag({ ...stat, size: 1235 }, "")).not.toBe(etag);
    expect(modified).toBe("Fri, 02 Jan 2026 03:04:05 GMT");
  });
});

describe("checkPreconditions (RFC 9110 §13.2.2 order)", () => {
  it("§13.1.1 If-Match: strong match goes on, anything else 412", () => {
    expect(check({ "if-match": etag })).toBe(0);
    expect(check({ "if-match": `"x", ${etag}` })).toBe(0);
    expect(check({ "if-match": "*" })).toBe(0);
    expect(check({ "if-match": `W/${etag}` })).toBe(412);
    expect(check({ "if-match": '"other"' })).toBe(412);
  });
  it("§13.1.4 If-Unmodified-Since: 412 when modified after; ignored under If-Match or when invalid", () => {
    expect(check({ "if-unmodified-since": modified })).toBe(0);
    expect(check({ "if-unmodified-since": before })).toBe(412);
    expect(check({ "if-unmodified-since": before, "if-match": etag })).toBe(0);
    expect(check({ "if-unmodified-since": "yesterday" })).toBe(0);
  });
  it("§13.1.2 If-None-Match: weak match → 304 for GET/HEAD, 412 otherwise", () => {
    expect(check({ "if-none-match": etag })).toBe(304);
    expect(check({ "if-none-match": `W/${etag}` })).toBe(304);
    expect(check({ "if-none-match": "*" }, "HEAD")).toBe(304);
    expect(check({ "if-none-match": etag }, "DELETE")).toBe(412);
    expect(check({ "if-none-match": '"other"' })).toBe(0);
  });
  it("§13.1.3 If-Modified-Since: 304 unless modified after; ignored under If-None-Match", () => {
    expect(check({ "if-modified-since": modified })).toBe(304);
    expect(check({ "if-modified-since": later })).toBe(304);
    expect(check({ "if-modified-since": before })).toBe(0);
    expect(check({ "if-modified-since": modified, "if-none-match": '"other"' })).toBe(0);
    expect(check({ "if-modified-since": "not a date" })).toBe(0);
    expect(check({ "if-modified-since": modified }, "POST")).toBe(0);
  });
  it("§13.2.2 If-Match is checked before If-None-Match", () => {
    expect(check({ "if-match": '"other"', "if-none-match": etag })).toBe(412);
  });
});

describe("ifRangeHolds (§13.1.5)", () => {
  it("holds for the strong tag or the exact date, not for weak tags or other dates", () => {
    expect(ifRangeHolds(undefined, etag, stat)).toBe(true);
    expect(ifRangeHolds(etag, etag, stat)).toBe(true);
    expect(ifRangeHolds(`W/${etag}`, etag, stat)).toBe(false);
    expect(ifRangeHolds('"old"', etag, stat)).toBe(false);
    expect(ifRangeHolds(modified, etag, stat)).toBe(true);
    expect(ifRangeHolds(later, etag, stat)).toBe(false);
    expect(ifRangeHolds("garbage", etag, stat)).toBe(false);
  });
});

describe("acceptedPrecompressed (§12.5.3)", () => {
  const codings = (field: string | undefined): string[] => acceptedPrecompressed(field).map((p) => p.coding);
  it("ranks by q-value, ties in server order (br first), drops q=0", () => {
    expect(codings(undefined)).toEqual([]);
    expect(codings("gzip, deflate, br")).toEqual(["br", "gzip"]);
    expect(codings("gzip;q=1, br;q=0.5")).toEqual(["gzip", "br"]);
    expect(codings("br;q=0, gzip")).toEqual(["gzip"]);
    expect(codings("identity")).toEqual([]);
    expect(codings("*")).toEqual(["br", "gzip"]);
    expect(codings("*;q=0.1, gzip;q=0")).toEqual(["br"]);
    expect(codings("x-gzip")).toEqual(["gzip"]);
    expect(codings("gzip;q=2")).toEqual([]);
  });
});
