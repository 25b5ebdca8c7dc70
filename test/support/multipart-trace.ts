/**
 * Runs the multipart parser over pieces of a body and records what it reports as a trace
 * (bytes in → events out), for the replay tests (`test/support/replay.ts`).
 * @module
 */
import { HttpError } from "../../core/http/http-error.ts";
import { traceBody } from "./replay.ts";
import type { MultipartLimits } from "../../core/multipart/limits.ts";
import { MultipartParser } from "../../core/multipart/parser.ts";

/** One event of a multipart trace. */
export type MultipartEvent =
  | { part: { name: string; filename: string | undefined; type: string } }
  | { body: string }
  | { partEnd: true }
  | { done: true }
  | { error: { status: number; code: string } };

/** Parse `pieces` as one body with `boundary`; the trace ends in `done` or an `error`. */
export function traceMultipart(boundary: string, pieces: Uint8Array[], limits?: MultipartLimits): MultipartEvent[] {
  const trace: MultipartEvent[] = [];
  const parser = new MultipartParser(boundary, {
    part: (head) => trace.push({ part: { name: head.name, filename: head.filename, type: head.type } }),
    data: (bytes) => traceBody(trace, bytes),
    partEnd: () => trace.push({ partEnd: true }),
  }, limits);
  try {
    for (const piece of pieces) parser.push(piece);
    parser.finish();
    trace.push({ done: true });
  } catch (error) {
    if (!(error instanceof HttpError)) throw error;
    trace.push({ error: { status: error.status, code: error.code } });
  }
  return trace;
}
