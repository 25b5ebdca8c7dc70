/**
 * The contract between the protocol core and a runtime adapter.
 *
 * An adapter creates one {@link Transport} per accepted socket and hands it to the core, which
 * answers with a {@link ConnectionHandler}. Bytes flow in through `data()`, out through `write()`.
 */

/** What the core may know about the socket under a connection. */
export interface TransportInfo {
  remoteAddress: string;
  remotePort: number;
  tls: boolean;
  /** ALPN protocol negotiated on a TLS socket, when any. */
  alpn?: string | undefined;
}

/** One accepted socket, as the core sees it. Filled in by an adapter. */
export interface Transport {
  /** Queue bytes for the peer. Returns false once above the high-water mark: wait for `drain()`. */
  write(bytes: Uint8Array): boolean;
  /** Flush what is queued, then half-close. */
  end(): void;
  /** Abort the socket now; queued bytes are dropped. */
  close(): void;
  /** Stop reading from the socket (request-body backpressure). */
  pause(): void;
  /** Start reading again after `pause()`. */
  resume(): void;
  readonly info: TransportInfo;
  /**
   * True when every `data()` call gets bytes the adapter never touches again (Node allocates a
   * buffer per read): the core may then keep views of them — a request body goes to the app, and
   * back out in an echo, without a copy. Absent or false (a reused read buffer, as on Deno): the
   * core copies what it keeps.
   */
  readonly freshReads?: boolean;
  /**
   * True when the adapter holds none of the arrays given to `write()` so far: each went to the socket, which copied
   * it (Bun's unbuffered `socket.write`; Node's when the kernel took the write at once). The core may then write its
   * next batch over the memory of the last one instead of a fresh slab. Absent or false (Deno keeps an array until its
   * write promise settles): reused only once the adapter hands each array back with `releaseWrite()`.
   */
  readonly writesSettled?: boolean;
}

/** The core's side of one socket. Called by an adapter. */
export interface ConnectionHandler {
  /**
   * Bytes from the peer. They are only valid during the call, unless the transport has
   * `freshReads`: the core copies what it keeps.
   */
  data(bytes: Uint8Array): void;
  /** The transport went below its high-water mark after a `write()` returned false. */
  drain(): void;
  /** The peer half-closed its side. */
  end(): void;
  /** The socket is gone, with the error that closed it, if any. */
  closed(error?: unknown): void;
}
