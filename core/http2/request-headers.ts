/**
 * From a decoded request field list to a {@link RequestHead} (RFC 9113 §8.1–8.3), enforcing the
 * HTTP/2 field rules: lowercase names, no connection-specific fields, `te: trailers` only,
 * pseudo-header fields first, only the request ones, each at most once, the required ones present
 * and valid. A violation makes the request malformed: a stream error of type PROTOCOL_ERROR
 * (§8.1.1). The result has the same shape the HTTP/1.1 parser produces, so the app layer cannot
 * tell the protocols apart.
 *
 * @example
 * ```ts
 * import { buildRequestHead } from "./request-headers.ts";
 * const head = buildRequestHead(1, [":method", "GET", ":scheme", "https", ":path", "/a?b=1", ":authority", "x.test"], 100);
 * head.path; // "/a"
 * head.query; // "b=1"
 * ```
 * @module
 */
import { HttpError } from "../http/http-error.ts";
import type { RequestHead } from "../http/request-head.ts";
import { isValidHost } from "../http/authority.ts";
import type { H2ErrorName } from "../http/wire-errors.ts";
import { StreamError } from "./errors.ts";

/** tchar (RFC 9110 §5.6.2) without uppercase: a valid HTTP/2 field name octet (§8.2.1). */
const NAME = new Uint8Array(256);
/** tchar, for methods. */
const TCHAR = new Uint8Array(256);
for (let c = 0; c < 128; c++) {
  const digit = c >= 0x30 && c <= 0x39;
  const lower = c >= 0x61 && c <= 0x7a;
  const upper = c >= 0x41 && c <= 0x5a;
  if (digit || lower) NAME[c] = TCHAR[c] = 1;
  if (upper) TCHAR[c] = 1;
}
for (const ch of "!#$%&'*+-.^_`|~") NAME[ch.charCodeAt(0)] = TCHAR[ch.charCodeAt(0)] = 1;
/** Octets allowed in an authority (RFC 3986 §3.2: unreserved, pct-encoded, sub-delims, ":", IP-literal brackets); no "@" (§8.3.1). */
const AUTHORITY = new Uint8Array(256);
for (const ch of "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789-._~%!$&'()*+,;=:[]") {
  AUTHORITY[ch.charCodeAt(0)] = 1;
}

/** Whether `name` is a valid lowercase field name (§8.2.1). */
export function isValidRequestFieldName(name: string): boolean {
  const n = name.length;
  if (n === 0) return false; // CVE-2019-9516: zero-length names are malformed, not stored
  for (let i = 0; i < n; i++) if (NAME[name.charCodeAt(i)] === 0) return false;
  return true;
}

/**
 * Whether `value` is a valid field value: §8.2.1 "A field value MUST NOT contain the zero value
 * (ASCII NUL, 0x00), line feed (ASCII LF, 0x0a), or carriage return (ASCII CR, 0x0d) at any
 * position. A field value MUST NOT start or end with an ASCII whitespace character"; like the
 * HTTP/1.1 parser we also refuse the other controls but HTAB (RFC 9110 §5.5).
 */
export function isValidRequestFieldValue(value: string): boolean {
  const n = value.length;
  if (n === 0) return true;
  let c = value.charCodeAt(0);
  if (c === 0x20 || c === 0x09) return false;
  c = value.charCodeAt(n - 1);
  if (c === 0x20 || c === 0x09) return false;
  for (let i = 0; i < n; i++) {
    c = value.charCodeAt(i);
    if ((c < 0x20 && c !== 0x09) || c === 0x7f) return false;
  }
  return true;
}

/** Fields that only mean something to one HTTP/1.1 connection (§8.2.2). */
function isConnectionSpecific(name: string): boolean {
  switch (name) {
    case "connection":
    case "proxy-connection":
    case "keep-alive":
    case "transfer-encoding":
    case "upgrade":
      return true;
    default:
      return false;
  }
}

/** A malformed request (§8.1.1): every rule here resets the stream with PROTOCOL_ERROR. */
function malformed(streamId: number, rule: H2ErrorName, detail: string): StreamError {
  return new StreamError(streamId, rule, detail);
}

