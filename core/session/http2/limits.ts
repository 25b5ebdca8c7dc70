/**
 * Limits of an HTTP/2 connection (server option `http2`), with their defaults. Each one bounds
 * what a client can make the server hold or do; see `defences.ts` for the flood budgets.
 * @module
 */

/** HTTP/2 limits; every field has a default (`DEFAULT_HTTP2_LIMITS`). */
export interface Http2Limits {
  /**
   * SETTINGS_MAX_CONCURRENT_STREAMS we advertise (RFC 9113 §5.1.2). A stream beyond it — counting
   * reset streams whose handler is still running — is refused with REFUSED_STREAM. Default 100.
   */
  maxConcurrentStreams: number;
  /**
   * SETTINGS_MAX_HEADER_LIST_SIZE we advertise: the largest decoded request header list (name +
   * value + 32 octets per field, §6.5.2); a larger one gets 431. The encoded field block across
   * HEADERS and CONTINUATION frames may be at most twice this, else GOAWAY ENHANCE_YOUR_CALM
   * (CONTINUATION flood). Default 65536.
   */
  maxHeaderListSize: number;
  /** CONTINUATION frames per field block before GOAWAY ENHANCE_YOUR_CALM. Default 64. */
  maxContinuationFrames: number;
  /** SETTINGS_INITIAL_WINDOW_SIZE: how much request body a stream may send ahead of the handler. Default 65535. */
  initialWindowSize: number;
  /** The connection's receive window: request body bytes in flight over all streams. Default 1 MiB. */
  connectionWindowSize: number;
  /** SETTINGS_MAX_FRAME_SIZE we accept (16384..16777215). Default 16384. */
  maxFrameSize: number;
  /** Response bytes queued per stream before a streamed body waits for the peer. Default 64 KiB. */
  maxStreamBuffer: number;
  /**
   * Milliseconds a response may wait for flow-control window, or the socket for the peer to read,
   * before the stream is reset (CANCEL) or the connection closed. Default 30 000.
   */
  stallTimeout: number;
  /** Milliseconds the peer has to acknowledge our SETTINGS (§6.5.3, SETTINGS_TIMEOUT). Default 10 000. */
  settingsTimeout: number;
  /** Streams reset (by the peer, or by us for its errors) per `floodWindowMs`. Default 200. */
  maxResets: number;
  /** SETTINGS, PING, PRIORITY, empty and unknown frames per `floodWindowMs`. Default 1000. */
  maxControlFrames: number;
  /**
   * Requests refused with 431 (header list over `maxHeaderListSize`, or more fields than the
   * server's `maxHeaders`) per `floodWindowMs` before GOAWAY ENHANCE_YOUR_CALM: a client that keeps
   * sending HPACK bombs or floods of empty fields loses the connection, not just each request.
   * Default 8.
   */
  maxOversizedHeaders: number;
  /**
   * Streams reset because the peer left their flow-control window closed past `stallTimeout`,
   * per 5 minutes, before GOAWAY ENHANCE_YOUR_CALM: a peer that keeps doing so loses the
   * connection, not just each stream. Default 8.
   */
  maxStalledStreams: number;
  /** The window of the flood budgets, in ms. Default 10 000. */
  floodWindowMs: number;
}

/** The defaults of {@link Http2Limits}. */
export const DEFAULT_HTTP2_LIMITS: Readonly<Http2Limits> = Object.freeze({
  maxConcurrentStreams: 100,
  maxHeaderListSize: 65536,
  maxContinuationFrames: 64,
  initialWindowSize: 65535,
  connectionWindowSize: 1024 * 1024,
  maxFrameSize: 16384,
  maxStreamBuffer: 64 * 1024,
  stallTimeout: 30_000,
  settingsTimeout: 10_000,
  maxResets: 200,
  maxControlFrames: 1000,
  maxOversizedHeaders: 8,
  maxStalledStreams: 8,
  floodWindowMs: 10_000,
});

/** Fill in the defaults. */
export function resolveHttp2Limits(limits: Partial<Http2Limits> = {}): Http2Limits {
  const out = { ...DEFAULT_HTTP2_LIMITS };
  for (const key of Object.keys(limits) as (keyof Http2Limits)[]) {
    const value = limits[key];
    if (value !== undefined) out[key] = value;
  }
  out.maxFrameSize = Math.min(Math.max(out.maxFrameSize, 16384), 16777215);
  out.initialWindowSize = Math.min(Math.max(out.initialWindowSize, 0), 0x7fffffff);
  out.connectionWindowSize = Math.min(Math.max(out.connectionWindowSize, 65535), 0x7fffffff);
  return out;
}
