/**
 * The client's side of the WebSocket opening handshake (RFC 6455 §4.1): the upgrade request
 * with a fresh random key (and the permessage-deflate offer when asked), and the checks the
 * client must make of the 101 before it sends a frame.
 */
import type { ResponseHead } from "../../core/http1/response-parser.ts";
import { parseExtensions } from "../../core/ws/extension-header.ts";
import { computeAccept } from "../../core/ws/handshake.ts";
import type { PerMessageDeflateParams } from "../../core/ws/permessage-deflate.ts";
import { buildRequest } from "./request.ts";

/** What `deflate` offers: no context takeover in either direction (RFC 7692 §7.1.1). */
export const DEFLATE_OFFER = "permessage-deflate; client_no_context_takeover; server_no_context_takeover";

/** An upgrade request and the key it carries. */
export interface HandshakeRequest {
  key: string;
  bytes: Uint8Array;
}

/** The upgrade request for `target` on `authority`, with a fresh random key (§4.1). */
export function handshakeRequest(authority: string, target: string, deflate: boolean): HandshakeRequest {
  const key = btoa(String.fromCharCode(...crypto.getRandomValues(new Uint8Array(16))));
  const headers: [string, string][] = [
    ["upgrade", "websocket"],
    ["connection", "Upgrade"],
    ["sec-websocket-key", key],
    ["sec-websocket-version", "13"],
  ];
  if (deflate) headers.push(["sec-websocket-extensions", DEFLATE_OFFER]);
  return { key, bytes: buildRequest({ method: "GET", authority, target, bodySize: 0, headers }) };
}

/** What a good 101 agreed to. */
export interface Agreed {
  /** The Sec-WebSocket-Extensions of the response ("" for none). */
  extensions: string;
  /** The codec's parameters, mirrored to the client's side; null without permessage-deflate. */
  deflate: PerMessageDeflateParams | null;
}

/**
 * The 101 must upgrade to websocket with the right accept (§4.1, the client's checks 1–6), and
 * agree to no extension the client did not offer. Returns what was agreed, or the error kind
 * and an example of what was wrong.
 */
export function checkHandshake(head: ResponseHead, key: string, offeredDeflate: boolean): Agreed | [string, string] {
  if (head.status !== 101) return [`handshake status ${head.status}`, `expected 101 Switching Protocols`];
  const field = (name: string): string | undefined => {
    const h = head.headers;
    for (let i = 0; i < h.length; i += 2) if (h[i] === name) return h[i + 1];
    return undefined;
  };
  const upgrade = field("upgrade");
  if (upgrade?.toLowerCase() !== "websocket") return ["handshake", `Upgrade: ${upgrade ?? "(none)"}`];
  const connection = field("connection") ?? "";
  if (!connection.split(",").some((t) => t.trim().toLowerCase() === "upgrade")) {
    return ["handshake", `Connection: ${connection || "(none)"}`];
  }
  const accept = field("sec-websocket-accept");
  if (accept !== computeAccept(key)) {
    return ["handshake", `Sec-WebSocket-Accept ${accept ?? "(none)"} does not match the key`];
  }
  const extensions = field("sec-websocket-extensions") ?? "";
  if (extensions === "") {
    return offeredDeflate ? ["handshake", "the server declined permessage-deflate"] : { extensions, deflate: null };
  }
  const offers = parseExtensions(extensions);
  // §4.1: an extension the client did not ask for fails the connection.
  if (!offeredDeflate || offers === null || offers.length !== 1 || offers[0]!.name !== "permessage-deflate") {
    return ["handshake", `unexpected Sec-WebSocket-Extensions: ${extensions}`];
  }
  let serverBits = 15;
  let serverNoContextTakeover = false;
  for (const p of offers[0]!.params) {
    if (p.name === "server_no_context_takeover") serverNoContextTakeover = true;
    else if (p.name === "server_max_window_bits") serverBits = Number(p.value);
    else if (p.name !== "client_no_context_takeover") {
      return ["handshake", `unexpected permessage-deflate parameter ${p.name}`];
    }
  }
  // The codec is written from the server's side: mirror the parameters so that its
  // decompress() inflates what the server compressed.
  const deflate: PerMessageDeflateParams = {
    serverNoContextTakeover: true,
    clientNoContextTakeover: serverNoContextTakeover,
    serverMaxWindowBits: 15,
    clientMaxWindowBits: serverBits,
  };
  return { extensions, deflate };
}
