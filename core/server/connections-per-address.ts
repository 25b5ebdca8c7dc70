import type { ManagedConnection } from "../transport/managed-connection.ts";
import type { Transport } from "../transport/transport.ts";

/**
 * Open connections per client address, for `maxConnectionsPerIp`. The connection that manages a
 * socket changes (sniffer → session → WebSocket), so the address follows it on `replace`.
 */
export class ConnectionsPerAddress {
  readonly #limit: number;
  readonly #counts = new Map<string, number>();
  readonly #addressOf = new Map<ManagedConnection, string>();

  constructor(limit: number) {
    this.#limit = limit;
  }

  /** Whether the socket's address has room for one more connection. */
  admit(transport: Transport): boolean {
    return (this.#counts.get(transport.info.remoteAddress) ?? 0) < this.#limit;
  }

  /** Count `conn` against its socket's address. */
  track(conn: ManagedConnection, transport: Transport): void {
    const address = transport.info.remoteAddress;
    this.#counts.set(address, (this.#counts.get(address) ?? 0) + 1);
    this.#addressOf.set(conn, address);
  }

  replace(old: ManagedConnection, next: ManagedConnection): void {
    const address = this.#addressOf.get(old);
    if (address === undefined) return;
    this.#addressOf.delete(old);
    this.#addressOf.set(next, address);
  }

  forget(conn: ManagedConnection): void {
    const address = this.#addressOf.get(conn);
    if (address === undefined) return;
    this.#addressOf.delete(conn);
    const left = (this.#counts.get(address) ?? 1) - 1;
    if (left === 0) this.#counts.delete(address);
    else this.#counts.set(address, left);
  }
}
