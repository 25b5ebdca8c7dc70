import type { TransportInfo } from "../transport/transport.ts";

/**
 * What a fetch host passes beside the `Request`, from which {@link App.fetch} learns the peer's
 * address. Any of the three shapes the common hosts give is understood:
 *
 * - Deno's serve(): its `ServeHandlerInfo`: `{ remoteAddr: { hostname, port } }`
 *   (https://docs.deno.com/api/deno/, the serve handler's info);
 * - Bun's serve(): its `server`, asked with `server.requestIP(request)` (https://bun.sh/docs/api/http);
 * - `@hono/node-server`'s bindings: `{ incoming }`, the `node:http` request, whose socket has the
 *   address (https://github.com/honojs/node-server);
 * - a plain `{ remoteAddress, remotePort }` (what tests give).
 */
export type HostInfo =
  | { remoteAddr: { hostname: string; port: number } }
  | { requestIP(request: Request): { address: string; port: number } | null }
  | { incoming: { socket: { remoteAddress?: string; remotePort?: number } } }
  | { remoteAddress?: string; remotePort?: number };

/** The transport info an app sees for a request that came through a fetch host. */
export function peerInfo(request: Request, info: unknown, tls: boolean): TransportInfo {
  let remoteAddress = "";
  let remotePort = 0;
  if (info !== null && typeof info === "object") {
    const given = info as Partial<
      Record<"remoteAddr" | "requestIP" | "incoming" | "remoteAddress" | "remotePort", unknown>
    >;
    if (typeof given.remoteAddr === "object" && given.remoteAddr !== null) {
      const addr = given.remoteAddr as { hostname?: unknown; port?: unknown };
      if (typeof addr.hostname === "string") remoteAddress = addr.hostname;
      if (typeof addr.port === "number") remotePort = addr.port;
    } else if (typeof given.requestIP === "function") {
      const ip = (given.requestIP as (request: Request) => { address?: unknown; port?: unknown } | null)
        .call(info, request);
      if (ip !== null && typeof ip === "object") {
        if (typeof ip.address === "string") remoteAddress = ip.address;
        if (typeof ip.port === "number") remotePort = ip.port;
      }
    } else if (typeof given.incoming === "object" && given.incoming !== null) {
      const socket = (given.incoming as { socket?: { remoteAddress?: unknown; remotePort?: unknown } }).socket;
      if (typeof socket?.remoteAddress === "string") remoteAddress = socket.remoteAddress;
      if (typeof socket?.remotePort === "number") remotePort = socket.remotePort;
    } else {
      if (typeof given.remoteAddress === "string") remoteAddress = given.remoteAddress;
      if (typeof given.remotePort === "number") remotePort = given.remotePort;
    }
  }
  return { remoteAddress, remotePort, tls };
}
