import type { DeflateProvider } from "../../ws/deflate-provider.ts";
import { checkPerMessageDeflateOptions, type PerMessageDeflateOptions } from "../../ws/permessage-deflate.ts";
import type { ServerWebSocket } from "./server-websocket.ts";

/** Callbacks of a WebSocket, in the style of Bun's `websocket` handlers. */
export interface WebSocketHandlers<T = unknown> {
  /** The socket is open: the 101 went out. */
  open?(ws: ServerWebSocket<T>): void;
  /** A whole message: text as a string, binary as a Uint8Array the handler may keep. */
  message?(ws: ServerWebSocket<T>, data: string | Uint8Array): void;
  /** The socket closed; `code` 1005 when the peer gave none, 1006 when the connection just ended. */
  close?(ws: ServerWebSocket<T>, code: number, reason: string): void;
  /** The socket went below its high-water mark after `send()` reported backpressure. */
  drain?(ws: ServerWebSocket<T>): void;
  /** A ping came (the pong is sent automatically). */
  ping?(ws: ServerWebSocket<T>, data: Uint8Array): void;
  /** A pong came. */
  pong?(ws: ServerWebSocket<T>, data: Uint8Array): void;
}

/** Server-wide WebSocket settings and default handlers (`serve(app, { websocket })`). */
export interface WebSocketOptions<T = unknown> extends WebSocketHandlers<T> {
  /** Largest message, in bytes, after decompression; larger closes with 1009. Default 16 MiB. */
  maxMessageSize?: number | undefined;
  /** Seconds without traffic before the socket is closed; a ping is sent at half of it. Default 120; 0 disables. */
  idleTimeout?: number | undefined;
  /** Offer permessage-deflate (RFC 7692) to clients that ask. Default false. */
  perMessageDeflate?: boolean | PerMessageDeflateOptions | undefined;
  /** Bytes a socket may hold unsent before it is closed with 1008. Default 16 MiB. */
  maxBackpressure?: number | undefined;
}

/** Settings with defaults filled in, plus what the adapter supplies. */
export interface ResolvedWebSocketOptions {
  handlers: WebSocketHandlers<unknown>;
  maxMessageSize: number;
  idleTimeoutMs: number;
  perMessageDeflate: PerMessageDeflateOptions | null;
  /** `perMessageDeflate.threshold`, 0 when absent. */
  deflateThreshold: number;
  maxBackpressure: number;
  deflateProvider: DeflateProvider | null;
}

/** Fill in the defaults. */
export function resolveWebSocketOptions(
  options: WebSocketOptions<unknown> | undefined,
  deflateProvider: DeflateProvider | null,
): ResolvedWebSocketOptions {
  const o = options ?? {};
  const deflate = o.perMessageDeflate === true ? {} : o.perMessageDeflate || null;
  if (deflate !== null) checkPerMessageDeflateOptions(deflate);
  return {
    handlers: o,
    maxMessageSize: o.maxMessageSize ?? 16 * 1024 * 1024,
    idleTimeoutMs: (o.idleTimeout ?? 120) * 1000,
    perMessageDeflate: deflate,
    deflateThreshold: deflate?.threshold ?? 0,
    maxBackpressure: o.maxBackpressure ?? 16 * 1024 * 1024,
    deflateProvider,
  };
}
