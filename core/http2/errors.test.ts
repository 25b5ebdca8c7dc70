import { describe, expect, it } from "vitest";
import { WIRE_ERRORS } from "../http/wire-errors.ts";
import { ConnectionError, ErrorCode, errorCodeName, StreamError } from "./errors.ts";

describe("HTTP/2 errors", () => {
  it("error codes are numbered as RFC 9113 §7 lists them", () => {
    expect(Object.values(ErrorCode)).toEqual([...Object.keys(ErrorCode).keys()]);
    expect(errorCodeName(0xb)).toBe("ENHANCE_YOUR_CALM");
    expect(errorCodeName(0x42)).toBe("UNKNOWN(0x42)");
  });

  it("every h2 answer in the table names an error code", () => {
    for (const [code, answer] of Object.entries(WIRE_ERRORS)) {
      if ("h2" in answer) expect(ErrorCode[answer.h2], code).toBeTypeOf("number");
    }
  });

  it("a ConnectionError takes its code and reason from the table", () => {
    const e = new ConnectionError("PUSH_PROMISE_FROM_CLIENT");
    expect(e).toMatchObject({
      name: "ConnectionError",
      code: ErrorCode.PROTOCOL_ERROR,
      rule: "PUSH_PROMISE_FROM_CLIENT",
    });
    expect(e.message).toBe("A client cannot push");
    expect(new ConnectionError("INVALID_FRAME_LENGTH", "PING frame of 7 octets").code).toBe(ErrorCode.FRAME_SIZE_ERROR);
  });

  it("a StreamError carries its stream, and the table's code under a detail", () => {
    const e = new StreamError(3, "SELF_DEPENDENCY", "PRIORITY makes the stream depend on itself");
    expect(e).toMatchObject({ streamId: 3, code: ErrorCode.PROTOCOL_ERROR, rule: "SELF_DEPENDENCY" });
    expect(e.message).toBe("PRIORITY makes the stream depend on itself");
  });

  it("the bare-code form still works; its rule is the code's name", () => {
    const e = new ConnectionError(ErrorCode.ENHANCE_YOUR_CALM, "Too many control frames");
    expect(e).toMatchObject({ code: 0xb, rule: "ENHANCE_YOUR_CALM", message: "Too many control frames" });
    expect(new StreamError(1, ErrorCode.CANCEL, "x")).toMatchObject({ code: 0x8, rule: "CANCEL" });
  });
});
