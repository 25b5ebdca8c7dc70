/**
 * `/api/*`: a JSON API open to scripts of any origin (CORS), its answers compressed when the
 * client asks. Both run as the sub-app's middleware, so the other routes of the reference app
 * pay nothing for them. cors() must also see the preflights (`OPTIONS` with
 * `Access-Control-Request-Method`): the `OPTIONS /*` route gives it every path under `/api`,
 * where the router would otherwise answer 405 before any middleware of this sub-app ran.
 */
import { App, compress, cors } from "../../mod.ts";

/** About 9 KiB of JSON: large enough that compression pays. */
export const ITEMS: readonly { id: number; name: string; tags: readonly string[] }[] = Array.from(
  { length: 120 },
  (_, id) => ({ id, name: `item ${id}`, tags: ["wirecore", id % 2 === 0 ? "even" : "odd", `group-${id % 7}`] }),
);

/** The routes under `/api` (mount with `app.route("/api", api())`). */
export function api(): App {
  return new App()
    .use(cors({ origin: "*", exposeHeaders: ["x-total"], maxAge: 600 })) // outside: errors get CORS too
    .use(compress()) // inside: it compresses what the routes answer
    .get("/items", (c) => c.header("x-total", String(ITEMS.length)).json(ITEMS))
    // Reached only by an OPTIONS that is not a preflight (cors() answers those itself).
    .options("/*", (c) => c.header("allow", "GET, HEAD, OPTIONS").body(null, 204));
}
