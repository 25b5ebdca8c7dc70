/**
 * A connection the server will not serve: it has no room for it (`maxConnections`,
 * `maxConnectionsPerIp`), or its address is under a flood penalty (`floodPenalty`). It waits for
 * the client's first bytes, answers in the client's protocol, and closes. For want of room,
 * HTTP/1.1 gets `503 Service Unavailable` with `Retry-After` (RFC 9110 §15.6.4, §10.2.3); an
 * HTTP/2 client (its preface, or ALPN `h2`) gets SETTINGS and GOAWAY with last stream 0, which
 * tells it that no stream was processed and may be retried (RFC 9113 §6.8). A penalized address
 * gets `429 Too Many Requests` (RFC 6585 §4) or GOAWAY ENHANCE_YOUR_CALM (RFC 9113 §7).
 * @module
 */
import { ErrorCode } from "../http2/errors.ts";
import { writeGoaway, writeSettings } from "../http2/frame-writer.ts";
import type { ManagedConnection } from "../transport/managed-connection.ts";
import type { Transport } from "../transport/transport.ts";

/** Seconds a refused client is asked to wait before it tries again. */
export const BUSY_RETRY_AFTER_SECONDS = 5;
/** A refused client that sends nothing is cut after this long. */
const REFUSED_DEADLINE_MS = 5_000;
/**
 * After the answer the server half-closes and reads on, dropping what comes, until the client
 * closes its side or this long has passed — the lingering close of RFC 9112 §9.6: cutting at once
 * could reset the connection before the client has read its answer. Reading on (rather than
 * pausing) lets a client that got its answer close at once, and lets the server forget it at once.
 */
const ANSWERED_LINGER_MS = 1_000;
/** Bytes dropped after the answer before the connection is cut (a flood that goes on writing). */
const REFUSED_READ_LIMIT = 256 * 1024;
/** How often the server checks its refused connections' deadlines (ms). */
export const REFUSED_CHECK_MS = 100;

/** What a refused client is told: in HTTP/1.1, and in HTTP/2. */
export interface Refusal {
  readonly http1: Uint8Array;
  readonly h2: Uint8Array;
}

const encoder = new TextEncoder();

function http1Refusal(status: string, retryAfterSeconds: number, body: string): Uint8Array {
  return encoder.encode(
    `HTTP/1.1 ${status}\r\n` +
      `retry-after: ${retryAfterSeconds}\r\n` +
      "connection: close\r\n" +
      "content-type: text/plain; charset=utf-8\r\n" +
      `content-length: ${body.length}\r\n\r\n` +
      body,
  );
}

/** SETTINGS (the server preface, RFC 9113 §3.4), then GOAWAY with last stream 0. */
function h2Refusal(code: number, debug: string): Uint8Array {
  const parts: Uint8Array[] = [];
  const sink = {
    writeBytes: (bytes: Uint8Array, start = 0, end = bytes.length) => void parts.push(bytes.slice(start, end)),
  };
  writeSettings(sink, new Uint8Array(0));
  writeGoaway(sink, 0, code, debug);
  const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
  let at = 0;
  for (const part of parts) {
    out.set(part, at);
    at += part.length;
  }
  return out;
}

const BUSY_BODY = "Server busy: too many connections";
/** The answer for want of room. */
export const BUSY: Refusal = {
  http1: http1Refusal("503 Service Unavailable", BUSY_RETRY_AFTER_SECONDS, BUSY_BODY),
  h2: h2Refusal(ErrorCode.NO_ERROR, BUSY_BODY),
};

const CALM_BODY = "Too many connections from this address were cut for flooding";
const CALM_H2 = h2Refusal(ErrorCode.ENHANCE_YOUR_CALM, CALM_BODY);
/** The answer to an address under a flood penalty, `secondsLeft` of it to run. */
export function calmDown(secondsLeft: number): Refusal {
  return { http1: http1Refusal("429 Too Many Requests", secondsLeft, CALM_BODY), h2: CALM_H2 };
}

/** What a refused connection tells the server. */
export interface RefusalHost {
  /** The refused connection is gone. */
  forget(conn: ManagedConnection): void;
}

/**
 * Answers with its refusal once, then closes. Its deadlines are on the wall clock, checked by
 * {@link tick} every {@link REFUSED_CHECK_MS}: under a flood hundreds are refused each second,
 * and closing a whole second's worth in one turn of the event loop stalls every other client.
 */
export class RefusedConnection implements ManagedConnection {
  readonly #transport: Transport;
  readonly #host: RefusalHost;
  readonly #refusal: Refusal;
  readonly #since: number;
  /** Wall-clock time of the answer (`Date.now()`); -1 before it. */
  #answeredAt = -1;
  #dropped = 0;

  constructor(transport: Transport, host: RefusalHost, refusal: Refusal) {
    this.#transport = transport;
    this.#host = host;
    this.#refusal = refusal;
    this.#since = Date.now();
  }

  data(bytes: Uint8Array): void {
    if (this.#answeredAt >= 0) {
      this.#dropped += bytes.length;
      if (this.#dropped > REFUSED_READ_LIMIT) this.#transport.close();
      return;
    }
    this.#answeredAt = Date.now();
    // "PRI * HTTP/2.0…" (RFC 9113 §3.4); on TLS, ALPN already said so.
    const h2 = this.#transport.info.alpn === "h2" || (bytes[0] === 0x50 && bytes[1] === 0x52 && bytes[2] === 0x49);
    this.#transport.write(h2 ? this.#refusal.h2 : this.#refusal.http1);
    this.#transport.end();
  }

  drain(): void {}

  end(): void {
    this.#transport.end();
  }

  closed(): void {
    this.#host.forget(this);
  }

  /** `now` is the wall clock (`Date.now()`), not the server clock. */
  tick(now: number): void {
    const answeredAt = this.#answeredAt;
    if (answeredAt >= 0 ? now - answeredAt >= ANSWERED_LINGER_MS : now - this.#since > REFUSED_DEADLINE_MS) {
      this.#transport.close();
    }
  }

  closeIdle(): void {
    this.#transport.end();
  }

  destroy(): void {
    this.#transport.close();
  }
}
