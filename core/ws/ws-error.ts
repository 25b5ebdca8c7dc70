/**
 * An error that knows its WebSocket answer: the close code to send when failing the connection
 * (RFC 6455 §7.1.7), and a stable machine-readable name of the rule that failed.
 *
 * @example
 * ```ts
 * import { WsError } from "./ws-error.ts";
 * import { CLOSE_POLICY_VIOLATION } from "./close-codes.ts";
 * throw new WsError(CLOSE_POLICY_VIOLATION, "Binary messages are not accepted", "BINARY_REFUSED");
 * ```
 * @module
 */

/** A failure of the WebSocket connection, mapped to the close code the endpoint sends. */
export class WsError extends Error {
  /**
   * The close code to send: 1002 protocol error, 1007 invalid payload data, 1008 policy
   * violation, 1009 message too big, 1011 internal error (RFC 6455 §7.4.1).
   */
  readonly closeCode: number;
  /** A stable name of the failed rule, e.g. `"UNMASKED_FRAME"`. */
  readonly code: string;

  constructor(closeCode: number, message: string, code = "WS_ERROR") {
    super(message);
    this.name = "WsError";
    this.closeCode = closeCode;
    this.code = code;
  }
}
