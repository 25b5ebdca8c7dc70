import { HttpError } from "../http/http-error.ts";
import { Router } from "../router/router.ts";
import type { Dispatcher, Exchange } from "../exchange/exchange.ts";
import { sendErrorResponse } from "../exchange/error-response.ts";
import { sendWebResponse } from "../fetch/send-response.ts";
import { Context, type Reply } from "./context.ts";
import { isUpgradable } from "../session/upgrade.ts";
import { acceptWebSocket } from "../session/ws/accept.ts";
import type { WebSocketHandlers } from "../session/ws/websocket-options.ts";

/** What a handler may return: a reply made by `c.text()`/`c.json()`/`c.body()`, or a web `Response`. */
export type HandlerResult = Reply | Response | void;
/** A route handler of the native API. */
export type Handler = (c: Context) => HandlerResult | Promise<HandlerResult>;
/** Middleware: runs around the handlers after it, in onion order (`await next()`). */
export type Middleware = (c: Context, next: () => Promise<void>) => HandlerResult | Promise<HandlerResult>;
/** Per-route options. */
export interface RouteOptions {
  /** Largest request body this route accepts, in bytes: a larger declared body gets 413 before
   *  the handler runs (and without `100 Continue`); a larger streamed body fails with 413. */
  bodyLimit?: number;
}

interface RouteDef {
  method: string;
  path: string;
  handler: Handler;
  options: RouteOptions;
  /** The apps that own this route, outermost first; their middleware wraps the handler. */
  owners: App[];
}

interface CompiledRoute {
  run: Handler;
  bodyLimit: number | undefined;
}

const METHODS = ["GET", "POST", "PUT", "DELETE", "PATCH", "OPTIONS", "HEAD"] as const;

/**
 * An application of the native API: routes, middleware, mounted sub-apps.
 *
 * @example
 * ```ts
 * const app = new App();
 * app.get("/users/:id", (c) => c.json({ id: c.params.id }));
 * ```
 */
export class App implements Dispatcher {
  #routes: RouteDef[] = [];
  #middleware: Middleware[] = [];
  #router: Router<CompiledRoute> | null = null;
  #notFound: Handler = (c) => c.text("Not Found", 404);
  #onError: ((error: unknown, c: Context) => HandlerResult | Promise<HandlerResult>) | null = null;
  #bodyLimit = 1024 * 1024;
  #logError: (error: unknown) => void = (error) => console.error("wirecore: handler error:", error);

  /** Add middleware that wraps every route of this app (and of apps mounted in it). */
  use(middleware: Middleware): this {
    this.#middleware.push(middleware);
    this.#router = null;
    return this;
  }

  /** Add a route for a method (`"*"` for any). */
  on(method: string, path: string, optionsOrHandler: RouteOptions | Handler, maybeHandler?: Handler): this {
    const handler = typeof optionsOrHandler === "function" ? optionsOrHandler : maybeHandler;
    if (handler === undefined) throw new TypeError(`Route ${method} ${path} has no handler`);
    const options = typeof optionsOrHandler === "function" ? {} : optionsOrHandler;
    this.#routes.push({ method: method.toUpperCase(), path, handler, options, owners: [this] });
    this.#router = null;
    return this;
  }

  get(path: string, a: RouteOptions | Handler, b?: Handler): this {
    return this.on("GET", path, a, b);
  }
  post(path: string, a: RouteOptions | Handler, b?: Handler): this {
    return this.on("POST", path, a, b);
  }
  put(path: string, a: RouteOptions | Handler, b?: Handler): this {
    return this.on("PUT", path, a, b);
  }
  delete(path: string, a: RouteOptions | Handler, b?: Handler): this {
    return this.on("DELETE", path, a, b);
  }
  patch(path: string, a: RouteOptions | Handler, b?: Handler): this {
    return this.on("PATCH", path, a, b);
  }
  options(path: string, a: RouteOptions | Handler, b?: Handler): this {
    return this.on("OPTIONS", path, a, b);
  }
  head(path: string, a: RouteOptions | Handler, b?: Handler): this {
    return this.on("HEAD", path, a, b);
  }
  /** A route for every method. */
  all(path: string, a: RouteOptions | Handler, b?: Handler): this {
    return this.on("*", path, a, b);
  }

  /** A WebSocket endpoint: GET requests to `path` are upgraded and served by `handlers`. */
  ws<T = unknown>(path: string, handlers: WebSocketHandlers<T>, data?: (c: Context) => T): this {
    return this.on("GET", path, (c) => c.upgrade({ handlers, data: data?.(c) }));
  }

  /** Mount a sub-app under a prefix: its routes answer at `prefix + path`, wrapped by this app's middleware and its own. */
  route(prefix: string, sub: App): this {
    const base = prefix.endsWith("/") ? prefix.slice(0, -1) : prefix;
    for (const def of sub.#routes) {
      const path = def.path === "/" && base !== "" ? base : base + def.path;
      this.#routes.push({ ...def, path, owners: [this, ...def.owners] });
    }
    this.#router = null;
    return this;
  }

  /** Handler for requests no route matches (default: 404 text). */
  notFound(handler: Handler): this {
    this.#notFound = handler;
    return this;
  }

  /** Turn thrown errors into responses yourself (default: HttpError → its status, others → 500). */
  onError(handler: (error: unknown, c: Context) => HandlerResult | Promise<HandlerResult>): this {
    this.#onError = handler;
    return this;
  }

