import { describe, expect, it } from "vitest";
import { FakeTransport } from "../../../test/support/fake-transport.ts";
import { type WebSocketHost, WebSocketSession } from "./websocket-session.ts";
import { resolveWebSocketOptions } from "./websocket-options.ts";
import { PubSub } from "./pubsub.ts";
import { type Backplane, BackplaneError, type BackplaneMessage, type BackplaneReceiver } from "./backplane.ts";
import { encodeFrame, encodeTextFrame } from "../../ws/frame-writer.ts";
import { OPCODE_BINARY } from "../../ws/opcodes.ts";

/** Processes joined by one in-memory bus: what a Redis backplane does, with `down` to simulate an outage. */
class Bus {
  readonly members: MemoryBackplane[] = [];
  down = false;
}

class MemoryBackplane implements Backplane {
  readonly calls: string[] = [];
  readonly #bus: Bus;
  readonly #topics = new Set<string>();
  #receive: BackplaneReceiver | null = null;

  constructor(bus: Bus) {
    this.#bus = bus;
    bus.members.push(this);
  }
  attach(receive: BackplaneReceiver): void {
    if (this.#receive !== null) throw new Error("already attached");
    this.#receive = receive;
  }
  subscribe(topic: string): Promise<void> {
    this.calls.push(`subscribe ${topic}`);
    this.#topics.add(topic);
    return Promise.resolve();
  }
  unsubscribe(topic: string): Promise<void> {
    this.calls.push(`unsubscribe ${topic}`);
    this.#topics.delete(topic);
    return Promise.resolve();
  }
  publish(topic: string, data: BackplaneMessage): Promise<void> {
    if (this.#bus.down) return Promise.reject(new Error("bus is down"));
    const copy = typeof data === "string" ? data : data.slice();
    for (const member of this.#bus.members) {
      if (member !== this && member.#topics.has(topic)) member.#receive!(topic, copy);
    }
    return Promise.resolve();
  }
  close(): Promise<void> {
    return Promise.resolve();
  }
}

function socket(pubsub: PubSub, maxBackpressure?: number) {
  const transport = new FakeTransport();
  const host: WebSocketHost = { now: 1, pubsub, forget() {}, options: { onError: (e) => void e } };
  const options = resolveWebSocketOptions({ maxBackpressure }, null);
  const s = new WebSocketSession(transport, host, options, {}, null, undefined, "", "");
  transport.handler = s;
  return { transport, session: s };
}

const tick = (): Promise<void> => new Promise((resolve) => setTimeout(resolve, 0));

describe("PubSub with a backplane", () => {
  it("a publish reaches every subscriber of every process once, in order, with no echo", () => {
    const bus = new Bus();
    const a = new PubSub(new MemoryBackplane(bus));
    const b = new PubSub(new MemoryBackplane(bus));
    const [a1, a2, b1] = [socket(a), socket(a), socket(b)];
    for (const s of [a1, a2, b1]) s.session.subscribe("room");
    expect(a.publish("room", "one")).toBe(2);
    expect(a1.session.publish("room", "two")).toBe(1); // ws.publish skips its own socket, here and there
    expect(b.publish("room", Uint8Array.of(0, 255))).toBe(1);
    const binary = encodeFrame(OPCODE_BINARY, Uint8Array.of(0, 255));
    expect(a1.transport.writes).toEqual([encodeTextFrame("one"), binary]);
    expect(a2.transport.writes).toEqual([encodeTextFrame("one"), encodeTextFrame("two"), binary]);
    expect(b1.transport.writes).toEqual([encodeTextFrame("one"), encodeTextFrame("two"), binary]);
  });

  it("subscribes a topic on the backplane for its first local subscriber, unsubscribes after its last", () => {
    const backplane = new MemoryBackplane(new Bus());
    const pubsub = new PubSub(backplane);
    const [s1, s2] = [socket(pubsub), socket(pubsub)];
    s1.session.subscribe("t");
    s2.session.subscribe("t");
    s1.session.unsubscribe("t");
    expect(backplane.calls).toEqual(["subscribe t"]);
    s2.session.terminate(); // a closing socket leaves its topics
    expect(backplane.calls).toEqual(["subscribe t", "unsubscribe t"]);
    expect(() => new PubSub(backplane)).toThrow(/already attached/);
  });

  it("a publish the backplane refuses is delivered locally and reported with its topic and message", async () => {
    const bus = new Bus();
    const errors: BackplaneError[] = [];
    const a = new PubSub(new MemoryBackplane(bus), (error) => errors.push(error));
    const b = new PubSub(new MemoryBackplane(bus));
    const [a1, b1] = [socket(a), socket(b)];
    a1.session.subscribe("t");
    b1.session.subscribe("t");
    bus.down = true;
    expect(a.publish("t", "lost")).toBe(1);
    await tick();
    expect(a1.transport.writes).toEqual([encodeTextFrame("lost")]);
    expect(b1.transport.writes).toEqual([]);
    expect(errors).toHaveLength(1);
    expect(errors[0]).toBeInstanceOf(BackplaneError);
    expect([errors[0]!.operation, errors[0]!.topic, errors[0]!.data]).toEqual(["publish", "t", "lost"]);
    expect(errors[0]!.message).toMatch(/publish on topic "t" failed: bus is down/);
    bus.down = false;
    a.publish("t", "back");
    expect(b1.transport.writes).toEqual([encodeTextFrame("back")]);
  });

  it("a backplane that throws instead of rejecting is reported the same way", async () => {
    const errors: BackplaneError[] = [];
    const backplane = new MemoryBackplane(new Bus());
    backplane.subscribe = () => {
      throw new Error("sync failure");
    };
    const pubsub = new PubSub(backplane, (error) => errors.push(error));
    socket(pubsub).session.subscribe("t");
    await tick();
    expect(errors.map((e) => [e.operation, e.topic])).toEqual([["subscribe", "t"]]);
  });

  it("one slow subscriber does not hold back the others; past maxBackpressure it is closed (1008)", () => {
    const bus = new Bus();
    const a = new PubSub(new MemoryBackplane(bus));
    const b = new PubSub(new MemoryBackplane(bus));
    const slow = socket(b, 64 * 1024);
    const fast = [socket(b, 64 * 1024), socket(b, 64 * 1024)];
    for (const s of [slow, ...fast]) s.session.subscribe("t");
    slow.transport.full = true; // its socket never drains
    const payload = new Uint8Array(4096);
    for (let i = 0; i < 40; i++) a.publish("t", payload);
    for (const s of fast) expect(s.transport.writes).toHaveLength(40);
    expect(slow.transport.closed).toBe(true);
    expect(slow.transport.writes.length).toBeLessThan(40);
    expect(b.count("t")).toBe(2); // the closed one left the topic
  });
});
