import type { UpgradableExchange } from "../upgrade.ts";
import { checkHandshake, handshakeResponse } from "../../ws/handshake.ts";
import { TEXT_PLAIN } from "../../http/wire-errors.ts";
import { PerMessageCodec } from "../../ws/permessage-codec.ts";
import { negotiatePerMessageDeflate } from "../../ws/permessage-deflate.ts";
import type { WebSocketHandlers } from "./websocket-options.ts";
import { WebSocketSession } from "./websocket-session.ts";

/** What a handler passes to `c.upgrade()` (or `upgradeWebSocket()` on the fetch path). */
export interface UpgradeOptions<T = unknown> {
  /** A value the socket carries as `ws.data`. */
  data?: T | undefined;
  /** The subprotocol to answer with: one the client offered (`Sec-WebSocket-Protocol`). */
  protocol?: string | undefined;
  /** Extra headers for the 101 response (and for the 4xx refusing a bad handshake), flat `[name, value, …]`. */
  headers?: string[] | undefined;
  /** Handlers for this socket; default: the server's `websocket` option. */
  handlers?: WebSocketHandlers<T> | undefined;
}

/**
 * Answer a WebSocket opening handshake (RFC 6455 §4.2.2): a bad one gets its 4xx, a good one a
 * 101, after which the connection belongs to a {@link WebSocketSession}.
 */
export function acceptWebSocket(exchange: UpgradableExchange, options: UpgradeOptions<unknown> = {}): void {
  const result = checkHandshake(exchange.head);
  if (!result.ok) {
    // The extra fields (a request id, cookies) go on a refusal too, as on any other answer.
    const extra = options.headers ?? [];
    exchange.respond(result.status, [...result.headers, ...extra, "content-type", TEXT_PLAIN], result.reason);
    return;
  }
  const host = exchange.host;
  const settings = host.websocket;
  const protocol = options.protocol ?? "";
  if (protocol !== "" && !result.protocols.includes(protocol)) {
    throw new TypeError(`Subprotocol ${JSON.stringify(protocol)} was not offered by the client (RFC 6455 §4.2.2)`);
  }
  let codec: PerMessageCodec | null = null;
  let extensions = "";
  if (settings.perMessageDeflate !== null && settings.deflateProvider !== null && result.extensions.length > 0) {
    const provider = settings.deflateProvider;
    const offer = provider.serverContextTakeover === false
      ? { ...settings.perMessageDeflate, serverNoContextTakeover: true }
      : settings.perMessageDeflate;
    const agreement = negotiatePerMessageDeflate(result.extensions, offer);
    if (agreement !== null) {
      codec = new PerMessageCodec(provider, agreement.params, settings.perMessageDeflate.level);
      extensions = agreement.response;
    }
  }
  const head = handshakeResponse(result.accept, protocol, extensions, options.headers);
  const handlers = (options.handlers ?? settings.handlers) as WebSocketHandlers<unknown>;
  exchange.upgrade(head, (transport) => {
    const session = new WebSocketSession(
      transport,
      host,
      settings,
      handlers,
      codec,
      options.data,
      protocol,
      extensions,
    );
    return session;
  });
}
