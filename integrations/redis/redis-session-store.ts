/**
 * A session store in Redis, over the npm `redis` client (node-redis v4/v5): sessions shared by
 * every server process, expiring in Redis itself (`SET … PX`, `PEXPIRE`). The client is yours:
 * create, connect and close it; this module never imports `redis` (an optional peer dependency),
 * it only calls the four commands below on the client you pass.
 */
import type { SessionData, SessionStore } from "../../mod.ts";

/**
 * The part of a node-redis client (`createClient()` of `redis` v4 or v5, or a cluster client)
 * the store uses.
 */
export interface RedisSessionClient {
  /** A string, or null when the key is missing. */
  get(key: string): Promise<unknown>;
  set(key: string, value: string, options: { PX: number }): Promise<unknown>;
  del(key: string): Promise<unknown>;
  pExpire(key: string, milliseconds: number): Promise<unknown>;
}

/** Options of {@link RedisSessionStore}. */
export interface RedisSessionStoreOptions {
  /** A connected node-redis client. */
  client: RedisSessionClient;
  /** Prepended to each session id to make its key; `sess:` unless given. */
  prefix?: string;
}

/**
 * Sessions as JSON strings under `prefix + id`, each with its own expiry in Redis.
 *
 * @example
 * ```ts
 * import { createClient } from "redis";
 * import { App, session } from "wirecore";
 * import { RedisSessionStore } from "wirecore/redis";
 *
 * const client = await createClient({ url: "redis://127.0.0.1:6379" }).connect();
 * const app = new App().use(session({ store: new RedisSessionStore({ client }), keys: [secret] }));
 * ```
 */
export class RedisSessionStore implements SessionStore {
  readonly #client: RedisSessionClient;
  readonly #prefix: string;

  constructor(options: RedisSessionStoreOptions) {
    if (options?.client === undefined || typeof options.client.get !== "function") {
      throw new TypeError("RedisSessionStore: options.client must be a node-redis client (createClient() of redis)");
    }
    this.#client = options.client;
    this.#prefix = options.prefix ?? "sess:";
  }

  async get(id: string): Promise<SessionData | undefined> {
    const json = await this.#client.get(this.#prefix + id);
    if (typeof json !== "string") return undefined;
    try {
      const data: unknown = JSON.parse(json);
      // Anything but a JSON object (another program's key, a damaged value) is no session.
      return typeof data === "object" && data !== null && !Array.isArray(data) ? data as SessionData : undefined;
    } catch {
      return undefined;
    }
  }

  async set(id: string, data: SessionData, ttl: number): Promise<void> {
    await this.#client.set(this.#prefix + id, JSON.stringify(data), { PX: toMilliseconds(ttl) });
  }

  async delete(id: string): Promise<void> {
    await this.#client.del(this.#prefix + id);
  }

  async touch(id: string, ttl: number): Promise<void> {
    await this.#client.pExpire(this.#prefix + id, toMilliseconds(ttl));
  }
}

/** Redis takes whole milliseconds, at least 1 (PX 0 is an error). */
function toMilliseconds(seconds: number): number {
  return Math.max(1, Math.ceil(seconds * 1000));
}
