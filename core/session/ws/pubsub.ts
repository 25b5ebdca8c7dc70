import { encodeFrame, encodeTextFrame } from "../../ws/frame-writer.ts";
import { OPCODE_BINARY } from "../../ws/opcodes.ts";

/** What a topic holds: anything that can take an encoded frame. */
export interface Subscriber {
  writeFrame(frame: Uint8Array): void;
}

/**
 * Topics and their subscribers. A published message is encoded into one frame once and the
 * same bytes are written to every subscriber (uncompressed: RFC 7692 lets a message go without
 * RSV1, and per-socket compression contexts would defeat encoding once).
 */
export class PubSub {
  readonly #topics = new Map<string, Set<Subscriber>>();

  subscribe(topic: string, subscriber: Subscriber): void {
    let set = this.#topics.get(topic);
    if (set === undefined) this.#topics.set(topic, set = new Set());
    set.add(subscriber);
  }

  unsubscribe(topic: string, subscriber: Subscriber): void {
    const set = this.#topics.get(topic);
    if (set === undefined) return;
    set.delete(subscriber);
    if (set.size === 0) this.#topics.delete(topic);
  }

  isSubscribed(topic: string, subscriber: Subscriber): boolean {
    return this.#topics.get(topic)?.has(subscriber) ?? false;
  }

  /** Subscribers of a topic. */
  count(topic: string): number {
    return this.#topics.get(topic)?.size ?? 0;
  }

  /** Send to every subscriber but `except`; returns how many got it. */
  publish(topic: string, data: string | Uint8Array, except?: Subscriber): number {
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
