/**
 * The reference app: runtime-free, served by `node.ts`, `bun.ts` and `deno.ts` (`npm start`,
 * `npm run serve:node|bun|deno`). Besides the basic routes it shows every battery, each on a
 * route of its own that a newcomer can try with curl (README "Try the batteries").
 *
 * The order of middleware matters, and where it is added: `app.use()` wraps every route (and
 * makes each asynchronous), so each battery is scoped to its own routes instead — a sub-app's
 * middleware or a route's own — and the basic routes (`/`, `/json`, …) run no middleware at all.
 */
import { accessLog, App, health, metrics, rateLimit, requestId, serveStatic } from "../mod.ts";
import { api } from "./routes/api.ts";
import { events } from "./routes/events.ts";
import { visits } from "./routes/session.ts";
import { upload } from "./routes/upload.ts";

/** The reference site: examples/public/ (ensureSiteAssets() in site-assets.ts makes its generated files). */
export const PUBLIC_ROOT: URL = new URL("./public/", import.meta.url);

/** What the served reference app adds to the routes (`run.ts` turns it on). */
export interface ReferenceAppOptions {
  /**
   * Request ids (`x-request-id` on every response), `GET /metrics`, `GET /healthz` and
   * `GET /readyz`. Off by default: they are app-level middleware, which wrap every route, and the
   * contract suite and the bench serve `createApp()` as the bare protocol fixture.
   */
  telemetry?: boolean;
  /** Where the access log's JSON lines go (with `telemetry`); none when absent. */
  accessLog?: ((line: string) => void) | undefined;
}

/** Build the reference app. */
export function createApp(options: ReferenceAppOptions = {}): App {
  const app = new App();
  if (options.telemetry === true) {
    // In this order (docs/observability.md): the id first, so the log line, /metrics and the
    // health answers carry it; the log before metrics, so a scrape is logged too.
    app.use(requestId());
    if (options.accessLog !== undefined) app.use(accessLog({ write: options.accessLog }));
    app.use(metrics());
    app.use(health());
  }

  app.get("/", (c) => c.text("Hello, World!"));
  app.get("/json", (c) => c.json({ message: "Hello, World!" }));
  app.get("/users/:id", (c) => c.json({ id: c.params.id }));
  // Streams the request body straight back: memory stays flat whatever the size.
  app.post("/echo", { bodyLimit: Number.POSITIVE_INFINITY }, (c) => {
    const type = c.req.header("content-type");
    if (type !== undefined) c.header("content-type", type);
    return c.body(c.req.body ?? "");
  });
  // WebSocket echo: text stays text, binary stays binary.
  app.ws("/ws", { message: (ws, data) => void ws.send(data) });
  // A chat room: every message goes to everyone else in the topic `chat`.
  app.ws("/chat", {
    open: (ws) => ws.subscribe("chat"),
    message: (ws, data) => void ws.publish("chat", data),
  });
  app.get("/ws-demo", (c) => c.header("content-type", "text/html; charset=utf-8").body(WS_DEMO_PAGE));

  // Batteries.
  app.get("/static/*", serveStatic({ root: PUBLIC_ROOT })); // ETag, 304, Range, .br/.gz siblings, dotfiles 404
  app.get("/demo", (c) => c.redirect("/static/demo.html")); // SSE, chat and upload in the browser
  app.get("/events", events); // server-sent events, one a second
  app.route("/session", visits()); // a visit counter in a signed session cookie
  app.route("/api", api()); // JSON for any origin (CORS), compressed when asked
  app.post("/upload", upload); // multipart, streamed and hashed
  // 5 requests a second per client IP: a route middleware, so no other route pays for it.
  app.get("/limited", rateLimit({ limit: 5, windowMs: 1000 }), (c) => c.text("ok"));
  return app;
}

/** A page that echoes through `/ws`: the browser test drives it. */
const WS_DEMO_PAGE = `<!doctype html>
<meta charset="utf-8">
<title>wirecore WebSocket demo</title>
<input id="text" value="hello from the browser"> <button id="send">send</button>
<pre id="log"></pre>
<script>
  const log = (line) => (document.getElementById("log").textContent += line + "\\n");
  const ws = new WebSocket(location.origin.replace(/^http/, "ws") + "/ws");
  ws.onopen = () => { document.title = "open"; log("open"); };
  ws.onmessage = (e) => { log("echo: " + e.data); document.title = "echo: " + e.data; };
  ws.onclose = (e) => log("closed " + e.code);
  document.getElementById("send").onclick = () => ws.send(document.getElementById("text").value);
</script>
`;

/** A command line the reference servers cannot use. */
export class UsageError extends Error {
  override name = "UsageError";
}

/**
 * The reference server's options from its command line and environment: telemetry on, and the
 * access log on stdout with `--access-log` or `WIRECORE_ACCESS_LOG=1` (off otherwise, so test
 * runs that start the servers stay quiet).
 */
export function optionsFromArgs(
  args: readonly string[],
  env: Readonly<Record<string, string | undefined>>,
): ReferenceAppOptions {
  const log = args.includes("--access-log") || env.WIRECORE_ACCESS_LOG === "1";
  return { telemetry: true, accessLog: log ? (line) => console.log(line) : undefined };
}

/** `--port N` from the command line, else the default. */
export function portFromArgs(args: readonly string[], fallback = 3000): number {
  const at = args.indexOf("--port");
  if (at < 0) return fallback;
  const text = args[at + 1];
  const value = text === undefined || !/^\d+$/.test(text) ? Number.NaN : Number(text);
  if (!Number.isInteger(value) || value > 65535) {
    throw new UsageError(`invalid --port ${JSON.stringify(text ?? "")}: expected an integer from 0 to 65535`);
  }
  return value;
}
