import type { Exchange } from "../exchange/exchange.ts";
import type { ManagedConnection } from "../transport/managed-connection.ts";
import type { Transport } from "../transport/transport.ts";
import type { SessionHost } from "./session-host.ts";

/** A connection that takes over a socket after a 101; `open()` runs once it owns the socket. */
export interface ProtocolSession extends ManagedConnection {
  open?(): void;
}

/** An exchange whose protocol can switch to another (HTTP/1.1 Upgrade, RFC 9110 §7.8). */
export interface UpgradableExchange extends Exchange {
  /** The server the connection runs in: the new protocol's session runs there too. */
  readonly host: SessionHost;
  /** Write a 101 head (a complete latin1 string ending in CRLF CRLF); then `next` owns the socket. */
  upgrade(head: string, next: (transport: Transport) => ProtocolSession): void;
}

/** Whether an exchange can switch protocols. */
export function isUpgradable(exchange: Exchange): exchange is UpgradableExchange {
  return typeof (exchange as Partial<UpgradableExchange>).upgrade === "function";
}
