/**
 * The closing handshake (RFC 6455 §5.5.1, §7): close codes echoed or refused, TCP closed after
 * the handshake, and what the close handler is told.
 */
import assert from "node:assert/strict";
import { Buffer } from "node:buffer";
import { type TestApi, waitFor } from "../harness.ts";
import type { WsSuite } from "./fixture.ts";
import { closeBody, describeFrame, frame, OP_CLOSE, OP_PING, OP_TEXT } from "./frames.ts";
import { openWebSocket } from "./helpers.ts";
import { expectClose, failsWith } from "./raw-ws-client.ts";

export function closeCases(t: TestApi, s: WsSuite): void {
  const { main, seen, open } = s;
  t.describe("closing handshake", () => {
    const valid = [1000, 1001, 1002, 1003, 1007, 1008, 1009, 1010, 1011, 1012, 1013, 1014, 3000, 3999, 4000, 4999];
    t.it(
      `echoes valid close codes (${valid.join(", ")}) and closes TCP after the handshake (§7.1.1, §7.4)`,
      async () => {
        await Promise.all(valid.map(async (code) => {
          const client = await open();
          client.sendFrame(OP_CLOSE, closeBody(code, "bye ✓"));
          await expectClose(client, code, `close ${code}`);
        }));
      },
    );

    t.it("answers an empty Close with an empty Close (§5.5.1)", async () => {
      const client = await open();
      client.sendFrame(OP_CLOSE);
      await expectClose(client, null, "empty close");
    });

    const invalid = [0, 1, 999, 1004, 1005, 1006, 1015, 1016, 1100, 2000, 2999, 5000, 65535];
    t.it(`fails close codes that may not be sent (${invalid.join(", ")}) with 1002 (§7.4)`, async () => {
      await Promise.all(invalid.map(async (code) => {
        const client = await open();
        client.sendFrame(OP_CLOSE, closeBody(code));
        await expectClose(client, 1002, `close ${code}`);
      }));
    });

    t.it("fails a Close body of 1 byte with 1002 (§5.5.1)", async () => {
      await failsWith(main.port, frame(OP_CLOSE, Buffer.from([0x03])), 1002, "1-byte close body");
    });

    t.it("fails a Close reason that is not UTF-8 with 1007 (§5.5.1, §8.1)", async () => {
      await failsWith(
        main.port,
        frame(OP_CLOSE, closeBody(1000, Buffer.from([0x61, 0xff]))),
        1007,
        "close reason 61 FF",
      );
      await failsWith(
        main.port,
        frame(OP_CLOSE, closeBody(1000, Buffer.from([0xe2, 0x82]))),
        1007,
        "close reason E2 82",
      );
    });

    t.it("ignores data after the peer's Close and still closes TCP (§5.5.1)", async () => {
      const client = await open();
      client.send(
        Buffer.concat([frame(OP_CLOSE, closeBody(1000)), frame(OP_TEXT, "too late"), frame(OP_PING, "late")]),
      );
      await expectClose(client, 1000, "data after close");
    });

    t.it(
      "passes the code and reason to the close handler (1005 for none, 1006 for a dropped connection)",
      async () => {
        const a = await open("/ws-record?id=normal");
        a.sendFrame(OP_CLOSE, closeBody(4321, "bye now ✓"));
        await expectClose(a, 4321, "close 4321");
        await waitFor(() => seen.closes.has("normal"), "close handler (normal)");
        assert.deepEqual(seen.closes.get("normal"), { code: 4321, reason: "bye now ✓" });

        const b = await open("/ws-record?id=empty");
        b.sendFrame(OP_CLOSE);
        await expectClose(b, null, "empty close");
        await waitFor(() => seen.closes.has("empty"), "close handler (empty)");
        assert.deepEqual(seen.closes.get("empty"), { code: 1005, reason: "" });

        const c = await open("/ws-record?id=dropped");
        c.sendFrame(OP_TEXT, "hi");
        await c.nextMessage(OP_TEXT);
        c.close();
        await waitFor(() => seen.closes.has("dropped"), "close handler (dropped)");
        assert.deepEqual(seen.closes.get("dropped"), { code: 1006, reason: "" });

        const d = await open("/ws-record?id=broken");
        d.sendFrame(OP_TEXT, "x", { mask: false });
        await expectClose(d, 1002, "unmasked");
        await waitFor(() => seen.closes.has("broken"), "close handler (protocol error)");
        assert.equal(seen.closes.get("broken")!.code, 1002);
      },
    );

    t.it("closes from the server with ws.close(code, reason), then closes TCP on the peer's answer", async () => {
      const client = await open("/ws-record?id=server-close");
      client.sendFrame(OP_TEXT, "!close 4001 see you");
      const f = await client.nextFrame("the server's Close");
      assert.equal(f.opcode, OP_CLOSE, describeFrame(f));
      assert.equal(f.payload.readUInt16BE(0), 4001);
      assert.equal(f.payload.subarray(2).toString(), "see you");
      client.sendFrame(OP_TEXT, "ignored: the server is closing");
      client.sendFrame(OP_CLOSE, closeBody(4001));
      await client.untilServerCloses("after the client's answer");
      await waitFor(() => seen.closes.has("server-close"), "close handler (server close)");
      assert.equal(seen.closes.get("server-close")!.code, 4001);
    });

    t.it("the runtime's client sees the code the server echoes", async () => {
      const { ws, closed } = await openWebSocket(`ws://127.0.0.1:${main.port}/ws-record?id=whatwg`);
      ws.close(4000, "done");
      const event = await closed;
      assert.equal(event.code, 4000);
      await waitFor(() => seen.closes.has("whatwg"), "close handler (WebSocket client)");
      assert.deepEqual(seen.closes.get("whatwg"), { code: 4000, reason: "done" });
    });
  });
}
