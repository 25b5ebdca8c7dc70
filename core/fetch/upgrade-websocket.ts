import type { UpgradeOptions } from "../session/ws/accept.ts";
import { type HonoContextLike, type HonoMiddleware, honoWebSocketMiddleware, type WSEvents } from "./hono-websocket.ts";
import { upgradeResponse } from "./web-upgrade.ts";

/**
 * Upgrade a request to a WebSocket from a `fetch`-style handler, in one of two shapes.
 *
 * **With a Request** (like Deno's `upgradeWebSocket`): return the Response it gives. wirecore
 * answers with 101 (or 400/426 for a bad handshake) and serves the socket with
 * `options.handlers`, or the server's `websocket` handlers.
 *
 * **With a function** (like `upgradeWebSocket` from `hono/bun` or `hono/deno`): a Hono
 * middleware. `createEvents(c)` gives the route's `onOpen`, `onMessage`, `onClose` and
 * `onError`; they get Hono-shaped events and a `WSContext` whose `raw` is wirecore's
 * `ServerWebSocket`. It works on Node, Bun and Deno alike; a request without
 * `Upgrade: websocket` goes on to `next()`.
 *
 * @example
 * ```ts
 * // fetch handler
 * serve((req) => upgradeWebSocket(req, { handlers: { message: (ws, m) => ws.send(m) } }));
 *
 * // Hono
 * const app = new Hono();
 * app.get("/ws", upgradeWebSocket((c) => ({
 *   onMessage(event, ws) { ws.send(`echo: ${event.data}`); },
 * })));
 * serve(app);
 * ```
 */
export function upgradeWebSocket<T>(request: Request, options?: UpgradeOptions<T>): Response;
// The Context is Hono's, which core cannot name: `c` is `any` unless given, as in
// `upgradeWebSocket<Context>((c) => …)`.
// deno-lint-ignore no-explicit-any
export function upgradeWebSocket<C extends HonoContextLike = any>(
  createEvents: (c: C) => WSEvents | Promise<WSEvents>,
): HonoMiddleware<C>;
export function upgradeWebSocket<T, C extends HonoContextLike>(
  target: Request | ((c: C) => WSEvents | Promise<WSEvents>),
  options: UpgradeOptions<T> = {},
): Response | HonoMiddleware<C> {
  if (typeof target === "function") return honoWebSocketMiddleware(target);
  return upgradeResponse(target, options);
}
