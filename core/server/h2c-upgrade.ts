/**
 * `Upgrade: h2c` (RFC 7540 §3.2; removed from RFC 9113 but still sent by some clients, e.g.
 * `curl --http2` and `nghttp -u` on http:// URLs): an HTTP/1.1 request switches its connection to
 * HTTP/2 with a 101, and the request itself becomes stream 1, half-closed (remote), answered over
 * HTTP/2.
 *
 * The server's dispatcher ({@link H2cUpgradeDispatcher}) offers every upgradable request to
 * {@link upgradeToHttp2} before the app sees it; when that returns false the request is served
 * over HTTP/1.1 as if the Upgrade were not there (RFC 9110 §7.8: a server may ignore it).
 *
 * @module
 */
import type { RequestHead } from "../http/request-head.ts";
import type { Dispatcher, Exchange } from "../exchange/exchange.ts";
import { isUpgradable, type UpgradableExchange } from "../session/upgrade.ts";
import { Http2Connection } from "../session/http2/http2-connection.ts";
import { applySettings, decodeHttp2Settings, PeerSettings } from "../http2/settings.ts";

/** The 101 that switches to h2c (RFC 7540 §3.2). */
export const H2C_SWITCHING_PROTOCOLS =
  "HTTP/1.1 101 Switching Protocols\r\nconnection: Upgrade\r\nupgrade: h2c\r\n\r\n";

/** Whether a comma-separated field value lists `token` (case-insensitive). */
function listsToken(value: string, token: string): boolean {
  for (const part of value.split(",")) if (part.trim().toLowerCase() === token) return true;
  return false;
}

/** Whether the request asks to switch to h2c: `Upgrade` (listed in `Connection`) names `h2c`. */
export function wantsH2c(head: RequestHead): boolean {
  return head.upgrade !== "" && listsToken(head.upgrade, "h2c");
}

/** Fields of the HTTP/1.1 request that mean nothing (or are forbidden) in HTTP/2 (RFC 9113 §8.2.2). */
const HOP_BY_HOP = new Set([
  "connection",
  "upgrade",
  "http2-settings",
  "keep-alive",
  "proxy-connection",
  "transfer-encoding",
]);

/**
 * Switch an HTTP/1.1 connection to HTTP/2 for an `Upgrade: h2c` request (RFC 7540 §3.2): write
 * `101 Switching Protocols`, then serve the request as stream 1 over HTTP/2 with the client's
 * `HTTP2-Settings` applied as its first SETTINGS (§3.2.1). The client then sends the connection
 * preface.
 *
 * Returns false, having written nothing, when the request does not qualify — no `h2c` upgrade,
 * TLS (h2c is cleartext only; TLS uses ALPN), not exactly one `HTTP2-Settings` field or
 * `HTTP2-Settings` not listed in `Connection` (§3.2.1), an invalid settings payload, or a request
 * body (a body would have to be read in full over HTTP/1.1 first; we decline instead) — and the
 * caller serves the request over HTTP/1.1.
 */
export function upgradeToHttp2(exchange: UpgradableExchange): boolean {
  const head = exchange.head;
  if (!wantsH2c(head) || exchange.info.tls || exchange.responded) return false;
  if (head.contentLength > 0 || head.chunked) return false;
  let settings: string | null = null;
  let count = 0;
  let connection = "";
  const list = head.headers;
  for (let i = 0; i < list.length; i += 2) {
    const name = list[i]!;
    if (name === "http2-settings") {
      count++;
      settings = list[i + 1]!;
    } else if (name === "connection") {
      connection += "," + list[i + 1]!;
    }
  }
  // §3.2.1: "A server MUST NOT upgrade the connection to HTTP/2 if this header field is not
  // present or if more than one is present"; and it must be a connection option.
  if (count !== 1 || !listsToken(connection, "http2-settings")) return false;
  const payload = decodeHttp2Settings(settings!);
  if (payload === null) return false;
  try {
    applySettings(new PeerSettings(), payload, 0, payload.length);
  } catch {
    return false;
  }
  const headers: string[] = [];
  for (let i = 0; i < list.length; i += 2) {
    if (!HOP_BY_HOP.has(list[i]!)) headers.push(list[i]!, list[i + 1]!);
  }
  const upgraded: RequestHead = { ...head, headers, upgrade: "", keepAlive: true, chunked: false };
  const host = exchange.host;
  exchange.upgrade(
    H2C_SWITCHING_PROTOCOLS,
    (transport) => new Http2Connection(transport, host, { head: upgraded, settings: payload }),
  );
  return true;
}

/** Serves requests with the app's dispatcher, except an `Upgrade: h2c` request it can take over. */
export class H2cUpgradeDispatcher implements Dispatcher {
  readonly #next: Dispatcher;

  constructor(next: Dispatcher) {
    this.#next = next;
  }

  dispatch(exchange: Exchange): void {
    if (exchange.head.upgrade !== "" && isUpgradable(exchange) && upgradeToHttp2(exchange)) return;
    this.#next.dispatch(exchange);
  }
}
