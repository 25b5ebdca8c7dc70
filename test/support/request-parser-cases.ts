/**
 * Shared harness of the RequestParser tests (request-parser.*.test.ts): the case shape, a runner
 * that feeds pieces and loops per message, and small expectation builders.
 * @module
 */
import { expect } from "vitest";
import { RequestParser } from "../../core/http1/request-parser.ts";
import type { ParserLimits, RequestHead } from "../../core/http/request-head.ts";
import { bytes, replay, text, traceBody, type TraceEvent } from "./replay.ts";

// Bytes in → events out, each case replayed at every split point (test/support/replay.ts).

type Event = TraceEvent<RequestHead>;
/** What a case expects: heads as subsets of RequestHead. */
type Expected = TraceEvent<Partial<RequestHead>>;

export interface Case {
  name: string;
  input: string;
  limits?: Partial<ParserLimits>;
  /** Stop after this many completed messages and report the unparsed bytes as `rest`. */
  stopAfter?: number;
  events: Expected[];
}

/** Feed the pieces in order, looping on each as execute returns after every message. */
function run(pieces: Uint8Array[], limits?: Partial<ParserLimits>, stopAfter = Infinity): Event[] {
  const trace: Event[] = [];
  let completed = 0;
  const parser = new RequestParser(
    {
      onHead(head) {
        trace.push({ head });
      },
      onBody(chunk) {
        traceBody(trace, chunk);
      },
      onMessageComplete(trailers) {
        trace.push({ complete: trailers });
        completed++;
      },
    },
    limits,
  );
  for (let i = 0; i < pieces.length; i++) {
    let piece = pieces[i]!;
    while (piece.length > 0) {
      if (completed >= stopAfter) {
        let rest = text(piece);
        for (let j = i + 1; j < pieces.length; j++) rest += text(pieces[j]!);
        trace.push({ rest });
        return trace;
      }
      const n = parser.execute(piece);
      if (n < 0) {
        expect(parser.error).not.toBeNull();
        trace.push({ error: { status: parser.error!.status, code: parser.error!.code } });
        // A dead parser stays dead.
        expect(parser.execute(bytes("GET / HTTP/1.1\r\n"))).toBe(-1);
        return trace;
      }
      if (n === 0) throw new Error("execute consumed nothing");
      piece = piece.subarray(n);
    }
  }
  if (completed >= stopAfter) trace.push({ rest: "" });
  return trace;
}

export function check(c: Case): void {
  replay(c.input, (pieces) => run(pieces, c.limits, c.stopAfter), c.events);
}

export function reject(status: number, code: string): Expected[] {
  return [{ error: { status, code } }];
}

export const GET_HEAD: Partial<RequestHead> = {
  method: "GET",
  target: "/",
  path: "/",
  query: "",
  versionMinor: 1,
  headers: ["host", "example.com"],
  host: "example.com",
  contentLength: -1,
  chunked: false,
  keepAlive: true,
  expectContinue: false,
  upgrade: "",
};

export const H = "Host: h\r\n";
