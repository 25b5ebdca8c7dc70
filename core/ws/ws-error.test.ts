import { describe, expect, it } from "vitest";
import { WsError } from "./ws-error.ts";
import { CLOSE_INVALID_PAYLOAD, CLOSE_POLICY_VIOLATION, CLOSE_PROTOCOL_ERROR } from "./close-codes.ts";

describe("WsError", () => {
  it("takes its close code and reason from the table", () => {
    const e = new WsError("UNMASKED_FRAME");
    expect(e).toMatchObject({ name: "WsError", closeCode: CLOSE_PROTOCOL_ERROR, code: "UNMASKED_FRAME" });
    expect(e.message).toBe("Client frames must be masked");
  });

  it("keeps the table's close code under a detail message", () => {
    const e = new WsError("INVALID_UTF8", "Text message is not valid UTF-8 at byte 3");
    expect(e).toMatchObject({ closeCode: CLOSE_INVALID_PAYLOAD, message: "Text message is not valid UTF-8 at byte 3" });
  });

  it("still takes any close code, message and code", () => {
    const e = new WsError(CLOSE_POLICY_VIOLATION, "Binary messages are not accepted", "BINARY_REFUSED");
    expect(e).toMatchObject({ closeCode: 1008, code: "BINARY_REFUSED", message: "Binary messages are not accepted" });
    expect(new WsError(1008, "No").code).toBe("WS_ERROR");
  });
});
