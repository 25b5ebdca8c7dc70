/**
 * An error that knows its WebSocket answer: the close code to send when failing the connection
 * (RFC 6455 §7.1.7), and a stable machine-readable name of the rule that failed — a name from
 * the table in `core/http/wire-errors.ts`, which gives the close code and the default reason.
 *
 * @example
 * ```ts
 * import { WsError } from "./ws-error.ts";
 * import { CLOSE_POLICY_VIOLATION } from "./close-codes.ts";
 * new WsError("UNMASKED_FRAME"); // 1002 "Client frames must be masked"
 * throw new WsError(CLOSE_POLICY_VIOLATION, "Binary messages are not accepted", "BINARY_REFUSED");
 * ```
 * @module
 */
import { WIRE_ERRORS, type WsErrorCode } from "../http/wire-errors.ts";

/** A failure of the WebSocket connection, mapped to the close code the endpoint sends. */
export class WsError extends Error {
  /**
   * The close code to send: 1002 protocol error, 1007 invalid payload data, 1008 policy
   * violation, 1009 message too big, 1011 internal error (RFC 6455 §7.4.1).
   */
  readonly closeCode: number;
  /** A stable name of the failed rule, e.g. `"UNMASKED_FRAME"`. */
  readonly code: string;

  /** The error named `code` in the table: its close code, and `detail` or the table's reason. */
  constructor(code: WsErrorCode, detail?: string);
  /** An error with any close code; `code` defaults to `"WS_ERROR"`. */
  constructor(closeCode: number, message: string, code?: string);
  constructor(closeOrCode: number | WsErrorCode, message?: string, code?: string) {
    const named = typeof closeOrCode === "string";
    super(named ? (message ?? WIRE_ERRORS[closeOrCode].reason) : message);
    this.name = "WsError";
    this.closeCode = named ? WIRE_ERRORS[closeOrCode].close : closeOrCode;
    this.code = named ? closeOrCode : (code ?? "WS_ERROR");
  }
}
