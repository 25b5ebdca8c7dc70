/**
 * The reference app: runtime-free, served by `node.ts`, `bun.ts` and `deno.ts`.
 */
import { App } from "../mod.ts";

/** Build the reference app. */
export function createApp(): App {
  const app = new App();
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