  /** @internal Called by the server with its options. */
  configure(bodyLimit: number, logError: (error: unknown) => void): void {
    this.#bodyLimit = bodyLimit;
    this.#logError = logError;
  }

  #compile(): Router<CompiledRoute> {
    const router = new Router<CompiledRoute>();
    for (const def of this.#routes) {
      const chain: Middleware[] = [];
      for (const owner of def.owners) chain.push(...owner.#middleware);
      router.add(def.method, def.path, { run: withMiddleware(chain, def.handler), bodyLimit: def.options.bodyLimit });
    }
    this.#router = router;
    return router;
  }

  /** @internal Serve one exchange. */
  dispatch(exchange: Exchange): void {
    const router = this.#router ?? this.#compile();
    const { method, path } = exchange.head;
    const match = router.find(method, path);
    let run: Handler;
    let bodyLimit = this.#bodyLimit;
    let c: Context;
    if (match !== null) {
      const route = match.value;
      if (route.bodyLimit !== undefined) {
        bodyLimit = route.bodyLimit;
        const body = exchange.body;
        if (body !== null) {
          body.limit = Math.min(body.limit, route.bodyLimit);
          // RFC 9110 §10.1.1: answer a too-large declared body at once, without 100 Continue.
          if (body.contentLength > route.bodyLimit) {
            sendErrorResponse(
              exchange,
              new HttpError("BODY_TOO_LARGE"),
              this.#logError,
            );
            return;
          }
        }
      }
      c = new Context(exchange, bodyLimit, match.params);
      run = route.run;
    } else {
      c = new Context(exchange, bodyLimit);
      const allowed = router.allowed(path);
      run = allowed.length === 0 ? this.#notFound : methodNotAllowed(allowed);
      if (this.#middleware.length > 0) run = withMiddleware(this.#middleware, run);
    }
    let result: HandlerResult | Promise<HandlerResult>;
    try {
      result = run(c);
    } catch (error) {
      this.#fail(c, error);
      return;
    }
    if (result instanceof Promise) {
      result.then((value) => this.#finish(c, value), (error) => this.#fail(c, error));
    } else {
      this.#finish(c, result);
    }
  }

  #finish(c: Context, result: HandlerResult): void {
    const exchange = c.exchange;
    if (result instanceof Response) {
      sendWebResponse(exchange, result).catch((error) => sendErrorResponse(exchange, error, this.#logError));
      return;
    }
    if (!c.finalized) {
      this.#fail(c, new HttpError("NO_RESPONSE"));
      return;
    }
    const upgrade = c.resUpgrade;
    if (upgrade !== null) {
      try {
        if (!isUpgradable(exchange)) {
          throw new HttpError("UPGRADE_UNSUPPORTED");
        }
        acceptWebSocket(exchange, upgrade);
      } catch (error) {
        sendErrorResponse(exchange, error, this.#logError);
      }
      return;
    }
    const body = c.resBody;
    try {
      if (body === null || typeof body === "string" || body instanceof Uint8Array) {
        exchange.respond(c.resStatus, c.resHeaders, body);
      } else {
        exchange.respondStream(c.resStatus, c.resHeaders, body, declaredLength(c.resHeaders))
          .catch((error) => sendErrorResponse(exchange, error, this.#logError));
      }
    } catch (error) {
      sendErrorResponse(exchange, error, this.#logError);
    }
  }

  #fail(c: Context, error: unknown): void {
    const handler = this.#onError;
    if (handler === null || c.exchange.responded) {
      sendErrorResponse(c.exchange, error, this.#logError);
      return;
    }
    Promise.resolve()
      .then(() => handler(error, c))
      .then((value) => this.#finish(c, value), (second) => sendErrorResponse(c.exchange, second, this.#logError));
  }
}

function declaredLength(headers: string[]): number {
  for (let i = 0; i < headers.length; i += 2) {
    if (headers[i] === "content-length") {
      const n = Number(headers[i + 1]);
      return Number.isSafeInteger(n) && n >= 0 ? n : -1;
    }
  }
  return -1;
}

function methodNotAllowed(allowed: string[]): Handler {
  const allow = allowed.includes("*") ? METHODS.join(", ") : allowed.join(", ");
  return (c) => c.header("allow", allow).text("Method Not Allowed", 405);
}

/** Wrap a handler in middleware, outermost first (onion order). */
function withMiddleware(chain: Middleware[], handler: Handler): Handler {
  if (chain.length === 0) return handler;
  return (c) => {
    let index = -1;
    const step = async (i: number): Promise<void> => {
      if (i <= index) throw new Error("next() called more than once");
      index = i;
      const fn = i < chain.length ? chain[i]! : undefined;
      const result = fn !== undefined ? await fn(c, () => step(i + 1)) : await handler(c);
      if (result instanceof Response && !c.finalized) adoptResponse(c, result);
    };
    return step(0);
  };
}

/** A web Response returned inside a middleware chain becomes the context's response. */
function adoptResponse(c: Context, response: Response): void {
  c.resStatus = response.status;
  response.headers.forEach((value, name) => {
    if (name !== "set-cookie") c.header(name, value);
  });
  for (const cookie of response.headers.getSetCookie()) c.header("set-cookie", cookie);
  c.resBody = response.body;
  c.finalized = true;
}
