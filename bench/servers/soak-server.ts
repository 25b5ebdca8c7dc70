/**
 * The server of `npm run soak` and `npm run floods`: a small app in the reference app's style —
 * `GET /`, `GET /json`, `GET /users/:id`, `POST /echo` (body streamed back), `GET /ws` (WebSocket
 * echo) — on whichever runtime runs it, with the server's default limits. `GET /_soak/live` forces
 * a full collection and answers the live bytes left (the soak's leak check; no client load uses it). It is its own file, not
 * examples/app.ts, so batteries added to the reference app later (rate limits, sessions) do not
 * change what the soak measures.
 *
 *   node bench/servers/soak-server.ts --port 0 --idle-timeout 900     bun …     deno run -A …
 *
 * `--no-flood-penalty` turns the per-address flood penalty off (`floodPenalty: false`), for the
 * floods' before/after comparison.
 */
import process from "node:process";
import { App } from "../../mod.ts";
import { peerArgs } from "../peers/args.ts";
import { runtimeServe } from "./runtime-serve.ts";
import { collect, liveBytes } from "../../test/support/live-memory.ts";

const app = new App();
app.get("/", (c) => c.text("Hello, World!"));
app.get("/json", (c) => c.json({ message: "Hello, World!" }));
app.get("/users/:id", (c) => c.json({ id: c.params.id }));
app.post("/echo", (c) => {
  const type = c.req.header("content-type");
  if (type !== undefined) c.header("content-type", type);
  return c.body(c.req.body ?? "");
});
app.get("/_soak/live", (c) => {
  collect?.();
  return c.json({ liveBytes: liveBytes(), collected: collect !== null });
});
app.ws("/ws", { message: (ws, data) => void ws.send(data) });

const { port, idleTimeoutSeconds } = peerArgs(process.argv.slice(2));
const serve = await runtimeServe();
// The idle timeout is the bench's only setting: idle keep-alive connections must outlive the soak.
const floodPenalty = process.argv.includes("--no-flood-penalty") ? false : undefined;
const server = serve(app, { port, hostname: "127.0.0.1", keepAliveTimeout: idleTimeoutSeconds * 1000, floodPenalty });
await server.ready;
console.log(`listening on ${server.url}`);
for (const signal of ["SIGINT", "SIGTERM"] as const) process.once(signal, () => process.exit(0));
