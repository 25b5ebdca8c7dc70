/**
 * Protocol errors (RFC 6455 §5, §7.4): each fails the connection with its close code, and invalid
 * UTF-8 in text (§8.1) fails it with 1007 as soon as it shows.
 */
import assert from "node:assert/strict";
import { Buffer } from "node:buffer";
import { randomBytes } from "node:crypto";
import type { TestApi } from "../harness.ts";
import type { WsSuite } from "./fixture.ts";
import { closeBody, frame, OP_BINARY, OP_CLOSE, OP_CONT, OP_PING, OP_TEXT, RSV1, RSV2, RSV3 } from "./frames.ts";
import { KiB, MiB } from "./helpers.ts";
import { sleep } from "../harness.ts";
import { expectClose, failsWith } from "./raw-ws-client.ts";

export function protocolErrorCases(t: TestApi, s: WsSuite): void {
  const { main, tight, open } = s;
  t.describe("protocol errors", () => {
    const violations: [string, () => Buffer | Buffer[], number][] = [
      ["an unmasked client frame → 1002 (§5.1)", () => frame(OP_TEXT, "hello", { mask: false }), 1002],
      ["RSV1 without an extension → 1002 (§5.2)", () => frame(OP_TEXT, "x", { rsv: RSV1 }), 1002],
      ["RSV2 → 1002 (§5.2)", () => frame(OP_TEXT, "x", { rsv: RSV2 }), 1002],
      ["RSV3 → 1002 (§5.2)", () => frame(OP_BINARY, "x", { rsv: RSV3 }), 1002],
      ["RSV bits on a ping → 1002 (§5.2)", () => frame(OP_PING, "x", { rsv: RSV2 }), 1002],
      ["a ping of 126 bytes → 1002 (§5.5)", () => frame(OP_PING, randomBytes(126)), 1002],
      ["a close of 126 bytes → 1002 (§5.5)", () => frame(OP_CLOSE, closeBody(1000, "x".repeat(124))), 1002],
      ["a fragmented ping → 1002 (§5.5)", () => frame(OP_PING, "x", { fin: false }), 1002],
      ["a fragmented close → 1002 (§5.5)", () => frame(OP_CLOSE, closeBody(1000), { fin: false }), 1002],
      ["a continuation without a message → 1002 (§5.4)", () => frame(OP_CONT, "x"), 1002],
      [
        "a new message inside a fragmented one → 1002 (§5.4)",
        () => [frame(OP_TEXT, "a", { fin: false }), frame(OP_TEXT, "b")],
        1002,
      ],
      ["a 64-bit length with its top bit set → 1002 (§5.2)", () => {
        const f = frame(OP_BINARY, Buffer.alloc(0), { length: 0x10000 });
        f[2]! |= 0x80;
        return f;
      }, 1002],
      ["a 16-bit length under 126 → 1002 (§5.2 minimal length; wirecore is strict)", () => {
        const f = Buffer.from([0x82, 0x80 | 126, 0, 5, 1, 2, 3, 4, 0, 0, 0, 0, 0]);
        return f;
      }, 1002],
    ];
    for (const opcode of [0x3, 0x4, 0x5, 0x6, 0x7, 0xb, 0xc, 0xd, 0xe, 0xf]) {
      violations.push([`reserved opcode 0x${opcode.toString(16)} → 1002 (§5.2)`, () => frame(opcode, "x"), 1002]);
    }
    for (const [name, bytes, code] of violations) {
      t.it(`fails ${name}`, async () => {
        await failsWith(main.port, bytes(), code, name);
      });
    }

    t.it("flushes what came before a protocol error: echo, then the 1002 Close, then the close (×20)", async () => {
      // A valid text frame, a frame with a reserved opcode and a ping, in one write: the echo of the
      // text was queued before the error, so it must arrive, then the Close frame; the ping after
      // the error is never answered (§7.1.7: fail the connection). Bun once dropped both at times.
      const burst = Buffer.concat([frame(OP_TEXT, "before the error"), frame(0x3, "x"), frame(OP_PING, "late")]);
      for (let round = 0; round < 20; round++) {
        const client = await open("/ws");
        client.send(burst);
        // More bytes after the server's Close, before we read: a server that closes its socket
        // (rather than only its write side) answers them with a reset, and a reset makes the
        // client's kernel drop what it has not read yet — the echo and the Close frame.
        await sleep(20);
        client.sendFrame(OP_PING, "after");
        await sleep(20);
        const echo = await client.nextMessage(OP_TEXT, `round ${round}: the echo`);
        assert.equal(echo.toString(), "before the error", `round ${round}`);
        await expectClose(client, 1002, `round ${round}`);
      }
    }, 60_000);

    t.it(
      "fails a message over maxMessageSize with 1009 from its header, before the payload (16 MiB default)",
      async () => {
        // Only the header of a 16 MiB + 1 frame goes out: the server must not wait for the payload.
        const header = frame(OP_BINARY, Buffer.alloc(0), { length: 16 * MiB + 1 });
        await failsWith(main.port, header, 1009, "16 MiB + 1 byte");
      },
    );

    t.it("fails a fragmented message whose fragments add up past maxMessageSize with 1009 (64 KiB)", async () => {
      const client = await open("/ws", {}, tight.port);
      client.sendFrame(OP_BINARY, randomBytes(64 * KiB));
      assert.equal((await client.nextMessage(OP_BINARY, "exactly the limit")).length, 64 * KiB);
      client.sendFrame(OP_BINARY, randomBytes(40 * KiB), { fin: false });
      client.send(frame(OP_CONT, Buffer.alloc(0), { length: 40 * KiB }).subarray(0, 8)); // header only
      await expectClose(client, 1009, "40 KiB + 40 KiB over a 64 KiB limit");
    });
  });

  t.describe("invalid UTF-8 (§8.1)", () => {
    const invalid: [string, number[]][] = [
      ["a lone 0xFF", [0x61, 0xff, 0x62]],
      ["a lone continuation byte", [0x80]],
      ["an overlong '/' (C0 AF)", [0xc0, 0xaf]],
      ["an overlong 3-byte form (E0 80 AF)", [0xe0, 0x80, 0xaf]],
      ["a UTF-16 surrogate (ED A0 80)", [0xed, 0xa0, 0x80]],
      ["a code point over U+10FFFF (F4 90 80 80)", [0xf4, 0x90, 0x80, 0x80]],
      ["a truncated sequence at the end (E2 82)", [0x61, 0xe2, 0x82]],
    ];
    for (const [name, bytes] of invalid) {
      t.it(`fails a text message with ${name} → 1007`, async () => {
        await failsWith(main.port, frame(OP_TEXT, Buffer.from(bytes)), 1007, name);
      });
    }

    t.it("fails fast: invalid bytes in the first fragment close with 1007 before the message ends", async () => {
      const client = await open();
      client.sendFrame(OP_TEXT, Buffer.from([0x68, 0x69, 0xff]), { fin: false }); // no final fragment ever
      await expectClose(client, 1007, "invalid first fragment");
    });

    t.it("fails fast: a sequence broken across fragments closes with 1007 before the message ends", async () => {
      const client = await open();
      client.sendFrame(OP_TEXT, Buffer.from([0x61, 0xe2]), { fin: false });
      client.sendFrame(OP_CONT, Buffer.from([0x28, 0x61]), { fin: false }); // E2 28: not a continuation
      await expectClose(client, 1007, "E2 | 28 across fragments");
    });

    t.it("fails fast: invalid bytes early in one frame close with 1007 before the frame ends", async () => {
      const client = await open();
      const whole = frame(OP_TEXT, Buffer.concat([Buffer.from("abc"), Buffer.from([0xff]), Buffer.alloc(996, 0x61)]));
      client.send(whole.subarray(0, 8 + 10)); // header (2 + 2 + 4) and the first 10 payload bytes
      await expectClose(client, 1007, "invalid byte at 3 of a 1000-byte frame");
    });

    t.it("fails a truncated sequence at the end of a fragmented message → 1007", async () => {
      await failsWith(
        main.port,
        [frame(OP_TEXT, "ok", { fin: false }), frame(OP_CONT, Buffer.from([0xf0, 0x9f, 0x98]))],
        1007,
        "F0 9F 98 at the end",
      );
    });
  });
}
