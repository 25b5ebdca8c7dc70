/**
 * HTTP/2 (RFC 9113) for the server core: the connection served on the HTTP/1.1 port when a client
 * speaks HTTP/2 with prior knowledge (the preface) or upgrades with `Upgrade: h2c`; frames,
 * streams, flow control and the defences against abusive peers. HPACK lives in `../hpack/`.
 *
 * @example
 * ```ts
 * import { serve } from "wirecore/node";
 * serve(app, { port: 3000, http2: { maxConcurrentStreams: 250 } });
 * // curl --http2-prior-knowledge http://127.0.0.1:3000/
 * ```
 * @module
 */
export { Http2Connection, type Http2Upgrade } from "./http2-connection.ts";
export { Http2Exchange, type TrailerSource } from "./http2-exchange.ts";
export { H2C_SWITCHING_PROTOCOLS, upgradeToHttp2, wantsH2c } from "./h2c-upgrade.ts";
export { DEFAULT_HTTP2_LIMITS, type Http2Limits, resolveHttp2Limits } from "./limits.ts";
export { ConnectionError, ErrorCode, errorCodeName, StreamError } from "./errors.ts";
