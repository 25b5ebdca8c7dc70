import type { BodyStream, Exchange, TrailerSource } from "../exchange/exchange.ts";
import { WireRequest } from "./request.ts";
import { TEXT_PLAIN } from "../http/wire-errors.ts";
import type { UpgradeOptions } from "../session/ws/accept.ts";
import type { RuntimeServices } from "../providers/runtime-services.ts";
import { SSE_CONTENT_TYPE, type SseCallback, type SseOptions, SseSource } from "./sse.ts";
import { lastEventIdOf } from "./sse-format.ts";
import type { Params, Validated } from "./params.ts";

export type { Params, Validated } from "./params.ts";
import { type CookieRecord, parseCookies } from "../cookie/parse-cookie.ts";
import { type CookieOptions, serializeCookie, serializeCookieDeletion } from "../cookie/serialize-cookie.ts";
import { type CookieKeys, signCookieValue, verifyCookieValue } from "../cookie/sign-cookie.ts";
import type { ServerView } from "../exchange/server-view.ts";

/** A response body a handler may give. */
export type ResponseBody = string | Uint8Array | BodyStream | null;

declare const replyBrand: unique symbol;
/** What `c.text()`, `c.json()` and `c.body()` return: proof that the context holds a response. */
export type Reply = { readonly [replyBrand]: true };

const NO_SERVICES: RuntimeServices = Object.freeze({});
const defaultLog = (error: unknown): void => console.error("wirecore: handler error:", error);
const EMPTY_PARAMS: Record<string, string> = Object.freeze({}) as Record<string, string>;

/**
 * The per-request context of the native API: the request, route params, and the response being
 * built. `c.text()`, `c.json()` and `c.body()` record the response; the app writes it once the
 * handler (and every middleware) has finished, so middleware can still change status and headers.
 */
export class Context<P extends Params = Record<string, string>, V extends Validated = Validated> {
  readonly req: WireRequest<V>;
  /** The route's parameters, typed from its path (`/users/:id` → `{ id: string }`). */
  params: P;
  #vars: Map<string, unknown> | null = null;
  #cookies: CookieRecord | null = null;
  /** @internal */
  readonly exchange: Exchange;
  /** @internal the status to send. */
  resStatus = 200;
  /** @internal flat response headers. */
  resHeaders: string[] = [];
  /** @internal the body to send. */
  resBody: ResponseBody = null;
  /** @internal declared length of a streamed body, or -1. */
  resLength = -1;
  /** @internal whether a response was recorded. */
  finalized = false;
  /** @internal a WebSocket upgrade to perform instead of a response. */
  resUpgrade: UpgradeOptions<unknown> | null = null;
  /** @internal the matched route as `METHOD /pattern` (`notFound` when none), for error messages. */
  readonly route: string;
  /**
   * The error a handler (or an inner middleware) threw, once it has been turned into the
   * response; `undefined` when none. Middleware read it after `await next()`, e.g. to log.
   */
  error: unknown = undefined;
  /** What the runtime lends the app (files, compressors), as the adapter's `serve()` set it. */
  readonly services: RuntimeServices;
  /** @internal the server's error log (set by the app), for errors after the handler returned. */
  logError: (error: unknown) => void = defaultLog;
  /** The request id given by the `requestId()` middleware (`""` without it); errors are reported with it. */
  requestId = "";

  constructor(
    exchange: Exchange,
    bodyLimit: number,
    params: Params = EMPTY_PARAMS,
    route = "",
    services: RuntimeServices = NO_SERVICES,
  ) {
    this.exchange = exchange;
    this.services = services;
    this.route = route;
    this.req = new WireRequest(exchange, bodyLimit);
    this.params = params as P; // the router matched the pattern P was read from
  }

  /** The server the request came through (`draining`, `stats()`); null under `app.fetch`. */
  get server(): ServerView | null {
    return this.exchange.server;
  }

