import { HttpError } from "../http/http-error.ts";
import { assertFinalStatus } from "../http/final-status.ts";
import { Router } from "../router/router.ts";
import type { Dispatcher, Exchange } from "../exchange/exchange.ts";
import { sendErrorResponse } from "../exchange/error-response.ts";
import { sendWebResponse } from "../fetch/send-response.ts";
import { Context } from "./context.ts";
import { isUpgradable } from "../session/upgrade.ts";
import { acceptWebSocket } from "../session/ws/accept.ts";
import type { WebSocketHandlers } from "../session/ws/websocket-options.ts";
import type { ErrorHandler, Handler, HandlerResult, Middleware } from "./handler.ts";
import { compose } from "./compose.ts";
import { withContextFields } from "./upgrade-fields.ts";
import { errorResponse, noResponse } from "./response-state.ts";
import { FetchExchange } from "./fetch-exchange.ts";
import { type HostInfo, peerInfo } from "./host-info.ts";
import type { RuntimeServices } from "../providers/runtime-services.ts";
import { type RouteMethod, type RouteOptions, routeParts } from "./route-method.ts";
import { defaultOnError, type ErrorReporter } from "../server/error-report.ts";

export type { ErrorHandler, Handler, HandlerResult, Middleware } from "./handler.ts";

export type { RouteMethod, RouteOptions } from "./route-method.ts";

interface RouteDef {
  method: string;
  path: string;
  handler: Handler;
  /** Route middleware, between the owners' middleware and the handler. */
  middleware: Middleware[];
  options: RouteOptions;
  /** The apps that own this route, outermost first; their middleware wraps the handler. */
  owners: App[];
}

interface CompiledRoute {
  run: Handler;
  bodyLimit: number | undefined;
  /** `GET /users/:id`: names the route in errors. */
  label: string;
}

