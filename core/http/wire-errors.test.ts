import { describe, expect, it } from "vitest";
import { HttpError } from "./http-error.ts";
import { type HttpErrorCode, WIRE_ERRORS, type WireAnswer } from "./wire-errors.ts";
import { statusText } from "./status-text.ts";

const entries = Object.entries(WIRE_ERRORS) as [string, WireAnswer][];

describe("the wire error table", () => {
  it.each(entries)("%s has an answer and a sentence-case reason", (code, answer) => {
    expect(code).toMatch(/^[A-Z][A-Z0-9_]+$/);
    expect(answer.status !== undefined || answer.close !== undefined || answer.h2 !== undefined).toBe(true);
    expect(answer.reason).toMatch(/^[A-Z0-9:"'][^\n]*[^.\s]$/);
  });

  it("statuses are error statuses with a standard reason phrase (RFC 9110 §15.5, §15.6)", () => {
    for (const [code, { status }] of entries) {
      if (status === undefined) continue;
      expect(status, code).toBeGreaterThanOrEqual(400);
      expect(status, code).toBeLessThan(600);
      expect(statusText(status), code).not.toBe("");
    }
  });

  it("close codes are ones an endpoint may send to fail or leave a connection (RFC 6455 §7.4.1)", () => {
    for (const [code, { close }] of entries) {
      if (close === undefined) continue;
      // 1001 "going away" is the server leaving (idle, shutdown); the rest fail the connection.
      expect([1001, 1002, 1003, 1007, 1008, 1009, 1011], code).toContain(close);
    }
  });
});

describe("HttpError", () => {
  it("takes its status and reason from the table", () => {
    const e = new HttpError("BODY_TOO_LARGE");
    expect(e).toMatchObject({ name: "HttpError", status: 413, code: "BODY_TOO_LARGE", expose: true });
    expect(e.message).toBe("Request body is larger than the limit");
  });

  it("keeps the table's status under a detail message", () => {
    const e = new HttpError("INVALID_TARGET", "Asterisk-form target with a method other than OPTIONS");
    expect(e).toMatchObject({ status: 400, code: "INVALID_TARGET" });
    expect(e.message).toBe("Asterisk-form target with a method other than OPTIONS");
  });

  it("does not expose a 5xx reason", () => {
    expect(new HttpError("NO_RESPONSE").expose).toBe(false);
    expect(new HttpError("UNSUPPORTED_TRANSFER_ENCODING").expose).toBe(false);
  });

  it("still takes any status, message, code and expose, as users write it", () => {
    expect(new HttpError(404, "No such user")).toMatchObject({ status: 404, code: "HTTP_ERROR", expose: true });
    expect(new HttpError(418, "Teapot", "BREW", false)).toMatchObject({ status: 418, code: "BREW", expose: false });
    expect(new HttpError(503, "Down")).toMatchObject({ status: 503, expose: false, message: "Down" });
  });

  it("accepts only names with a status", () => {
    // @ts-expect-error UNMASKED_FRAME is answered with a close code, not a status
    const code: HttpErrorCode = "UNMASKED_FRAME";
    expect(WIRE_ERRORS[code]).not.toHaveProperty("status");
  });
});
