/**
 * Server-Sent Events (`c.sse()`): a `text/event-stream` response body fed by a callback. The
 * body is an async iterable that the session pulls one chunk at a time, so each event goes to
 * the socket as soon as it is sent, and a client that reads slowly holds `await stream.send()`
 * (the session pulls the next chunk only once the previous one is written out).
 */
import { formatComment, formatEvent, type SseEvent } from "./sse-format.ts";

export type { SseEvent } from "./sse-format.ts";

/** `text/event-stream` is always UTF-8 (WHATWG HTML §9.2.5). */
export const SSE_CONTENT_TYPE = "text/event-stream; charset=utf-8";

/** What the callback of `c.sse()` writes to. */
export interface SseStream {
  /**
   * Send one event. Resolves once the event is handed to the connection (at once, unless the
   * client reads slowly: then it waits); rejects with an `AbortError` once the stream is closed,
   * so a loop of sends ends when the client goes away. Throws TypeError for a field the format
   * cannot carry.
   */
  send(event: SseEvent): Promise<void>;
  /** Send a comment (`: text`), e.g. a heartbeat that keeps proxies from closing an idle stream. */
  comment(text?: string): Promise<void>;
  /** Wait `ms` milliseconds; rejects with an `AbortError` (and clears its timer) if the stream closes first. */
  sleep(ms: number): Promise<void>;
  /** End the stream after the events already sent (the callback may also just return). */
  close(): void;
  /** The `Last-Event-ID` request field: the id of the last event a reconnecting browser saw. */
  readonly lastEventId: string | undefined;
  /** Aborts when the stream is closed: the client went away (HTTP/1.1 close, HTTP/2 RST_STREAM) or the stream ended. */
  readonly signal: AbortSignal;
  /** Resolves when the stream is closed, for whatever reason. */
  readonly closed: Promise<void>;
}

/** The work of an SSE response: runs once the response head is out; its end ends the stream. */
export type SseCallback = (stream: SseStream) => void | Promise<void>;

export interface SseOptions {
  /**
   * Send a comment every `heartbeat` milliseconds while the stream is idle (no event in that
   * time), so proxies and load balancers keep it open. Off (0) unless given.
   */
  heartbeat?: number;
  /** Called once with an error thrown by the callback (default: the server's error log). */
  onError?: (error: unknown) => void;
}

const encoder = new TextEncoder();
const DONE: IteratorReturnResult<undefined> = Object.freeze({ done: true, value: undefined });

type State = "idle" | "open" | "ending" | "closed";

interface Pending {
  bytes: Uint8Array;
  resolve: () => void;
  reject: (reason: unknown) => void;
}

/**
 * The body of an SSE response. The session pulls it (`next()`); `return()` is how the session
 * says the client went away (the exchange's signal says so too: whichever comes first closes).
 */
export class SseSource implements AsyncIterableIterator<Uint8Array>, SseStream {
  readonly lastEventId: string | undefined;
  readonly closed: Promise<void>;
  readonly #callback: SseCallback;
  readonly #heartbeatMs: number;
  readonly #report: (error: unknown) => void;
  readonly #requestSignal: AbortSignal;
  readonly #controller = new AbortController();
  #state: State = "idle";
  #queue: Pending[] = [];
  #pull: ((result: IteratorResult<Uint8Array>) => void) | null = null;
  #heartbeat: ReturnType<typeof setInterval> | undefined = undefined;
  #sentSinceBeat = false;
  #resolveClosed!: () => void;
  readonly #onRequestAbort = (): void => this.#disconnect();

