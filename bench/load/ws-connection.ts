/**
 * One connection of the WebSocket load: it connects and shakes hands (ws-handshake.ts), keeps
 * K messages in flight — every verified echo (ws-echo-check.ts) replaced by a new message, the
 * replacements for one incoming chunk in one write — and starts over on a fresh connection
 * after an error while the run lasts.
 */
import { connect, type Socket } from "node:net";
import { type ResponseHead, ResponseParser } from "../../core/http1/response-parser.ts";
import { OPCODE_PONG } from "../../core/ws/opcodes.ts";
import { PerMessageCodec } from "../../core/ws/permessage-codec.ts";
import { zlibDeflateProvider } from "../../adapters/zlib-deflate.ts";
import { ERROR_CONNECT, ERROR_TIMEOUT } from "./verify.ts";
import { EchoCheck } from "./ws-echo-check.ts";
import { ClientFrameReader, encodeClientFrame } from "./ws-frames.ts";
import { type Agreed, checkHandshake, handshakeRequest } from "./ws-handshake.ts";
import { WS_ERROR_CLOSED, WS_ERROR_UNCOMPRESSED, WS_ERROR_UNSOLICITED, type WsRun } from "./ws-run.ts";

const now = (): number => performance.now();

/** One WebSocket connection; starts over on a fresh one after an error while the run lasts. */
export class WsConnection {
  readonly run: WsRun;
  socket: Socket | null = null;
  open = false;
  /** Send times of the messages in flight, oldest at `head`. */
  readonly sentAt: Float64Array;
  head = 0;
  outstanding = 0;
  cursor: number;
  /** The check of the echo being read. */
  readonly echo: EchoCheck;
  codec: PerMessageCodec | null = null;
  reader: ClientFrameReader | null = null;
  /** Set while reading a chunk: the socket was dropped meanwhile. */
  dropped = false;

  constructor(run: WsRun, index: number) {
    this.run = run;
    this.sentAt = new Float64Array(run.options.inflight);
    this.cursor = (index * 7) % run.pool.distinct;
    this.echo = new EchoCheck(run);
  }

  /** Connect and shake hands; resolves true once the 101 is verified. */
  connect(): Promise<boolean> {
    const run = this.run;
    const o = run.options;
    return new Promise((resolve) => {
      const { key, bytes: request } = handshakeRequest(o.authority, o.target, o.deflate);
      const socket = connect({ host: o.host, port: o.port, noDelay: true });
      this.socket = socket;
      this.open = false;
      this.head = 0;
      this.outstanding = 0;
      let settled = false;
      const settle = (ok: boolean, kind?: string, example?: string): void => {
        if (settled) return;
        settled = true;
        clearTimeout(timer);
        if (!ok) {
          run.count(kind!, example!);
          if (socket === this.socket) this.socket = null;
          socket.destroy();
        }
        resolve(ok);
      };
      const timer = setTimeout(
        () => settle(false, ERROR_TIMEOUT, `no handshake response within ${o.timeoutMs} ms`),
        o.timeoutMs,
      );
      let upgradedHead: ResponseHead | null = null;
      const parser = new ResponseParser({
        onHead: (head) => {
          upgradedHead = head;
        },
        onBody: () => {},
        onMessageComplete: () => {},
      });
      parser.method = "GET";
      socket.on("connect", () => socket.write(request));
      socket.on("data", (chunk: Uint8Array) => {
        if (socket !== this.socket) return;
        if (this.open) {
          this.data(chunk);
          return;
        }
        if (settled) return;
        const n = parser.execute(chunk);
        if (n < 0) return settle(false, `handshake parse ${parser.error!.code}`, parser.error!.message);
        const head = upgradedHead as ResponseHead | null;
        if (head === null) return; // more of the head to come
        const agreed = checkHandshake(head, key, o.deflate);
        if (Array.isArray(agreed)) return settle(false, agreed[0], agreed[1]);
        this.#use(agreed);
        this.open = true;
        settle(true);
        // Frames may follow the 101 in the same chunk.
        if (n < chunk.length) this.data(chunk.subarray(n));
      });
      socket.on("error", (error: Error) => {
        if (!settled) settle(false, ERROR_CONNECT, error.message);
      });
      socket.on("close", () => {
        if (!settled) settle(false, "handshake", "connection closed during the handshake");
        else this.closed(socket);
      });
    });
  }

