/**
 * A WebSocket pub/sub backplane over Redis pub/sub (PUBLISH / SUBSCRIBE), with the npm `redis`
 * client (node-redis v4/v5): every server pointed at one Redis (or Valkey) shares its topics.
 * This module never imports `redis` (an optional peer dependency); it calls the few methods below
 * on the clients you pass.
 */
import { Buffer } from "node:buffer";
import type { Backplane, BackplaneMessage, BackplaneReceiver } from "../../mod.ts";

/** The listener node-redis calls for a channel subscribed in buffer mode. */
export type RedisBufferListener = (message: Buffer, channel: Buffer) => unknown;

/** The part of a node-redis client (`createClient()`) used to publish. */
export interface RedisPublisherClient {
  publish(channel: string, message: Buffer): Promise<unknown>;
  /** node-redis: connected and ready; a publish is refused at once while false. */
  readonly isReady?: boolean;
  /** A new unconnected client with the same options (node-redis `duplicate()`): the subscriber. */
  duplicate?(overrides: { disableOfflineQueue: boolean }): RedisSubscriberClient;
}

/** The part of a node-redis client used to receive (a connection in subscriber mode). */
export interface RedisSubscriberClient {
  subscribe(channel: string, listener: RedisBufferListener, bufferMode: true): Promise<unknown>;
  unsubscribe(channel: string, listener: RedisBufferListener, bufferMode: true): Promise<unknown>;
  connect?(): Promise<unknown>;
  close?(): Promise<unknown>;
  quit?(): Promise<unknown>;
  on?(event: "error", listener: (error: unknown) => void): unknown;
}

/** Options of {@link RedisBackplane}. */
export interface RedisBackplaneOptions {
  /**
   * A connected node-redis client for PUBLISH. Create it with `disableOfflineQueue: true`, so a
   * publish made while Redis is unreachable fails at once instead of waiting for a reconnect.
   */
  publisher: RedisPublisherClient;
  /**
   * A connected client for SUBSCRIBE (a subscribed connection can run no other command). Keep its
   * offline queue on: a topic subscribed while Redis is away is then subscribed once it is back.
   * Default: `publisher.duplicate()` (offline queue on), which the backplane connects and, on
   * `close()`, closes.
   */
  subscriber?: RedisSubscriberClient;
  /** Prepended to each topic to make its channel; `wirecore:ws:` unless given. */
  prefix?: string;
  /** Errors of the subscriber connection the backplane made itself (default: ignored; publishes report the outage). */
  onConnectionError?: (error: unknown) => void;
}

const VERSION = 1;
const KIND_TEXT = 0;
const KIND_BINARY = 1;
const ORIGIN_BYTES = 16;
/** version, kind, origin: then the payload (UTF-8 text, or the bytes as they are). */
const HEADER_BYTES = 2 + ORIGIN_BYTES;
const encoder = new TextEncoder();
const decoder = new TextDecoder();

/**
 * Topics shared through Redis. Each message is one PUBLISH on `prefix + topic` of a small binary
 * envelope: a version byte, the message kind (text or binary, so each arrives as it was sent), a
 * random id of this backplane (its own messages come back to it from Redis and are dropped: the
 * server has delivered them locally already), then the payload.
 *
 * - Order: one publisher connection sends PUBLISH in call order, Redis forwards in order.
 * - Outage: a publish while the publisher is not ready rejects at once (so the server reports it
 *   to `onBackplaneError`); node-redis reconnects both clients and resubscribes every channel.
 *   Redis pub/sub is at-most-once: what was published while this process's subscriber was away is
 *   not replayed.
 *
 * @example
 * ```ts
 * import { createClient } from "redis";
 * import { serve } from "wirecore/node";
 * import { RedisBackplane } from "wirecore/redis";
 *
 * const publisher = await createClient({ url: "redis://127.0.0.1:6379", disableOfflineQueue: true }).connect();
 * const backplane = new RedisBackplane({ publisher });
 * const server = serve(app, { backplane, onBackplaneError: (error) => console.warn(error.message) });
 * // later: await server.shutdown(); await backplane.close(); await publisher.close();
 * ```
 */
export class RedisBackplane implements Backplane {
  readonly #publisher: RedisPublisherClient;
  readonly #subscriber: RedisSubscriberClient;
  readonly #ownsSubscriber: boolean;
  readonly #prefix: string;
  readonly #origin: Uint8Array = crypto.getRandomValues(new Uint8Array(ORIGIN_BYTES));
  readonly #listeners = new Map<string, RedisBufferListener>();
  #receive: BackplaneReceiver | null = null;
  /** SUBSCRIBE/UNSUBSCRIBE run one after another, in call order (starting once the subscriber is connected). */
  #chain: Promise<unknown>;
  #closed = false;

