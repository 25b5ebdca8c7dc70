/**
 * The streams of one HTTP/2 connection (RFC 9113 §5.1): the open ones by id, a bounded memory of
 * the recently closed ones with how each ended, and the stream ids the rules need — the highest
 * the client opened (lower idle ids are implicitly closed, §5.1.1) and the highest we processed
 * (the GOAWAY Last-Stream-ID, §6.8). A frame for a stream that is not open gets its answer here
 * ({@link StreamTable.checkUntracked}).
 *
 * @example
 * ```ts
 * import { CLOSED_RESET_SENT, StreamTable } from "./stream-table.ts";
 * const streams = new StreamTable(100);
 * streams.claim(1); // true: a new stream id
 * streams.claim(1); // false: not above the highest seen
 * streams.ignore(1); // noted as reset by us: late frames on it are dropped
 * ```
 * @module
 */
import { ConnectionError, StreamError } from "../../http2/errors.ts";
import {
  FRAME_HEADERS,
  FRAME_PRIORITY,
  FRAME_RST_STREAM,
  FRAME_WINDOW_UPDATE,
  frameTypeName,
} from "../../http2/frame-types.ts";
import type { Http2Stream } from "./stream.ts";

/** How a stream we no longer track ended; decides the answer to late frames (§5.1). */
export const CLOSED_ENDED = 1; // both sides sent END_STREAM
export const CLOSED_RESET_SENT = 2; // we sent RST_STREAM (or ignored the stream after GOAWAY)
export const CLOSED_RESET_RECEIVED = 3; // the peer sent RST_STREAM

/** Open streams, recently closed ones, and the id bookkeeping of §5.1.1 and §6.8. */
export class StreamTable {
  readonly #open = new Map<number, Http2Stream>();
  /**
   * Recently closed streams and how they ended: a ring of the last {@link #memory} (ids and
   * kinds side by side, made at the first close). A stream closes once per request, so this is a
   * hot path: two array writes instead of the four Map operations and the iterator an
   * insertion-ordered Map needs to stay bounded (9 % of a Bun h2 profile). Only late frames on
   * closed streams look a stream up, newest first.
   */
  #closedIds: Int32Array | null = null;
  #closedKinds: Uint8Array | null = null;
  /** The ring's next slot, and how many slots hold a stream. */
  #closedNext = 0;
  #closedCount = 0;
  readonly #memory: number;
  /** Highest client stream id seen: lower idle ids are implicitly closed (§5.1.1). */
  #highest = 0;
  /** Highest stream id processed: the GOAWAY Last-Stream-ID (§6.8). */
  #lastProcessed = 0;
  /** Exchanges whose stream closed while the handler still runs (MadeYouReset, Rapid Reset). */
  #zombies = 0;

  constructor(maxConcurrentStreams: number) {
    this.#memory = Math.max(64, maxConcurrentStreams * 2);
  }

  /** Open streams. */
  get size(): number {
    return this.#open.size;
  }

  /** Streams that count against the concurrency limit: open ones, and closed ones whose handler still runs. */
  get busy(): number {
    return this.#open.size + this.#zombies;
  }

  /** The GOAWAY Last-Stream-ID (§6.8). */
  get lastProcessed(): number {
    return this.#lastProcessed;
  }

  get(id: number): Http2Stream | undefined {
    return this.#open.get(id);
  }

  /** Whether `stream` is still open. */
  isOpen(stream: Http2Stream): boolean {
    return this.#open.get(stream.id) === stream;
  }

  /** The open streams, live: do not close streams while iterating (use {@link list}). */
  values(): MapIterator<Http2Stream> {
    return this.#open.values();
  }