  /** Values middleware shares with handlers (created on first use). */
  get vars(): Map<string, unknown> {
    return (this.#vars ??= new Map());
  }

  /** The request's cookies by name (the `Cookie` field parsed on first use; docs/cookies.md). */
  cookies(): CookieRecord {
    return (this.#cookies ??= parseCookies(this.req.header("cookie")));
  }

  /** The value of the request's cookie `name`, as sent. */
  cookie(name: string): string | undefined {
    return this.cookies()[name];
  }

  /** Add a `Set-Cookie` (validated: a bad name, value or attribute throws; docs/cookies.md). */
  setCookie(name: string, value: string, options?: CookieOptions): this {
    return this.header("set-cookie", serializeCookie(name, value, options));
  }

  /** Tell the client to drop cookie `name` (give the path and domain it was set with). */
  deleteCookie(name: string, options?: Pick<CookieOptions, "path" | "domain">): this {
    return this.header("set-cookie", serializeCookieDeletion(name, options));
  }

  /** Add a `Set-Cookie` whose value is signed (HMAC-SHA256) with the first of `keys`. */
  async setSignedCookie(name: string, value: string, keys: CookieKeys, options?: CookieOptions): Promise<this> {
    return this.setCookie(name, await signCookieValue(name, value, keys), options);
  }

  /** The value of the signed cookie `name` if any of `keys` verifies it; `undefined` if missing or tampered. */
  signedCookie(name: string, keys: CookieKeys): Promise<string | undefined> {
    return verifyCookieValue(name, this.cookie(name), keys);
  }

  /** Set the status code. */
  status(code: number): this {
    this.resStatus = code;
    return this;
  }

  /** Set a response header (replacing one of the same name); `set-cookie` is appended instead. */
  header(name: string, value: string): this {
    const key = name.toLowerCase();
    const list = this.resHeaders;
    if (key !== "set-cookie") {
      for (let i = 0; i < list.length; i += 2) {
        if (list[i] === key) {
          list[i + 1] = value;
          return this;
        }
      }
    }
    list.push(key, value);
    return this;
  }

  /** A header already set on the response, if any. */
  getHeader(name: string): string | undefined {
    const key = name.toLowerCase();
    const list = this.resHeaders;
    for (let i = 0; i < list.length; i += 2) if (list[i] === key) return list[i + 1];
    return undefined;
  }

  /** Remove a response header, every value of it (middleware rewriting a response after `await next()`). */
  removeHeader(name: string): this {
    const key = name.toLowerCase();
    const list = this.resHeaders;
    let kept = 0;
    for (let i = 0; i < list.length; i += 2) {
      if (list[i] === key) continue;
      list[kept++] = list[i]!;
      list[kept++] = list[i + 1]!;
    }
    list.length = kept;
    return this;
  }

  #defaultType(type: string): void {
    const list = this.resHeaders;
    for (let i = 0; i < list.length; i += 2) if (list[i] === "content-type") return;
    list.push("content-type", type);
  }

  /** Respond with text (`text/plain; charset=utf-8` unless set). */
  text(text: string, status?: number): Reply {
    if (status !== undefined) this.resStatus = status;
    this.#defaultType(TEXT_PLAIN);
    this.resBody = text;
    this.finalized = true;
    return this as unknown as Reply;
  }

  /** Respond with a value as JSON (`application/json`). */
  json(value: unknown, status?: number): Reply {
    if (status !== undefined) this.resStatus = status;
    this.#defaultType("application/json");
    this.resBody = JSON.stringify(value);
    this.finalized = true;
    return this as unknown as Reply;
  }

  /**
   * Respond with a body: string, bytes, a `ReadableStream` or an async iterable (streamed with
   * chunked coding unless `content-length` is set), or null for no body.
   */
  body(body: ResponseBody, status?: number): Reply {
    if (status !== undefined) this.resStatus = status;
    if (body !== null && typeof body !== "string") this.#defaultType("application/octet-stream");
    this.resBody = body;
    this.finalized = true;
    return this as unknown as Reply;
  }

  /**
   * Accept a WebSocket upgrade (RFC 6455 §4.2.2): a valid handshake gets 101 and the socket is
   * served by `options.handlers` (or the server's `websocket` handlers); an invalid one gets
   * 400/426 with the reason.
   */
  upgrade<T>(options: UpgradeOptions<T> = {}): Reply {
    this.resUpgrade = options as UpgradeOptions<unknown>;
    this.finalized = true;
    return this as unknown as Reply;
  }

  /**
   * Send trailer fields after the response body: a flat `[name, value, …]` list, or a function
   * called once the last body chunk is out (so a trailer can depend on the body, e.g. a
   * checksum). HTTP/2 always sends them (RFC 9113 §8.1). HTTP/1.1 sends them in the chunked
   * coding's trailer section only when the request said `TE: trailers` (RFC 9110 §10.1.4), the
   * response then being chunked even when its length is known; otherwise, and on the fetch path
   * (a web `Response` has no trailers), they are dropped — a recipient may discard trailers
   * anyway (RFC 9110 §6.5.1), so they must never carry what a client needs. Not sent for
   * responses without a body (HEAD, 204, 304). Invalid field names or values throw.
   *
   * @example
   * ```ts
   * app.get("/report", (c) => c.setTrailers(["x-checksum", "abc"]).text("body"));
   * ```
   */
  setTrailers(trailers: TrailerSource): this {
    this.exchange.setTrailers?.(trailers);
    return this;
  }

  /**
   * Respond with Server-Sent Events (`text/event-stream`, see docs/sse.md): `callback` runs once
   * the head is out and sends events with `stream.send()`; the stream ends when it returns, and
   * `stream.signal` aborts when the client goes away.
   */
  sse(callback: SseCallback, options: SseOptions = {}): Reply {
    const source = new SseSource(
      callback,
      lastEventIdOf(this.req.header("last-event-id")),
      this.exchange.signal,
      options,
      this.logError,
    );
    this.header("content-type", SSE_CONTENT_TYPE).header("cache-control", "no-cache");
    return this.body(source);
  }

  /** Respond with a redirect (302 unless given). */
  redirect(location: string, status = 302): Reply {
    this.header("location", location);
    return this.body(null, status);
  }

  /** @internal A web Response returned inside a middleware chain (or by `onError`) becomes this context's response. */
  adopt(response: Response): void {
    this.resStatus = response.status;
    response.headers.forEach((value, name) => {
      if (name !== "set-cookie") this.header(name, value);
    });
    for (const cookie of response.headers.getSetCookie()) this.header("set-cookie", cookie);
    this.resBody = response.body;
    this.resUpgrade = null;
    this.finalized = true;
  }

  /**
   * @internal
   * Forget the response a failed handler was building, before the error answer is made: status,
   * body, upgrade and the body's own fields go; the other fields (CORS, request id, cookies set by
   * middleware) stay, as they belong to the exchange rather than to the failed body.
   */
  resetResponse(): void {
    this.resStatus = 200;
    this.resBody = null;
    this.resUpgrade = null;
    this.finalized = false;
    const list = this.resHeaders;
    let kept = 0;
    for (let i = 0; i < list.length; i += 2) {
      const name = list[i]!;
      if (name === "content-type" || name === "content-length" || name === "content-encoding") continue;
      list[kept++] = name;
      list[kept++] = list[i + 1]!;
    }
    list.length = kept;
  }
}
