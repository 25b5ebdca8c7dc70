/**
 * Frame opcodes (RFC 6455 §5.2, §11.8). 0x3–0x7 are reserved for further non-control frames and
 * 0xB–0xF for further control frames; receiving any of them fails the connection (§5.2).
 *
 * @module
 */

/** 0x0: a continuation fragment of a data message (§5.4). */
export const OPCODE_CONTINUATION: 0x0 = 0x0;
/** 0x1: a text message, UTF-8 (§5.6). */
export const OPCODE_TEXT: 0x1 = 0x1;
/** 0x2: a binary message (§5.6). */
export const OPCODE_BINARY: 0x2 = 0x2;
/** 0x8: Close (§5.5.1). */
export const OPCODE_CLOSE: 0x8 = 0x8;
/** 0x9: Ping (§5.5.2). */
export const OPCODE_PING: 0x9 = 0x9;
/** 0xA: Pong (§5.5.3). */
export const OPCODE_PONG: 0xa = 0xa;

/** The opcode of a whole data message. */
export type DataOpcode = typeof OPCODE_TEXT | typeof OPCODE_BINARY;

/** Largest payload of a control frame (§5.5). */
export const MAX_CONTROL_PAYLOAD: 125 = 125;