function isToken(s: string): boolean {
  if (s.length === 0) return false;
  for (let i = 0; i < s.length; i++) if (TCHAR[s.charCodeAt(i)] === 0) return false;
  return true;
}

/** scheme = ALPHA *( ALPHA / DIGIT / "+" / "-" / "." ) (RFC 3986 §3.1). */
function isScheme(s: string): boolean {
  if (s.length === 0) return false;
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i) | 0x20;
    const alpha = c >= 0x61 && c <= 0x7a;
    if (alpha) continue;
    const raw = s.charCodeAt(i);
    if (i === 0 || !((raw >= 0x30 && raw <= 0x39) || raw === 0x2b || raw === 0x2d || raw === 0x2e)) return false;
  }
  return true;
}

/** A non-empty `uri-host [ ":" port ]` (RFC 9110 §7.2, RFC 3986 §3.2.2): the characters, then the structure. */
function isAuthority(s: string): boolean {
  if (s.length === 0) return false;
  for (let i = 0; i < s.length; i++) if (AUTHORITY[s.charCodeAt(i)] === 0) return false;
  return isValidHost(s);
}

/** A :path is visible ASCII (no SP or controls), origin-form or `*` (§8.3.1). */
function isPath(s: string): boolean {
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c <= 0x20 || c >= 0x7f) return false;
  }
  return true;
}

/** Decimal digits only, as a safe integer; -1 when invalid. */
function parseLength(s: string): number {
  if (s.length === 0 || s.length > 15) return -1;
  let n = 0;
  for (let i = 0; i < s.length; i++) {
    const d = s.charCodeAt(i) - 0x30;
    if (d < 0 || d > 9) return -1;
    n = n * 10 + d;
  }
  return n;
}

/**
 * Build the request head of stream `streamId` from its decoded field list.
 *
 * @throws {StreamError} PROTOCOL_ERROR when the request is malformed (§8.1.1).
 * @throws {HttpError} 431 when it has more than `maxHeaders` fields.
 */