const NO_SERVICES: RuntimeServices = Object.freeze({});

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
  /** The not-found handler wrapped in this app's middleware (made with the router). */
  #notFoundRun: Handler = this.#notFound;
  #onError: ErrorHandler | null = null;
  #bodyLimit = 1024 * 1024;
  #logError: ErrorReporter = defaultOnError;
  #services: RuntimeServices = NO_SERVICES;

  /** Add middleware that wraps every route of this app (and of apps mounted in it). */
  use(middleware: Middleware): this {
    this.#middleware.push(middleware);
    this.#router = null;
    return this;
  }

  /**
   * Add a route for a method (`"*"` for any): `app.on("GET", path, [options], ...middleware, handler)`.
   * Route middleware run after the app's, for this route only (validators, auth).
   */
  readonly on: RouteMethod<this, [method: string]> = (method: string, path: string, ...args: unknown[]): this => {
    const upper = method.toUpperCase();
    const { options, middleware, handler } = routeParts(`${upper} ${path}`, args);
    this.#routes.push({ method: upper, path, handler, middleware, options, owners: [this] });
    this.#router = null;
    return this;
  };

  readonly get: RouteMethod<this> = (path: string, ...args: unknown[]): this => this.#add("GET", path, args);
  readonly post: RouteMethod<this> = (path: string, ...args: unknown[]): this => this.#add("POST", path, args);
  readonly put: RouteMethod<this> = (path: string, ...args: unknown[]): this => this.#add("PUT", path, args);
  readonly delete: RouteMethod<this> = (path: string, ...args: unknown[]): this => this.#add("DELETE", path, args);
  readonly patch: RouteMethod<this> = (path: string, ...args: unknown[]): this => this.#add("PATCH", path, args);
  readonly options: RouteMethod<this> = (path: string, ...args: unknown[]): this => this.#add("OPTIONS", path, args);
  readonly head: RouteMethod<this> = (path: string, ...args: unknown[]): this => this.#add("HEAD", path, args);
  /** A route for every method. */
  readonly all: RouteMethod<this> = (path: string, ...args: unknown[]): this => this.#add("*", path, args);

  #add(method: string, path: string, args: unknown[]): this {
    return (this.on as (method: string, path: string, ...args: unknown[]) => this)(method, path, ...args);
  }

  /** A WebSocket endpoint: GET requests to `path` are upgraded and served by `handlers`. */
  ws<T = unknown>(path: string, handlers: WebSocketHandlers<T>, data?: (c: Context) => T): this {
    return this.#add("GET", path, [(c: Context) => c.upgrade({ handlers, data: data?.(c) })]);
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
    this.#router = null;
    return this;
  }

  /**
   * Turn thrown errors into responses yourself (default: HttpError → its status, others → 500).
   * It runs where the error was thrown, inside the middleware around it: their code after
   * `await next()` still runs, and sees the answer it made.
   */
  onError(handler: ErrorHandler): this {
    this.#onError = handler;
    return this;
  }

  /**
   * Answer a web `Request` with a web `Response`: the App as a fetch handler, for any fetch host —
   * Bun's and Deno's own servers (given `app.fetch` as their fetch handler), a worker's `export default app` —
   * with the same routing, middleware and errors as over `serve()`. `info` is what the host passes
   * beside the request ({@link HostInfo}): the peer's address is read from it.
   *
   * @example
   * ```ts
   * const app = new App().get("/", (c) => c.text("hi"));
   * const response = await app.fetch(new Request("http://localhost/"));
   * ```
   */
  readonly fetch: (request: Request, info?: HostInfo) => Promise<Response> = (request, info) => {
    const exchange = new FetchExchange(request, peerInfo(request, info, request.url.startsWith("https:")));
    this.dispatch(exchange);
    return exchange.response;
  };

  /**
   * Send a request to the app with no socket and no server: for tests. `input` is a path
   * (`"/users/7?x=1"`, served as `http://localhost/users/7?x=1`), a URL, or a `Request`.
   *
   * @example
   * ```ts
   * const response = await app.request("/users/7");
   * console.log(response.status, await response.json());
   * ```
   */
  request(input: string | URL | Request, init?: RequestInit, info?: HostInfo): Promise<Response> {
    // A streamed body needs `duplex: "half"` in `new Request()` (Fetch spec §5.4; Node insists).
    const options = init === undefined ? undefined : { duplex: "half", ...init } as RequestInit;
    let request: Request;
    if (input instanceof Request) request = options === undefined ? input : new Request(input, options);
    else if (typeof input === "string" && input.startsWith("/")) {
      request = new Request("http://localhost" + input, options);
    } else request = new Request(input, options);
    return this.fetch(request, info);
  }

  /** @internal Called by the server with its options. */
  configure(bodyLimit: number, logError: ErrorReporter, services: RuntimeServices = NO_SERVICES): void {
    this.#bodyLimit = bodyLimit;
    this.#logError = logError;
    this.#services = services;
  }

  #compile(): Router<CompiledRoute> {
    const router = new Router<CompiledRoute>();
    const recover = this.#recover;
    for (const def of this.#routes) {
      const chain: Middleware[] = [];
      for (const owner of def.owners) chain.push(...owner.#middleware);
      const limit = def.options.bodyLimit;
      let handler = def.handler;
      if (def.middleware.length > 0) {
        // The route's own limit answers before its middleware read the body (a validator).
        if (limit !== undefined) chain.push(limitBody(limit));
        chain.push(...def.middleware);
      } else if (limit !== undefined) handler = limitHandler(limit, handler);
      const label = `${def.method === "*" ? "ALL" : def.method} ${def.path}`;
      router.add(def.method, def.path, { run: compose(chain, handler, recover), bodyLimit: limit, label });
    }
    this.#notFoundRun = compose(this.#middleware, this.#notFound, recover);
    this.#router = router;
    return router;
  }

  /** Serve one exchange (the Dispatcher the server calls). */
  dispatch(exchange: Exchange): void {
    const router = this.#router ?? this.#compile();
    const { method, path } = exchange.head;
    const match = router.find(method, path);
    let run: Handler;
    let c: Context;
    if (match !== null) {
      const route = match.value;
      let bodyLimit = this.#bodyLimit;
      if (route.bodyLimit !== undefined) {
        bodyLimit = route.bodyLimit;
        const body = exchange.body;
        if (body !== null) body.limit = Math.min(body.limit, route.bodyLimit);
      }
      c = new Context(exchange, bodyLimit, match.params, route.label, this.#services);
      run = route.run;
    } else {
      const allowed = router.allowed(path);
      if (allowed.length === 0) {
        c = new Context(exchange, this.#bodyLimit, undefined, "notFound", this.#services);
        run = this.#notFoundRun;
      } else {
        c = new Context(exchange, this.#bodyLimit, undefined, `${method} ${path}`, this.#services);
        run = compose(this.#middleware, methodNotAllowed(allowed), this.#recover);
      }
    }
    c.logError = this.#logError;
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
      sendWebResponse(exchange, result).catch((error) => sendErrorResponse(exchange, error, this.#report(c)));
      return;
    }
    if (!c.finalized) {
      this.#fail(c, noResponse(c));
      return;
    }
    const upgrade = c.resUpgrade;
    if (upgrade !== null) {
      try {
        if (!isUpgradable(exchange)) {
          throw new HttpError("UPGRADE_UNSUPPORTED");
        }
        acceptWebSocket(exchange, withContextFields(upgrade, c.resHeaders));
      } catch (error) {
        sendErrorResponse(exchange, error, this.#report(c));
      }
      return;
    }
    try {
      assertFinalStatus(c.resStatus);
    } catch (error) {
      // Checked before the exchange is touched, so a bad status answers 500 and the connection
      // goes on. The middleware have all returned: the default answer, keeping their fields.
      c.resetResponse();
      errorResponse(c, error, this.#report(c));
    }
    const body = c.resBody;
    try {
      if (body === null || typeof body === "string" || body instanceof Uint8Array) {
        exchange.respond(c.resStatus, c.resHeaders, body);
      } else {
        exchange.respondStream(c.resStatus, c.resHeaders, body, declaredLength(c.resHeaders))
          .catch((error) => sendErrorResponse(exchange, error, this.#report(c)));
      }
    } catch (error) {
      sendErrorResponse(exchange, error, this.#report(c));
    }
  }

  /** Where an error of `c`'s request goes: `onError` with the request's id, method and path (made on error paths only). */
  #report(c: Context): (error: unknown) => void {
    return (error) => this.#logError(error, { requestId: c.requestId, method: c.req.method, path: c.req.path });
  }

  /** An error outside any middleware (or none is there): answer it, then send. */
  #fail(c: Context, error: unknown): void {
    if (c.exchange.responded) {
      sendErrorResponse(c.exchange, error, this.#report(c));
      return;
    }
    if (this.#onError === null) {
      // The default answer needs no turn of the event loop: a 413 leaves before the body comes.
      c.error = error;
      c.resetResponse();
      errorResponse(c, error, this.#report(c));
      this.#finish(c, undefined);
      return;
    }
    this.#recover(c, error).then(
      (response) => this.#finish(c, response),
      (second) => sendErrorResponse(c.exchange, second, this.#report(c)),
    );
  }

  /**
   * Make the answer to an error on the context: the app's `onError` (a Response it returns is
   * given back), or the default. A failing `onError` is reported and answered by default.
   */
  readonly #recover = async (c: Context, error: unknown): Promise<Response | undefined> => {
    c.error = error;
    c.resetResponse();
    const handler = this.#onError;
    if (handler !== null) {
      try {
        const result = await handler(error, c);
        if (result instanceof Response) return result;
        if (c.finalized) return undefined;
      } catch (second) {
        c.resetResponse();
        errorResponse(c, second, this.#report(c));
        return undefined;
      }
    }
    errorResponse(c, error, this.#report(c));
    return undefined;
  };
}

/** The route's `bodyLimit` for a declared length: 413 before the handler, without `100 Continue` (RFC 9110 §10.1.1). */
function checkLimit(limit: number, c: Context): void {
  const body = c.exchange.body;
  if (body !== null && body.contentLength > limit) {
    throw new HttpError(413, "Request body is larger than the limit", "BODY_TOO_LARGE");
  }
}

function limitHandler(limit: number, handler: Handler): Handler {
  return (c) => {
    checkLimit(limit, c);
    return handler(c);
  };
}

function limitBody(limit: number): Middleware {
  return (c, next) => {
    checkLimit(limit, c);
    return next();
  };
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
