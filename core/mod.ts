/**
 * wirecore — the runtime-free core: the app API, errors and server pieces. Import a runtime's
 * `serve` from `wirecore/node`, `wirecore/bun` or `wirecore/deno`.
 *
 * @module
 */
export { App, type Handler, type HandlerResult, type Middleware, type RouteOptions } from "./app/app.ts";
export { Context, type Reply, type ResponseBody } from "./app/context.ts";
export { WireRequest } from "./app/request.ts";
export { HttpError } from "./http/http-error.ts";
export type { FetchHandler } from "./fetch/fetch-dispatcher.ts";
export type { ServeOptions } from "./server/options.ts";
export { type Listener, Server, type ServerAddress } from "./server/server.ts";
export { ServerCore, type ServeTarget } from "./server/server-core.ts";
export type { ConnectionHandler, Transport, TransportInfo } from "./transport/transport.ts";
export type { BodyStream } from "./exchange/exchange.ts";
export { ServerWebSocket } from "./session/ws/server-websocket.ts";
export type { WebSocketHandlers, WebSocketOptions } from "./session/ws/websocket-options.ts";
export type { UpgradeOptions } from "./session/ws/accept.ts";
export { upgradeWebSocket } from "./fetch/upgrade-websocket.ts";
export type { PerMessageDeflateOptions } from "./ws/permessage-deflate.ts";