  constructor(
    callback: SseCallback,
    lastEventId: string | undefined,
    requestSignal: AbortSignal,
    options: SseOptions,
    log: (error: unknown) => void,
  ) {
    this.#callback = callback;
    this.lastEventId = lastEventId;
    this.#requestSignal = requestSignal;
    const heartbeat = options.heartbeat ?? 0;
    if (!Number.isFinite(heartbeat) || heartbeat < 0) throw new RangeError("sse heartbeat must be a positive number");
    this.#heartbeatMs = heartbeat;
    this.#report = options.onError ?? log;
    this.closed = new Promise((resolve) => (this.#resolveClosed = resolve));
  }

  get signal(): AbortSignal {
    return this.#controller.signal;
  }

  [Symbol.asyncIterator](): this {
    return this;
  }

  next(): Promise<IteratorResult<Uint8Array>> {
    if (this.#state === "idle") this.#start();
    const first = this.#queue.shift();
    if (first !== undefined) {
      first.resolve();
      return Promise.resolve({ done: false, value: first.bytes });
    }
    if (this.#state !== "open") {
      this.#dispose(null);
      return Promise.resolve(DONE);
    }
    return new Promise((resolve) => (this.#pull = resolve));
  }

  /** The session stops reading the body: the client went away (or the body is not sent at all, e.g. HEAD). */
  return(): Promise<IteratorResult<Uint8Array>> {
    this.#disconnect();
    return Promise.resolve(DONE);
  }

  send(event: SseEvent): Promise<void> {
    let text: string;
    try {
      text = formatEvent(event);
    } catch (error) {
      return Promise.reject(error);
    }
    return this.#enqueue(text);
  }

  comment(text = ""): Promise<void> {
    return this.#enqueue(formatComment(String(text)));
  }

  sleep(ms: number): Promise<void> {
    const signal = this.#controller.signal;
    if (signal.aborted) return Promise.reject(signal.reason);
    return new Promise((resolve, reject) => {
      const onAbort = (): void => {
        clearTimeout(timer);
        reject(signal.reason);
      };
      const timer = setTimeout(() => {
        signal.removeEventListener("abort", onAbort);
        resolve();
      }, ms);
      signal.addEventListener("abort", onAbort, { once: true });
    });
  }

  close(): void {
    if (this.#state === "open" || this.#state === "idle") this.#end();
  }

  #enqueue(text: string): Promise<void> {
    if (this.#state === "closed" || this.#state === "ending") {
      return handled(Promise.reject(this.#controller.signal.reason ?? closedError()));
    }
    this.#sentSinceBeat = true;
    const bytes = encoder.encode(text);
    const pull = this.#pull;
    if (pull !== null && this.#queue.length === 0) {
      // The connection is waiting for the next chunk: it goes out now.
      this.#pull = null;
      pull({ done: false, value: bytes });
      return Promise.resolve();
    }
    // The connection is still writing an earlier chunk (a slow client): the sender waits its turn.
    return handled(new Promise((resolve, reject) => this.#queue.push({ bytes, resolve, reject })));
  }

  #start(): void {
    this.#state = "open";
    if (this.#requestSignal.aborted) return this.#disconnect();
    this.#requestSignal.addEventListener("abort", this.#onRequestAbort, { once: true });
    if (this.#heartbeatMs > 0) this.#heartbeat = setInterval(() => this.#beat(), this.#heartbeatMs);
    let result: void | Promise<void>;
    try {
      result = this.#callback(this);
    } catch (error) {
      this.#fail(error);
      return;
    }
    Promise.resolve(result).then(() => this.#end(), (error) => this.#fail(error));
  }

  #beat(): void {
    // Only an idle stream needs one, and never pile up beats behind a slow client.
    if (!this.#sentSinceBeat && this.#queue.length === 0) this.comment().catch(() => {});
    this.#sentSinceBeat = false;
  }

  /** The callback failed: report it once (unless it failed because the client left), then end cleanly. */
  #fail(error: unknown): void {
    if (this.#state === "closed") return;
    try {
      this.#report(error);
    } catch {
      // a failing reporter must not keep the stream open
    }
    this.#end();
  }

  /** No more events: what is queued still goes out, then the body ends (last chunk / END_STREAM). */
  #end(): void {
    if (this.#state === "closed" || this.#state === "ending") return;
    this.#state = "ending";
    this.#stopTimer();
    if (this.#queue.length === 0 && this.#pull !== null) {
      const pull = this.#pull;
      this.#pull = null;
      this.#dispose(null);
      pull(DONE);
    }
  }

  /** The client went away: cancel the callback's work (signal, sleeps, pending sends). */
  #disconnect(): void {
    if (this.#state === "closed") return;
    this.#dispose(new DOMException("The SSE client went away", "AbortError"));
    const pull = this.#pull;
    this.#pull = null;
    pull?.(DONE);
  }

  #dispose(reason: DOMException | null): void {
    if (this.#state === "closed") return;
    this.#state = "closed";
    this.#stopTimer();
    this.#requestSignal.removeEventListener("abort", this.#onRequestAbort);
    const error = reason ?? closedError();
    const queue = this.#queue;
    this.#queue = [];
    for (const pending of queue) pending.reject(error);
    this.#controller.abort(error);
    this.#resolveClosed();
  }

  #stopTimer(): void {
    if (this.#heartbeat !== undefined) clearInterval(this.#heartbeat);
    this.#heartbeat = undefined;
  }
}

/**
 * A send that fails because the stream closed still rejects for whoever awaits it, but one that
 * nobody awaits (a send from an event listener) must not become an unhandled rejection, which
 * would end a Node process.
 */
function handled(promise: Promise<void>): Promise<void> {
  promise.catch(() => {});
  return promise;
}

function closedError(): DOMException {
  return new DOMException("The SSE stream is closed", "AbortError");
}
