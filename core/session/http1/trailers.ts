import type { RequestHead } from "../../http/request-head.ts";
import type { TrailerSource } from "../../exchange/exchange.ts";
import { assertValidHeaders } from "../../http/field-validation.ts";

/**
 * Response trailers on HTTP/1.1 (RFC 9112 §7.1.2): sent in the trailer section of the chunked
 * coding, and only to a client that said it takes them — "TE: trailers" (RFC 9110 §10.1.4: the
 * client and everyone downstream will not drop them). To any other client they are not sent:
 * a recipient may discard trailers anyway (RFC 9110 §6.5.1), so they must never carry what it
 * needs; failing the response instead would make one handler work or break by client.
 */

/** Whether the request's `TE` field lists `trailers` (HTTP/1.1 only: 1.0 has no chunked coding). */
export function acceptsTrailers(head: RequestHead): boolean {
  if (head.versionMinor !== 1) return false;
  const list = head.headers;
  for (let i = 0; i < list.length; i += 2) {
    if (list[i] !== "te") continue;
    for (const member of list[i + 1]!.split(",")) {
      if (member.split(";")[0]!.trim().toLowerCase() === "trailers") return true;
    }
  }
  return false;
}

/**
 * Fields that may not be trailers because they frame or route the message or steer the
 * connection (RFC 9110 §6.5.1): dropped, as the HTTP/2 session drops them.
 */
const NOT_TRAILERS = new Set([
  "content-length",
  "transfer-encoding",
  "connection",
  "keep-alive",
  "host",
  "te",
  "trailer",
  "upgrade",
]);

/** Validate trailer fields now (a list given up front fails the call that gave it). */
export function checkTrailers(source: TrailerSource): void {
  if (Array.isArray(source)) assertValidHeaders(source);
}

/** The trailer section (`name: value` lines, each ending in CRLF) for `source`, or "". */
export function trailerSection(source: TrailerSource | null): string {
  if (source === null) return "";
  const list = typeof source === "function" ? source() : source;
  assertValidHeaders(list);
  let section = "";
  for (let i = 0; i < list.length; i += 2) {
    const name = list[i]!.toLowerCase();
    if (!NOT_TRAILERS.has(name)) section += name + ": " + list[i + 1] + "\r\n";
  }
  return section;
}

/** The `Trailer` field announcing the names of a list given up front (RFC 9110 §6.6.2), or "". */
export function announcedTrailers(source: TrailerSource): string {
  if (typeof source === "function") return "";
  const names: string[] = [];
  for (let i = 0; i < source.length; i += 2) {
    const name = source[i]!.toLowerCase();
    if (!NOT_TRAILERS.has(name) && !names.includes(name)) names.push(name);
  }
  return names.join(", ");
}