  /** Set up for what the 101 agreed to: the codec and the frame reader. */
  #use(agreed: Agreed): void {
    this.run.extensions ??= agreed.extensions;
    this.codec?.close();
    this.codec = agreed.deflate === null ? null : new PerMessageCodec(zlibDeflateProvider, agreed.deflate);
    this.reader = new ClientFrameReader(this, { perMessageDeflate: agreed.deflate !== null });
  }

  /** Send `n` more messages in one write. */
  send(n: number): void {
    const run = this.run;
    const socket = this.socket;
    if (!run.measuring || socket === null || !this.open || n <= 0) return;
    const pool = run.pool;
    const t = now();
    const size = this.sentAt.length;
    for (let i = 0; i < n; i++) this.sentAt[(this.head + this.outstanding + i) % size] = t;
    this.outstanding += n;
    const from = this.cursor * pool.frameSize;
    const bytes = pool.bytes.subarray(from, from + n * pool.frameSize);
    this.cursor = (this.cursor + n) % pool.distinct;
    run.bytesWritten += bytes.length;
    socket.write(bytes);
  }

  data(chunk: Uint8Array): void {
    const run = this.run;
    if (run.stopped) return;
    run.bytesRead += chunk.length;
    this.dropped = false;
    const error = this.reader!.push(chunk);
    if (this.dropped) return;
    if (error !== null) {
      this.fail(`frame ${error.code}`, error.message);
      return;
    }
    this.send(run.options.inflight - this.outstanding);
  }

  // ── ClientFrameEvents ──

  onMessageStart(opcode: number, compressed: boolean): void {
    this.echo.start(opcode, compressed);
    // A server may send any message uncompressed (RFC 7692 §6), but then it skipped the work the
    // deflate rows compare: counted, so such a row says so instead of looking fast.
    if (this.codec !== null && !compressed && this.run.measuring) {
      this.run.count(WS_ERROR_UNCOMPRESSED, "an echo sent uncompressed although permessage-deflate was agreed");
    }
  }

  onMessageData(piece: Uint8Array): void {
    this.echo.data(piece);
  }

  onMessageEnd(): void {
    const run = this.run;
    const ok = this.echo.end(this.codec);
    if (this.outstanding === 0) {
      if (run.measuring) run.count(WS_ERROR_UNSOLICITED, "an echo with no message in flight");
      return;
    }
    const sent = this.sentAt[this.head]!;
    this.head = this.head + 1 === this.sentAt.length ? 0 : this.head + 1;
    this.outstanding--;
    if (ok && run.measuring) {
      run.latency.record((now() - sent) * 1e6);
      run.completed++;
    }
  }

  onPing(payload: Uint8Array): void {
    // §5.5.2: answer with a Pong carrying the same payload (a server may ping an idle client).
    this.socket?.write(encodeClientFrame(OPCODE_PONG, payload));
  }

  onPong(): void {}

  onClose(code: number | undefined): void {
    this.fail(`close ${code ?? 1005}`, "the server sent a Close frame");
  }

  // ── errors ──

  /** Count what is in flight as `kind` and start over on a new connection. */
  fail(kind: string, example: string): void {
    if (this.run.measuring) this.run.count(kind, example, Math.max(1, this.outstanding));
    this.reopen();
  }

  reopen(): void {
    const socket = this.socket;
    this.socket = null;
    this.open = false;
    this.outstanding = 0;
    this.dropped = true;
    this.echo.reset();
    socket?.destroy();
    const run = this.run;
    if (!run.measuring) return;
    run.reconnects++;
    void this.connect().then((ok) => {
      if (ok) this.send(run.options.inflight);
      else if (run.measuring) setTimeout(() => this.reopen(), 50);
    });
  }

  closed(socket: Socket): void {
    if (socket !== this.socket) return;
    const run = this.run;
    if (!run.measuring) {
      this.socket = null;
      this.open = false;
      return;
    }
    run.count(WS_ERROR_CLOSED, "connection closed by the server", this.outstanding);
    this.outstanding = 0;
    this.reopen();
  }
}
