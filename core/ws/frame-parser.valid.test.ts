import { describe, it } from "vitest";
import {
  A256,
  B65535,
  binary,
  C65536,
  type Case,
  check,
  closeBody,
  closeFrame,
  cont,
  DEFLATE,
  EURO,
  HELLO_MASKED,
  msg,
  ping,
  pong,
  text,
  utf8,
} from "../../test/support/ws-frame-cases.ts";

const valid: Case[] = [
  { name: "§5.7 a single-frame masked text message", input: HELLO_MASKED, events: [msg(1, "Hello")] },
  { name: "§5.6 a binary message", input: binary("\x00\x01\xfe\xff"), events: [msg(2, "\x00\x01\xfe\xff")] },
  {
    name: "§5.2 empty text and binary messages",
    input: [...text(""), ...binary("")],
    events: [msg(1, ""), msg(2, "")],
  },
  { name: "§5.2 7-bit length 125", input: binary("x".repeat(125)), events: [msg(2, "x".repeat(125))] },
  { name: "§5.2 16-bit length 126", input: binary("y".repeat(126)), events: [msg(2, "y".repeat(126))] },
  { name: "§5.7 16-bit length 256", input: binary(A256), events: [msg(2, A256)] },
  { name: "§5.2 16-bit length 65535", input: binary(B65535), events: [msg(2, B65535)] },
  { name: "§5.7 64-bit length 65536", input: binary(C65536), events: [msg(2, C65536)] },
  {
    name: "§5.2 many frames in one read",
    input: [...text("one"), ...ping("p"), ...binary("two"), ...pong("q"), ...text("three")],
    events: [msg(1, "one"), { ping: "p" }, msg(2, "two"), { pong: "q" }, msg(1, "three")],
  },
  {
    name: "§5.4 a fragmented text message",
    input: [...text("Hel", { fin: false }), ...cont("lo")],
    events: [msg(1, "Hello")],
  },
  {
    name: "§5.4 a binary message in three fragments, the last empty",
    input: [...binary("ab", { fin: false }), ...cont("cd", { fin: false }), ...cont("")],
    events: [msg(2, "abcd")],
  },
  {
    name: "§5.4 empty fragments",
    input: [...text("", { fin: false }), ...cont("", { fin: false }), ...cont("x", { fin: false }), ...cont("")],
    events: [msg(1, "x")],
  },
  {
    name: "§5.4 a message of empty fragments only",
    input: [...binary("", { fin: false }), ...cont("")],
    events: [msg(2, "")],
  },
  {
    name: "§5.4 control frames interleaved between fragments",
    input: [
      ...text("a", { fin: false }),
      ...ping("1"),
      ...cont("b", { fin: false }),
      ...pong("2"),
      ...ping(""),
      ...cont("c"),
    ],
    events: [{ ping: "1" }, { pong: "2" }, { ping: "" }, msg(1, "abc")],
  },
  {
    name: "§5.4 fragments of 64 KiB each",
    input: [...binary(C65536, { fin: false }), ...cont(B65535)],
    events: [msg(2, C65536 + B65535)],
  },
  {
    name: "§8.1 a character split across fragments",
    input: [
      ...text("a" + EURO.slice(0, 1), { fin: false }),
      ...cont(EURO.slice(1, 2), { fin: false }),
      ...cont(EURO.slice(2) + "b"),
    ],
    events: [msg(1, "a" + EURO + "b")],
  },
  {
    name: "§8.1 multi-byte UTF-8 of every length",
    input: text(utf8("κόσμε ∑ 𝄞 \u{10ffff} \u{7f} \u{80}")),
    events: [msg(1, utf8("κόσμε ∑ 𝄞 \u{10ffff} \u{7f} \u{80}"))],
  },
  { name: "§5.5.2 a ping with a payload", input: ping("Hello"), events: [{ ping: "Hello" }] },
  { name: "§5.5.2 a ping of 125 bytes", input: ping("z".repeat(125)), events: [{ ping: "z".repeat(125) }] },
  { name: "§5.5.3 an unsolicited pong", input: pong("x"), events: [{ pong: "x" }] },
  {
    name: "§5.5.1 a close without a body",
    input: closeFrame(""),
    events: [{ close: { code: undefined, reason: "" } }],
  },
  {
    name: "§5.5.1 a close with a code",
    input: closeFrame(closeBody(1000)),
    events: [{ close: { code: 1000, reason: "" } }],
  },
  {
    name: "§5.5.1 a close with a UTF-8 reason",
    input: closeFrame(closeBody(1001, utf8("bye ∑"))),
    events: [{ close: { code: 1001, reason: "bye ∑" } }],
  },
  {
    name: "§5.5.1 a close reason of 123 bytes",
    input: closeFrame(closeBody(4000, "r".repeat(123))),
    events: [{ close: { code: 4000, reason: "r".repeat(123) } }],
  },
  ...[1000, 1001, 1002, 1003, 1007, 1008, 1009, 1010, 1011, 1012, 1013, 1014, 3000, 3999, 4000, 4999].map(
    (code): Case => ({
      name: `§7.4 close code ${code} is valid`,
      input: closeFrame(closeBody(code)),
      events: [{ close: { code, reason: "" } }],
    }),
  ),
  {
    name: "§5.5.1 bytes after a close are ignored, even garbage",
    input: [...text("a"), ...closeFrame(closeBody(1000)), ...text("b"), 0xff, 0xff, 0x00],
    events: [msg(1, "a"), { close: { code: 1000, reason: "" } }],
  },
  {
    name: "§5.5.1 a close between fragments ends parsing",
    input: [...text("a", { fin: false }), ...closeFrame(""), ...cont("b")],
    events: [{ close: { code: undefined, reason: "" } }],
  },
  {
    name: "§5.3 any masking key, including zero",
    input: [...text("zero", { key: [0, 0, 0, 0] }), ...text("ones", { key: [0xff, 0xff, 0xff, 0xff] })],
    events: [msg(1, "zero"), msg(1, "ones")],
  },
  {
    name: "RFC 7692 §6 RSV1 on the first frame with permessage-deflate: delivered compressed",
    input: [...text("\xf2\x48\xcd\xc9\xc9\x07\x00", { rsv: 0x40 }), ...binary("raw")],
    options: DEFLATE,
    events: [msg(1, "\xf2\x48\xcd\xc9\xc9\x07\x00", true), msg(2, "raw")],
  },
  {
    name: "RFC 7692 §6.1 a compressed fragmented message: RSV1 on the first frame only",
    input: [...text("\xf2\x48", { rsv: 0x40, fin: false }), ...ping("p"), ...cont("\xcd\xc9\xc9\x07\x00")],
    options: DEFLATE,
    events: [{ ping: "p" }, msg(1, "\xf2\x48\xcd\xc9\xc9\x07\x00", true)],
  },
  {
    name: "§8.1 a compressed text message is not checked as UTF-8 before inflating",
    input: text("\xff\xfe", { rsv: 0x40 }),
    options: DEFLATE,
    events: [msg(1, "\xff\xfe", true)],
  },
  {
    name: "§5.2 a non-minimal 16-bit length, allowed by the lenient flag",
    input: binary("abc", { form: 16 }),
    options: { allowNonMinimalLength: true },
    events: [msg(2, "abc")],
  },
  {
    name: "§5.2 a non-minimal 64-bit length, allowed by the lenient flag",
    input: binary("abc", { form: 64 }),
    options: { allowNonMinimalLength: true },
    events: [msg(2, "abc")],
  },
  {
    name: "max message size: exactly the limit passes",
    input: [...binary("12345", { fin: false }), ...cont("67890")],
    options: { maxMessageSize: 10 },
    events: [msg(2, "1234567890")],
  },
  {
    name: "max message size: control frames do not count",
    input: [...binary("12345", { fin: false }), ...ping("x".repeat(100)), ...cont("67890")],
    options: { maxMessageSize: 10 },
    events: [{ ping: "x".repeat(100) }, msg(2, "1234567890")],
  },
];

describe("FrameParser: valid input (RFC 6455 §5)", () => {
  for (const c of valid) it(c.name, () => check(c));
});
