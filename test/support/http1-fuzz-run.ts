/**
 * The HTTP/1.1 request parser driven the way a connection drives it, for the property-based
 * tests: pieces fed in order, `execute` looped per piece, and a trace of what came out. Checks
 * the parser's contract on every call: it never throws, it consumes at least one byte or fails
 * (so it cannot spin), and a failure is an {@link HttpError} with a 4xx/5xx status.
 * @module
 */
import { RequestParser } from "../../core/http1/request-parser.ts";
import { HttpError } from "../../core/http/http-error.ts";
import type { ParserLimits } from "../../core/http/request-head.ts";

/** A broken contract: a plain error, cheaper than `expect` in loops that run per byte. */
function ensure(ok: boolean, what: string): void {
  if (!ok) throw new Error(`RequestParser contract: ${what}`);
}

/** What a request looked like to the parser. */
export interface ParsedRequest {
  method: string;
  target: string;
  headers: string[];
  body: number[];
  trailers: string[] | null;
}

/** The parser's verdict on a byte stream: the requests it completed, then a rejection or nothing. */
export interface Verdict {
  requests: ParsedRequest[];
  /** A request whose head was parsed and which is not complete yet. */
  partial: boolean;
  error: { status: number; code: string } | null;
}

/** Feed `pieces` to a fresh parser; the verdict, with the parser's contract checked on the way. */
export function parseRequests(pieces: readonly Uint8Array[], limits?: Partial<ParserLimits>): Verdict {
  const requests: ParsedRequest[] = [];
  let current: ParsedRequest | null = null;
  const parser = new RequestParser({
    onHead(head) {
      ensure(current === null, "a head before the last request completed");
      current = { method: head.method, target: head.target, headers: head.headers, body: [], trailers: null };
    },
    onBody(chunk) {
      ensure(current !== null, "body bytes outside a request");
      for (const byte of chunk) current!.body.push(byte);
    },
    onMessageComplete(trailers) {
      ensure(current !== null, "a completion outside a request");
      current!.trailers = trailers;
      requests.push(current!);
      current = null;
    },
  }, limits);
  for (const piece of pieces) {
    let rest = piece;
    // Each call consumes at least one byte or fails: at most one call per byte.
    for (let calls = 0; rest.length > 0; calls++) {
      ensure(calls <= piece.length, "more calls than bytes");
      const n = parser.execute(rest);
      if (n < 0) {
        const error = parser.error;
        ensure(error instanceof HttpError, "a failure without an HttpError");
        ensure(error!.status >= 400 && error!.status < 600, `status ${error!.status}`);
        ensure(parser.execute(Uint8Array.of(0x47)) === -1, "a dead parser came back");
        return { requests, partial: current !== null, error: { status: error!.status, code: error!.code } };
      }
      ensure(n > 0 && n <= rest.length, `execute returned ${n} for ${rest.length} bytes`);
      rest = rest.subarray(n);
    }
  }
  return { requests, partial: current !== null, error: null };
}
