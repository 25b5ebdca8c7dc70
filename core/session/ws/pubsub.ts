import { encodeFrame, encodeTextFrame } from "../../ws/frame-writer.ts";
import { OPCODE_BINARY } from "../../ws/opcodes.ts";
import { type Backplane, BackplaneError } from "./backplane.ts";

/** What a topic holds: anything that can take an encoded frame. */
export interface Subscriber {
  writeFrame(frame: Uint8Array): void;
}

/**
 * Topics and their subscribers. A published message is encoded into one frame once and the
 * same bytes are written to every subscriber (uncompressed: RFC 7692 lets a message go without
 * RSV1, and per-socket compression contexts would defeat encoding once).
 *
 * With a backplane (backplane.ts) the topics reach other processes too: a topic is subscribed on
 * the backplane while it has a subscriber here, a publish is delivered here at once and handed to
 * the backplane for the others, and what the backplane brings in is delivered here only. A failed
 * backplane call is reported to `onError` as a {@link BackplaneError}; local delivery never waits
 * for it nor fails with it.
 */
export class PubSub {
  readonly #topics = new Map<string, Set<Subscriber>>();
  readonly #backplane: Backplane | null;
  readonly #onError: (error: BackplaneError) => void;

  constructor(backplane?: Backplane | null, onError?: (error: BackplaneError) => void) {
    this.#backplane = backplane ?? null;
    this.#onError = onError ?? ((error) => console.error(error));
    // Messages from other processes go to this process's subscribers only.
    this.#backplane?.attach((topic, data) => void this.#deliver(topic, data, undefined));
  }

  subscribe(topic: string, subscriber: Subscriber): void {
    let set = this.#topics.get(topic);
    if (set === undefined) {
      this.#topics.set(topic, set = new Set());
      const backplane = this.#backplane;
      if (backplane !== null) this.#relay("subscribe", topic, undefined, () => backplane.subscribe(topic));
    }
    set.add(subscriber);
  }

  unsubscribe(topic: string, subscriber: Subscriber): void {
    const set = this.#topics.get(topic);
    if (set === undefined) return;
    set.delete(subscriber);
    if (set.size === 0) {
      this.#topics.delete(topic);
      const backplane = this.#backplane;
      if (backplane !== null) this.#relay("unsubscribe", topic, undefined, () => backplane.unsubscribe(topic));
    }
  }

  isSubscribed(topic: string, subscriber: Subscriber): boolean {
    return this.#topics.get(topic)?.has(subscriber) ?? false;
  }

  /** Subscribers of a topic. */
  count(topic: string): number {
    return this.#topics.get(topic)?.size ?? 0;
  }

  /**
   * Send to every subscriber of this process but `except`, and through the backplane (if any) to
   * every subscriber of the other processes; returns how many of this process got it.
   */
  publish(topic: string, data: string | Uint8Array, except?: Subscriber): number {
    const sent = this.#deliver(topic, data, except);
    const backplane = this.#backplane;
    if (backplane !== null) this.#relay("publish", topic, data, () => backplane.publish(topic, data));
    return sent;
  }

  #relay(
    operation: "publish" | "subscribe" | "unsubscribe",
    topic: string,
    data: string | Uint8Array | undefined,
    call: () => Promise<void>,
  ): void {
    let done: Promise<void>;
    try {
      done = call();
    } catch (error) {
      done = Promise.reject(error); // a backplane that throws instead of rejecting is reported alike
    }
    done.catch((cause: unknown) => this.#onError(new BackplaneError(operation, topic, data, cause)));
  }

  #deliver(topic: string, data: string | Uint8Array, except: Subscriber | undefined): number {
    const set = this.#topics.get(topic);
    if (set === undefined) return 0;
    const frame = typeof data === "string" ? encodeTextFrame(data) : encodeFrame(OPCODE_BINARY, data);
    let sent = 0;
    for (const subscriber of set) {
      if (subscriber === except) continue;
      subscriber.writeFrame(frame);
      sent++;
    }
    return sent;
  }
}
