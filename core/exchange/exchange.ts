import type { RequestHead } from "../http/request-head.ts";
import type { RequestBody } from "./request-body.ts";
import type { TransportInfo } from "../transport/transport.ts";
import type { SettledListener } from "./exchange-record.ts";
import type { ServerView } from "./server-view.ts";

/** A streamed response body: a web stream or any async iterable of bytes or strings. */
export type BodyStream = ReadableStream<Uint8Array | string> | AsyncIterable<Uint8Array | string>;

/** Trailer fields as a flat `[name, value, …]` list, or a function giving them once the body has been sent. */
export type TrailerSource = string[] | (() => string[]);

/**
 * One request and the channel for its response, independent of the protocol that carries it.
 * The app layer (router, Context, fetch bridge) works on this; HTTP/1.1 implements it today.
 */
export interface Exchange {
  readonly head: RequestHead;
  /** The request body, or null when the request has none. */
  readonly body: RequestBody | null;
  readonly info: TransportInfo;
  /** Aborts when the client goes away before the response is complete. */
  readonly signal: AbortSignal;
  /** Whether a response has been started. */
  readonly responded: boolean;
  /** Send a complete response. `headers` is a flat `[name, value, …]` list. Throws HttpError(500) on invalid headers. */
  respond(status: number, headers: string[], body: string | Uint8Array | null): void;
  /** Send a streamed response; resolves when the body is written or abandoned. */
  respondStream(status: number, headers: string[], body: BodyStream, contentLength: number): Promise<void>;
  /**
   * Send trailer fields after the response body, where the protocol can carry them (HTTP/2
   * always, HTTP/1.1 when the client accepts them); dropped otherwise. Call before the body ends.
   */
  setTrailers?(trailers: TrailerSource): void;
  /** The protocol that carried the request: `http/1.1`, `http/1.0`, `h2` (TLS), `h2c`; `""` when unknown (`app.fetch`). */
  readonly protocol: string;
  /** The server the request came through; null under `app.fetch`. */
  readonly server: ServerView | null;
  /** The status of the response sent (0 until one starts). */
  readonly status: number;
  /** Octets of response body handed to the transport so far. */
  readonly bytesOut: number;
  /**
   * Call `listener` once the exchange is over: the whole response handed to the transport, or
   * the exchange cut short (`aborted`). For access logs and metrics; nothing is paid without one.
   */
  onSettled(listener: SettledListener): void;
  /** Give up on the exchange: abort the connection (used when a streamed response fails midway). */
  abort(reason?: unknown): void;
}

/** What serves exchanges: the native App or the fetch-handler bridge. */
export interface Dispatcher {
  dispatch(exchange: Exchange): void;
}
