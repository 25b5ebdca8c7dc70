/**
 * `cors()`: Cross-Origin Resource Sharing middleware (Fetch standard §3.2, "CORS protocol").
 * @module
 */
import type { Context } from "../../app/context.ts";
import type { Middleware } from "../../app/handler.ts";
import { addVary } from "../vary.ts";

/**
 * Which origins may read responses: `"*"` (any), one origin, a list of origins and patterns, a
 * pattern, or a function of the request's `Origin` (sync or async) that returns whether it is
 * allowed, or the origin to answer with.
 */
export type CorsOrigin =
  | string
  | RegExp
  | readonly (string | RegExp)[]
  | ((
    origin: string,
    c: Context,
  ) => boolean | string | null | undefined | Promise<boolean | string | null | undefined>);

/** Options of {@link cors}. */
export interface CorsOptions {
  /** Allowed origins; default `"*"`. */
  origin?: CorsOrigin;
  /** Methods a preflight allows; default GET, HEAD, PUT, POST, DELETE, PATCH. */
  methods?: readonly string[];
  /** Request fields a preflight allows; default: those the preflight asks for. */
  allowHeaders?: readonly string[];
  /** Response fields the page's script may read beyond the safelisted ones. */
  exposeHeaders?: readonly string[];
  /** Allow credentials (cookies, HTTP auth): the answer then names the origin, never `*`. */
  credentials?: boolean;
  /** How long a preflight answer may be cached, in seconds. */
  maxAge?: number;
}

const DEFAULT_METHODS = ["GET", "HEAD", "PUT", "POST", "DELETE", "PATCH"];
const TOKEN = /^[!#$%&'*+\-.^_`|~0-9A-Za-z]+$/;

function tokenList(what: string, list: readonly string[] | undefined): string | undefined {
  if (list === undefined) return undefined;
  for (const item of list) {
    if (!TOKEN.test(item)) throw new TypeError(`cors(): ${what} ${JSON.stringify(item)} is not a token`);
  }
  return list.join(", ");
}

/** The value of Access-Control-Allow-Origin for a request from `origin`, or null to deny it. */
type OriginCheck = (origin: string, c: Context) => string | null | Promise<string | null>;

function matcher(origin: CorsOrigin, credentials: boolean): { check: OriginCheck; varies: boolean } {
  if (origin === "*") {
    // With credentials a literal `*` is refused by browsers (Fetch §3.2.5): name the origin.
    return credentials ? { check: (o) => o, varies: true } : { check: () => "*", varies: false };
  }
  if (typeof origin === "string") return { check: (o) => (o === origin ? o : null), varies: true };
  if (origin instanceof RegExp) return { check: (o) => (matches(origin, o) ? o : null), varies: true };
  if (typeof origin === "function") {
    const decide = (o: string, answer: boolean | string | null | undefined): string | null => {
      if (answer === true) return o;
      if (typeof answer !== "string" || answer === "") return null;
      return answer === "*" && credentials ? o : answer;
    };
    return {
      check: (o, c) => {
        const answer = origin(o, c);
        return answer instanceof Promise ? answer.then((a) => decide(o, a)) : decide(o, answer);
      },
      varies: true,
    };
  }
  const list = [...origin];
  return {
    check: (o) => list.some((item) => (typeof item === "string" ? item === o : matches(item, o))) ? o : null,
    varies: true,
  };
}

/** A pattern test that does not carry `lastIndex` over from one request to the next (`/g`, `/y`). */
function matches(pattern: RegExp, origin: string): boolean {
  pattern.lastIndex = 0;
  return pattern.test(origin);
}

/**
 * Answer cross-origin requests: a preflight (`OPTIONS` with `Access-Control-Request-Method`) is
 * answered here with 204 and never reaches the routes, even where only `GET` is routed; other
 * requests go on and get `Access-Control-Allow-Origin` (and the rest) on their response, errors
 * included. A disallowed origin gets none of these fields, so the browser denies it. Whenever the
 * answer depends on `Origin`, the response says `Vary: Origin`.
 *
 * @example
 * ```ts
 * app.use(cors({ origin: ["https://app.example"], credentials: true }));
 * ```
 */
export function cors(options: CorsOptions = {}): Middleware {
  const credentials = options.credentials === true;
  const { check, varies } = matcher(options.origin ?? "*", credentials);
  const methods = tokenList("method", options.methods ?? DEFAULT_METHODS)!;
  const allowHeaders = tokenList("header", options.allowHeaders);
  const exposeHeaders = tokenList("header", options.exposeHeaders);
  const maxAge = options.maxAge;
  if (maxAge !== undefined && !(Number.isSafeInteger(maxAge) && maxAge >= 0)) {
    throw new TypeError("cors(): maxAge must be a non-negative integer (seconds)");
  }
  return async (c, next) => {
    const origin = c.req.header("origin");
    const preflight = c.req.method === "OPTIONS" && origin !== undefined &&
      c.req.header("access-control-request-method") !== undefined;
    const allowed = origin === undefined ? (varies ? null : "*") : await check(origin, c);
    if (allowed !== null) {
      c.header("access-control-allow-origin", allowed);
      if (credentials) c.header("access-control-allow-credentials", "true");
    }
    if (varies) addVary(c, "Origin");
    if (preflight) {
      if (allowed !== null) {
        c.header("access-control-allow-methods", methods);
        const requested = c.req.header("access-control-request-headers");
        if (allowHeaders !== undefined) c.header("access-control-allow-headers", allowHeaders);
        else if (requested !== undefined && requested.trim() !== "") {
          c.header("access-control-allow-headers", requested);
        }
        if (maxAge !== undefined) c.header("access-control-max-age", String(maxAge));
      }
      // The echoed list depends on the request too.
      if (allowHeaders === undefined) addVary(c, "Access-Control-Request-Headers");
      return c.body(null, 204);
    }
    if (allowed !== null && exposeHeaders !== undefined) c.header("access-control-expose-headers", exposeHeaders);
    await next();
    // A handler's own Response may have brought its own Vary: keep Origin in it.
    if (varies) addVary(c, "Origin");
  };
}
