import type { ServerWebSocket } from "../session/ws/server-websocket.ts";
import type { WebSocketHandlers } from "../session/ws/websocket-options.ts";
import { upgradeResponse } from "./web-upgrade.ts";

/** What the helper needs of a Hono `Context`: the raw request. */
export interface HonoContextLike {
  req: { raw: Request };
}

/** A message as Hono's WebSocket helpers deliver it: text as a string, binary as an ArrayBuffer. */
export type WSMessageReceive = string | ArrayBuffer;

/**
 * The socket as Hono's `WSContext` shapes it, so Hono WebSocket handlers run unchanged;
 * `raw` is wirecore's {@link ServerWebSocket}.
 */
export interface WSContext {
  readonly raw: ServerWebSocket<unknown>;
  readonly url: URL | null;
  readonly protocol: string | null;
  readonly readyState: 0 | 1 | 2 | 3;
  binaryType: "arraybuffer" | "blob";
  send(source: string | ArrayBuffer | Uint8Array, options?: { compress?: boolean }): void;
  close(code?: number, reason?: string): void;
}

/** The events of a Hono WebSocket route, as `upgradeWebSocket((c) => events)` takes them. */
export interface WSEvents {
  onOpen?(event: Event, ws: WSContext): void | Promise<void>;
  onMessage?(event: MessageEvent<WSMessageReceive>, ws: WSContext): void | Promise<void>;
  onClose?(event: CloseEvent, ws: WSContext): void | Promise<void>;
  onError?(event: Event, ws: WSContext): void | Promise<void>;
}

/** A Hono middleware: `(c, next) => Promise<Response | void>`. */
export type HonoMiddleware<C> = (c: C, next: () => Promise<void>) => Promise<Response | undefined>;

/** What a socket opened by the helper carries as `ws.data`. */
interface HonoSocket {
  events: WSEvents;
  url: URL;
  protocol: string;
  context: HonoWSContext | null;
}

class HonoWSContext implements WSContext {
  readonly raw: ServerWebSocket<unknown>;
  readonly url: URL | null;
  readonly protocol: string | null;
  binaryType: "arraybuffer" | "blob" = "arraybuffer";

  constructor(ws: ServerWebSocket<HonoSocket>) {
    this.raw = ws;
    this.url = ws.data.url;
    this.protocol = ws.data.protocol;
  }

  get readyState(): 0 | 1 | 2 | 3 {
    return this.raw.readyState;
  }

  send(source: string | ArrayBuffer | Uint8Array, options?: { compress?: boolean }): void {
    const data = typeof source === "string" || source instanceof Uint8Array ? source : new Uint8Array(source);
    this.raw.send(data, options?.compress ?? false);
  }

  close(code?: number, reason?: string): void {
    this.raw.close(code, reason);
  }
}

function contextOf(ws: ServerWebSocket<HonoSocket>): HonoWSContext {
  return (ws.data.context ??= new HonoWSContext(ws));
}

/** Run one event handler; what it throws (or rejects with) goes to `onError`, as Hono's adapters do. */
function fire<E extends Event>(
  ws: ServerWebSocket<HonoSocket>,
  handler: ((event: E, ws: WSContext) => void | Promise<void>) | undefined,
  event: E,
): void {
  if (handler === undefined) return;
  const context = contextOf(ws);
  try {
    const result = handler.call(ws.data.events, event, context);
    if (result instanceof Promise) result.catch((error) => reportError(ws, error, true));
  } catch (error) {
    reportError(ws, error, false);
  }
}

function reportError(ws: ServerWebSocket<HonoSocket>, error: unknown, async: boolean): void {
  const onError = ws.data.events.onError;
  if (onError === undefined) {
    // A synchronous throw goes to the session (logged by `onError`, socket closed with 1011); a
    // rejected promise has no caller left to take it.
    if (!async) throw error;
    console.error("wirecore: WebSocket handler error:", error);
    return;
  }
  const event = Object.assign(new Event("error"), { error });
  try {
    void Promise.resolve(onError.call(ws.data.events, event, contextOf(ws))).catch((e) => console.error(e));
  } catch (second) {
    console.error("wirecore: WebSocket onError failed:", second);
  }
}

/**
 * Binary as an ArrayBuffer of its own (Hono hands handlers `ArrayBuffer`s). The copy is made
 * with the Uint8Array constructor: on a Node or Bun `Buffer`, `slice()` is a view.
 */
function toArrayBuffer(bytes: Uint8Array): ArrayBuffer {
  const buffer = bytes.buffer;
  if (buffer instanceof ArrayBuffer && bytes.byteOffset === 0 && bytes.byteLength === buffer.byteLength) return buffer;
  return new Uint8Array(bytes).buffer;
}

/** One handler set for every socket the helper opens: the events live in `ws.data`. */
const HONO_HANDLERS: WebSocketHandlers<HonoSocket> = {
  open(ws) {
    fire(ws, ws.data.events.onOpen, new Event("open"));
  },
  message(ws, data) {
    const message = new MessageEvent<WSMessageReceive>("message", {
      data: typeof data === "string" ? data : toArrayBuffer(data),
    });
    fire(ws, ws.data.events.onMessage, message);
  },
  close(ws, code, reason) {
    // RFC 6455 §7.1.5: 1005/1006 are never sent; 1006 means the connection just ended.
    fire(ws, ws.data.events.onClose, new CloseEvent("close", { code, reason, wasClean: code !== 1006 }));
  },
};

/**
 * The Hono-shaped form of `upgradeWebSocket`: a middleware that upgrades a WebSocket request
 * and serves it with the events `createEvents(c)` returns; any other request goes on to `next`.
 * The subprotocol is the first one the client offers, as in Hono's own helpers.
 */
export function honoWebSocketMiddleware<C extends HonoContextLike>(
  createEvents: (c: C) => WSEvents | Promise<WSEvents>,
): HonoMiddleware<C> {
  return async (c, next) => {
    const request = c.req.raw;
    if (request.headers.get("upgrade")?.toLowerCase() !== "websocket") {
      await next();
      return undefined;
    }
    const events = await createEvents(c);
    const protocol = request.headers.get("sec-websocket-protocol")?.split(",")[0]?.trim() ?? "";
    const data: HonoSocket = { events, url: new URL(request.url), protocol, context: null };
    return upgradeResponse(request, { data, protocol, handlers: HONO_HANDLERS });
  };
}
