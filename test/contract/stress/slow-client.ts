/**
 * A client socket that can read slowly, and the writing side of the stress cases: write as fast
 * as the socket takes it, and wait until a counter stops moving.
 */
import { connect, type Socket } from "node:net";
import { connected, sleep, Wakeup } from "../harness.ts";
import { patternChunk } from "./byte-pattern.ts";
import { type ResponseEvents, ResponseReader } from "./response-reader.ts";

/** A raw socket whose received bytes go to a {@link ResponseReader}; reading can be paused. */
export class SlowClient {
  readonly socket: Socket;
  readonly reader: ResponseReader;
  received = 0;
  closed = false;
  error: unknown = null;
  readonly #wakeup = new Wakeup();

  constructor(port: number, events: ResponseEvents) {
    this.reader = new ResponseReader(events);
    this.socket = connect({ port, host: "127.0.0.1", noDelay: true });
    this.socket.on("data", (chunk: Uint8Array) => {
      this.received += chunk.length;
      try {
        this.reader.feed(chunk);
      } catch (error) {
        this.error ??= error;
        this.socket.destroy();
      }
      this.#wakeup.wake();
    });
    this.socket.on("error", (error) => {
      this.error ??= error;
    });
    this.socket.on("close", () => {
      this.closed = true;
      this.reader.close();
      this.#wakeup.wake();
    });
  }

  static async open(port: number, events: ResponseEvents): Promise<SlowClient> {
    const client = new SlowClient(port, events);
    await connected(client.socket);
    return client;
  }

  /** Resolves on the next data or close event, or after `ms`. */
  nextEvent(ms: number): Promise<void> {
    return this.#wakeup.next(ms);
  }

  /**
   * Read in bursts: take at least `burst` bytes, then stop reading for `pauseMs`; until `done()`
   * holds. Throws past the deadline.
   */
  async readSlowly(done: () => boolean, burst: number, pauseMs: number, deadline: number, what: string): Promise<void> {
    let mark = this.received;
    this.socket.resume();
    while (!done()) {
      if (this.error !== null) throw this.error;
      if (this.closed) throw new Error(`${what}: connection closed early after ${this.received} bytes`);
      if (Date.now() > deadline) throw new Error(`${what}: timed out after ${this.received} bytes`);
      if (this.received - mark >= burst) {
        this.socket.pause();
        await sleep(pauseMs);
        mark = this.received;
        this.socket.resume();
      } else {
        await this.nextEvent(100);
      }
    }
  }

  close(): void {
    this.socket.destroy();
  }
}

/** Write `total` bytes of the pattern as fast as the socket takes them (respecting its drain). */
export async function writePattern(socket: Socket, total: number, progress: { written: number }): Promise<void> {
  while (progress.written < total) {
    if (socket.destroyed) throw new Error(`Socket closed after ${progress.written} bytes written`);
    const n = Math.min(64 * 1024, total - progress.written);
    const chunk = patternChunk(progress.written, n);
    progress.written += n;
    if (!socket.write(chunk)) await drained(socket);
  }
}

export function drained(socket: Socket): Promise<void> {
  return new Promise((resolve) => {
    const done = (): void => {
      socket.off("drain", done);
      socket.off("close", done);
      resolve();
    };
    socket.on("drain", done);
    socket.on("close", done);
  });
}

/**
 * Wait until `value()` has not changed for `quietMs` (true), or `limit()` holds or `maxMs` pass
 * (false).
 */
export async function stalls(
  value: () => number,
  limit: () => boolean,
  quietMs: number,
  maxMs: number,
): Promise<boolean> {
  const deadline = Date.now() + maxMs;
  let last = value();
  let since = Date.now();
  while (Date.now() < deadline) {
    if (limit()) return false;
    await sleep(50);
    const now = value();
    if (now !== last) {
      last = now;
      since = Date.now();
    } else if (Date.now() - since >= quietMs) return true;
  }
  return false;
}
