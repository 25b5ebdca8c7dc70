import type { UpgradeOptions } from "../session/ws/accept.ts";
import { upgradeResponse } from "./web-upgrade.ts";

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
  return upgradeResponse(request, options);
}
