/**
 * The server side of the opening handshake (RFC 6455 §4.2): check a request against §4.2.1,
 * compute `Sec-WebSocket-Accept` (§4.2.2 step 5.4), and write the 101 response head.
 *
 * Synchronous on purpose — the accept value uses {@link sha1} rather than the async
 * `crypto.subtle.digest`, so an upgrade is answered in the same turn as the request.
 *
 * A failed check says how to answer: 405 for a method other than GET, 426 with
 * `Upgrade: websocket` when the request does not ask for WebSocket, 426 with
 * `Sec-WebSocket-Version: 13` for any other version (§4.4), 400 for the rest (§4.2.2 "such as
 * 400 Bad Request").
 *
 * @example
 * ```ts
 * const result = checkHandshake({
 *   method: "GET", versionMinor: 1,
 *   headers: ["host", "server.example.com", "upgrade", "websocket", "connection", "Upgrade",
 *             "sec-websocket-key", "dGhlIHNhbXBsZSBub25jZQ==", "sec-websocket-version", "13"],
 * });
 * if (result.ok) handshakeResponse(result.accept); // "HTTP/1.1 101 Switching Protocols\r\n…"
 * ```
 * @module
 */
import { type HttpErrorCode, WIRE_ERRORS } from "../http/wire-errors.ts";
import { sha1 } from "./sha1.ts";
import { type ExtensionOffer, isToken, parseExtensions } from "./extension-header.ts";

/** What the check needs from a request head; core/http1's `RequestHead` fits as is. */
export interface HandshakeRequest {
  method: string;
  /** 0 for HTTP/1.0, 1 for HTTP/1.1. */
  versionMinor: number;
  /** Flat `[lowercased name, value, …]`, values trimmed of OWS. */
  headers: readonly string[];
}

/** A valid opening handshake. */
export interface HandshakeAccepted {
  ok: true;
  /** The `Sec-WebSocket-Accept` value for the response. */
  accept: string;
  /** `Sec-WebSocket-Protocol` values in the client's order of preference; may be empty. */
  protocols: string[];
  /** `Sec-WebSocket-Extensions` offers in the client's order; may be empty. */
  extensions: ExtensionOffer[];
}

/** A refused handshake and the HTTP response it deserves. */
export interface HandshakeRejected {
  ok: false;
  status: number;
  /** A sentence-case explanation, fit for the response body. */
  reason: string;
  /** A stable name of the failed rule, e.g. `"UNSUPPORTED_VERSION"`. */
  code: string;
  /** Headers the response must carry, flat `[name, value, …]`. */
  headers: string[];
}

export type HandshakeResult = HandshakeAccepted | HandshakeRejected;

/** The GUID of RFC 6455 §1.3, appended to the key before hashing. */
const GUID = "258EAFA5-E914-47DA-95CA-C5AB0DC85B11";
/** 16 bytes in base64: 22 symbols then "==" (§4.2.1 item 5, §11.3.1). */
const KEY_PATTERN = /^[A-Za-z0-9+/]{22}==$/;

/** `Sec-WebSocket-Accept` for `key`: base64(SHA-1(key + GUID)) (§4.2.2 step 5.4, §1.3). */
export function computeAccept(key: string): string {
  const input = key + GUID;
  const bytes = new Uint8Array(input.length);
  for (let i = 0; i < input.length; i++) bytes[i] = input.charCodeAt(i) & 0xff;
  const digest = sha1(bytes);
  let binary = "";
  for (let i = 0; i < digest.length; i++) binary += String.fromCharCode(digest[i]!);
  return btoa(binary);
}

/** A refusal named in the table of `core/http/wire-errors.ts`, with its status and reason. */
function reject(code: HttpErrorCode, headers: string[] = [], detail?: string): HandshakeRejected {
  const answer = WIRE_ERRORS[code];
  return { ok: false, status: answer.status, reason: detail ?? answer.reason, code, headers };
}

/** Whether a comma-separated list holds `token`, compared ASCII case-insensitively. */
function listHas(value: string, token: string): boolean {
  for (const element of value.split(",")) {
    if (element.trim().toLowerCase() === token) return true;
  }
  return false;
}

