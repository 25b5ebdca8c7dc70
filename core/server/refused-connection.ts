/**
 * A connection the server has no room for (`maxConnections`, `maxConnectionsPerIp`): it waits for
 * the client's first bytes, answers in the client's protocol that the server is busy, and
 * closes. HTTP/1.1 gets `503 Service Unavailable` with `Retry-After` (RFC 9110 §15.6.4, §10.2.3);
 * an HTTP/2 client (its preface, or ALPN `h2`) gets SETTINGS and GOAWAY with last stream 0, which
 * tells it that no stream was processed and may be retried (RFC 9113 §6.8).
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

const BUSY_BODY = "Server busy: too many connections";
const BUSY_RESPONSE: Uint8Array = new TextEncoder().encode(
  "HTTP/1.1 503 Service Unavailable\r\n" +
    `retry-after: ${BUSY_RETRY_AFTER_SECONDS}\r\n` +
    "connection: close\r\n" +
    "content-type: text/plain; charset=utf-8\r\n" +
    `content-length: ${BUSY_BODY.length}\r\n\r\n` +
    BUSY_BODY,
);
const H2_BUSY: Uint8Array = (() => {
  const parts: Uint8Array[] = [];
  const sink = {
    writeBytes: (bytes: Uint8Array, start = 0, end = bytes.length) => void parts.push(bytes.slice(start, end)),
  };
  writeSettings(sink, new Uint8Array(0));
  writeGoaway(sink, 0, ErrorCode.NO_ERROR, BUSY_BODY);
  const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
  let at = 0;
  for (const part of parts) {
    out.set(part, at);
    at += part.length;
  }
  return out;
})();

/** What a refused connection tells the server. */
export interface RefusalHost {
  readonly now: number;
  /** The refused connection is gone. */
  forget(conn: ManagedConnection): void;
}

/** Answers "busy" once, then closes. */
export class RefusedConnection implements ManagedConnection {
  readonly #transport: Transport;
  readonly #host: RefusalHost;
  readonly #since: number;
  #answered = false;

  constructor(transport: Transport, host: RefusalHost) {
    this.#transport = transport;
    this.#host = host;
    this.#since = host.now;
  }

  data(bytes: Uint8Array): void {
    if (this.#answered) return; // the rest is read and dropped until the client closes
    this.#answered = true;
    // "PRI * HTTP/2.0…" (RFC 9113 §3.4); on TLS, ALPN already said so.
    const h2 = this.#transport.info.alpn === "h2" || (bytes[0] === 0x50 && bytes[1] === 0x52 && bytes[2] === 0x49);
    this.#transport.write(h2 ? H2_BUSY : BUSY_RESPONSE);
    this.#transport.end();
  }

  drain(): void {}

  end(): void {
    this.#transport.end();
  }

  closed(): void {
    this.#host.forget(this);
  }

  tick(now: number): void {
    if (now - this.#since > REFUSED_DEADLINE_MS) this.#transport.close();
  }

  closeIdle(): void {
    this.#transport.end();
  }

  destroy(): void {
    this.#transport.close();
  }
}
