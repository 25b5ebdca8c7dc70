/**
 * The contract between a server's WebSocket topics and a pub/sub backplane (Redis, NATS, …) that
 * carries published messages to the servers of other processes. core only defines it; an
 * implementation lives outside core (wirecore/redis: `RedisBackplane`).
 *
 * Delivery model (why it is this one): a server delivers each message to its own subscribers at
 * once, synchronously, as without a backplane, and hands it to the backplane for everyone else; the
 * backplane never gives a process back the messages it published itself. So a local subscriber gets
 * a message exactly once, local delivery costs no round trip and keeps working while the backplane
 * is down, and the order per publisher is the order of the `publish` calls (one connection to the
 * backplane, which forwards in order).
 */

/** A message as a WebSocket carries it: a string is a text message, bytes a binary one. */
export type BackplaneMessage = string | Uint8Array;

/** How messages from other processes come in: deliver to this process's subscribers of `topic`. */
export type BackplaneReceiver = (topic: string, data: BackplaneMessage) => void;

/**
 * A pub/sub backplane, as a server uses it. Every method may be called at any time after
 * `attach`, in any order, without waiting for the promise of an earlier call: an implementation
 * applies `subscribe`/`unsubscribe`/`publish` in call order (the last call for a topic wins).
 */
export interface Backplane {
  /**
   * Called once by the server that uses the backplane (one server per backplane), before any other
   * call: `receive` gets every message published on another process to a topic subscribed here —
   * never a message published through this backplane itself. Throws if already attached.
   */
  attach(receive: BackplaneReceiver): void;
  /** `topic` got its first subscriber in this process: start receiving it. */
  subscribe(topic: string): Promise<void>;
  /** `topic` lost its last subscriber in this process: stop receiving it. */
  unsubscribe(topic: string): Promise<void>;
  /**
   * Send `data` to the subscribers of `topic` in every other process. Resolves once the backplane
   * took the message; rejects when it could not (disconnected, the command failed) — then no
   * other process got it. A message is never queued for later delivery.
   */
  publish(topic: string, data: BackplaneMessage): Promise<void>;
  /** Stop receiving and release the connections the backplane owns. */
  close(): Promise<void>;
}

/** A backplane call that failed, as `onBackplaneError` (ServeOptions) receives it. */
export class BackplaneError extends Error {
  /** What failed: a publish (the message reached no other process) or a (un)subscribe. */
  readonly operation: "publish" | "subscribe" | "unsubscribe";
  readonly topic: string;
  /** The message that was not sent (publish only), so the caller may retry it. */
  readonly data: BackplaneMessage | undefined;

  constructor(
    operation: "publish" | "subscribe" | "unsubscribe",
    topic: string,
    data: BackplaneMessage | undefined,
    cause: unknown,
  ) {
    super(`Backplane ${operation} on topic ${JSON.stringify(topic)} failed: ${describe(cause)}`, { cause });
    this.name = "BackplaneError";
    this.operation = operation;
    this.topic = topic;
    this.data = data;
  }
}

function describe(cause: unknown): string {
  return cause instanceof Error ? cause.message : String(cause);
}
