import type { BodyStream, Exchange } from "../exchange/exchange.ts";
import { WireRequest } from "./request.ts";
import { TEXT_PLAIN } from "../http/wire-errors.ts";
import type { UpgradeOptions } from "../session/ws/accept.ts";

/** A response body a handler may give. */
export type ResponseBody = string | Uint8Array | BodyStream | null;

declare const replyBrand: unique symbol;
/** What `c.text()`, `c.json()` and `c.body()` return: proof that the context holds a response. */
export type Reply = { readonly [replyBrand]: true };

const EMPTY_PARAMS: Record<string, string> = Object.freeze({}) as Record<string, string>;

/**
 * The per-request context of the native API: the request, route params, and the response being
 * built. `c.text()`, `c.json()` and `c.body()` record the response; the app writes it once the
 * handler (and every middleware) has finished, so middleware can still change status and headers.
 */
export class Context {
  readonly req: WireRequest;
  params: Record<string, string>;
  #vars: Map<string, unknown> | null = null;
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

  constructor(exchange: Exchange, bodyLimit: number, params: Record<string, string> = EMPTY_PARAMS) {
    this.exchange = exchange;
    this.req = new WireRequest(exchange, bodyLimit);
    this.params = params;
  }

  /** Values middleware shares with handlers (created on first use). */
  get vars(): Map<string, unknown> {
    return (this.#vars ??= new Map());
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

  /** Respond with a redirect (302 unless given). */
  redirect(location: string, status = 302): Reply {
    this.header("location", location);
    return this.body(null, status);
  }
}
