/**
 * How much of a request body nobody reads — the handler answered without it, or gave up on it —
 * a session still receives and drops, so the connection (HTTP/1.1) or the stream (HTTP/2) ends
 * cleanly. A longer rest is not worth the bandwidth: HTTP/1.1 closes the connection after the
 * response, HTTP/2 resets the stream with NO_ERROR (RFC 9113 §8.1).
 * @module
 */

/** Octets of an unread request body still received and dropped. */
export const DRAIN_LIMIT: number = 256 * 1024;
