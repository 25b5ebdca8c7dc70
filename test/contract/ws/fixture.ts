/**
 * The WebSocket fixture: the reference app plus the routes the cases need, what its handlers
 * saw, and the three servers every case file shares (default options, permessage-deflate, and
 * tight limits).
 */
import type { App } from "../../../core/app/app.ts";
import type { ServerWebSocket } from "../../../core/session/ws/server-websocket.ts";
import type { WebSocketHandlers } from "../../../core/session/ws/websocket-options.ts";
import { createApp } from "../../../examples/app.ts";
import { type Runtime, type Served, type TestApi, useServer } from "../harness.ts";
import { KiB, MiB } from "./helpers.ts";
import { type OpenOptions, WsClient } from "./raw-ws-client.ts";

/** What the fixture's handlers saw, for the cases to check. */
export interface Observed {
  /** `close(ws, code, reason)` calls of `/ws-record`, by the `id` query parameter. */
  closes: Map<string, { code: number; reason: string }>;
  /** `/ws-flood`: a sender that respects backpressure. */
  flood: { total: number; sent: number; pressure: number; drains: number; maxBuffered: number; done: boolean };
  /** `/ws-firehose`: a sender that ignores backpressure. */
  hose: { sent: number; closeCode: number; finishedAt: number };
}

export function newObserved(): Observed {
  return {
    closes: new Map(),
    flood: { total: 0, sent: 0, pressure: 0, drains: 0, maxBuffered: 0, done: false },
    hose: { sent: 0, closeCode: 0, finishedAt: -1 },
  };
}

const echo: WebSocketHandlers = { message: (ws, data) => void ws.send(data) };

/** The reference app (`/ws` echo, `/chat` pub/sub) plus routes these cases need. */
export function createWsApp(seen: Observed): App {
  const app = createApp();
  // Echo, and record the close handler's arguments; "!close CODE REASON" makes the server close.
  app.ws<string>("/ws-record", {
    message(ws, data) {
      if (typeof data === "string" && data.startsWith("!close ")) {
        const [, code, ...reason] = data.split(" ");
        ws.close(Number(code), reason.join(" "));
      } else ws.send(data);
    },
    close(ws, code, reason) {
      seen.closes.set(ws.data, { code, reason });
    },
  }, (c) => c.req.query.get("id") ?? "");
  // Subprotocol selection by the app (§4.2.2 step 4), plus an extra response header.
  app.get("/ws-proto", (c) => {
    const offered = (c.req.header("sec-websocket-protocol") ?? "").split(",").map((p) => p.trim());
    const protocol = ["v2.wirecore", "v1.wirecore"].find((p) => offered.includes(p));
    return c.upgrade({
      protocol,
      headers: ["x-wirecore-ws", "yes"],
      handlers: {
        open: (ws) => void ws.send(`protocol=${ws.protocol}`),
        message: (ws, data) => void ws.send(data),
      },
    });
  });
  // An upgrade attempted on POST: the handshake check answers (§4.2.1 item 1).
  app.post("/ws-any", (c) => c.upgrade({ handlers: echo }));
  // Send N bytes in 64 KiB binary messages, waiting for `drain` whenever send() says so: from
  // `open` with `?bytes=N`, or from `message` on "go N". Each message starts with its index
  // (4 bytes, big-endian) and is filled with index & 0xff.
  app.ws<number>("/ws-flood", {
    open(ws) {
      if (ws.data > 0) startFlood(ws, seen.flood, ws.data);
    },
    message(ws, data) {
      startFlood(ws, seen.flood, Number(String(data).split(" ")[1]));
    },
    drain(ws) {
      seen.flood.drains++;
      pumpFlood(ws, seen.flood);
    },
  }, (c) => Number(c.req.query.get("bytes") ?? "0"));
  // Send 64 KiB messages in a tight loop, ignoring send()'s verdict, until the socket closes (or
  // 32 MiB went out): from `open` with `?on=open`, or from `message`.
  app.ws<string>("/ws-firehose", {
    open(ws) {
      if (ws.data === "open") fireHose(ws, seen.hose);
    },
    message(ws) {
      fireHose(ws, seen.hose);
    },
    close(_ws, code) {
      seen.hose.closeCode = code;
    },
  }, (c) => c.req.query.get("on") ?? "");
  return app;
}

