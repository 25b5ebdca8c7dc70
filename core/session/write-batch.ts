/**
 * The write side every session shares: bytes are appended to the process-wide
 * {@link sharedSink} and leave in one transport write per batch. A session corks the batch while
 * it handles one read, so everything that read produced (a burst of pipelined responses, the
 * answers to a burst of frames) goes out together; outside a read it commits each write at once
 * ({@link WriteBatch.commit}) or per microtask ({@link WriteBatch.commitSoon}).
 *
 * The batch is the sink's owner while its bytes are in it: when another connection takes the
 * sink, ours are flushed first, so sharing never mixes streams. It also tracks the transport's
 * backpressure: whether the last write went above the high-water mark, since when, and how much
 * was written since.
 *
 * @example
 * ```ts
 * import { WriteBatch } from "./write-batch.ts";
 * const written: Uint8Array[] = [];
 * const transport = {
 *   write: (b: Uint8Array) => written.push(b) > 0,
 *   end() {}, close() {}, pause() {}, resume() {},
 *   info: { remoteAddress: "127.0.0.1", remotePort: 1, tls: false },
 * };
 * const batch = new WriteBatch(transport, { now: 0 });
 * batch.cork();
 * batch.sink().writeLatin1("HTTP/1.1 200 OK\r\n");
 * batch.sink().writeLatin1("content-length: 0\r\n\r\n");
 * batch.uncork();
 * batch.commit(); // one write of both lines
 * ```
 * @module
 */
import { type ByteSink, sharedSink } from "../bytes/byte-sink.ts";
import type { Transport } from "../transport/transport.ts";
import { type Clock, stamp } from "./clock.ts";

/** A batch is sent early once it holds this much. */
export const FLUSH_THRESHOLD: number = 256 * 1024;

/**
 * For an adapter whose `write()` keeps the arrays it is given until the socket has taken them (Deno's, until
 * `conn.write` settles): call it once per array as soon as nothing holds that array any more, and the core writes later
 * batches over its memory instead of allocating more. Arrays the core did not batch are ignored. Never call it for an
 * array still held, twice for one array, or on a transport with `writesSettled` (the core reclaims those itself).
 */
export function releaseWrite(bytes: Uint8Array): void {
  sharedSink.reclaim(bytes);
}

/** Told when the bytes written above the high-water mark pass the batch's limit. */
export interface BackpressureListener {
  backpressureExceeded(): void;
}

/** One connection's batch in the shared sink, and its transport's backpressure. */
export class WriteBatch {
  readonly #transport: Transport;
  readonly #clock: Clock;
  readonly #maxBlockedBytes: number;
  readonly #listener: BackpressureListener | null;
  #corked = 0;
  #flushQueued = false;
  #flushTask: (() => void) | null = null;
  #closed = false;
  #blocked = false;
  #blockedSince = 0;
  #blockedBytes = 0;

  /**
   * `maxBlockedBytes`: bytes that may be written while the transport is above its high-water
   * mark before `listener` hears of it (a WebSocket's `maxBackpressure`); unlimited by default.
   */
  constructor(
    transport: Transport,
    clock: Clock,
    maxBlockedBytes: number = Number.POSITIVE_INFINITY,
    listener: BackpressureListener | null = null,
  ) {
    this.#transport = transport;
    this.#clock = clock;
    this.#maxBlockedBytes = maxBlockedBytes;
    this.#listener = listener;
  }

  /** The sink, owned by this batch (another owner's bytes are sent first). */
  sink(): ByteSink {
    return sharedSink.acquire(this);
  }

  /** Bytes of this batch in the sink, not yet written. */
  get pending(): number {
    return sharedSink.owner === this ? sharedSink.length : 0;
  }

  /** Hold writes until {@link uncork}: the session handles one read. */
  cork(): void {
    this.#corked++;
  }

  uncork(): void {
    this.#corked--;
  }

  get corked(): boolean {
    return this.#corked > 0;
  }

  /** Write what this batch holds now. */
  flush(): void {
    if (sharedSink.owner !== this) return;
    const bytes = sharedSink.take();
    if (bytes.length === 0) return;
    this.write(bytes);
    // The socket copied them: the next batch may reuse the room (no fresh slab to allocate and fault in).
    if (this.#transport.writesSettled === true) sharedSink.reclaim(bytes);
  }

  /** Write what this batch holds once it is `limit` octets or more. */
  flushIfFull(limit: number = FLUSH_THRESHOLD): void {
    if (sharedSink.owner === this && sharedSink.length >= limit) this.flush();
  }

  /** Write what is batched unless corked (then the end of the read writes it). */
  commit(): void {
    if (this.#corked === 0) this.flush();
  }

  /** Write what is batched at the end of the read, or in a microtask: writes made meanwhile join it. */
  commitSoon(): void {
    if (this.#corked > 0 || this.#flushQueued) return;
    this.#flushQueued = true;
    queueMicrotask(
      this.#flushTask ??= () => {
        this.#flushQueued = false;
        this.flush();
      },
    );
  }

  /** Write `bytes` as they are (not copied), after what this batch holds. */
  writeThrough(bytes: Uint8Array): void {
    this.flush();
    this.write(bytes);
  }

  /** Write `bytes` to the transport now; the caller has nothing batched before them. */
  write(bytes: Uint8Array): void {
    if (this.#closed) return;
    if (this.#blocked) this.#blockedBytes += bytes.length;
    if (!this.#transport.write(bytes) && !this.#blocked) {
      this.#blocked = true;
      this.#blockedSince = stamp(this.#clock.now);
    }
    if (this.#blockedBytes > this.#maxBlockedBytes) this.#listener?.backpressureExceeded();
  }

  /** The transport is above its high-water mark. */
  get blocked(): boolean {
    return this.#blocked;
  }

  /** Bytes written since the transport went above its high-water mark. */
  get blockedBytes(): number {
    return this.#blockedBytes;
  }

  /** The peer has not read for more than `timeout` ms. */
  stalled(now: number, timeout: number): boolean {
    return this.#blocked && now - this.#blockedSince > timeout;
  }

  /** The transport drained below its high-water mark. */
  drained(): void {
    this.#blocked = false;
    this.#blockedSince = 0;
    this.#blockedBytes = 0;
  }

  /** Drop what this batch holds: the connection is being cut. */
  discard(): void {
    if (sharedSink.owner === this) sharedSink.reclaim(sharedSink.take());
  }

  /** The transport closed: drop what is batched, write nothing more. */
  close(): void {
    this.#closed = true;
    this.discard();
  }

  get closed(): boolean {
    return this.#closed;
  }
}
