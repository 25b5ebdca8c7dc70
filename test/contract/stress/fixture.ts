/**
 * The stress fixture: the reference app plus the stress routes, and the one server every stress
 * case file shares (with the memory probes and sockets to clean up after the block).
 */
import { App } from "../../../core/app/app.ts";
import type { Server } from "../../../core/server/server.ts";
import { type Runtime, start, type TestApi } from "../harness.ts";
import { patternChunk } from "./byte-pattern.ts";
import type { MemoryProbe } from "./memory-probe.ts";

export interface StressCounters {
  /** Bytes the download route has handed to the server so far. */
  produced: number;
  /** Requests the sequence route has answered so far. */
  served: number;
}

/**
 * The routes of the first reference app (`/`, `/json`, `/users/:id`, `POST /echo`), kept here:
 * the reference app now carries every battery, and what these cases measure is the server, not
 * the reference app's middleware.
 */
export function createBaseApp(): App {
  const app = new App();
  app.get("/", (c) => c.text("Hello, World!"));
  app.get("/json", (c) => c.json({ message: "Hello, World!" }));
  app.get("/users/:id", (c) => c.json({ id: c.params.id }));
  app.post("/echo", { bodyLimit: Number.POSITIVE_INFINITY }, (c) => {
    const type = c.req.header("content-type");
    if (type !== undefined) c.header("content-type", type);
    return c.body(c.req.body ?? "");
  });
  return app;
}

/** The base routes plus the routes these cases need. */
function createStressApp(counters: StressCounters): App {
  const app = createBaseApp();
  // Streams `bytes` bytes of the pattern, pulled: a chunk is made only when the server asks.
  app.get("/stress/download", (c) => {
    const total = Number(c.req.query.get("bytes") ?? "0");
    let offset = 0;
    const stream = new ReadableStream<Uint8Array>({
      pull(controller) {
        if (offset >= total) {
          controller.close();
          return;
        }
        const n = Math.min(64 * 1024, total - offset);
        controller.enqueue(patternChunk(offset, n));
        offset += n;
        counters.produced += n;
      },
    }, { highWaterMark: 0 });
    c.header("content-length", String(total));
    return c.body(stream);
  });
  // Answers without touching the request body.
  app.post("/stress/ignore", (c) => c.text("ignored"));
  // Answers its sequence number, and counts: the flood checks order and how far the server got.
  app.get("/stress/seq/:n", (c) => {
    counters.served++;
    return c.text(c.params.n!);
  });
  return app;
}

/** What the stress case files share, for one runtime. */
export interface StressSuite {
  readonly runtime: Runtime;
  readonly counters: StressCounters;
  /** The port of the shared server, once its beforeAll has run. */
  readonly port: number;
  /** Probes to stop should a case fail midway. */
  readonly probes: MemoryProbe[];
  /** Sockets to cut should a case fail midway. */
  readonly sockets: { close(): void }[];
}

/** Start the shared stress server for the enclosing describe block and clean up after it. */
export function useStressServer(t: TestApi, runtime: Runtime): StressSuite {
  const counters: StressCounters = { produced: 0, served: 0 };
  let server: Server;
  let port = 0;
  const probes: MemoryProbe[] = [];
  /** Sockets to cut should a case fail midway. */
  const sockets: { close(): void }[] = [];

  t.beforeAll(async () => {
    server = await start(runtime, createStressApp(counters));
    port = server.address.port;
  });

  t.afterAll(async () => {
    for (const probe of probes) probe.stop();
    for (const socket of sockets) socket.close();
    await server?.close();
  });
  return {
    runtime,
    counters,
    get port(): number {
      return port;
    },
    probes,
    sockets,
  };
}
