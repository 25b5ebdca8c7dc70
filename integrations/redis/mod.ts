/**
 * `wirecore/redis`: Redis integrations for wirecore batteries, over the npm `redis` client
 * (node-redis v4/v5), an optional peer dependency: install it yourself (`npm install redis`).
 *
 * @example
 * ```ts
 * import { createClient } from "redis";
 * import { App, getSession, session } from "wirecore";
 * import { RedisSessionStore } from "wirecore/redis";
 *
 * const client = await createClient({ url: "redis://127.0.0.1:6379" }).connect();
 * const app = new App();
 * app.use(session({ store: new RedisSessionStore({ client }), keys: ["a-secret-of-32-random-bytes-or-more"] }));
 * app.get("/", (c) => c.json(getSession(c).data));
 * ```
 * @module
 */
export { type RedisSessionClient, RedisSessionStore, type RedisSessionStoreOptions } from "./redis-session-store.ts";
export {
  RedisBackplane,
  type RedisBackplaneOptions,
  type RedisBufferListener,
  type RedisPublisherClient,
  type RedisSubscriberClient,
} from "./redis-backplane.ts";
export {
  type RedisEvalOptions,
  type RedisRateLimitClient,
  RedisRateLimitStore,
  type RedisRateLimitStoreOptions,
} from "./redis-rate-limit-store.ts";
