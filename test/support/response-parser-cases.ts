/**
 * Shared harness of the ResponseParser tests (response-parser.*.test.ts): the case shape, a
 * runner that feeds pieces (and optionally EOF), and small expectation builders.
 * @module
 */
import { expect } from "vitest";
import { type ResponseHead, ResponseParser, type ResponseParserOptions } from "../../core/http1/response-parser.ts";
import { bytes, replay, text, traceBody, type TraceEvent } from "./replay.ts";

// Bytes in → events out, each case replayed at every split point (test/support/replay.ts).

/** `info`: the status of an interim 1xx response. */
type Event = TraceEvent<ResponseHead> | { info: number };
type Expected = TraceEvent<Partial<ResponseHead>> | { info: number };

export interface Case {
  name: string;
  input: string;
  /** Methods of the requests answered, in order; "GET" past the end. */
  methods?: string[];
  options?: ResponseParserOptions;
  /** Call finish() after the last byte (the server closed). */
  eof?: boolean;
  events: Expected[];
}

function run(pieces: Uint8Array[], c: Case): Event[] {
  const trace: Event[] = [];
  const methods = c.methods ?? [];
  let completed = 0;
  const parser = new ResponseParser(
    {
      onHead(head) {
        trace.push({ head });
      },
      onInformational(head) {
        trace.push({ info: head.status });
      },
      onBody(chunk) {
        traceBody(trace, chunk);
      },
      onMessageComplete(trailers) {
        trace.push({ complete: trailers });
        completed++;
        parser.method = methods[completed] ?? "GET";
      },
    },
    c.options,
  );
  parser.method = methods[0] ?? "GET";
  const failed = (): Event[] => {
    expect(parser.error).not.toBeNull();
    trace.push({ error: { status: parser.error!.status, code: parser.error!.code } });
    // A dead parser stays dead.
    expect(parser.execute(bytes("HTTP/1.1 200 OK\r\n"))).toBe(-1);
    return trace;
  };
  for (let i = 0; i < pieces.length; i++) {
    let piece = pieces[i]!;
    while (piece.length > 0) {
      const n = parser.execute(piece);
      if (n < 0) return failed();
      if (parser.upgraded) {
        let rest = text(piece.subarray(n));
        for (let j = i + 1; j < pieces.length; j++) rest += text(pieces[j]!);
        trace.push({ rest });
        return trace;
      }
      if (n === 0) throw new Error("execute consumed nothing");
      piece = piece.subarray(n);
    }
  }
  if (c.eof && !parser.finish()) return failed();
  return trace;
}

export function check(c: Case): void {
  replay(c.input, (pieces) => run(pieces, c), c.events);
}

export function reject(code: string, before: Expected[] = []): Expected[] {
  return [...before, { error: { status: 502, code } }];
}

export const OK = "HTTP/1.1 200 OK\r\n";
