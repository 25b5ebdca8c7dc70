/**
 * The close path of every adapter: when the server ends a connection — an HTTP/2 GOAWAY after a
 * connection error (RFC 9113 §5.4.1), a WebSocket Close 1002 (RFC 6455 §7.1.7), an HTTP/1.1 400
 * with `Connection: close` — its last bytes reach a client that keeps writing, followed by a FIN,
 * never a TCP reset: the server half-closes and reads on (the lingering close of RFC 9112 §9.6)
 * until the client closes too. A server that closed its socket instead answers the client's
 * next write with a reset (the client sees ECONNRESET or EPIPE), and a reset can take the
 * server's last bytes off the wire before the client reads them.
 */
import assert from "node:assert/strict";
import { Buffer } from "node:buffer";
import { connect, type Socket } from "node:net";
import { App } from "../../core/app/app.ts";
import { type Runtime, sleep, type TestApi, useServer } from "./harness.ts";
import { frame, OP_PING, OP_TEXT } from "./ws/frames.ts";
import { h2Frame, h2Frames, PREFACE } from "./h2-frames.ts";

/** How long the client keeps writing after the server's FIN. */
const WRITE_ON_MS = 200;

/** What a client that kept writing through the server's close saw. */
interface Seen {
  bytes: Buffer;
  /** The server's FIN arrived (`end`), before any error. */
  fin: boolean;
  /** The socket's first error (ECONNRESET, EPIPE), if any. */
  error: string | null;
  /** Writes made after the server's FIN. */
  writesAfterFin: number;
}

/**
 * Send `opening`, then `filler` every 2 ms: before the server ends, while it ends, and for
 * WRITE_ON_MS after its FIN; then end our side and wait for the close.
 */
function writeThroughClose(port: number, opening: Uint8Array, filler: Uint8Array): Promise<Seen> {
  return new Promise((resolve, reject) => {
    const socket: Socket = connect({ port, host: "127.0.0.1", allowHalfOpen: true, noDelay: true });
    const chunks: Buffer[] = [];
    const seen: Seen = { bytes: Buffer.alloc(0), fin: false, error: null, writesAfterFin: 0 };
    let finAt = 0;
    let timer: ReturnType<typeof setInterval> | undefined;
    const deadline = setTimeout(() => {
      clearInterval(timer);
      socket.destroy();
      reject(new Error(`no close within 8 s: ${JSON.stringify({ ...seen, bytes: Buffer.concat(chunks).length })}`));
    }, 8_000);
    socket.on("data", (chunk: Buffer) => chunks.push(chunk));
    socket.on("end", () => {
      if (seen.error === null) seen.fin = true;
      finAt = Date.now();
    });
    socket.on("error", (error: NodeJS.ErrnoException) => {
      seen.error ??= error.code ?? error.message;
    });
    socket.on("close", () => {
      clearInterval(timer);
      clearTimeout(deadline);
      seen.bytes = Buffer.concat(chunks);
      resolve(seen);
    });
    socket.on("connect", () => {
      socket.write(Buffer.concat([opening, filler]));
      timer = setInterval(() => {
        if (finAt !== 0 && Date.now() - finAt > WRITE_ON_MS) {
          clearInterval(timer);
          socket.end();
          return;
        }
        if (socket.destroyed || !socket.writable) return;
        socket.write(filler);
        if (finAt !== 0) seen.writesAfterFin++;
      }, 2);
    });
  });
}

/** A clean close: the FIN came, the client could write on after it, and no reset ever. */
function assertFinNotReset(seen: Seen, what: string): void {
  assert.equal(seen.error, null, `${what}: the client saw ${seen.error} (a TCP reset) instead of a clean close`);
  assert.ok(seen.fin, `${what}: the server's FIN`);
  assert.ok(seen.writesAfterFin > 0, `${what}: the client wrote on after the FIN`);
}

const SETTINGS = 0x4, PING = 0x6, GOAWAY = 0x7, DATA = 0x0;
const PROTOCOL_ERROR = 0x1;

