import { describe, expect, it } from "vitest";
import { isValidBoundary, multipartBoundary } from "./boundary.ts";
import { HttpError } from "../http/http-error.ts";

describe("multipart boundary (RFC 2046 §5.1.1, RFC 7578 §4.1)", () => {
  it.each([
    ["multipart/form-data; boundary=----WebKitFormBoundary7MA4YWxkTrZu0gW", "----WebKitFormBoundary7MA4YWxkTrZu0gW"],
    ['multipart/form-data; boundary="simple boundary"', "simple boundary"],
    ["Multipart/Form-Data;BOUNDARY=abc", "abc"],
    ['multipart/form-data; charset=utf-8; boundary="a:b?c=d"', "a:b?c=d"],
    ["multipart/form-data ; boundary = x ;", "x"],
    [`multipart/form-data; boundary="${"z".repeat(70)}"`, "z".repeat(70)],
  ])("%s → %s", (field, boundary) => {
    expect(multipartBoundary(field)).toBe(boundary);
  });

  it.each([
    ["multipart/form-data", "Content-Type has no boundary"],
    ["multipart/form-data; boundary=", "Malformed Content-Type"],
    ['multipart/form-data; boundary=""', "The boundary must be 1 to 70 characters"],
    [`multipart/form-data; boundary=${"z".repeat(71)}`, "The boundary must be 1 to 70 characters"],
    ['multipart/form-data; boundary="ends "', "The boundary must be 1 to 70 characters"],
    ['multipart/form-data; boundary="a\\"b"', "The boundary must be 1 to 70 characters"],
    ["multipart/form-data; boundary=a; boundary=b", "Content-Type has two boundaries"],
    ["multipart/mixed; boundary=a", "Content-Type is multipart/mixed, not multipart/form-data"],
    ['multipart/form-data; boundary="open', "Malformed Content-Type"],
    ["multipart/form-data; boundary=a b", "Malformed Content-Type"],
  ])("%s → 400 (%s)", (field, reason) => {
    let caught: unknown;
    try {
      multipartBoundary(field);
    } catch (e) {
      caught = e;
    }
    expect(caught).toBeInstanceOf(HttpError);
    expect(caught).toMatchObject({ status: 400, code: "MULTIPART_INVALID_BOUNDARY" });
    expect((caught as Error).message).toContain(reason);
  });

  it("allows a space inside but not at the end", () => {
    expect(isValidBoundary("a b")).toBe(true);
    expect(isValidBoundary("a ")).toBe(false);
    expect(isValidBoundary(" ")).toBe(false);
    expect(isValidBoundary("a\r\nb")).toBe(false);
  });
});
