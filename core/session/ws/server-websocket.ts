/** What the public socket object drives: the session behind it. */
export interface WebSocketSessionControl {
  readonly readyState: 0 | 1 | 2 | 3;
  readonly bufferedAmount: number;
  send(data: string | Uint8Array, compress: boolean): boolean;
  close(code: number | undefined, reason: string): void;
  terminate(): void;
  ping(data?: Uint8Array): void;
  pong(data?: Uint8Array): void;
  subscribe(topic: string): void;
  unsubscribe(topic: string): void;
  isSubscribed(topic: string): boolean;
  publish(topic: string, data: string | Uint8Array): number;
}

/**
 * A server-side WebSocket, as handlers see it (shaped like Bun's `ServerWebSocket`).
 *
 * @example
 * ```ts
 * app.ws("/chat", {
 *   open(ws) { ws.subscribe("chat"); },
 *   message(ws, data) { ws.publish("chat", data); },
 * });
 * ```
 */
export class ServerWebSocket<T = unknown> {
  /** The value given to `c.upgrade({ data })`. */
  data: T;
  /** The subprotocol the app chose, or "". */
  readonly protocol: string;
  /** The `Sec-WebSocket-Extensions` response value, or "". */
  readonly extensions: string;
  readonly remoteAddress: string;
  readonly #session: WebSocketSessionControl;

  constructor(session: WebSocketSessionControl, data: T, protocol: string, extensions: string, remoteAddress: string) {
    this.#session = session;
    this.data = data;
    this.protocol = protocol;
    this.extensions = extensions;
    this.remoteAddress = remoteAddress;
  }

  /** 0 connecting, 1 open, 2 closing, 3 closed (as the WHATWG WebSocket). */
  get readyState(): 0 | 1 | 2 | 3 {
    return this.#session.readyState;
  }
  /** Bytes sent since the socket went above its high-water mark and not yet drained. */
  get bufferedAmount(): number {
    return this.#session.bufferedAmount;
  }
  /**
   * Send a message: a string as text, bytes (a Uint8Array, ArrayBuffer or other view, as Bun
   * takes) as binary — do not change them afterwards.
   * Returns true when the socket is now buffered beyond its high-water mark: wait for `drain`.
   * `compress` (default true) applies when permessage-deflate was negotiated.
   */
  send(data: string | Uint8Array | ArrayBuffer | ArrayBufferView, compress = true): boolean {
    return this.#session.send(typeof data === "string" ? data : toBytes(data), compress);
  }
  /** Start the closing handshake (RFC 6455 §7.1.2). */
  close(code?: number, reason = ""): void {
    this.#session.close(code, reason);
  }
  /** Drop the connection without a closing handshake. */
  terminate(): void {
    this.#session.terminate();
  }
  ping(data?: Uint8Array): void {
    this.#session.ping(data);
  }
  pong(data?: Uint8Array): void {
    this.#session.pong(data);
  }
  subscribe(topic: string): void {
    this.#session.subscribe(topic);
  }
  unsubscribe(topic: string): void {
    this.#session.unsubscribe(topic);
  }
  isSubscribed(topic: string): boolean {
    return this.#session.isSubscribed(topic);
  }
  /**
   * Send to every subscriber of `topic` except this socket; returns how many in this process got
   * it (with a backplane, other processes' subscribers get it too; see `Server.publish`).
   */
  publish(topic: string, data: string | Uint8Array | ArrayBuffer | ArrayBufferView): number {
    return this.#session.publish(topic, typeof data === "string" ? data : toBytes(data));
  }
}

/** Binary data as Bun's `send()` takes it (any BufferSource), viewed as bytes without a copy. */
function toBytes(data: Uint8Array | ArrayBuffer | ArrayBufferView): Uint8Array {
  if (data instanceof Uint8Array) return data;
  if (ArrayBuffer.isView(data)) return new Uint8Array(data.buffer, data.byteOffset, data.byteLength);
  return new Uint8Array(data);
}
