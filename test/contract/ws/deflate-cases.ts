/**
 * permessage-deflate (RFC 7692): negotiation, context takeover both ways, fragmented and
 * uncompressed messages, corrupt data and decompression bombs, and the runtime's own client.
 */
import assert from "node:assert/strict";
import { Buffer } from "node:buffer";
import { randomBytes } from "node:crypto";
import type { TestApi } from "../harness.ts";
import { deflateAlone, inflateAlone, StreamDeflater, StreamInflater } from "./client-deflate.ts";
import type { WsSuite } from "./fixture.ts";
import { describeFrame, frame, OP_BINARY, OP_CONT, OP_PING, OP_PONG, OP_TEXT, RSV1 } from "./frames.ts";
import { KiB, MiB, openWebSocket, sameBytes, sizeName, utf8Text } from "./helpers.ts";
import { expectClose, failsWith } from "./raw-ws-client.ts";

export function deflateCases(t: TestApi, s: WsSuite): void {
  const { runtime, deflate, tight, tuned, track, open } = s;
  t.describe("permessage-deflate", () => {
    // Context takeover: the server inflates with the earlier messages in front of each one
    // (stored blocks), on every runtime. Its own deflate keeps context where node:zlib honours a
    // preset dictionary on raw streams (Node, Bun); where it does not (Deno 2.9), the server
    // says so with server_no_context_takeover (RFC 7692 §7.1.1.1) and compresses each alone.
    const serverKeepsContext = runtime.name !== "deno";
    // Compressible (hex) but not repetitive: a second copy compresses to a back-reference.
    const text = Buffer.from(`✓ ${randomBytes(1500).toString("hex")} ✓`, "utf8");

    t.it("negotiates: the first acceptable offer, parameters echoed (RFC 7692 §5, §7)", async () => {
      const cases: [string, RegExp][] = [
        ["permessage-deflate", /^permessage-deflate$/],
        ["permessage-deflate; client_max_window_bits", /^permessage-deflate(; client_max_window_bits=15)?$/],
        [
          "permessage-deflate; server_no_context_takeover; client_no_context_takeover",
          /^permessage-deflate; server_no_context_takeover; client_no_context_takeover$/,
        ],
        [
          "x-unknown, permessage-deflate; bogus_param, permessage-deflate; server_max_window_bits=10",
          /^permessage-deflate; server_max_window_bits=10$/,
        ],
      ];
      for (let [offer, expected] of cases) {
        const client = await open("/ws", { headers: [`Sec-WebSocket-Extensions: ${offer}`] }, deflate.port);
        let got = client.headers.get("sec-websocket-extensions") ?? "(none)";
        if (!serverKeepsContext) {
          assert.match(
            got,
            /; server_no_context_takeover/,
            `offer ${offer}: the server must say it keeps no context`,
          );
          got = got.replace("; server_no_context_takeover", "");
          expected = new RegExp(expected.source.replace("; server_no_context_takeover", ""));
        }
        assert.match(got, expected, `offer ${offer}`);
        client.close();
      }
      const none = await open(
        "/ws",
        { headers: ["Sec-WebSocket-Extensions: permessage-deflate; bogus"] },
        deflate.port,
      );
      assert.equal(none.headers.get("sec-websocket-extensions"), undefined, "an unacceptable offer must be declined");
    });

    const messages: [number, Buffer][] = [[OP_TEXT, text], [OP_TEXT, text], [OP_BINARY, text], [
      OP_TEXT,
      Buffer.alloc(0),
    ], [OP_BINARY, randomBytes(3000)]];

    t.it("client context takeover: the server inflates messages that refer back to earlier ones", async () => {
      const client = await open("/ws", {
        headers: ["Sec-WebSocket-Extensions: permessage-deflate; server_no_context_takeover"],
      }, deflate.port);
      assert.match(
        client.headers.get("sec-websocket-extensions") ?? "",
        /^permessage-deflate; server_no_context_takeover$/,
      );
      const deflater = new StreamDeflater();
      try {
        const sent: number[] = [];
        for (const [opcode, message] of messages) {
          const payload = await deflater.deflate(message);
          sent.push(payload.length);
          client.sendFrame(opcode, payload, { rsv: RSV1 });
          const f = await client.nextFrame(`the echo of compressed message ${sent.length}`);
          assert.equal(f.opcode, opcode, `echo ${sent.length}: ${describeFrame(f)}`);
          assert.equal(f.rsv, RSV1, `the echo is compressed: ${describeFrame(f)}`);
          sameBytes(inflateAlone(f.payload), message, `echo ${sent.length} (server without context takeover)`);
        }
        // The test's second copy is a back-reference to the first: the server used its window.
        assert.ok(sent[1]! < sent[0]! / 4, `the test's compressor lost its context: ${sent.join(", ")}`);
      } finally {
        deflater.close();
      }
    });

    t.it("server context takeover: the server's later messages refer back to earlier ones", async () => {
      const client = await open("/ws", {
        headers: ["Sec-WebSocket-Extensions: permessage-deflate; client_no_context_takeover"],
      }, deflate.port);
      const agreed = client.headers.get("sec-websocket-extensions") ?? "";
      if (!serverKeepsContext) {
        assert.match(agreed, /^permessage-deflate; server_no_context_takeover; client_no_context_takeover$/);
      } else {
        assert.match(agreed, /^permessage-deflate; client_no_context_takeover$/);
      }
      const inflater = new StreamInflater();
      const received: number[] = [];
      for (const [opcode, message] of messages) {
        client.sendFrame(opcode, deflateAlone(message), { rsv: RSV1 });
        const f = await client.nextFrame(`the echo of compressed message ${received.length + 1}`);
        assert.equal(f.opcode, opcode, `echo ${received.length + 1}: ${describeFrame(f)}`);
        assert.equal(f.rsv, RSV1, `the echo is compressed: ${describeFrame(f)}`);
        received.push(f.payload.length);
        sameBytes(inflater.inflate(f.payload), message, `echo ${received.length} decompressed with context`);
      }
      if (serverKeepsContext) {
        assert.ok(
          received[1]! < received[0]! / 4,
          `the server compressed a repeated message without its context: ${received.join(", ")} bytes`,
        );
      }
    });

    t.it("without context takeover: every message stands alone both ways (§7.1.1)", async () => {
      const client = await open("/ws", {
        headers: [
          "Sec-WebSocket-Extensions: permessage-deflate; server_no_context_takeover; client_no_context_takeover",
        ],
      }, deflate.port);
      const sizes: number[] = [];
      for (let i = 0; i < 3; i++) {
        client.sendFrame(OP_TEXT, deflateAlone(text), { rsv: RSV1 });
        const f = await client.nextFrame("a compressed echo");
        assert.equal(f.rsv, RSV1, describeFrame(f));
        sameBytes(inflateAlone(f.payload), text, `echo ${i} decompressed on its own`);
        sizes.push(f.payload.length);
      }
      assert.ok(
        sizes[1] === sizes[0] && sizes[2] === sizes[0],
        `the same message compressed differently: ${sizes.join(", ")}`,
      );
    });

    t.it(
      "takes uncompressed and fragmented compressed messages; RSV1 on a continuation → 1002 (RFC 7692 §6.1)",
      async () => {
        const client = await open("/ws", {
          headers: [
            "Sec-WebSocket-Extensions: permessage-deflate; server_no_context_takeover; client_no_context_takeover",
          ],
        }, deflate.port);
        client.sendFrame(OP_TEXT, "plain");
        const plain = await client.nextFrame("echo of an uncompressed message");
        assert.equal(inflateAlone(plain.payload).toString(), "plain");
        const payload = deflateAlone(text);
        const cut = payload.length >> 1;
        client.sendFrame(OP_TEXT, payload.subarray(0, cut), { rsv: RSV1, fin: false });
        client.sendFrame(OP_PING, "mid");
        client.sendFrame(OP_CONT, payload.subarray(cut));
        const pong = await client.nextFrame("pong");
        assert.equal(pong.opcode, OP_PONG);
        const f = await client.nextFrame("echo of a fragmented compressed message");
        assert.equal(f.opcode, OP_TEXT);
        sameBytes(inflateAlone(f.payload), text, "fragmented compressed echo");
        client.sendFrame(OP_TEXT, payload.subarray(0, cut), { rsv: RSV1, fin: false });
        client.sendFrame(OP_CONT, payload.subarray(cut), { rsv: RSV1 });
        await expectClose(client, 1002, "RSV1 on a continuation");
      },
    );

    t.it("fails compressed text that is not UTF-8 with 1007, and corrupt deflate data with 1007", async () => {
      const offer = ["Sec-WebSocket-Extensions: permessage-deflate"];
      await failsWith(
        deflate.port,
        frame(OP_TEXT, deflateAlone(Buffer.from([0x61, 0xff])), { rsv: RSV1 }),
        1007,
        "compressed 61 FF",
        "/ws",
        offer,
      );
      await failsWith(
        deflate.port,
        frame(OP_BINARY, Buffer.from([0xff, 0xff, 0xff, 0xff]), { rsv: RSV1 }),
        1007,
        "corrupt deflate",
        "/ws",
        offer,
      );
    });

    t.it(
      "stops a decompression bomb at maxMessageSize with 1009 (32 MiB of zeros in ~32 KiB; 1 MiB over a 64 KiB limit)",
      async () => {
        const offer = ["Sec-WebSocket-Extensions: permessage-deflate"];
        const bomb = deflateAlone(Buffer.alloc(32 * MiB));
        assert.ok(bomb.length < 64 * KiB, `bomb is ${bomb.length} bytes`);
        await failsWith(
          deflate.port,
          frame(OP_BINARY, bomb, { rsv: RSV1 }),
          1009,
          "32 MiB bomb, 16 MiB limit",
          "/ws",
          offer,
        );
        const small = deflateAlone(Buffer.alloc(MiB));
        await failsWith(
          tight.port,
          frame(OP_TEXT, small, { rsv: RSV1 }),
          1009,
          "1 MiB bomb, 64 KiB limit",
          "/ws",
          offer,
        );
      },
    );

    t.it(
      "level and threshold: short messages go uncompressed, longer ones at the level asked (RFC 7692 §6)",
      async () => {
        const client = await open("/ws", { headers: ["Sec-WebSocket-Extensions: permessage-deflate"] }, tuned.port);
        assert.match(client.headers.get("sec-websocket-extensions") ?? "", /^permessage-deflate/);
        const inflater = new StreamInflater();
        const repetitive = Buffer.from("wirecore ".repeat(455)); // 4 095 bytes
        for (const message of [Buffer.from("short"), Buffer.alloc(63, 0x61), Buffer.alloc(64, 0x62), repetitive]) {
          client.sendFrame(OP_TEXT, deflateAlone(message), { rsv: RSV1 });
          const f = await client.nextFrame(`the echo of ${message.length} bytes`);
          if (message.length < 64) {
            assert.equal(f.rsv, 0, `under the threshold the echo goes uncompressed: ${describeFrame(f)}`);
            sameBytes(f.payload, message, `echo of ${message.length} bytes`);
            continue;
          }
          assert.equal(f.rsv, RSV1, `at the threshold and above the echo is compressed: ${describeFrame(f)}`);
          // Level 0 stores: the payload is no smaller than the message (a deflated copy would be ~30 bytes).
          assert.ok(f.payload.length >= message.length, `level 0: ${f.payload.length} bytes for ${message.length}`);
          sameBytes(inflater.inflate(f.payload), message, `echo of ${message.length} bytes`);
        }
      },
    );

    t.it("works with the runtime's own WebSocket client", async () => {
      const { ws, next } = await openWebSocket(`ws://127.0.0.1:${deflate.port}/ws`);
      track(ws);
      // Deno's client does not offer permessage-deflate; Node's (undici) and Bun's do.
      if (runtime.name !== "deno") assert.match(ws.extensions, /permessage-deflate/);
      for (const size of [0, 100, 70 * KiB, MiB]) {
        const message = utf8Text(size).toString();
        ws.send(message);
        assert.ok((await next(`text ${sizeName(size)}`)) === message, `text ${sizeName(size)} changed`);
        const bytes = randomBytes(size);
        ws.send(bytes);
        sameBytes(
          new Uint8Array((await next(`binary ${sizeName(size)}`)) as ArrayBuffer),
          bytes,
          `binary ${sizeName(size)}`,
        );
      }
      ws.close();
    }, 20_000);
  });
}
