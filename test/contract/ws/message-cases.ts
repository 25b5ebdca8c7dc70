/**
 * Data frames: echo of text and binary messages of every length encoding, frames split anywhere,
 * fragmentation (RFC 6455 §5.4), ping and pong (§5.5.2–3), and the runtime's own client.
 */
import assert from "node:assert/strict";
import { Buffer } from "node:buffer";
import { randomBytes } from "node:crypto";
import { sleep, type TestApi } from "../harness.ts";
import type { WsSuite } from "./fixture.ts";
import { describeFrame, frame, OP_BINARY, OP_CONT, OP_PING, OP_PONG, OP_TEXT } from "./frames.ts";
import { KiB, MiB, openWebSocket, sameBytes, sizeName, utf8Text } from "./helpers.ts";

export function messageCases(t: TestApi, s: WsSuite): void {
  const { main, track, open } = s;
  t.describe("messages", () => {
    const sizes = [0, 125, 126, 65535, 65536, MiB, 16 * MiB];
    for (const kind of ["text", "binary"] as const) {
      t.it(`echoes ${kind} messages of ${sizes.map(sizeName).join(", ")} (${kind} stays ${kind})`, async () => {
        const client = await open();
        const opcode = kind === "text" ? OP_TEXT : OP_BINARY;
        for (const size of sizes) {
          const payload = kind === "text" ? utf8Text(size) : randomBytes(size);
          client.sendFrame(opcode, payload);
          const back = await client.nextMessage(opcode, `the echo of ${sizeName(size)} ${kind}`, 10_000);
          sameBytes(back, payload, `${sizeName(size)} ${kind} echo`);
        }
        client.close();
      }, 30_000);
    }

    t.it("parses frames split anywhere (byte by byte) and many frames in one write (§5.2)", async () => {
      const client = await open();
      const bytes = Buffer.concat([
        frame(OP_TEXT, "one"),
        frame(OP_BINARY, Buffer.from([1, 2, 3])),
        frame(OP_TEXT, utf8Text(300)),
      ]);
      for (let i = 0; i < bytes.length; i++) {
        client.send(bytes.subarray(i, i + 1));
        if (i % 16 === 0) await sleep(0);
      }
      assert.equal((await client.nextMessage(OP_TEXT)).toString(), "one");
      sameBytes(await client.nextMessage(OP_BINARY), Buffer.from([1, 2, 3]), "binary after byte-wise frames");
      sameBytes(await client.nextMessage(OP_TEXT), utf8Text(300), "text after byte-wise frames");
      const many: Buffer[] = [];
      for (let i = 0; i < 200; i++) many.push(frame(i % 2 ? OP_BINARY : OP_TEXT, `message ${i}`));
      client.send(Buffer.concat(many));
      for (let i = 0; i < 200; i++) {
        assert.equal((await client.nextMessage(i % 2 ? OP_BINARY : OP_TEXT, `echo ${i}`)).toString(), `message ${i}`);
      }
    });

    t.it(
      "keeps a leading U+FEFF in a text message: a BOM is a character of the text, as browsers keep it",
      async () => {
        const client = await open();
        for (const text of ["\uFEFFbom", "\uFEFF", "\uFEFF\uFEFFtwo"]) {
          client.sendFrame(OP_TEXT, text);
          sameBytes(await client.nextMessage(OP_TEXT, `the echo of ${JSON.stringify(text)}`), Buffer.from(text), text);
        }
        client.close();
      },
    );

    t.it("reassembles a fragmented text message (§5.4)", async () => {
      const client = await open();
      client.sendFrame(OP_TEXT, "Hello, ", { fin: false });
      client.sendFrame(OP_CONT, "", { fin: false });
      client.sendFrame(OP_CONT, "fragmented ", { fin: false });
      client.sendFrame(OP_CONT, "world ✓", { fin: true });
      assert.equal((await client.nextMessage(OP_TEXT)).toString(), "Hello, fragmented world ✓");
      // A character split between fragments is fine (§8.1 applies to the whole message).
      const euro = Buffer.from("€", "utf8");
      client.sendFrame(OP_TEXT, euro.subarray(0, 1), { fin: false });
      client.sendFrame(OP_CONT, euro.subarray(1, 2), { fin: false });
      client.sendFrame(OP_CONT, euro.subarray(2), { fin: true });
      assert.equal((await client.nextMessage(OP_TEXT)).toString(), "€");
    });

    t.it("answers a ping interleaved between fragments at once, with the same payload (§5.4, §5.5.2)", async () => {
      const client = await open();
      const a = randomBytes(70 * KiB);
      const b = randomBytes(1000);
      client.sendFrame(OP_BINARY, a, { fin: false });
      client.sendFrame(OP_PING, "between fragments");
      const pong = await client.nextFrame("the pong while the message is unfinished");
      assert.equal(pong.opcode, OP_PONG, `expected a pong, got ${describeFrame(pong)}`);
      assert.equal(pong.payload.toString(), "between fragments");
      client.sendFrame(OP_PONG, "unsolicited"); // §5.5.3: allowed, no answer
      client.sendFrame(OP_CONT, b, { fin: true });
      sameBytes(
        await client.nextMessage(OP_BINARY, "the reassembled message"),
        Buffer.concat([a, b]),
        "fragmented binary echo",
      );
    });

    t.it("answers pings with pongs carrying the same payload (0 and 125 bytes) (§5.5.2)", async () => {
      const client = await open();
      for (const payload of [Buffer.alloc(0), Buffer.from("ping!"), randomBytes(125)]) {
        client.sendFrame(OP_PING, payload);
        const pong = await client.nextFrame(`the pong to a ${payload.length}-byte ping`);
        assert.equal(pong.opcode, OP_PONG, describeFrame(pong));
        sameBytes(pong.payload, payload, "pong payload");
      }
      client.sendFrame(OP_TEXT, "still open");
      assert.equal((await client.nextMessage(OP_TEXT)).toString(), "still open");
    });

    t.it("echoes through the runtime's own WebSocket client (text stays string, binary stays binary)", async () => {
      const { ws, next } = await openWebSocket(`ws://127.0.0.1:${main.port}/ws`);
      track(ws);
      for (const size of [0, 126, 65536, MiB]) {
        const text = utf8Text(size).toString("utf8");
        ws.send(text);
        const back = await next(`text ${sizeName(size)}`);
        assert.equal(typeof back, "string", `text ${sizeName(size)} came back as ${typeof back}`);
        assert.ok(back === text, `text ${sizeName(size)} changed`);
        const bytes = randomBytes(size);
        ws.send(bytes);
        const bin = await next(`binary ${sizeName(size)}`);
        assert.ok(bin instanceof ArrayBuffer, `binary ${sizeName(size)} came back as ${typeof bin}`);
        sameBytes(new Uint8Array(bin), bytes, `binary ${sizeName(size)}`);
      }
      ws.close(1000);
    }, 20_000);
  });
}
