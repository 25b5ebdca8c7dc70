/**
 * The app of the telemetry cases: request id (127.0.0.1 trusted as a proxy), access log into an
 * array, metrics, health, and routes to count — plus gates a case opens to hold requests in
 * flight across a graceful shutdown. Runtime-free, like the core.
 */
import { accessLog, App, health, HttpError, metrics, requestId } from "../../mod.ts";

/** A promise a test resolves by hand. */
export class Gate {
  readonly opened: Promise<void>;
  open!: () => void;
  constructor() {
    this.opened = new Promise<void>((resolve) => (this.open = resolve));
  }
}

/** One app with its own log lines, counters and gates. */
export interface TelemetryApp {
  readonly app: App;
  /** The access log lines written so far. */
  readonly lines: string[];
  /** Requests now held (by `x-hold` or `/slow`). */
  readonly held: { count: number };
  /** Opens the requests carrying `x-hold` (they then reach `health()` and the routes). */
  readonly hold: Gate;
  /** Lets `/slow` answer. */
  readonly slow: Gate;
}

export function createTelemetryApp(): TelemetryApp {
  const lines: string[] = [];
  const held = { count: 0 };
  const hold = new Gate();
  const slow = new Gate();
  const app = new App();
  app.use(requestId({ trustProxy: ["127.0.0.1", "::1"] }));
  app.use(accessLog({ write: (line) => lines.push(line) }));
  app.use(metrics());
  app.use(async (c, next) => {
    if (c.req.header("x-hold") !== undefined) {
      held.count++;
      await hold.opened;
    }
    await next();
  });
  app.use(health());
  app.get("/", (c) => c.text("hello"));
  app.post("/echo", async (c) => c.text(await c.req.text()));
  app.get("/boom", () => {
    throw new Error("boom");
  });
  app.get("/teapot", () => {
    throw new HttpError(418, "I'm a teapot");
  });
  app.get("/slow", async (c) => {
    held.count++;
    await slow.opened;
    return c.text("finished");
  });
  app.get("/forever", (c) =>
    c.body(
      new ReadableStream<Uint8Array>({
        async pull(controller) {
          await new Promise((resolve) => setTimeout(resolve, 5));
          controller.enqueue(new Uint8Array(1024));
        },
      }),
    ));
  app.ws("/ws", { message: (ws, data) => ws.send(data) });
  return { app, lines, held, hold, slow };
}
