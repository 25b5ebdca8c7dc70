/**
 * How an HTTP/1.1 connection puts response bytes into its write batch: bodies (large ones
 * written through, not copied), chunks with their framing (RFC 9112 §7.1), and the complete
 * error responses a connection sends outside any exchange.
 * @module
 */
import { TEXT_PLAIN } from "../../http/wire-errors.ts";
import { serializeResponseHead } from "../../http1/response-serializer.ts";
import type { WriteBatch } from "../write-batch.ts";

/** Body bytes at least this long go to the transport as they are, not copied into the batch. */
const DIRECT_WRITE = 64 * 1024;
const CRLF = "\r\n";

export function writeBodyTo(batch: WriteBatch, body: string | Uint8Array): void {
  if (typeof body === "string") batch.sink().writeUtf8(body);
  else if (body.length >= DIRECT_WRITE) batch.writeThrough(body);
  else batch.sink().writeBytes(body);
}

/** One piece of a body; framed as a chunk when the response is chunked. */
export function writeChunkTo(batch: WriteBatch, chunk: Uint8Array, chunked: boolean): void {
  if (chunked) batch.sink().writeLatin1(chunk.length.toString(16) + CRLF);
  writeBodyTo(batch, chunk);
  if (chunked) batch.sink().writeLatin1(CRLF);
}

/** The last chunk, with the trailer section (`name: value` lines ending in CRLF) if any (RFC 9112 §7.1.2). */
export function writeLastChunkTo(batch: WriteBatch, trailers: string): void {
  batch.sink().writeLatin1("0\r\n" + trailers + "\r\n");
}

/** A plain-text response outside any exchange (bad request head, timeout); it always closes. */
export function writeErrorTo(batch: WriteBatch, status: number, message: string): void {
  const sink = batch.sink();
  sink.writeLatin1(serializeResponseHead(status, ["content-type", TEXT_PLAIN], "length", message.length, false, 1));
  sink.writeLatin1(message);
}
