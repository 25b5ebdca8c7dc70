/**
 * WebSocket close codes (RFC 6455 §7.4) and the rule for which of them may appear in a Close
 * frame on the wire.
 *
 * RFC 6455 §7.4.1 defines 1000–1011 and 1015; the IANA "WebSocket Close Code Number Registry"
 * (§11.7) added 1012–1014. 1005, 1006 and 1015 are reserved for reporting to the application
 * and MUST NOT be sent in a Close frame (§7.4.1); 1004 is reserved with no meaning. 0–999 are
 * unused, 1016–2999 are reserved for future revisions and extensions (§7.4.2), 3000–3999 are
 * registered with IANA for libraries and frameworks, 4000–4999 are private use.
 *
 * @example
 * ```ts
 * import { CLOSE_NORMAL, isValidCloseCode } from "./close-codes.ts";
 * isValidCloseCode(CLOSE_NORMAL); // true
 * isValidCloseCode(1005);         // false: "no status received" is never sent
 * ```
 * @module
 */

/** 1000: the purpose for which the connection was established has been fulfilled. */
export const CLOSE_NORMAL: 1000 = 1000;
/** 1001: the endpoint is going away (server shutting down, browser leaving the page). */
export const CLOSE_GOING_AWAY: 1001 = 1001;
/** 1002: the peer broke the protocol. */
export const CLOSE_PROTOCOL_ERROR: 1002 = 1002;
/** 1003: a data type the endpoint cannot accept (e.g. binary to a text-only endpoint). */
export const CLOSE_UNSUPPORTED_DATA: 1003 = 1003;
/** 1004: reserved, no meaning defined; never valid on the wire. */
export const CLOSE_RESERVED: 1004 = 1004;
/** 1005: reported locally when a Close frame carried no code; never sent (§7.4.1). */
export const CLOSE_NO_STATUS: 1005 = 1005;
/** 1006: reported locally when the connection dropped without a Close frame; never sent. */
export const CLOSE_ABNORMAL: 1006 = 1006;
/** 1007: data inconsistent with the message type, e.g. invalid UTF-8 in a text message (§8.1). */
export const CLOSE_INVALID_PAYLOAD: 1007 = 1007;
/** 1008: a message violates the endpoint's policy (generic). */
export const CLOSE_POLICY_VIOLATION: 1008 = 1008;
/** 1009: a message is too big to process. */
export const CLOSE_MESSAGE_TOO_BIG: 1009 = 1009;
/** 1010: (client → server) the server did not negotiate an extension the client requires. */
export const CLOSE_MANDATORY_EXTENSION: 1010 = 1010;
/** 1011: the server hit an unexpected condition. */
export const CLOSE_INTERNAL_ERROR: 1011 = 1011;
/** 1012: the service is restarting (IANA registry). */
export const CLOSE_SERVICE_RESTART: 1012 = 1012;
/** 1013: try again later, e.g. overloaded (IANA registry). */
export const CLOSE_TRY_AGAIN_LATER: 1013 = 1013;
/** 1014: a gateway or proxy got an invalid response from upstream (IANA registry). */
export const CLOSE_BAD_GATEWAY: 1014 = 1014;
/** 1015: reported locally when the TLS handshake failed; never sent (§7.4.1). */
export const CLOSE_TLS_HANDSHAKE: 1015 = 1015;

/**
 * Whether `code` may appear in a Close frame on the wire — both for a code received from the
 * peer (an invalid one fails the connection with 1002, §7.4) and for one about to be sent.
 *
 * Valid: 1000–1003, 1007–1014, 3000–4999. Invalid: everything else, notably 1004–1006 and 1015
 * (§7.4.1), 0–999 and 1016–2999 (§7.4.2). 1012–1014 are accepted because IANA registered them
 * (§11.7) and peers such as proxies do send them.
 */
export function isValidCloseCode(code: number): boolean {
  if (code >= 3000) return code <= 4999;
  return (code >= 1000 && code <= 1003) || (code >= 1007 && code <= 1014);
}
