/**
 * `health()`: liveness and readiness probes. `/healthz` answers 200 while the process serves;
 * `/readyz` answers 200, and 503 once the server starts shutting down (`server.shutdown()`, the
 * `signal` option), so a load balancer stops sending new work while in-flight requests finish.
 * @module
 */
import type { Context, Reply } from "../../app/context.ts";
import type { Middleware } from "../../app/handler.ts";

/** Options of {@link health}. */
export interface HealthOptions {
  /** The liveness path. Default `/healthz`. */
  livePath?: string | undefined;
  /** The readiness path. Default `/readyz`. */
  readyPath?: string | undefined;
  /** More readiness checks (a database reachable, caches warm): false or a throw answers 503. */
  ready?: ((c: Context) => boolean | Promise<boolean>) | undefined;
}

/**
 * Answer the liveness and readiness probes (GET and HEAD); other requests pass through.
 *
 * @example
 * ```ts
 * const app = new App();
 * app.use(health()); // GET /healthz → 200 ok; GET /readyz → 200 ready, 503 draining
 * ```
 */
export function health(options: HealthOptions = {}): Middleware {
  const livePath = options.livePath ?? "/healthz";
  const readyPath = options.readyPath ?? "/readyz";
  const ready = options.ready;
  return (c, next) => {
    const path = c.req.path;
    if ((path !== livePath && path !== readyPath) || (c.req.method !== "GET" && c.req.method !== "HEAD")) {
      return next();
    }
    c.header("cache-control", "no-store");
    if (path === livePath) return c.text("ok");
    if (c.server?.draining === true) return c.text("draining", 503);
    return ready === undefined ? c.text("ready") : checkReady(c, ready);
  };
}

async function checkReady(c: Context, ready: (c: Context) => boolean | Promise<boolean>): Promise<Reply> {
  let ok = false;
  try {
    ok = await ready(c);
  } catch {
    ok = false;
  }
  return ok ? c.text("ready") : c.text("not ready", 503);
}
