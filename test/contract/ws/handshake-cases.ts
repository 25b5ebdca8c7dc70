/**
 * The opening handshake (RFC 6455 §4.2): the accept value, the checks that refuse a request with
 * an exact status, subprotocol choice, and extensions offered but not configured.
 */
import assert from "node:assert/strict";
import { Buffer } from "node:buffer";
import { RawClient, type TestApi } from "../harness.ts";
import { header } from "../raw-response.ts";
import { deflateAlone } from "./client-deflate.ts";
import type { WsSuite } from "./fixture.ts";
import { OP_TEXT, RSV1 } from "./frames.ts";
import { GOOD, handshake, KEY, openWebSocket, request, without } from "./helpers.ts";
import { expectClose } from "./raw-ws-client.ts";

export function handshakeCases(t: TestApi, s: WsSuite): void {
  const { main, track, open } = s;
  t.describe("opening handshake", () => {
    t.it("answers 101 with the accept value of the RFC's example key (§1.3, §4.2.2)", async () => {
      const client = track(await RawClient.open(main.port));
      await client.write(handshake("/ws", GOOD));
      const head = await client.until((text) => text.includes("\r\n\r\n"));
      assert.match(head, /^HTTP\/1\.1 101 /);
      assert.match(head, /\r\nSec-WebSocket-Accept: s3pPLMBiTxaQ9kYGzzhZRbK\+xOo=\r\n/i);
      assert.match(head, /\r\nUpgrade: websocket\r\n/i);
      assert.match(head, /\r\nConnection: Upgrade\r\n/i);
      assert.doesNotMatch(head, /sec-websocket-protocol|sec-websocket-extensions|content-length|transfer-encoding/i);
    });

    t.it("takes Upgrade and Connection as case-insensitive lists (§4.2.1 items 3, 4)", async () => {
      const client = track(await RawClient.open(main.port));
      await client.write(handshake("/ws", [
        "Upgrade: h2c, WebSocket",
        "Connection: keep-alive, UPGRADE",
        `Sec-WebSocket-Key: ${KEY}`,
        "Sec-WebSocket-Version: 13",
      ]));
      assert.match(await client.until((text) => text.includes("\r\n\r\n")), /^HTTP\/1\.1 101 /);
    });

    const rejections: [string, string, number, [string, RegExp][]][] = [
      ["a missing Sec-WebSocket-Key", handshake("/ws", without("sec-websocket-key")), 400, []],
      [
        "a key that is not base64",
        handshake("/ws", [...without("sec-websocket-key"), "Sec-WebSocket-Key: not a key at all!!!!!!"]),
        400,
        [],
      ],
      [
        "a key of 15 bytes",
        handshake("/ws", [...without("sec-websocket-key"), "Sec-WebSocket-Key: AAAAAAAAAAAAAAAAAAAA"]),
        400,
        [],
      ],
      [
        "a key of 17 bytes",
        handshake("/ws", [...without("sec-websocket-key"), "Sec-WebSocket-Key: AAAAAAAAAAAAAAAAAAAAAAA="]),
        400,
        [],
      ],
      ["two keys", handshake("/ws", [...GOOD, `Sec-WebSocket-Key: ${KEY}`]), 400, []],
      ["version 8", handshake("/ws", [...without("sec-websocket-version"), "Sec-WebSocket-Version: 8"]), 426, [[
        "sec-websocket-version",
        /^13$/,
      ]]],
      ["no version", handshake("/ws", without("sec-websocket-version")), 426, [["sec-websocket-version", /^13$/]]],
      ["no Upgrade field", handshake("/ws", without("upgrade")), 426, [["upgrade", /^websocket$/i]]],
      ["Connection without upgrade", handshake("/ws", [...without("connection"), "Connection: keep-alive"]), 400, []],
      ["HTTP/1.0", handshake("/ws", GOOD, "GET", "1.0"), 400, []],
      ["an invalid subprotocol list", handshake("/ws-proto", [...GOOD, "Sec-WebSocket-Protocol: a b"]), 400, []],
      [
        "POST to a route that upgrades (§4.2.1 item 1)",
        handshake("/ws-any", [...GOOD, "Content-Length: 0"], "POST"),
        405,
        [["allow", /GET/]],
      ],
      ["POST to a WebSocket route (GET only)", handshake("/ws", [...GOOD, "Content-Length: 0"], "POST"), 405, [[
        "allow",
        /GET/,
      ]]],
    ];
    for (const [name, bytes, status, fields] of rejections) {
      t.it(`refuses ${name} with ${status}`, async () => {
        const res = await request(main.port, bytes);
        assert.equal(res.status, status, `${name}: got ${res.status} ${res.reason} ${JSON.stringify(res.body)}`);
        assert.equal(header(res, "sec-websocket-accept"), undefined);
        for (const [field, pattern] of fields) assert.match(header(res, field) ?? "", pattern, `${name}: ${field}`);
      });
    }

    t.it("lets the app pick a subprotocol the client offered, and add headers (§4.2.2 step 4)", async () => {
      const a = await open("/ws-proto", { headers: ["Sec-WebSocket-Protocol: chat, v1.wirecore, v2.wirecore"] });
      assert.equal(a.headers.get("sec-websocket-protocol"), "v2.wirecore");
      assert.equal(a.headers.get("x-wirecore-ws"), "yes");
      assert.equal((await a.nextMessage(OP_TEXT)).toString(), "protocol=v2.wirecore");
      const b = await open("/ws-proto", { headers: ["Sec-WebSocket-Protocol: chat"] });
      assert.equal(b.headers.get("sec-websocket-protocol"), undefined, "a protocol the client did not offer");
      assert.equal((await b.nextMessage(OP_TEXT)).toString(), "protocol=");
      const c = await open("/ws-proto");
      assert.equal(c.headers.get("sec-websocket-protocol"), undefined);
      // The runtime's own client sees the choice too.
      const { ws, next } = await openWebSocket(`ws://127.0.0.1:${main.port}/ws-proto`, ["x.other", "v1.wirecore"]);
      track(ws);
      assert.equal(ws.protocol, "v1.wirecore");
      assert.equal(await next(), "protocol=v1.wirecore");
    });

    t.it("does not offer permessage-deflate unless configured (RSV1 is then a protocol error)", async () => {
      const client = await open("/ws", {
        headers: ["Sec-WebSocket-Extensions: permessage-deflate; client_max_window_bits"],
      });
      assert.equal(client.headers.get("sec-websocket-extensions"), undefined);
      client.sendFrame(OP_TEXT, deflateAlone(Buffer.from("hello")), { rsv: RSV1 });
      await expectClose(client, 1002, "RSV1 without an extension");
    });
  });
}
