import type { Exchange } from "../exchange/exchange.ts";
import { isUpgradable } from "../session/upgrade.ts";
import type { UpgradeOptions } from "../session/ws/accept.ts";
import { checkHandshake } from "../ws/handshake.ts";
import { exchangeOf } from "./web-upgrade.ts";

/** The peer of a connection, as Bun's `server.requestIP()` gives it. */
export interface SocketAddress {
  address: string;
  family: "IPv4" | "IPv6";
  port: number;
}

/** The peer of a connection, as Deno's `ServeHandlerInfo.remoteAddr` gives it. */
export interface NetAddr {
  transport: "tcp";
  hostname: string;
  port: number;
}

/** The part of a Node `IncomingMessage` that `@hono/node-server`'s `getConnInfo` reads. */
export interface IncomingLike {
  socket: { remoteAddress: string; remotePort: number; remoteFamily: "IPv4" | "IPv6" };
}

/** What Bun's `server.upgrade(request, options)` takes. */
export interface BunUpgradeOptions<T = unknown> {
  /** The value the socket carries as `ws.data`. */
  data?: T;
  /** Extra headers for the 101 response; a `Sec-WebSocket-Protocol` here picks the subprotocol. */
  headers?: HeadersInit;
}

/**
 * The second argument of a fetch handler on wirecore, on every runtime. One object carries the
 * shapes that code written for each native server reads, so such code runs unchanged:
 *
 * - Bun's `server` (the second argument of the `fetch` Bun's serve() calls): `requestIP(request)` and
 *   `upgrade(request, { data, headers })`; after `upgrade()` returned true the socket is served
 *   by the server's `websocket` handlers and the handler's return value is ignored, as Bun does.
 *   This is what `getConnInfo` and `upgradeWebSocket` from `hono/bun` call.
 * - Deno's `ServeHandlerInfo`: `remoteAddr` and `completed`; what `getConnInfo` from `hono/deno`
 *   reads.
 * - `@hono/node-server`'s env: `incoming.socket` with `remoteAddress`, `remotePort` and
 *   `remoteFamily`, what its `getConnInfo` reads. There is no `IncomingMessage` (nor
 *   `outgoing`) behind it: only those three fields.
 *
 * @example
 * ```ts
 * serve((request: Request, info: FetchInfo) => new Response(`Hello, ${info.remoteAddr.hostname}`));
 * ```
 */
export class FetchInfo {
  readonly #exchange: Exchange;
  #upgrade: UpgradeOptions<unknown> | null = null;
  #completed: Promise<void> | null = null;
  #settle: ((error: unknown) => void) | null = null;
  #outcome: unknown = PENDING;

  /** @internal made by the fetch dispatcher, one per request. */
  constructor(exchange: Exchange) {
    this.#exchange = exchange;
  }

  /** The client's address (Deno's `ServeHandlerInfo.remoteAddr`). */
  get remoteAddr(): NetAddr {
    const info = this.#exchange.info;
    return { transport: "tcp", hostname: info.remoteAddress, port: info.remotePort };
  }

  /**
   * Settles once the response has been sent (Deno's `ServeHandlerInfo.completed`): resolves when
   * it was sent whole, rejects when it failed or the client went away first.
   */
  get completed(): Promise<void> {
    if (this.#completed === null) {
      const outcome = this.#outcome;
      if (outcome === PENDING) {
        this.#completed = new Promise<void>((resolve, reject) => {
          this.#settle = (error) => (error === undefined ? resolve() : reject(error));
        });
      } else this.#completed = outcome === undefined ? Promise.resolve() : Promise.reject(outcome);
      // Asked for and then ignored must not become an unhandled rejection.
      this.#completed.catch(() => {});
    }
    return this.#completed;
  }

  /** The `incoming` of `@hono/node-server`'s env: only `socket.remoteAddress`, `remotePort`, `remoteFamily`. */
  get incoming(): IncomingLike {
    const info = this.#exchange.info;
    return {
      socket: {
        remoteAddress: info.remoteAddress,
        remotePort: info.remotePort,
        remoteFamily: family(info.remoteAddress),
      },
    };
  }

  /** The client's address of a request wirecore is serving (Bun's `server.requestIP()`), or null. */
  requestIP(request: Request): SocketAddress | null {
    const exchange = exchangeOf(request);
    if (exchange === undefined) return null;
    const { remoteAddress, remotePort } = exchange.info;
    return { address: remoteAddress, family: family(remoteAddress), port: remotePort };
  }

  /**
   * Upgrade this request to a WebSocket the Bun way (Bun's `server.upgrade()`): returns true when
   * it is a valid opening handshake (RFC 6455 §4.2.1) on a connection that can switch protocols,
   * and then wirecore answers 101 once the handler returns, whatever it returns. False otherwise,
   * and nothing happens: the handler answers as it likes.
   */
  upgrade<T>(request: Request, options: BunUpgradeOptions<T> = {}): boolean {
    const exchange = this.#exchange;
    if (this.#upgrade !== null || exchangeOf(request) !== exchange || exchange.responded) return false;
    if (!isUpgradable(exchange) || !checkHandshake(exchange.head).ok) return false;
    const upgrade: UpgradeOptions<unknown> = { data: options.data };
    if (options.headers !== undefined) {
      const headers: string[] = [];
      new Headers(options.headers).forEach((value, name) => {
        if (name === "sec-websocket-protocol") upgrade.protocol = value;
        else headers.push(name, value);
      });
      upgrade.headers = headers;
    }
    this.#upgrade = upgrade;
    return true;
  }

  /** @internal the upgrade `upgrade()` asked for, once. */
  takeUpgrade(): UpgradeOptions<unknown> | null {
    const upgrade = this.#upgrade;
    this.#upgrade = null;
    return upgrade;
  }

  /** @internal the response is done: undefined when sent whole, else what stopped it. */
  finish(error: unknown): void {
    if (this.#outcome !== PENDING) return;
    this.#outcome = error;
    this.#settle?.(error);
  }
}

const PENDING: unique symbol = Symbol("pending");

function family(address: string): "IPv4" | "IPv6" {
  return address.includes(":") ? "IPv6" : "IPv4";
}