export function closingCases(t: TestApi, runtime: Runtime): void {
  t.describe("closing: the last bytes, then a FIN, to a client that keeps writing", () => {
    const app = (): App =>
      new App()
        .get("/", (c) => c.text("ok"))
        .ws("/ws", { message: (ws, data) => void ws.send(data) });
    const s = useServer(t, runtime, app);

    t.it("HTTP/2: a GOAWAY (PROTOCOL_ERROR) and a FIN, not a reset (×3)", async () => {
      // DATA on stream 0 is a connection error (RFC 9113 §6.1); the PINGs after it go unanswered.
      const opening = Buffer.concat([PREFACE, h2Frame(SETTINGS, 0, 0), h2Frame(DATA, 0, 0, Buffer.from("x"))]);
      const ping = h2Frame(PING, 0, 0, Buffer.alloc(8, 7));
      for (let round = 0; round < 3; round++) {
        const seen = await writeThroughClose(s.port, opening, ping);
        const frames = h2Frames(seen.bytes);
        const goaway = frames.find(([type]) => type === GOAWAY);
        assert.ok(goaway !== undefined, `round ${round}: a GOAWAY among ${frames.map(([type]) => type)}`);
        assert.equal(goaway[1].readUInt32BE(4), PROTOCOL_ERROR, `round ${round}: PROTOCOL_ERROR`);
        assertFinNotReset(seen, `round ${round}`);
      }
    }, 30_000);

    t.it("WebSocket: the echo, the Close 1002 and a FIN, not a reset (×3)", async () => {
      const handshake = Buffer.from(
        "GET /ws HTTP/1.1\r\nHost: test\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n" +
          "Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Version: 13\r\n\r\n",
        "latin1",
      );
      // A text message, then a reserved opcode (§5.2): the echo is queued before the failure.
      const opening = Buffer.concat([handshake, frame(OP_TEXT, "before the error"), frame(0x3, "x")]);
      for (let round = 0; round < 3; round++) {
        const seen = await writeThroughClose(s.port, opening, frame(OP_PING, "after"));
        const text = seen.bytes.toString("latin1");
        assert.match(text, /^HTTP\/1\.1 101 /, `round ${round}`);
        const frames = seen.bytes.subarray(text.indexOf("\r\n\r\n") + 4);
        // Unmasked server frames: FIN+text, length, payload; then FIN+close, length, 1002.
        const echo = Buffer.concat([Buffer.from([0x81, 16]), Buffer.from("before the error")]);
        assert.deepEqual(frames.subarray(0, echo.length), echo, `round ${round}: the echo first`);
        const close = frames.subarray(echo.length);
        assert.equal(close[0], 0x88, `round ${round}: then a Close frame`);
        assert.equal(close.readUInt16BE(2), 1002, `round ${round}: 1002`);
        assertFinNotReset(seen, `round ${round}`);
      }
    }, 30_000);

    t.it("HTTP/1.1: the 200, the 400 and a FIN, not a reset (×3)", async () => {
      const opening = Buffer.from("GET / HTTP/1.1\r\nHost: test\r\n\r\nGET / HTTP/1.1\r\nHost: test\nX: bad\r\n\r\n");
      for (let round = 0; round < 3; round++) {
        const seen = await writeThroughClose(s.port, opening, Buffer.from("GET / HTTP/1.1\r\nHost: test\r\n\r\n"));
        const statuses = [...seen.bytes.toString("latin1").matchAll(/HTTP\/1\.1 (\d{3}) /g)].map((m) => Number(m[1]));
        assert.deepEqual(statuses, [200, 400], `round ${round}`);
        assertFinNotReset(seen, `round ${round}`);
      }
    }, 30_000);

    t.it("a client that never closes is cut after the linger (seconds, not at once, not never)", async () => {
      // The client writes a little every 250 ms and never ends: the server reads on for its
      // linger (5 s, core/session/linger.ts), then lets go of the socket, which the client's
      // next write meets as a reset.
      const socket = connect({ port: s.port, host: "127.0.0.1", allowHalfOpen: true, noDelay: true });
      let finAt = 0;
      let resetAt = 0;
      socket.on("data", () => {}); // flowing, so that `end` is emitted
      socket.on("end", () => (finAt = Date.now()));
      socket.on("error", () => (resetAt ||= Date.now()));
      const closed = new Promise<void>((resolve) => socket.on("close", () => resolve()));
      socket.write(Buffer.concat([PREFACE, h2Frame(SETTINGS, 0, 0), h2Frame(DATA, 0, 0, Buffer.from("x"))]));
      const ping = h2Frame(PING, 0, 0, Buffer.alloc(8, 7));
      const timer = setInterval(() => {
        if (!socket.destroyed) socket.write(ping);
      }, 250);
      const result = await Promise.race([closed.then(() => "closed"), sleep(12_000).then(() => "open")]);
      clearInterval(timer);
      socket.destroy();
      assert.equal(result, "closed", "the server let go of a client that never closes");
      assert.ok(finAt > 0, "the server's FIN came first");
      const lingered = (resetAt || Date.now()) - finAt;
      assert.ok(lingered > 3_000, `the server read on after its FIN for ${lingered} ms (its linger is 5 s)`);
      const response = await fetch(`${s.url}/`);
      assert.equal(await response.text(), "ok", "and serves on");
    }, 20_000);
  });
}