export function buildRequestHead(streamId: number, fields: string[], maxHeaders: number): RequestHead {
  let method = "";
  let scheme = "";
  let path = "";
  let authority = "";
  let seen = 0; // bit per pseudo-header: method 1, scheme 2, path 4, authority 8
  let i = 0;
  const n = fields.length;
  // §8.3: "All pseudo-header fields MUST appear in a field block before all regular field lines."
  for (; i < n; i += 2) {
    const name = fields[i]!;
    if (name.charCodeAt(0) !== 0x3a /* : */) break;
    const value = fields[i + 1]!;
    let bit: number;
    switch (name) {
      case ":method":
        bit = 1;
        method = value;
        break;
      case ":scheme":
        bit = 2;
        scheme = value;
        break;
      case ":path":
        bit = 4;
        path = value;
        break;
      case ":authority":
        bit = 8;
        authority = value;
        break;
      default:
        // §8.3: "Endpoints MUST treat a request or response that contains undefined or invalid
        // pseudo-header fields as malformed" — including response ones like :status (§8.3.2).
        throw malformed(
          streamId,
          "UNKNOWN_PSEUDO_HEADER",
          `Unknown or response pseudo-header field ${JSON.stringify(name)} (RFC 9113 §8.3)`,
        );
    }
    // §8.3: "The same pseudo-header field name MUST NOT appear more than once in a field block."
    if ((seen & bit) !== 0) {
      throw malformed(streamId, "DUPLICATE_PSEUDO_HEADER", `Duplicate ${name} pseudo-header field (RFC 9113 §8.3)`);
    }
    seen |= bit;
    if (!isValidRequestFieldValue(value)) {
      throw malformed(streamId, "INVALID_HEADER_VALUE", `Invalid character in ${name} (RFC 9113 §8.2.1)`);
    }
  }
  const firstRegular = i;

  let host = "";
  let contentLength = -1;
  let expect = "";
  let cookies = 0;
  if ((n - firstRegular) / 2 > maxHeaders) {
    throw new HttpError("TOO_MANY_HEADERS");
  }
  for (; i < n; i += 2) {
    const name = fields[i]!;
    const value = fields[i + 1]!;
    if (!isValidRequestFieldName(name)) {
      if (name.charCodeAt(0) === 0x3a) {
        throw malformed(
          streamId,
          "MISPLACED_PSEUDO_HEADER",
          `Pseudo-header field ${JSON.stringify(name)} after a regular field (RFC 9113 §8.3)`,
        );
      }
      // §8.2.1: uppercase, controls, SP, colon or empty names make the request malformed.
      throw malformed(
        streamId,
        "INVALID_HEADER_NAME",
        `Invalid field name ${JSON.stringify(name.slice(0, 40))} (RFC 9113 §8.2.1)`,
      );
    }
    if (!isValidRequestFieldValue(value)) {
      throw malformed(streamId, "INVALID_HEADER_VALUE", `Invalid character in the value of ${name} (RFC 9113 §8.2.1)`);
    }
    switch (name.length) {
      case 2:
        // §8.2.2: TE "MUST NOT contain any value other than 'trailers'".
        if (name === "te" && value.toLowerCase() !== "trailers") {
          throw malformed(streamId, "INVALID_TE", 'TE field with a value other than "trailers" (RFC 9113 §8.2.2)');
        }
        break;
      case 4:
        if (name === "host") host = value;
        break;
      case 6:
        if (name === "cookie") cookies++;
        else if (name === "expect") expect = value;
        break;
      case 14:
        if (name === "content-length") {
          const length = parseLength(value);
          if (length < 0 || (contentLength >= 0 && length !== contentLength)) {
            throw malformed(
              streamId,
              "INVALID_CONTENT_LENGTH",
              "Invalid or conflicting content-length (RFC 9113 §8.1.1)",
            );
          }
          contentLength = length;
        }
        break;
      default:
        // §8.2.2: "Any message containing connection-specific header fields MUST be treated as malformed."
        if (isConnectionSpecific(name)) {
          throw malformed(streamId, "CONNECTION_SPECIFIC_FIELD", `Connection-specific field ${name} (RFC 9113 §8.2.2)`);
        }
    }
  }

  // §8.3.1: required pseudo-header fields, by method.
  if ((seen & 1) === 0) throw malformed(streamId, "MISSING_PSEUDO_HEADER", "Request without :method (RFC 9113 §8.3.1)");
  if (!isToken(method)) throw malformed(streamId, "INVALID_METHOD", "Invalid :method (RFC 9113 §8.3.1)");
  let target: string;
  let query = "";
  if (method === "CONNECT") {
    // §8.5: "The :scheme and :path pseudo-header fields MUST be omitted"; :authority is required.
    if ((seen & 6) !== 0 || (seen & 8) === 0) {
      throw malformed(streamId, "INVALID_CONNECT", "CONNECT needs :authority and no :scheme or :path (RFC 9113 §8.5)");
    }
    if (!isAuthority(authority)) throw malformed(streamId, "INVALID_AUTHORITY", "Invalid :authority (RFC 9113 §8.3.1)");
    target = authority;
    path = "";
  } else {
    // §8.3.1: "All HTTP/2 requests MUST include exactly one valid value for the :method, :scheme,
    // and :path pseudo-header fields, unless they are CONNECT requests."
    if ((seen & 2) === 0) {
      throw malformed(streamId, "MISSING_PSEUDO_HEADER", "Request without :scheme (RFC 9113 §8.3.1)");
    }
    if ((seen & 4) === 0) throw malformed(streamId, "MISSING_PSEUDO_HEADER", "Request without :path (RFC 9113 §8.3.1)");
    if (!isScheme(scheme)) throw malformed(streamId, "INVALID_SCHEME", "Invalid :scheme (RFC 9113 §8.3.1)");
    // §8.3.1: ":path ... MUST NOT be empty"; origin-form, or "*" for a server-wide OPTIONS.
    if (path.length === 0) throw malformed(streamId, "INVALID_TARGET", "Empty :path (RFC 9113 §8.3.1)");
    if (!isPath(path)) throw malformed(streamId, "INVALID_TARGET", "Invalid character in :path (RFC 9113 §8.3.1)");
    const c0 = path.charCodeAt(0);
    if (c0 === 0x2a /* * */) {
      if (path.length !== 1 || method !== "OPTIONS") {
        throw malformed(
          streamId,
          "INVALID_TARGET",
          "Asterisk :path with a method other than OPTIONS (RFC 9113 §8.3.1)",
        );
      }
    } else if (c0 !== 0x2f /* / */) {
      throw malformed(streamId, "INVALID_TARGET", ":path is not in origin form (RFC 9113 §8.3.1)");
    }
    target = path;
    const q = path.indexOf("?");
    if (q >= 0) {
      query = path.slice(q + 1);
      path = q === 0 ? "/" : path.slice(0, q);
    }
    if ((seen & 8) !== 0 && !isAuthority(authority)) {
      throw malformed(streamId, "INVALID_AUTHORITY", "Invalid :authority (RFC 9113 §8.3.1)");
    }
  }
  if ((seen & 8) !== 0) {
    // §8.3.1: "A server SHOULD treat a request as malformed if it contains a Host header field
    // that identifies an entity that differs from the entity in the :authority pseudo-header field."
    if (host !== "" && host.toLowerCase() !== authority.toLowerCase()) {
      throw malformed(streamId, "HOST_AUTHORITY_MISMATCH", "Host differs from :authority (RFC 9113 §8.3.1)");
    }
    host = authority;
  } else if (host !== "" && !isAuthority(host)) {
    throw malformed(streamId, "INVALID_HOST", "Invalid Host (RFC 9110 §7.2)");
  }

  let headers = firstRegular === 0 ? fields : fields.slice(firstRegular);
  if (cookies > 1) headers = joinCookies(headers);

  return {
    method,
    target,
    path,
    query,
    // The app layer sees HTTP/2 requests with HTTP/1.1 semantics (RFC 9113 §8: same semantics).
    versionMinor: 1,
    headers,
    host,
    contentLength,
    chunked: false,
    keepAlive: true,
    expectContinue: expect.length === 12 && expect.toLowerCase() === "100-continue",
    upgrade: "",
  };
}