  constructor(options: RedisBackplaneOptions) {
    const publisher = options?.publisher;
    if (publisher === undefined || typeof publisher.publish !== "function") {
      throw new TypeError("RedisBackplane: options.publisher must be a connected node-redis client (createClient())");
    }
    this.#publisher = publisher;
    this.#prefix = options.prefix ?? "wirecore:ws:";
    if (options.subscriber !== undefined) {
      this.#subscriber = options.subscriber;
      this.#ownsSubscriber = false;
      this.#chain = Promise.resolve();
    } else {
      if (typeof publisher.duplicate !== "function") {
        throw new TypeError("RedisBackplane: pass options.subscriber, or a publisher with duplicate()");
      }
      // A SUBSCRIBE made while Redis is away waits for the reconnect instead of failing.
      const subscriber = publisher.duplicate({ disableOfflineQueue: false });
      subscriber.on?.("error", options.onConnectionError ?? (() => {}));
      this.#subscriber = subscriber;
      this.#ownsSubscriber = true;
      this.#chain = subscriber.connect?.() ?? Promise.resolve();
    }
  }

  attach(receive: BackplaneReceiver): void {
    if (this.#receive !== null) throw new Error("RedisBackplane is already attached to a server: use one per server");
    this.#receive = receive;
  }

  subscribe(topic: string): Promise<void> {
    if (this.#listeners.has(topic)) return Promise.resolve();
    const listener: RedisBufferListener = (message) => this.#deliver(topic, message);
    this.#listeners.set(topic, listener);
    return this.#serial(() => this.#subscriber.subscribe(this.#prefix + topic, listener, true));
  }

  unsubscribe(topic: string): Promise<void> {
    const listener = this.#listeners.get(topic);
    if (listener === undefined) return Promise.resolve();
    this.#listeners.delete(topic);
    return this.#serial(() => this.#subscriber.unsubscribe(this.#prefix + topic, listener, true));
  }

  publish(topic: string, data: BackplaneMessage): Promise<void> {
    if (this.#closed) return Promise.reject(new Error("RedisBackplane is closed"));
    if (this.#publisher.isReady === false) {
      return Promise.reject(new Error("Redis is not connected (the publisher client is not ready)"));
    }
    // Encoded now: the caller may reuse its buffer once publish() returns.
    return this.#publisher.publish(this.#prefix + topic, this.#encode(data)).then(() => {});
  }

  async close(): Promise<void> {
    if (this.#closed) return;
    this.#closed = true;
    const listeners = [...this.#listeners];
    this.#listeners.clear();
    if (this.#ownsSubscriber) {
      await this.#chain.catch(() => {});
      const subscriber = this.#subscriber;
      await (subscriber.close?.() ?? subscriber.quit?.())?.catch(() => {});
      return;
    }
    for (const [topic, listener] of listeners) {
      await this.#serial(() => this.#subscriber.unsubscribe(this.#prefix + topic, listener, true)).catch(() => {});
    }
  }

  #serial(command: () => Promise<unknown>): Promise<void> {
    const done = this.#chain.catch(() => {}).then(command);
    this.#chain = done;
    return done.then(() => {});
  }

  #encode(data: BackplaneMessage): Buffer {
    const payload = typeof data === "string" ? encoder.encode(data) : data;
    const message = Buffer.allocUnsafe(HEADER_BYTES + payload.length);
    message[0] = VERSION;
    message[1] = typeof data === "string" ? KIND_TEXT : KIND_BINARY;
    message.set(this.#origin, 2);
    message.set(payload, HEADER_BYTES);
    return message;
  }

  #deliver(topic: string, message: Buffer): void {
    const receive = this.#receive;
    // Another program's message on our channel, or a future version: not ours to guess at.
    if (receive === null || this.#closed || message.length < HEADER_BYTES || message[0] !== VERSION) return;
    if (this.#isOwn(message)) return;
    const payload = new Uint8Array(message.buffer, message.byteOffset + HEADER_BYTES, message.length - HEADER_BYTES);
    if (message[1] === KIND_TEXT) receive(topic, decoder.decode(payload));
    else if (message[1] === KIND_BINARY) receive(topic, payload);
  }

  #isOwn(message: Buffer): boolean {
    const origin = this.#origin;
    for (let i = 0; i < ORIGIN_BYTES; i++) if (message[2 + i] !== origin[i]) return false;
    return true;
  }
}
