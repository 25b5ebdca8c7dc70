import type { Exchange } from "../exchange/exchange.ts";
import { isUpgradable, type UpgradableExchange } from "../session/upgrade.ts";
import type { UpgradeOptions } from "../session/ws/accept.ts";

const exchanges = new WeakMap<Request, Exchange>();
const upgrades = new WeakMap<Response, { exchange: UpgradableExchange; options: UpgradeOptions<unknown> }>();

/** @internal remember which exchange a web Request stands for. */
export function rememberExchange(request: Request, exchange: Exchange): void {
  exchanges.set(request, exchange);
}

/**
 * Upgrade a request to a WebSocket from a `fetch`-style handler (like Deno's
 * `upgradeWebSocket`). Return the Response it gives: wirecore answers with 101 (or 400/426 for
 * a bad handshake) and serves the socket with `options.handlers`, or the server's `websocket`
 * handlers.
 *
 * @example
 * ```ts
 * serve((req) => upgradeWebSocket(req, { handlers: { message: (ws, m) => ws.send(m) } }));
 * ```
 */
export function upgradeWebSocket<T>(request: Request, options: UpgradeOptions<T> = {}): Response {
  const exchange = exchanges.get(request);
  if (exchange === undefined) throw new TypeError("upgradeWebSocket() needs a Request that wirecore's serve() gave");
  if (!isUpgradable(exchange)) throw new TypeError("This request's protocol cannot be upgraded to a WebSocket");
  const response = new Response(null, { status: 200 });
  upgrades.set(response, { exchange, options: options as UpgradeOptions<unknown> });
  return response;
}

/** @internal the upgrade a Response stands for, if it came from `upgradeWebSocket()`. */
export function takeUpgrade(
  response: Response,
): { exchange: UpgradableExchange; options: UpgradeOptions<unknown> } | undefined {
  const upgrade = upgrades.get(response);
  if (upgrade !== undefined) upgrades.delete(response);
  return upgrade;
}
