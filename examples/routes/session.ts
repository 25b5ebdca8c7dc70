/**
 * `GET /session`: a visit counter kept in a session. The session middleware lives in a sub-app,
 * so it runs for this route only; the cookie is signed, HttpOnly and SameSite=Lax (the defaults).
 */
import { App, getSession, MemorySessionStore, session } from "../../mod.ts";

/**
 * The signing key, random per start: the sessions live in this process's memory and end with it
 * anyway. With a shared store (Redis), read a fixed key from the environment instead.
 */
const KEY: Uint8Array = crypto.getRandomValues(new Uint8Array(32));

/** The routes under `/session` (mount with `app.route("/session", visits())`). */
export function visits(): App {
  return new App()
    .use(session({ store: new MemorySessionStore({ maxEntries: 10_000 }), keys: [KEY], ttl: 60 * 60 }))
    .get("/", (c) => {
      const s = getSession<{ visits: number }>(c);
      const count = (s.get("visits") ?? 0) + 1;
      s.set("visits", count);
      return c.json({ visits: count });
    });
}