  /** A copy of the open streams, for loops that close some. */
  list(): Http2Stream[] {
    return [...this.#open.values()];
  }

  /**
   * A field block opens stream `id`: true if the id is new (above every id seen, which becomes
   * the highest); false if it is not, and the stream is closed or idle-closed (§5.1.1).
   */
  claim(id: number): boolean {
    if (id <= this.#highest) return false;
    this.#highest = id;
    return true;
  }

  /** h2c: the upgraded request was stream 1 (RFC 7540 §3.2), processed already. */
  claimUpgrade(): void {
    this.#highest = this.#lastProcessed = 1;
  }

  /** A stream is opened (and processed: it is covered by our GOAWAY). */
  add(stream: Http2Stream): void {
    this.#lastProcessed = stream.id;
    this.#open.set(stream.id, stream);
  }

  /** A stream closed (§5.1): forget it, remember how it ended. */
  remove(stream: Http2Stream, kind: number): boolean {
    if (!this.#open.delete(stream.id)) return false;
    this.#remember(stream.id, kind);
    return true;
  }

  /** A stream we reset without opening it: after GOAWAY (§6.8), or for an error of its own. */
  ignore(id: number): void {
    if (id <= this.#highest) this.#remember(id, CLOSED_RESET_SENT);
  }

  /** A closed stream's handler still runs: it counts against the concurrency limit until it settles. */
  zombieStarted(): void {
    this.#zombies++;
  }

  /** That handler settled. */
  zombieSettled(): void {
    this.#zombies--;
  }

  /** The connection is gone: forget every open stream. */
  clear(): void {
    this.#open.clear();
  }

  /**
   * A frame of type `type` for a stream that is not open: idle (never opened), or closed — by
   * both END_STREAMs, by our RST_STREAM or the peer's, or implicitly by a higher stream (§5.1,
   * §5.1.1). Returns when the frame is to be ignored; throws the error it deserves otherwise.
   */
  checkUntracked(id: number, type: number): void {
    const name = frameTypeName(type);
    if (id > this.#highest || (id & 1) === 0) {
      // §5.1 idle: "Receiving any frame other than HEADERS or PRIORITY on a stream in this state
      // MUST be treated as a connection error of type PROTOCOL_ERROR."
      throw new ConnectionError("IDLE_STREAM_FRAME", `${name} on idle stream ${id} (RFC 9113 §5.1)`);
    }
    const kind = this.#closedKind(id);
    // §5.4.2: after our RST_STREAM, frames the peer sent before seeing it are ignored (§6.4).
    if (kind === CLOSED_RESET_SENT) return;
    // §5.1 closed: WINDOW_UPDATE and RST_STREAM may still arrive for a short while; PRIORITY any time.
    if (type === FRAME_WINDOW_UPDATE || type === FRAME_RST_STREAM || type === FRAME_PRIORITY) return;
    if (kind === CLOSED_RESET_RECEIVED) {
      // §5.1 closed: "An endpoint that receives any frame other than PRIORITY after receiving a
      // RST_STREAM MUST treat that as a stream error of type STREAM_CLOSED."
      throw new StreamError(
        id,
        "CLOSED_STREAM_FRAME",
        `${name} on stream ${id} after its RST_STREAM (RFC 9113 §5.1)`,
      );
    }
    if (type === FRAME_HEADERS && kind === undefined) {
      // §5.1.1: "The identifier of a newly established stream MUST be numerically greater than
      // all streams that the initiating endpoint has opened" — PROTOCOL_ERROR.
      throw new ConnectionError(
        "STREAM_ID_NOT_INCREASING",
        `HEADERS on stream ${id}, below stream ${this.#highest} (RFC 9113 §5.1.1)`,
      );
    }
    // §5.1 closed: "An endpoint MAY treat receipt of any other type of frame on a closed stream as
    // a connection error of type STREAM_CLOSED."
    throw new ConnectionError("CLOSED_STREAM_FRAME", `${name} on closed stream ${id} (RFC 9113 §5.1)`);
  }

  #remember(id: number, kind: number): void {
    const ids = this.#closedIds ??= new Int32Array(this.#memory);
    const kinds = this.#closedKinds ??= new Uint8Array(this.#memory);
    const at = this.#closedNext;
    ids[at] = id; // stream ids are 31 bits (§5.1.1)
    kinds[at] = kind;
    this.#closedNext = at + 1 === this.#memory ? 0 : at + 1;
    if (this.#closedCount < this.#memory) this.#closedCount++;
  }

  /** How closed stream `id` ended, if it is still remembered (its latest entry). */
  #closedKind(id: number): number | undefined {
    const ids = this.#closedIds;
    if (ids === null) return undefined;
    let at = this.#closedNext;
    for (let n = this.#closedCount; n > 0; n--) {
      at = at === 0 ? this.#memory - 1 : at - 1;
      if (ids[at] === id) return this.#closedKinds![at];
    }
    return undefined;
  }
}
