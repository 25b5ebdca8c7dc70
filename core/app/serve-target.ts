import type { Dispatcher } from "../exchange/exchange.ts";
import { FetchDispatcher, type FetchHandler } from "../fetch/fetch-dispatcher.ts";
import { resolveOptions, type ServeOptions } from "../server/options.ts";
import { ServerCore } from "../server/server-core.ts";
import { App } from "./app.ts";

/** What `serve()` accepts: a native App, a fetch function, or an object with `fetch` (Hono, etc.). */
export type ServeTarget = App | FetchHandler | {
  fetch: (request: Request, ...rest: never[]) => Response | Promise<Response>;
};

/** Turn any serve target into the dispatcher that serves its requests. */
export function toDispatcher(target: ServeTarget, options: ServeOptions = {}): Dispatcher {
  const { bodyLimit, onError, services } = resolveOptions(options);
  if (target instanceof App) {
    target.configure(bodyLimit, onError, services);
    return target;
  }
  if (typeof target === "function") return new FetchDispatcher(target, onError);
  if (target !== null && typeof target === "object" && typeof target.fetch === "function") {
    const fetch = target.fetch.bind(target) as FetchHandler;
    return new FetchDispatcher(fetch, onError);
  }
  throw new TypeError("serve() needs an App, a fetch function, or an object with a fetch method");
}

/** The protocol core of a server for `target`: what an adapter (or your own transport) feeds sockets to. */
export function createServerCore(target: ServeTarget, options: ServeOptions = {}): ServerCore {
  return new ServerCore(toDispatcher(target, options), options);
}
