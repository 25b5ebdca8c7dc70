import type { ManagedConnection } from "../transport/managed-connection.ts";
import type { Transport } from "../transport/transport.ts";
import { Http1Connection } from "../session/http1/http1-connection.ts";
import { Http2Connection } from "../session/http2/http2-connection.ts";
import type { ProtocolSwitch, SessionHost } from "../session/session-host.ts";

/** The client connection preface of HTTP/2 (RFC 9113 §3.4). */
const H2_PREFACE = "PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n";

/** What the sniffer needs of the server: a session host that also tracks which object manages a socket. */
export interface SnifferHost extends SessionHost {
  /** `next` manages the socket that `old` managed. */
  replace(old: ManagedConnection, next: ManagedConnection): void;
}

/**
 * The handler an adapter gets for a socket. It decides the protocol from the first bytes — the
 * HTTP/2 preface (prior knowledge, or ALPN `h2` on TLS, RFC 9113 §3.3–3.4) or else HTTP/1.1 —
 * then passes every event to that protocol's session, and later to whatever the session hands
 * the socket to (a WebSocket or h2c upgrade).
 */
export class ProtocolSniffer implements ManagedConnection, ProtocolSwitch {
  readonly #transport: Transport;
  readonly #host: SnifferHost;
  #session: ManagedConnection | null = null;
  /** Leading bytes that may be the start of the HTTP/2 preface. */
  #held: Uint8Array | null = null;
  readonly #acceptedAt: number;

  constructor(transport: Transport, host: SnifferHost) {
    this.#transport = transport;
    this.#host = host;
    this.#acceptedAt = host.now;
  }

  switchTo(next: ManagedConnection, rest: Uint8Array | null): void {
    this.#host.replace(this.#session ?? this, next);
    this.#session = next;
    if (rest !== null && rest.length > 0) next.data(rest);
  }

  data(bytes: Uint8Array): void {
    if (this.#session !== null) return this.#session.data(bytes);
    const input = this.#held === null ? bytes : concat(this.#held, bytes);
    const n = Math.min(input.length, H2_PREFACE.length);
    for (let i = 0; i < n; i++) {
      if (input[i] !== H2_PREFACE.charCodeAt(i)) {
        this.#held = null;
        this.switchTo(new Http1Connection(this.#transport, this.#host, this), input);
        return;
      }
    }
    if (n < H2_PREFACE.length) {
      this.#held = input.slice();
      return;
    }
    this.#held = null;
    this.switchTo(new Http2Connection(this.#transport, this.#host), input);
  }

  drain(): void {
    this.#session?.drain();
  }

  end(): void {
    if (this.#session !== null) return this.#session.end();
    this.#transport.end();
  }

  closed(error?: unknown): void {
    if (this.#session !== null) return this.#session.closed(error);
    this.#host.forget(this);
  }

  // The server manages the sniffer only until a session takes over (`replace`), so the three
  // calls below only meet a socket whose protocol is not decided yet.

  /** An idle socket gets the keep-alive timeout, a partial preface the head timeout. */
  tick(now: number): void {
    const { keepAliveTimeout, headersTimeout } = this.#host.options;
    if (now - this.#acceptedAt > (this.#held === null ? keepAliveTimeout : headersTimeout)) this.#transport.close();
  }

  closeIdle(): void {
    this.#transport.end();
  }

  destroy(): void {
    this.#transport.close();
  }
}

function concat(a: Uint8Array, b: Uint8Array): Uint8Array {
  const out = new Uint8Array(a.length + b.length);
  out.set(a);
  out.set(b, a.length);
  return out;
}
