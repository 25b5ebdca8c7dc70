import { HttpError } from "../http/http-error.ts";
import { httpDate } from "../http/date-cache.ts";
import { statusText } from "../http/status-text.ts";

/**
 * Response heads for HTTP/1.x (RFC 9112 §4, §6). Status lines are cached per status; the `Date`
 * value comes from the once-a-second cache. Header names and values are validated here, so a CR
 * or LF from application data can never reach the wire (response splitting).
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
      throw new HttpError(500, `Invalid response status ${status}`, "INVALID_STATUS");
    }
    line = `HTTP/1.1 ${status} ${statusText(status)}\r\n`;
    cache[status] = line;
  }
  return line;
}

// tchar (RFC 9110 §5.6.2): ALPHA / DIGIT / "!#$%&'*+-.^_`|~"
const TOKEN = new Uint8Array(128);
for (let c = 0; c < 128; c++) {
  if ((c >= 0x30 && c <= 0x39) || (c >= 0x41 && c <= 0x5a) || (c >= 0x61 && c <= 0x7a)) TOKEN[c] = 1;
}
for (const ch of "!#$%&'*+-.^_`|~") TOKEN[ch.charCodeAt(0)] = 1;

/** Whether `name` is a valid field name (a token, RFC 9110 §5.1). */
export function isValidFieldName(name: string): boolean {
  if (name.length === 0) return false;
  for (let i = 0; i < name.length; i++) {
    const c = name.charCodeAt(i);
    if (c >= 128 || TOKEN[c] === 0) return false;
  }
  return true;
}

/** Whether `value` is a valid field value (RFC 9110 §5.5): no CR, LF, NUL or other CTL; latin1 only. */
export function isValidFieldValue(value: string): boolean {
  for (let i = 0; i < value.length; i++) {
    const c = value.charCodeAt(i);
    if ((c < 0x20 && c !== 0x09) || c === 0x7f || c > 0xff) return false;
  }
  return true;
}

/** Throws unless every name and value of a flat header list is valid. */
export function assertValidHeaders(headers: readonly string[]): void {
  for (let i = 0; i < headers.length; i += 2) {
    if (!isValidFieldName(headers[i]!)) {
      throw new HttpError(
        500,
        `Invalid response header name ${JSON.stringify(headers[i])}`,
        "INVALID_HEADER_NAME",
        false,
      );
    }
    if (!isValidFieldValue(headers[i + 1]!)) {
      throw new HttpError(500, `Invalid character in response header ${headers[i]}`, "INVALID_HEADER_VALUE", false);
    }
  }
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
