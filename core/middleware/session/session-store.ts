/**
 * Where sessions live between requests. The session middleware calls a store only for requests
 * that carry a valid session cookie or that change a session; the data is plain JSON, so any
 * store (memory, Redis, a database) round-trips it alike.
 */

/** The data of one session: JSON values by key. */
export type SessionData = Record<string, unknown>;

/**
 * A session store. `ttl` is in seconds: the entry must be gone (or read as `undefined`) that long
 * after the last `set` or `touch`. Methods may return promises or plain values.
 */
export interface SessionStore {
  /** The data of session `id`, or `undefined` when unknown or expired. */
  get(id: string): SessionData | undefined | Promise<SessionData | undefined>;
  /** Store the data of session `id`, expiring `ttl` seconds from now. */
  set(id: string, data: SessionData, ttl: number): void | Promise<void>;
  /** Forget session `id`. */
  delete(id: string): void | Promise<void>;
  /**
   * Push the expiry of session `id` to `ttl` seconds from now, without rewriting its data (a
   * rolling session touches on every request). Optional: without it the data is `set` again.
   */
  touch?(id: string, ttl: number): void | Promise<void>;
}
