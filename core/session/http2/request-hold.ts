/**
 * The Rapid Reset hold (CVE-2023-44487): a request opened in a read is dispatched once the next
 * frame is known. The attack sends each HEADERS with its RST_STREAM right behind it; a stream
 * reset by the very next frame never reaches the app (its reset still spends the reset budget).
 * Any other next frame, a connection error, or the end of the read dispatches the held request
 * first, so every other frame order — and the output — is as if it had been dispatched at once.
 *
 * @example
 * ```ts ignore
 * const hold = new RequestHold(dispatcher);
 * hold.startRead();
 * hold.open(exchange, 1); // held
 * hold.nextFrame(FRAME_RST_STREAM, 1); // still held: closing the stream then calls drop()
 * hold.endRead(); // dispatches what is still held
 * ```
 * @module
 */
import type { Dispatcher, Exchange } from "../../exchange/exchange.ts";
import { FRAME_RST_STREAM } from "../../http2/frame-types.ts";

/** At most one request held back, during a read. */
export class RequestHold {
  readonly #dispatcher: Dispatcher;
  #held: Exchange | null = null;
  #heldId = 0;
  #reading = false;

  constructor(dispatcher: Dispatcher) {
    this.#dispatcher = dispatcher;
  }

  /** A read begins: requests opened from now on are held until the next frame. */
  startRead(): void {
    this.#reading = true;
  }

  /** The read is over: the held request, if any, is dispatched. */
  endRead(): void {
    this.#reading = false;
    this.release();
  }

  /** The read failed (a bug of ours): the held request is forgotten with the connection. */
  abandon(): void {
    this.#reading = false;
    this.#held = null;
  }

  /** A new request on stream `id`: dispatched at once outside a read, else held. */
  open(exchange: Exchange, id: number): void {
    this.release();
    if (!this.#reading) return this.#dispatcher.dispatch(exchange);
    this.#held = exchange;
    this.#heldId = id;
  }

  /** A frame of `type` on `streamId` is next: the held request is dispatched unless it resets it. */
  nextFrame(type: number, streamId: number): void {
    if (this.#held === null || (type === FRAME_RST_STREAM && streamId === this.#heldId)) return;
    this.release();
  }

  /** Dispatch the held request now. */
  release(): void {
    const exchange = this.#held;
    if (exchange === null) return;
    this.#held = null;
    this.#dispatcher.dispatch(exchange);
  }

  /** Its stream closed: true when `exchange` was the held one — the app never saw it: dropped. */
  drop(exchange: object): boolean {
    if (exchange !== this.#held) return false;
    this.#held = null;
    return true;
  }
}
