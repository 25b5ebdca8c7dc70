/**
 * A protocol-neutral HTTP client for the contract suite: one request shape in, one response
 * shape out, whether the bytes travel over HTTP/1.1 or HTTP/2. The semantics cases are written
 * against this interface only, so each runs unchanged over every protocol.
 *
 * Implementations: `http1-client.ts` (the runtime's own `fetch`) and `http2-client.ts`
 * (`node:http2`, h2c by prior knowledge or TLS with ALPN `h2`). Both are independent peers: no
 * byte of the client side comes from wirecore's core.
 */

/** What travels on the wire: `http/1.1`, HTTP/2 over cleartext TCP, or HTTP/2 negotiated by ALPN. */
export type Protocol = "http/1.1" | "h2c" | "h2";

/** A request body: sent whole, or streamed chunk by chunk as the iterable yields. */
export type ClientBody = string | Uint8Array | AsyncIterable<Uint8Array>;

export interface ClientRequest {
  /** `GET` unless given. */
  method?: string;
  /** Path and query, e.g. `/users/7?q=1`. */
  path: string;
  /** Fields in order; a name may repeat. */
  headers?: readonly (readonly [string, string])[];
  body?: ClientBody;
  /** Request trailers (HTTP/2 only: `fetch` cannot send them). */
  trailers?: Readonly<Record<string, string>>;
  /** Aborting it cancels the request: RST_STREAM(CANCEL) over HTTP/2, a closed connection over HTTP/1.1. */
  signal?: AbortSignal;
}

/** A response whose body is still on its way. */
export interface StreamingResponse {
  readonly status: number;
  /** Response fields; several `Set-Cookie` stay separate (`getSetCookie()`). */
  readonly headers: Headers;
  /** The body, read once. */
  readonly body: AsyncIterable<Uint8Array>;
  /** Trailer fields, complete once `body` is read to its end; null where the client cannot see them (fetch). */
  readonly trailers: Headers | null;
}

/** A response read to its end. */
export interface ClientResponse {
  readonly status: number;
  readonly headers: Headers;
  readonly body: Uint8Array;
  readonly trailers: Headers | null;
  /** The body as UTF-8. */
  text(): string;
  json(): unknown;
}

export interface HttpClient {
  /** The protocol this client speaks (for HTTP/2 over TLS: as negotiated by ALPN). */
  readonly protocol: Protocol;
  /** Send a request; resolves once the response head has arrived. */
  open(request: ClientRequest): Promise<StreamingResponse>;
  /** Send a request and read the whole response. */
  request(request: ClientRequest): Promise<ClientResponse>;
  /** Drop every connection now, requests in flight included (the client "goes away"). */
  destroy(): void;
  /** Close gracefully. */
  close(): Promise<void>;
}

/** Opens a client to the server of the suite listening on `port` of 127.0.0.1. */
export type ClientFactory = (port: number) => Promise<HttpClient>;

/** Read a streaming response to its end. */
export async function readAll(response: StreamingResponse): Promise<ClientResponse> {
  const chunks: Uint8Array[] = [];
  let length = 0;
  for await (const chunk of response.body) {
    chunks.push(chunk);
    length += chunk.length;
  }
  const body = new Uint8Array(length);
  let at = 0;
  for (const chunk of chunks) {
    body.set(chunk, at);
    at += chunk.length;
  }
  return {
    status: response.status,
    headers: response.headers,
    body,
    trailers: response.trailers,
    text: () => new TextDecoder().decode(body),
    json: () => JSON.parse(new TextDecoder().decode(body)),
  };
}
