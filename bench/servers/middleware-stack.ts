/**
 * The `middleware-stack` scenario's apps: one route, `GET /api/items` (about 4 KiB of JSON),
 * behind the middleware a real API stacks — a request id, an access log (to a writer that drops
 * the line), CORS, a cookie read and one set, compression — written once with wirecore's own API
 * and once with Hono's (hono/request-id, hono/logger, hono/cors, hono/compress, hono/cookie).
 * Runtime-free: the entries (wirecore-stack.ts, hono-stack-wirecore.ts, peers/hono-stack.ts)
 * serve them.
 */
import { Hono } from "hono";
import { compress as honoCompress } from "hono/compress";
import { getCookie, setCookie } from "hono/cookie";
import { cors as honoCors } from "hono/cors";
import { logger } from "hono/logger";
import { requestId as honoRequestId } from "hono/request-id";
import { accessLog, App, compress, cors, requestId } from "../../mod.ts";

/** About 4.3 KiB of JSON. */
export const STACK_ITEMS: readonly { id: number; name: string; tags: readonly string[] }[] = Array.from(
  { length: 64 },
  (_, id) => ({ id, name: `item ${id}`, tags: ["bench", id % 2 === 0 ? "even" : "odd"] }),
);

const drop = (): void => {};

/** wirecore's native API. */
export function wirecoreStack(): App {
  return new App()
    .use(requestId())
    .use(accessLog({ write: drop }))
    .use(cors({ origin: "*" }))
    .use(compress())
    .get("/api/items", (c) => {
      const theme = c.cookie("theme") ?? "light";
      c.setCookie("seen", "1", { httpOnly: true, sameSite: "Lax" });
      return c.header("x-theme", theme).json(STACK_ITEMS);
    });
}

/** The same with Hono's middleware. */
export function honoStack(): Hono {
  return new Hono()
    .use(honoRequestId())
    .use(logger(drop))
    .use(honoCors({ origin: "*" }))
    .use(honoCompress())
    .get("/api/items", (c) => {
      const theme = getCookie(c, "theme") ?? "light";
      setCookie(c, "seen", "1", { httpOnly: true, sameSite: "Lax" });
      c.header("x-theme", theme);
      return c.json(STACK_ITEMS);
    });
}
