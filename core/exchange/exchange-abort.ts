import type { RequestBody } from "./request-body.ts";
import { ExchangeRecord } from "./exchange-record.ts";

/**
 * What ends when an exchange is cut short (the client went away, the stream was reset): the
 * request's AbortSignal (made only when asked for), the request body, and the response body
 * source being pumped. The base of the HTTP/1.1 and HTTP/2 exchanges (a base class rather than
 * a member, so a request allocates no extra object).
 */
export class ExchangeAbort extends ExchangeRecord {
  #aborted = false;
  #controller: AbortController | null = null;
  #cancelSource: ((reason: unknown) => void) | null = null;

  /** The client went away or the exchange was given up. */
  get aborted(): boolean {
    return this.#aborted;
  }

  /**
   * The signal handlers see; already aborted when asked for after the fact. Its reason is a
   * `DOMException` named `AbortError`, as the fetch standard gives an aborted request and as
   * Bun's and Deno's serve() and Node's fetch bridges do, so `error.name === "AbortError"` checks
   * in fetch-style code hold; what cut the exchange short is in the message.
   */
  get signal(): AbortSignal {
    const controller = (this.#controller ??= new AbortController());
    if (this.#aborted && !controller.signal.aborted) controller.abort(abortError(undefined));
    return controller.signal;
  }

  /** The response body source being pumped (null once the pump ends): cancelled on abort. */
  protected set cancelSource(cancel: ((reason: unknown) => void) | null) {
    this.#cancelSource = cancel;
  }

  /** Cut the exchange short; false if it already was. */
  protected cutShort(reason: unknown, body: RequestBody | null, bodyError: unknown): boolean {
    if (this.#aborted) return false;
    this.#aborted = true;
    this.#controller?.abort(abortError(reason));
    body?.fail(reason ?? bodyError);
    const cancel = this.#cancelSource;
    this.#cancelSource = null;
    cancel?.(reason);
    this.recordEnd(true);
    return true;
  }
}

function abortError(cause: unknown): DOMException {
  const detail = cause instanceof Error ? cause.message : typeof cause === "string" ? cause : "";
  return new DOMException(
    detail === "" ? "The request was aborted: the client went away" : `The request was aborted: ${detail}`,
    "AbortError",
  );
}
