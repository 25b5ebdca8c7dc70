import type { Exchange } from "../exchange/exchange.ts";
import { isUpgradable, type UpgradableExchange } from "../session/upgrade.ts";
import type { UpgradeOptions } from "../session/ws/accept.ts";

/**
 * Which exchange a web Request stands for, and which upgrade a Response stands for: the links
 * between the fetch bridge's web objects and the core (weak, so nothing outlives its request).
 */
const exchanges = new WeakMap<Request, Exchange>();
const upgrades = new WeakMap<Response, { exchange: UpgradableExchange; options: UpgradeOptions<unknown> }>();

/** Remember which exchange a web Request stands for. */
export function rememberExchange(request: Request, exchange: Exchange): void {
  exchanges.set(request, exchange);
}

/** The exchange a web Request stands for, if wirecore made the Request. */
export function exchangeOf(request: Request): Exchange | undefined {
  return exchanges.get(request);
}

/**
 * A Response that stands for a WebSocket upgrade of `request`: sent back through the bridge,
 * it makes wirecore answer the handshake (101, or 400/426 for a bad one) and serve the socket.
 */
export function upgradeResponse<T>(request: Request, options: UpgradeOptions<T>): Response {
  const exchange = exchanges.get(request);
  if (exchange === undefined) {
    throw new TypeError("upgradeWebSocket() needs a Request that wirecore's serve() gave (not a copy of one)");
  }
  if (!isUpgradable(exchange)) throw new TypeError("This request's protocol cannot be upgraded to a WebSocket");
  const response = new Response(null, { status: 200 });
  upgrades.set(response, { exchange, options: options as UpgradeOptions<unknown> });
  return response;
}

/** The upgrade a Response stands for, if it came from {@link upgradeResponse}. */
export function takeUpgrade(
  response: Response,
): { exchange: UpgradableExchange; options: UpgradeOptions<unknown> } | undefined {
  const upgrade = upgrades.get(response);
  if (upgrade !== undefined) upgrades.delete(response);
  return upgrade;
}
