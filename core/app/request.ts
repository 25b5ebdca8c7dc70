import type { Exchange } from "../exchange/exchange.ts";
import type { Validated } from "./params.ts";
import { HttpError } from "../http/http-error.ts";
import type { MultipartLimits } from "../multipart/limits.ts";
import { type FormDataOptions, readFormData, readParts } from "./form-data.ts";
import type { FormPart } from "./multipart-reader.ts";

const EMPTY_BYTES = new Uint8Array(0);

/**
 * The request as handlers see it (`c.req`). Cheap to create: the URL, query, `Headers` object
 * and body stream are built only when first asked for.
 */
export class WireRequest<V extends Validated = Validated> {
  readonly #exchange: Exchange;
  #valid: Map<string, unknown> | null = null;
  readonly #bodyLimit: number;
  #query: URLSearchParams | null = null;
  #headers: Headers | null = null;

  constructor(exchange: Exchange, bodyLimit: number) {
    this.#exchange = exchange;
    this.#bodyLimit = bodyLimit;
  }

  /** The method token, e.g. `GET`. */
  get method(): string {
    return this.#exchange.head.method;
  }
  /** The path without the query, e.g. `/users/42`. */
  get path(): string {
    return this.#exchange.head.path;
  }
  /** The raw query string without `?`, or `""`. */
  get search(): string {
    return this.#exchange.head.query;
  }
  /** The query parameters. */
  get query(): URLSearchParams {
    return (this.#query ??= new URLSearchParams(this.#exchange.head.query));
  }
  /** The full URL, e.g. `http://example.com/a?b=1`. */
  get url(): string {
    const { head, info } = this.#exchange;
    const host = head.host || "localhost";
    if (head.target.charCodeAt(0) !== 0x2f /* / */ && head.target !== "*") {
      // absolute-form already carries scheme and authority (RFC 9112 §3.2.2)
      if (/^https?:\/\//i.test(head.target)) return head.target;
    }
    return (info.tls ? "https://" : "http://") + host + head.path + (head.query ? "?" + head.query : "");
  }
  /** The value of a header (case-insensitive name); repeated fields are joined per RFC 9110 §5.3. */
  header(name: string): string | undefined {
    const key = name.toLowerCase();
    const list = this.#exchange.head.headers;
    let value: string | undefined;
    for (let i = 0; i < list.length; i += 2) {
      if (list[i] === key) {
        value = value === undefined ? list[i + 1] : value + (key === "cookie" ? "; " : ", ") + list[i + 1];
      }
    }
    // HTTP/2 carries the host as :authority (RFC 9113 §8.3.1), not as a field.
    if (value === undefined && key === "host" && this.#exchange.head.host !== "") return this.#exchange.head.host;
    return value;
  }
  /** All headers as a web `Headers` object. */
  get headers(): Headers {
    if (this.#headers === null) {
      const headers = new Headers();
      const list = this.#exchange.head.headers;
      for (let i = 0; i < list.length; i += 2) headers.append(list[i]!, list[i + 1]!);
      this.#headers = headers;
    }
    return this.#headers;
  }
  /** The raw flat header list `[name, value, …]` with lowercased names. */
  get rawHeaders(): readonly string[] {
    return this.#exchange.head.headers;
  }
  /** Aborts when the client disconnects before the response is complete. */
  get signal(): AbortSignal {
    return this.#exchange.signal;
  }
  /** The peer's address. */
  get remoteAddress(): string {
    return this.#exchange.info.remoteAddress;
  }
  /** The body as a stream, or null when the request has none. */
  get body(): ReadableStream<Uint8Array> | null {
    return this.#exchange.body?.stream() ?? null;
  }
  /** The body as bytes; 413 past `limit` (default: the route's or server's `bodyLimit`). */
  bytes(limit: number = this.#bodyLimit): Promise<Uint8Array> {
    const body = this.#exchange.body;
    return body === null ? Promise.resolve(EMPTY_BYTES) : body.bytes(limit);
  }
  /** The body as UTF-8 text; 413 past `limit`, 400 on invalid UTF-8. */
  text(limit: number = this.#bodyLimit): Promise<string> {
    const body = this.#exchange.body;
    return body === null ? Promise.resolve("") : body.text(limit);
  }
  /**
   * The value a `validator(target, …)` route middleware checked, typed by its schema.
   * @throws Error when no validator of that target ran for this route.
   */
  valid<K extends keyof V & string>(target: K): V[K] {
    const valid = this.#valid;
    if (valid === null || !valid.has(target)) {
      throw new Error(`c.req.valid(${JSON.stringify(target)}): no validator of that target ran for this route`);
    }
    return valid.get(target) as V[K];
  }
  /** @internal Record a validated value (for `validator()`). */
  setValid(target: string, value: unknown): void {
    (this.#valid ??= new Map()).set(target, value);
  }
  /** The body parsed as JSON; 413 past `limit`, 400 on invalid JSON. */
  json<T = unknown>(limit: number = this.#bodyLimit): Promise<T> {
    const body = this.#exchange.body;
    if (body === null) return Promise.reject(new HttpError("INVALID_JSON", "Request has no body"));
    return body.json(limit) as Promise<T>;
  }
  /**
   * The body as a web `FormData` (urlencoded or multipart; files as `File`): 415 for another
   * type, 400 when malformed, 413 past a limit (the total defaults to `bodyLimit`). See docs/forms.md.
   */
  formData(options?: FormDataOptions): Promise<FormData> {
    return readFormData(this.header("content-type"), this.#exchange.body, this.#bodyLimit, options);
  }
  /** The parts of a `multipart/form-data` body, streamed one at a time. See docs/forms.md. */
  parts(options?: MultipartLimits): AsyncGenerator<FormPart, void, undefined> {
    return readParts(this.header("content-type"), this.#exchange.body, options);
  }
}
