/**
 * `--redis URL` (or `REDIS_URL`) for the reference servers: WebSocket topics (the `/chat` room)
 * shared through Redis by every server given the same URL, whatever its runtime. The `redis`
 * client is imported only when asked for (an optional peer dependency).
 */
import type { ServeOptions } from "../core/server/options.ts";
import { RedisBackplane } from "../integrations/redis/mod.ts";
import { UsageError } from "./app.ts";

/** The Redis URL from `--redis URL`, else `env.REDIS_URL`, else none. */
export function redisUrlFromArgs(args: readonly string[], env: Record<string, string | undefined>): string | null {
  const at = args.indexOf("--redis");
  const url = at >= 0 ? args[at + 1] : env.REDIS_URL || undefined;
  if (at < 0 && url === undefined) return null;
  if (url === undefined || !/^rediss?:\/\/[^\s]+$/.test(url) || !URL.canParse(url)) {
    throw new UsageError(`invalid --redis ${JSON.stringify(url ?? "")}: expected redis://host:port or rediss://…`);
  }
  return url;
}

/** What `serve` gets, and how to let go of the connections at shutdown. */
export interface RedisServeOptions {
  options: Pick<ServeOptions, "backplane" | "onBackplaneError">;
  close(): Promise<void>;
}

/** Connect to Redis (5 s at most, else a UsageError naming the URL) and make the backplane. */
export async function connectRedisBackplane(url: string): Promise<RedisServeOptions> {
  const { createClient } = await import("redis");
  // A publish while Redis is away fails at once (and is printed) instead of waiting in a queue.
  const publisher = createClient({ url, disableOfflineQueue: true });
  let connected = false;
  let down = false;
  let failStart: (error: UsageError) => void = () => {};
  const failed = new Promise<never>((_, reject) => (failStart = reject));
  publisher.on("error", (error: Error) => {
    const reason = error.message || error.name;
    if (!connected) return failStart(new UsageError(`cannot reach Redis at ${url}: ${reason}`));
    if (down) return; // one line per outage, not one per reconnect attempt
    down = true;
    console.error(`wirecore: Redis ${url}: ${reason}; reconnecting`);
  });
  publisher.on("ready", () => (down = false));
  let timer: ReturnType<typeof setTimeout> | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new UsageError(`cannot reach Redis at ${url} within 5 s`)), 5000);
  });
  try {
    await Promise.race([publisher.connect(), failed, timeout]);
    connected = true;
  } catch (error) {
    publisher.destroy();
    throw error instanceof UsageError ? error : new UsageError(`cannot reach Redis at ${url}: ${error}`);
  } finally {
    clearTimeout(timer);
  }
  const backplane = new RedisBackplane({ publisher });
  return {
    options: { backplane, onBackplaneError: (error) => console.error(`wirecore: ${error.message}`) },
    async close() {
      await backplane.close();
      publisher.destroy();
    },
  };
}