function startFlood(ws: ServerWebSocket<unknown>, f: Observed["flood"], total: number): void {
  Object.assign(f, { total, sent: 0, pressure: 0, drains: 0, maxBuffered: 0, done: false });
  pumpFlood(ws, f);
}

function fireHose(ws: ServerWebSocket<unknown>, hose: Observed["hose"]): void {
  const chunk = new Uint8Array(64 * KiB).fill(0x5a);
  hose.sent = 0;
  while (ws.readyState === 1 && hose.sent < 32 * MiB) {
    ws.send(chunk);
    hose.sent += chunk.length;
  }
  hose.finishedAt = hose.sent;
}

function pumpFlood(ws: ServerWebSocket<unknown>, f: Observed["flood"]): void {
  while (f.sent < f.total) {
    const n = Math.min(64 * KiB, f.total - f.sent);
    const index = f.sent / (64 * KiB);
    const message = new Uint8Array(n).fill(index & 0xff);
    new DataView(message.buffer).setUint32(0, index);
    f.sent += n;
    const full = ws.send(message);
    f.maxBuffered = Math.max(f.maxBuffered, ws.bufferedAmount);
    if (full) {
      f.pressure++;
      return;
    }
  }
  f.done = true;
}

/** The servers and bookkeeping the WebSocket case files share, for one runtime. */
export interface WsSuite {
  readonly runtime: Runtime;
  /** Default options; `seen` records what its handlers saw. */
  readonly main: Served;
  readonly seen: Observed;
  /** permessage-deflate on. */
  readonly deflate: Served;
  /** maxMessageSize 64 KiB, maxBackpressure 1 MiB, permessage-deflate on; `tightSeen` records. */
  readonly tight: Served;
  /** permessage-deflate at level 0 (stored blocks), messages under 64 bytes sent uncompressed. */
  readonly tuned: Served;
  readonly tightSeen: Observed;
  /** Close `c` after the block, should a case fail midway. */
  track<C extends { close(): void }>(c: C): C;
  /** A raw client after a good handshake on `path` (default `/ws` of `main`), tracked. */
  open(path?: string, options?: OpenOptions, port?: number): Promise<WsClient>;
}

/** Start the shared servers for the enclosing describe block (in its beforeAll) and close them after. */
export function useWsServers(t: TestApi, runtime: Runtime): WsSuite {
  const seen = newObserved();
  const main = useServer(t, runtime, () => createWsApp(seen), {});
  const deflate = useServer(t, runtime, () => createWsApp(newObserved()), { websocket: { perMessageDeflate: true } });
  const tightSeen = newObserved();
  const tight = useServer(t, runtime, () => createWsApp(tightSeen), {
    websocket: { maxMessageSize: 64 * KiB, maxBackpressure: 1 * MiB, perMessageDeflate: true },
  });
  const tuned = useServer(t, runtime, () => createWsApp(newObserved()), {
    websocket: { perMessageDeflate: { level: 0, threshold: 64 } },
  });
  const clients: { close(): void }[] = [];
  const track = <C extends { close(): void }>(c: C): C => {
    clients.push(c);
    return c;
  };
  t.afterAll(() => {
    for (const c of clients) c.close();
  });
  const open = async (path = "/ws", options?: OpenOptions, port = main.port): Promise<WsClient> =>
    track(await WsClient.open(port, path, options));
  return { runtime, main, seen, deflate, tight, tightSeen, tuned, track, open };
}
