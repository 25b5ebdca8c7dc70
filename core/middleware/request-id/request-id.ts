/**
 * `requestId()`: one id per request, on the response header, in `c.requestId`, in the error
 * reports (`ServeOptions.onError`'s `info.requestId`) and in the access log, so one request can be
 * followed from the client through the logs.
 * @module
 */
import type { Context } from "../../app/context.ts";
import type { Middleware } from "../../app/handler.ts";
import { compileIpMatcher } from "./ip-match.ts";

/** Options of {@link requestId}. */
export interface RequestIdOptions {
  /** The request and response header. Default `x-request-id`. */
  header?: string | undefined;
  /**
   * Which peers may give the id in the request header (a proxy or load balancer in front of the
   * server): IP addresses and CIDR ranges (`["10.0.0.0/8", "::1"]`), or a function of the peer's
   * address. Default: none — every id is made here, so a client cannot choose what the logs say.
   * An id from a trusted peer is still checked (see {@link isValidRequestId}); a bad one is replaced.
   */
  trustProxy?: readonly string[] | ((address: string) => boolean) | undefined;
  /** Make an id (default: a random per-process prefix and a counter, e.g. `k3f9q2xa-1z`). */
  generate?: ((c: Context) => string) | undefined;
}

/** The longest id taken from a request. */
export const MAX_REQUEST_ID_LENGTH = 128;

/**
 * Whether an incoming id may be used: 1–128 characters of letters, digits and `-._~:@+=/`, so
 * it cannot break a log line, a header or a JSON string, nor be used to flood either.
 */
export function isValidRequestId(id: string): boolean {
  return id.length > 0 && id.length <= MAX_REQUEST_ID_LENGTH && /^[A-Za-z0-9\-._~:@+=/]+$/.test(id);
}

let prefix = "";
let counter = 0;

/**
 * The default id: a prefix of 10 random base-32 characters drawn once per process (50 bits:
 * ids of two processes collide with odds of about 1 in 10^15) and a base-36 counter. Unique
 * within the process by construction and several times cheaper than `crypto.randomUUID()`
 * (docs/observability.md gives the figures).
 */
export function nextRequestId(): string {
  if (prefix === "") {
    const alphabet = "0123456789abcdefghjkmnpqrstvwxyz";
    const random = crypto.getRandomValues(new Uint8Array(10));
    for (const byte of random) prefix += alphabet[byte & 31];
    prefix += "-";
  }
  return prefix + (++counter).toString(36);
}

/**
 * Give every request an id: `c.requestId`, and the response header (default `x-request-id`),
 * set before the handler runs so error answers carry it too.
 *
 * @example
 * ```ts
 * const app = new App();
 * app.use(requestId({ trustProxy: ["127.0.0.1", "10.0.0.0/8"] }));
 * app.get("/", (c) => c.text(`your request is ${c.requestId}`));
 * ```
 */
export function requestId(options: RequestIdOptions = {}): Middleware {
  const header = (options.header ?? "x-request-id").toLowerCase();
  const generate = options.generate ?? nextRequestId;
  const given = options.trustProxy;
  const trusted = given === undefined
    ? null
    : typeof given === "function"
    ? given
    : given.length === 0
    ? null
    : compileIpMatcher(given);
  return (c, next) => {
    let id: string | undefined;
    if (trusted !== null && trusted(c.req.remoteAddress)) {
      const incoming = c.req.header(header);
      if (incoming !== undefined && isValidRequestId(incoming)) id = incoming;
    }
    id ??= generate(c);
    c.requestId = id;
    c.header(header, id);
    return next();
  };
}
