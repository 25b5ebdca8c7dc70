/**
 * Idle connections: open N keep-alive connections, send one request on each, verify its response,
 * then hold them open and idle. The bench reads the server's memory meanwhile (idle-memory).
 */
import { connect, type Socket } from "node:net";
import { ResponseParser } from "../../core/http1/response-parser.ts";
import { ERROR_CLOSED, ERROR_CONNECT, ERROR_TIMEOUT, ResponseVerifier } from "./verify.ts";

/** What to open. */
export interface IdleOptions {
  host: string;
  port: number;
  /** The one request sent on each connection. */
  request: Uint8Array;
  method: string;
  count: number;
  /** Connections being opened at once. Default 200. */
  concurrency?: number;
  expectStatus: number;
  expectLength: number;
  /** A connection without a complete response within this many ms counts as a timeout. */
  timeoutMs: number;
}

/** The state of the idle connections. */
export interface IdleReport {
  /** Connections asked for. */
  requested: number;
  /** Connections whose one response was verified. */
  good: number;
  /** Connections open right now. */
  open: number;
  /** Connections the server closed after their response (idle timeout, limits). */
  closedByServer: number;
  /** ms from the first connect to the last verified response. */
  elapsedMs: number;
  errors: Record<string, number>;
  errorExamples: Record<string, string>;
}

/** Connections per local address: one address has ~28 000 ephemeral ports towards one server port. */
const PER_SOURCE_ADDRESS = 25_000;

/**
 * Past {@link PER_SOURCE_ADDRESS} connections to a loopback server, the next ones come from
 * 127.0.0.2, 127.0.0.3, … (all of 127/8 is local on Linux), so 100 000 fit in the port range.
 */
function sourceAddress(host: string, index: number): { localAddress?: string } {
  const source = Math.floor(index / PER_SOURCE_ADDRESS);
  if (source === 0 || !host.startsWith("127.")) return {};
  return { localAddress: `127.0.0.${1 + source}` };
}

/** A set of idle keep-alive connections. */
export class IdleConnections {
  private readonly options: IdleOptions;
  private readonly verifier: ResponseVerifier;
  private readonly sockets: Set<Socket> = new Set();
  private good = 0;
  private closedByServer = 0;
  private elapsedMs = 0;
  private closing = false;

  private constructor(options: IdleOptions) {
    this.options = options;
    this.verifier = new ResponseVerifier(1, { status: options.expectStatus, bodyLength: options.expectLength });
  }

  /** Open the connections; resolves once each has its verified response (or failed). */
  static async open(options: IdleOptions): Promise<IdleConnections> {
    const idle = new IdleConnections(options);
    const started = performance.now();
    let next = 0;
    const worker = async (): Promise<void> => {
      while (next < options.count) await idle.one(next++);
    };
    await Promise.all(Array.from({ length: Math.min(options.concurrency ?? 200, options.count) }, worker));
    idle.elapsedMs = performance.now() - started;
    return idle;
  }

  /** Connection `index`: connect, one request, verify the response, keep the socket. */
  private one(index: number): Promise<void> {
    const o = this.options;
    return new Promise((resolve) => {
      let answered = false;
      let status = 0;
      let body = 0;
      let keepAlive = true;
      let dropped = false;
      const finish = (kind: string | null, example?: string): void => {
        if (answered) return;
        answered = true;
        clearTimeout(timer);
        if (kind !== null) {
          dropped = true;
          this.verifier.count(kind, example);
          socket.destroy();
        }
        resolve();
      };
      const parser = new ResponseParser(
        {
          onHead: (head) => {
            status = head.status;
            keepAlive = head.keepAlive;
          },
          onBody: (chunk) => {
            body += chunk.length;
          },
          onMessageComplete: () => {
            if (!this.verifier.check(0, status, body)) return finish(null); // counted by check()
            if (!keepAlive) return finish(ERROR_CLOSED, "server answered Connection: close");
            this.good++;
            finish(null);
          },
        },
        { decodeHeaders: false },
      );
      parser.method = o.method;
      const socket = connect({ host: o.host, port: o.port, noDelay: true, ...sourceAddress(o.host, index) });
      const timer = setTimeout(() => finish(ERROR_TIMEOUT, `no response within ${o.timeoutMs} ms`), o.timeoutMs);
      this.sockets.add(socket);
      socket.on("connect", () => socket.write(o.request));
      socket.on("data", (chunk: Uint8Array) => {
        if (answered) return;
        if (parser.execute(chunk) < 0) finish(`parse ${parser.error!.code}`, parser.error!.message);
      });
      socket.on("error", (error: Error) => {
        if (!answered) finish(socket.connecting ? ERROR_CONNECT : ERROR_CLOSED, error.message);
      });
      socket.on("close", () => {
        this.sockets.delete(socket);
        if (!answered) finish(ERROR_CLOSED, "connection closed before the response");
        else if (!this.closing && !dropped) this.closedByServer++;
      });
    });
  }

  /** The current state. */
  report(): IdleReport {
    return {
      requested: this.options.count,
      good: this.good,
      open: this.sockets.size,
      closedByServer: this.closedByServer,
      elapsedMs: this.elapsedMs,
      errors: this.verifier.toJSON(),
      errorExamples: Object.fromEntries(this.verifier.examples),
    };
  }

  /** Close every connection. */
  close(): void {
    this.closing = true;
    for (const s of this.sockets) s.destroy();
    this.sockets.clear();
  }
}
