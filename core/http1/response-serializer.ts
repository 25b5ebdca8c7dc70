import type { ByteSink } from "../bytes/byte-sink.ts";
import { HttpError } from "../http/http-error.ts";
import { httpDate } from "../http/date-cache.ts";
import { statusText } from "../http/status-text.ts";

/**
 * Response heads for HTTP/1.x (RFC 9112 §4, §6). Status lines are cached per status; the `Date`
 * value comes from the once-a-second cache. The exchange validates header names and values first
 * (core/http/field-validation.ts).
 */

/** How the body after a head is delimited. */
export type BodyFraming = "length" | "chunked" | "close" | "none";

const statusLines: string[] = [];

// RFC 9110 §2.5: answer with the highest version we conform to (1.1), also to 1.0 requests;
// the 1.0 client's rules still decide framing and keep-alive.
function statusLine(status: number): string {
  const cache = statusLines;
  let line = cache[status];
  if (line === undefined) {
    if (!Number.isInteger(status) || status < 100 || status > 999) {
      throw new HttpError("INVALID_STATUS", `Invalid response status ${status}`);
    }
    line = `HTTP/1.1 ${status} ${statusText(status)}\r\n`;
    cache[status] = line;
  }
  return line;
}

/**
 * The head of a response as a string (latin1 characters only), ready to encode.
 * `headers` is a validated flat list; framing fields (content-length, transfer-encoding,
 * connection, date) are added here and must not be in it.
 */
export function serializeResponseHead(
  status: number,
  headers: readonly string[],
  framing: BodyFraming,
  contentLength: number,
  keepAlive: boolean,
  versionMinor: number,
): string {
  let head = statusLine(status);
  for (let i = 0; i < headers.length; i += 2) {
    head += headers[i] + ": " + headers[i + 1] + "\r\n";
  }
  if (framing === "length") head += "content-length: " + contentLength + "\r\n";
  else if (framing === "chunked") head += "transfer-encoding: chunked\r\n";
  head += "date: " + httpDate() + "\r\n";
  if (!keepAlive) head += "connection: close\r\n";
  else if (versionMinor === 0) head += "connection: keep-alive\r\n";
  return head + "\r\n";
}

/** Whether a response with this status, to this method, carries no body (RFC 9110 §6.4.1). */
export function isBodylessResponse(status: number, method: string): boolean {
  return method === "HEAD" || status < 200 || status === 204 || status === 304;
}

/** Status lines as bytes, per status: written with one copy. */
const statusLineBytes: (Uint8Array | undefined)[] = [];
const CONTENT_LENGTH = latin1Bytes("content-length: ");
const CHUNKED = latin1Bytes("transfer-encoding: chunked\r\n");
const CONNECTION_CLOSE = latin1Bytes("connection: close\r\n");
const CONNECTION_KEEP_ALIVE = latin1Bytes("connection: keep-alive\r\n");
const CRLF = latin1Bytes("\r\n");
/** `date: <IMF-fixdate>` CRLF as bytes, and the value it was made from (remade once a second). */
let dateValue = "";
let dateLine: Uint8Array = new Uint8Array(0);

function latin1Bytes(text: string): Uint8Array {
  const out = new Uint8Array(text.length);
  for (let i = 0; i < text.length; i++) out[i] = text.charCodeAt(i);
  return out;
}

/**
 * The same head as {@link serializeResponseHead}, written straight into `sink`: cached bytes for
 * the status line, the framing fields and the `Date` line, each field copied once from its
 * strings. The response path uses this one; no head string is built, concatenated or flattened.
 */
export function writeResponseHead(
  sink: ByteSink,
  status: number,
  headers: readonly string[],
  framing: BodyFraming,
  contentLength: number,
  keepAlive: boolean,
  versionMinor: number,
): void {
  let line = statusLineBytes[status];
  if (line === undefined) statusLineBytes[status] = line = latin1Bytes(statusLine(status));
  sink.writeBytes(line);
  for (let i = 0; i < headers.length; i += 2) sink.writeField(headers[i]!, headers[i + 1]!);
  if (framing === "length") {
    sink.writeBytes(CONTENT_LENGTH);
    sink.writeDecimal(contentLength);
    sink.writeBytes(CRLF);
  } else if (framing === "chunked") sink.writeBytes(CHUNKED);
  const date = httpDate();
  if (date !== dateValue) {
    dateValue = date;
    dateLine = latin1Bytes("date: " + date + "\r\n");
  }
  sink.writeBytes(dateLine);
  if (!keepAlive) sink.writeBytes(CONNECTION_CLOSE);
  else if (versionMinor === 0) sink.writeBytes(CONNECTION_KEEP_ALIVE);
  sink.writeBytes(CRLF);
}
