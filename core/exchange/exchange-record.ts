/** A listener for the end of an exchange; `aborted`: cut short before the response was complete. */
export type SettledListener = (aborted: boolean) => void;

/**
 * What an exchange records of its response for observers (access log, metrics): the status
 * sent, the body octets sent, and one notice when the exchange is over — the response handed
 * to the transport in full, or the exchange cut short. The base of `ExchangeAbort`, so of every
 * exchange; it costs two number fields and a null check when nobody listens.
 */
export class ExchangeRecord {
  #status = 0;
  #bytesOut = 0;
  #settled = false;
  #listener: SettledListener | null = null;

  /** The status of the response sent (0 until one starts; 101 for an upgrade). */
  get status(): number {
    return this.#status;
  }

  /** Octets of response body handed to the transport (framing, head and trailers excluded). */
  get bytesOut(): number {
    return this.#bytesOut;
  }

  /** The exchange is over (see {@link onSettled}). */
  get settled(): boolean {
    return this.#settled;
  }

  /**
   * Call `listener` once the exchange is over: the whole response handed to the transport
   * (`aborted` false), or the exchange cut short first (`aborted` true). Called at once if it
   * already is. Several listeners run in the order given; one that throws is reported to the
   * console and the others still run.
   */
  onSettled(listener: SettledListener): void {
    if (this.#settled) return callQuietly(listener, false);
    const previous = this.#listener;
    this.#listener = previous === null ? listener : (aborted) => {
      callQuietly(previous, aborted);
      callQuietly(listener, aborted);
    };
  }

  /** A response starts with this status. */
  protected recordStatus(status: number): void {
    this.#status = status;
  }

  /** `n` octets of response body were handed to the transport. */
  protected recordOut(n: number): void {
    this.#bytesOut += n;
  }

  /** The exchange is over (only the first call counts). */
  protected recordEnd(aborted: boolean): void {
    if (this.#settled) return;
    this.#settled = true;
    const listener = this.#listener;
    if (listener === null) return;
    this.#listener = null;
    callQuietly(listener, aborted);
  }
}

/** A failing listener must not break the session that called it (it runs inside a write path). */
function callQuietly(listener: SettledListener, aborted: boolean): void {
  try {
    listener(aborted);
  } catch (error) {
    console.error("wirecore: an onSettled listener failed:", error);
  }
}