/**
 * §8.2.3: a client may split the Cookie field into crumbs; "before being passed into a context
 * other than HTTP/2 ... the cookie header fields MUST be concatenated into a single octet string
 * using the two-octet delimiter of 0x3b, 0x20 ("; ")."
 */
function joinCookies(headers: string[]): string[] {
  const out: string[] = [];
  let at = -1;
  for (let i = 0; i < headers.length; i += 2) {
    if (headers[i] === "cookie") {
      if (at < 0) {
        at = out.length;
        out.push("cookie", headers[i + 1]!);
      } else {
        out[at + 1] += "; " + headers[i + 1]!;
      }
    } else {
      out.push(headers[i]!, headers[i + 1]!);
    }
  }
  return out;
}

/**
 * Validate a trailer section (§8.1): no pseudo-header fields ("Trailers MUST NOT include
 * pseudo-header fields"), valid names and values, no connection-specific fields. Returns the
 * list as the body's trailers.
 *
 * @throws {StreamError} PROTOCOL_ERROR when malformed.
 */
export function validateTrailers(streamId: number, fields: string[]): string[] {
  for (let i = 0; i < fields.length; i += 2) {
    const name = fields[i]!;
    if (name.charCodeAt(0) === 0x3a) {
      throw malformed(
        streamId,
        "MISPLACED_PSEUDO_HEADER",
        `Pseudo-header field ${JSON.stringify(name)} in trailers (RFC 9113 §8.1)`,
      );
    }
    if (!isValidRequestFieldName(name)) {
      throw malformed(
        streamId,
        "INVALID_HEADER_NAME",
        `Invalid trailer field name ${JSON.stringify(name.slice(0, 40))} (RFC 9113 §8.2.1)`,
      );
    }
    if (!isValidRequestFieldValue(fields[i + 1]!)) {
      throw malformed(streamId, "INVALID_HEADER_VALUE", `Invalid character in trailer ${name} (RFC 9113 §8.2.1)`);
    }
    if (isConnectionSpecific(name)) {
      throw malformed(
        streamId,
        "CONNECTION_SPECIFIC_FIELD",
        `Connection-specific field ${name} in trailers (RFC 9113 §8.2.2)`,
      );
    }
  }
  return fields;
}
