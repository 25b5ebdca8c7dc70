/**
 * The session middleware: a session id in a signed cookie, the data in a {@link SessionStore}.
 * A request without a session cookie costs nothing but a cookie lookup; a session is stored (and
 * its cookie sent) only once it holds data, and saved again only when its data changed.
 */
import type { Context } from "../../app/context.ts";
import type { Middleware } from "../../app/handler.ts";
import type { CookieOptions } from "../../cookie/serialize-cookie.ts";
import { serializeCookie } from "../../cookie/serialize-cookie.ts";
import { type CookieKeys, signCookieValue, verifyCookieValue } from "../../cookie/sign-cookie.ts";
import { Session } from "./session.ts";
import type { SessionData, SessionStore } from "./session-store.ts";
import { newSessionId } from "./session-id.ts";

/** The `c.vars` key the session lives under (read it with {@link getSession}). */
export const SESSION_VAR = "session";

/** Options of {@link session}. */
export interface SessionOptions {
  /** Where the data lives: `new MemorySessionStore()`, `new RedisSessionStore(…)` (wirecore/redis), … */
  store: SessionStore;
  /** Secrets that sign the session cookie: the first signs, any verifies (rotation). At least 16 bytes each. */
  keys: CookieKeys;
  /** The cookie's name; `sid` unless given. */
  cookieName?: string;
  /** Seconds a session lives after its last save (or, when `rolling`, its last request); 1 day unless given. */
  ttl?: number;
  /** Extend the session on every request (store touched, cookie re-sent) rather than only on changes. */
  rolling?: boolean;
  /** Cookie attributes; `httpOnly: true`, `sameSite: "Lax"`, `path: "/"` unless given. `Max-Age` is the ttl. */
  cookie?: Omit<CookieOptions, "maxAge" | "expires">;
}

/**
 * Sessions for the routes after it. Read the session with `getSession(c)`.
 *
 * @example
 * ```ts
 * import { App, getSession, MemorySessionStore, session } from "wirecore";
 *
 * const sessionKey = "a secret from your configuration"; // at least 16 bytes
 * const app = new App();
 * app.use(session({ store: new MemorySessionStore(), keys: [sessionKey] }));
 * app.get("/session", (c) => {
 *   const s = getSession<{ visits: number }>(c);
 *   const visits = (s.get("visits") ?? 0) + 1;
 *   s.set("visits", visits);
 *   return c.json({ visits });
 * });
 * ```
 */
export function session(options: SessionOptions): Middleware {
  const { store, keys } = options;
  if (store === undefined || typeof store.get !== "function") throw new TypeError("session(): a store is required");
  if (!Array.isArray(keys) || keys.length === 0) {
    throw new TypeError("session(): keys must be a non-empty array of secrets (the first signs, any verifies)");
  }
  const name = options.cookieName ?? "sid";
  const ttl = options.ttl ?? 86_400;
  if (!(ttl > 0) || !Number.isFinite(ttl)) throw new RangeError(`session(): ttl must be a positive number of seconds`);
  const rolling = options.rolling === true;
  const attributes: CookieOptions = { httpOnly: true, sameSite: "Lax", path: "/", ...options.cookie, maxAge: ttl };
  // Fail at start-up, not on the first visitor: a bad name or a broken prefix rule throws here.
  serializeCookie(name, newSessionId(), attributes);

  return async (c, next) => {
    const signed = c.cookie(name);
    let id: string | undefined;
    let data: SessionData | undefined;
    if (signed !== undefined) {
      id = await verifyCookieValue(name, signed, keys);
      if (id !== undefined) data = await store.get(id);
    }
    const current = new Session(data === undefined ? newSessionId() : id!, data);
    c.vars.set(SESSION_VAR, current);
    await next();

    const outcome = current.outcome();
    for (const old of outcome.deleted) await store.delete(old);
    if (outcome.id !== null) {
      if (outcome.save !== null) await store.set(outcome.id, outcome.save, ttl);
      else if (rolling) await (store.touch ? store.touch(outcome.id, ttl) : store.set(outcome.id, current.data, ttl));
      if (outcome.cookie === "set" || rolling) {
        c.setCookie(name, await signCookieValue(name, outcome.id, keys), attributes);
      }
    } else if (outcome.cookie === "clear") {
      c.setCookie(name, "", { ...attributes, maxAge: 0, expires: new Date(0) });
    }
  };
}

/**
 * The session of the request, as the `session()` middleware put it in `c.vars`; `T` types its
 * data. Throws when no session middleware ran for this route.
 */
export function getSession<T extends SessionData = SessionData>(c: Context): Session<T> {
  const found = c.vars.get(SESSION_VAR);
  if (!(found instanceof Session)) {
    throw new Error("getSession(): no session on this request; add app.use(session({ store, keys })) before the route");
  }
  return found as Session<T>;
}
