import { describe, it } from "vitest";
import {
  binary,
  type Case,
  check,
  closeBody,
  closeFrame,
  cont,
  DEFLATE,
  EURO,
  fail,
  frame,
  KEY,
  msg,
  ping,
  text,
} from "../../test/support/ws-frame-cases.ts";

const P = 1002;
const invalid: Case[] = [
  {
    name: "§5.1 an unmasked client frame",
    input: text("hi", { masked: false }),
    events: [fail(P, "UNMASKED_FRAME")],
    failsBy: 2,
  },
  {
    name: "§5.1 an unmasked control frame",
    input: ping("", { masked: false }),
    events: [fail(P, "UNMASKED_FRAME")],
  },
  {
    name: "§5.2 RSV1 without a negotiated extension",
    input: text("a", { rsv: 0x40 }),
    events: [fail(P, "RSV_SET")],
    failsBy: 2,
  },
  { name: "§5.2 RSV2 set", input: text("a", { rsv: 0x20 }), events: [fail(P, "RSV_SET")] },
  { name: "§5.2 RSV3 set", input: binary("a", { rsv: 0x10 }), events: [fail(P, "RSV_SET")] },
  {
    name: "§5.2 RSV2 set even with permessage-deflate",
    input: text("a", { rsv: 0x20 }),
    options: DEFLATE,
    events: [fail(P, "RSV_SET")],
  },
  {
    name: "RFC 7692 §6.1 RSV1 on a continuation frame",
    input: [...text("a", { fin: false, rsv: 0x40 }), ...cont("b", { rsv: 0x40 })],
    options: DEFLATE,
    events: [fail(P, "RSV_SET")],
  },
  {
    name: "RFC 7692 §6.1 RSV1 on a control frame",
    input: ping("a", { rsv: 0x40 }),
    options: DEFLATE,
    events: [fail(P, "RSV_SET")],
  },
  ...[3, 4, 5, 6, 7, 0xb, 0xc, 0xd, 0xe, 0xf].map(
    (opcode): Case => ({
      name: `§5.2 reserved opcode 0x${opcode.toString(16)}`,
      input: [...text("ok"), ...frame({ opcode, payload: "x" })],
      events: [msg(1, "ok"), fail(P, "RESERVED_OPCODE")],
    }),
  ),
  {
    name: "§5.4 a continuation without a message to continue",
    input: cont("x"),
    events: [fail(P, "UNEXPECTED_CONTINUATION")],
  },
  {
    name: "§5.4 a continuation after a finished message",
    input: [...text("a"), ...cont("b")],
    events: [msg(1, "a"), fail(P, "UNEXPECTED_CONTINUATION")],
  },
  {
    name: "§5.4 a new text frame while a fragmented message is in progress",
    input: [...text("a", { fin: false }), ...text("b")],
    events: [fail(P, "EXPECTED_CONTINUATION")],
  },
  {
    name: "§5.4 a new binary frame while a fragmented message is in progress",
    input: [...binary("a", { fin: false }), ...ping(""), ...binary("b", { fin: false })],
    events: [{ ping: "" }, fail(P, "EXPECTED_CONTINUATION")],
  },
  { name: "§5.5 a fragmented ping", input: ping("a", { fin: false }), events: [fail(P, "FRAGMENTED_CONTROL")] },
  { name: "§5.5 a fragmented close", input: closeFrame("", { fin: false }), events: [fail(P, "FRAGMENTED_CONTROL")] },
  {
    name: "§5.5 a ping of 126 bytes (16-bit length)",
    input: ping("z".repeat(126)),
    events: [fail(P, "CONTROL_TOO_LONG")],
    failsBy: 2,
  },
  {
    name: "§5.5 a pong announcing a 64-bit length",
    input: [0x8a, 0xff, 0, 0, 0, 0, 0, 0, 0, 1],
    events: [fail(P, "CONTROL_TOO_LONG")],
    failsBy: 2,
  },
  {
    name: "§5.5 a close of 126 bytes",
    input: closeFrame(closeBody(1000, "r".repeat(124))),
    events: [fail(P, "CONTROL_TOO_LONG")],
  },
  {
    name: "§5.2 a 64-bit length with the most significant bit set",
    input: [0x82, 0xff, 0x80, 0, 0, 0, 0, 0, 0, 1, ...KEY, 0],
    events: [fail(P, "LENGTH_MSB_SET")],
    failsBy: 10,
  },
  {
    name: "§5.2 a 7-bit length sent in the 16-bit form",
    input: binary("abc", { form: 16 }),
    events: [fail(P, "NON_MINIMAL_LENGTH")],
    failsBy: 4,
  },
  {
    name: "§5.2 a 16-bit length sent in the 64-bit form",
    input: binary("d".repeat(300), { form: 64 }),
    events: [fail(P, "NON_MINIMAL_LENGTH")],
    failsBy: 10,
  },
  {
    name: "§5.5.1 a close body of 1 byte",
    input: closeFrame("\x03"),
    events: [fail(P, "INVALID_CLOSE_LENGTH")],
  },
  ...[0, 1, 999, 1004, 1005, 1006, 1015, 1016, 1100, 2000, 2999, 5000, 65535].map(
    (code): Case => ({
      name: `§7.4 close code ${code} is invalid`,
      input: closeFrame(closeBody(code, "x")),
      events: [fail(P, "INVALID_CLOSE_CODE")],
    }),
  ),
  {
    name: "§5.5.1/§8.1 a close reason that is not UTF-8",
    input: closeFrame(closeBody(1000, "ok\xce\xba\xed\xa0\x80")),
    events: [fail(1007, "INVALID_UTF8")],
  },
  {
    name: "§5.5.1/§8.1 a close reason truncated mid-character",
    input: closeFrame(closeBody(1000, "\xe2\x82")),
    events: [fail(1007, "INVALID_UTF8")],
  },
  {
    name: "§8.1 invalid UTF-8 in a single-frame text message",
    input: text("abc\xc0\xafdef"),
    events: [fail(1007, "INVALID_UTF8")],
  },
  {
    name: "§8.1 fail fast: an invalid byte in the first fragment fails before the rest arrives",
    input: [...text("ok\xf8", { fin: false }), ...cont("more")],
    events: [fail(1007, "INVALID_UTF8")],
    failsBy: 2 + 4 + 3,
  },
  {
    name: "§8.1 fail fast: a surrogate fails mid-frame, at its second byte",
    input: text("ab\xed\xa0\x80" + "x".repeat(200)),
    events: [fail(1007, "INVALID_UTF8")],
    failsBy: 4 + 4 + 4,
  },
  {
    name: "§8.1 fail fast: above U+10FFFF fails at the second byte",
    input: text("\xf4\x90\x80\x80"),
    events: [fail(1007, "INVALID_UTF8")],
    failsBy: 2 + 4 + 2,
  },
  {
    name: "§8.1 a message ending mid-character",
    input: [...text("a\xe2", { fin: false }), ...cont("\x82")],
    events: [fail(1007, "INVALID_UTF8")],
  },
  {
    name: "§8.1 a message ending mid-character in an empty final fragment",
    input: [...text("a\xf0\x9f", { fin: false }), ...cont("")],
    events: [fail(1007, "INVALID_UTF8")],
  },
  {
    name: "§8.1 the validator starts fresh after a valid message",
    input: [...text(EURO), ...text("\x82\xac")],
    events: [msg(1, EURO), fail(1007, "INVALID_UTF8")],
  },
  {
    name: "max message size: one frame over the limit fails at its header",
    input: binary("x".repeat(11)),
    options: { maxMessageSize: 10 },
    events: [fail(1009, "MESSAGE_TOO_BIG")],
    failsBy: 2,
  },
  {
    name: "max message size: fragments adding up past the limit fail at the header of the last",
    input: [...binary("12345", { fin: false }), ...cont("678901")],
    options: { maxMessageSize: 10 },
    events: [fail(1009, "MESSAGE_TOO_BIG")],
    failsBy: 11 + 2,
  },
  {
    name: "max message size: a 64-bit header for 1 GiB fails before any payload",
    input: [0x82, 0xff, 0, 0, 0, 0, 0x40, 0, 0, 0],
    events: [fail(1009, "MESSAGE_TOO_BIG")],
    failsBy: 10,
  },
  {
    name: "§5.2 a length beyond 2^53 - 1 is too big",
    input: [0x82, 0xff, 0x00, 0x20, 0, 0, 0, 0, 0, 0],
    options: { maxMessageSize: Number.POSITIVE_INFINITY },
    events: [fail(1009, "MESSAGE_TOO_BIG")],
    failsBy: 10,
  },
];

describe("FrameParser: failures and their close codes (RFC 6455 §5, §7.4, §8.1)", () => {
  for (const c of invalid) it(c.name, () => check(c));
});