/** Checks an upgrade request against RFC 6455 §4.2.1. */
export function checkHandshake(request: HandshakeRequest): HandshakeResult {
  // §4.2.1 item 1: "An HTTP/1.1 or higher GET request".
  if (request.method !== "GET") {
    return reject("METHOD_NOT_GET", ["allow", "GET"]);
  }
  if (request.versionMinor < 1) {
    return reject("HTTP_VERSION");
  }

  let upgrade = "";
  let connection = "";
  let key: string | undefined;
  let keys = 0;
  let version: string | undefined;
  let versions = 0;
  let protocol = "";
  let extensions = "";
  const h = request.headers;
  for (let i = 0; i < h.length; i += 2) {
    const value = h[i + 1]!;
    switch (h[i]) {
      case "upgrade":
        upgrade = upgrade === "" ? value : `${upgrade}, ${value}`;
        break;
      case "connection":
        connection = connection === "" ? value : `${connection}, ${value}`;
        break;
      case "sec-websocket-key":
        key = value;
        keys++;
        break;
      case "sec-websocket-version":
        version = value;
        versions++;
        break;
      case "sec-websocket-protocol":
        protocol = protocol === "" ? value : `${protocol}, ${value}`;
        break;
      case "sec-websocket-extensions":
        extensions = extensions === "" ? value : `${extensions}, ${value}`;
        break;
    }
  }

  // §4.2.1 item 3: Upgrade contains "websocket", ASCII case-insensitive. Without it this is not
  // a WebSocket request; 426 must name the protocol to upgrade to (RFC 9110 §15.5.22).
  if (!listHas(upgrade, "websocket")) {
    return reject("UPGRADE_NOT_WEBSOCKET", [
      "upgrade",
      "websocket",
      "connection",
      "Upgrade",
    ]);
  }
  // §4.2.1 item 4: Connection includes the token "Upgrade", ASCII case-insensitive.
  if (!listHas(connection, "upgrade")) {
    return reject("CONNECTION_NOT_UPGRADE");
  }
  // §4.2.1 item 6 and §4.4: only version 13; otherwise 426 listing the versions we speak.
  if (versions !== 1 || version !== "13") {
    return reject("UNSUPPORTED_VERSION", ["sec-websocket-version", "13"], "Sec-WebSocket-Version must be 13");
  }
  // §4.2.1 item 5: a base64 nonce of 16 bytes; §11.3.1: the field appears at most once.
  if (keys !== 1 || !KEY_PATTERN.test(key!)) {
    return reject("INVALID_KEY", [], keys > 1 ? "Sec-WebSocket-Key must appear once" : undefined);
  }

  // §4.2.1 item 8, §11.3.4: a list of tokens, in order of preference.
  const protocols: string[] = [];
  for (const element of protocol.split(",")) {
    const name = element.trim();
    if (name === "") continue; // empty list elements are allowed (RFC 9110 §5.6.1)
    if (!isToken(name)) return reject("INVALID_PROTOCOL");
    protocols.push(name);
  }

  // §4.2.1 item 9, §9.1.
  const offers = extensions === "" ? [] : parseExtensions(extensions);
  if (offers === null) {
    return reject("INVALID_EXTENSIONS");
  }

  return { ok: true, accept: computeAccept(key!), protocols, extensions: offers };
}

/** Field values must not smuggle in line breaks (RFC 9110 §5.5). */
function checkFieldValue(name: string, value: string): void {
  for (let i = 0; i < value.length; i++) {
    const c = value.charCodeAt(i);
    if ((c < 0x20 && c !== 0x09) || c === 0x7f || c > 0xff) {
      throw new TypeError(`Invalid character in the ${name} header value at position ${i}`);
    }
  }
}

/**
 * The head of the 101 response that completes the handshake (§4.2.2 step 5), ending with the
 * empty line. `protocol` is the app's pick from `protocols` (§4.2.2 step 4, sent per step
 * 5.5; only checked to be a token); `extensions` a value built by the negotiation, e.g.
 * `negotiatePerMessageDeflate(...).response`; `headers` adds fields, flat `[name, value, …]`.
 */
export function handshakeResponse(
  accept: string,
  protocol?: string,
  extensions?: string,
  headers?: readonly string[],
): string {
  let head = "HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n" +
    `Sec-WebSocket-Accept: ${accept}\r\n`;
  if (protocol !== undefined && protocol !== "") {
    if (!isToken(protocol)) throw new TypeError(`Invalid subprotocol ${JSON.stringify(protocol)}: must be a token`);
    head += `Sec-WebSocket-Protocol: ${protocol}\r\n`;
  }
  if (extensions !== undefined && extensions !== "") {
    checkFieldValue("Sec-WebSocket-Extensions", extensions);
    head += `Sec-WebSocket-Extensions: ${extensions}\r\n`;
  }
  if (headers !== undefined) {
    for (let i = 0; i < headers.length; i += 2) {
      if (!isToken(headers[i]!)) throw new TypeError(`Invalid header name ${JSON.stringify(headers[i])}`);
      checkFieldValue(headers[i]!, headers[i + 1]!);
      head += `${headers[i]}: ${headers[i + 1]}\r\n`;
    }
  }
  return head + "\r\n";
}
