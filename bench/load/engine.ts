/**
 * The load generator's engine: N keep-alive connections over `node:net` (which Node, Bun and
 * Deno all provide), each sending prebuilt request bytes — one request, or a pipelined batch of
 * P requests in one write — and sending the next batch once every response of the last one is
 * complete (closed loop, like wrk). Responses are parsed with wirecore's own response parser and
 * each one is verified (status and body length) before it counts.
 *
 * Latency is measured per request, from the write of its batch to the end of its response, so a
 * request that waited behind 15 others in a pipelined batch is charged that wait.
 */
import { connect, type Socket } from "node:net";
import { ResponseParser } from "../../core/http1/response-parser.ts";
import { Histogram, type LatencySummary, latencySummary } from "./histogram.ts";
import { ERROR_CLOSED, ERROR_CONNECT, ERROR_TIMEOUT, ResponseVerifier } from "./verify.ts";
import { concat } from "./request.ts";

/** What to run. */
export interface LoadOptions {
  host: string;
  port: number;
  /** The request variants, each built once (see request.ts). */
  requests: readonly Uint8Array[];
  /** The method of every request (a response to HEAD has no body). */
  method: string;
  connections: number;
  /** Requests per write; the next batch goes out when all of them are answered. */
  pipeline: number;
  durationMs: number;
  /** Expected status of every response. */
  expectStatus: number;
  /** Expected body length, or -1 to learn it per variant from the first good response. */
  expectLength: number;
  /** A batch not fully answered within this many ms counts its missing responses as timeouts. */
  timeoutMs: number;
  /** Connections opened at once while connecting. Default 256. */
  connectConcurrency?: number;
}

/** What a run measured. Only verified responses inside the measured window count. */
export interface LoadResult {
  /** Verified responses. */
  requests: number;
  /** The measured window in ms (from the first write after every connection is up). */
  durationMs: number;
  /** Verified responses per second. */
  rps: number;
  /** Bytes read and written in the window, on the wire. */
  bytesRead: number;
  bytesWritten: number;
  /** Response body bytes of the verified responses. */
  bodyBytes: number;
  latency: LatencySummary;
  /** Error counts by kind; a request never counts twice. */
  errors: Record<string, number>;
  /** One example message per error kind. */
  errorExamples: Record<string, string>;
  /** Connections that were up when measuring began. */
  connections: number;
  /** New connections opened during the window (after a close by the server, an error or a timeout). */
  reconnects: number;
  /** Time spent opening the connections before the window, ms. */
  connectMs: number;
}

interface Batch {
  bytes: Uint8Array;
  variants: Int32Array;
}

/** Batches of `pipeline` requests cycling through the variants; each connection walks them in turn. */
function buildBatches(requests: readonly Uint8Array[], pipeline: number): Batch[] {
  const v = requests.length;
  const out: Batch[] = [];
  for (let j = 0; j < v; j++) {
    const variants = new Int32Array(pipeline);
    const parts: Uint8Array[] = [];
    for (let m = 0; m < pipeline; m++) {
      variants[m] = (j * pipeline + m) % v;
      parts.push(requests[variants[m]!]!);
    }
    out.push({ bytes: pipeline === 1 ? parts[0]! : concat(parts), variants });
  }
  return out;
}

const now = (): number => performance.now();

/** Per-run state shared by the connections. */
class Run {
  readonly options: LoadOptions;
  readonly batches: Batch[];
  readonly verifier: ResponseVerifier;
  readonly latency: Histogram = new Histogram();
  measuring = false;
  stopped = false;
  completed = 0;
  bytesRead = 0;
  bytesWritten = 0;
  bodyBytes = 0;
  reconnects = 0;
  readonly connections: Connection[] = [];

  constructor(options: LoadOptions) {
    this.options = options;
    this.batches = buildBatches(options.requests, options.pipeline);
    this.verifier = new ResponseVerifier(options.requests.length, {
      status: options.expectStatus,
      bodyLength: options.expectLength,
    });
  }
}

/** One keep-alive connection; reconnects itself while the run lasts. */
class Connection {
  readonly run: Run;
  socket: Socket | null = null;
  parser: ResponseParser;
  batchIndex: number;
  batch: Batch;
  /** Responses of the current batch completed so far; -1 when no batch is in flight. */
  done = -1;
  sentAt = 0;
  status = 0;
  bodyLength = 0;
  keepAlive = true;
  connected = false;

  constructor(run: Run, index: number) {
    this.run = run;
    this.batchIndex = index % run.batches.length;
    this.batch = run.batches[this.batchIndex]!;
    this.parser = this.newParser();
  }

  newParser(): ResponseParser {
    const parser = new ResponseParser(
      {
        onHead: (head) => {
          this.status = head.status;
          this.keepAlive = head.keepAlive;
          this.bodyLength = 0;
        },
        onBody: (chunk) => {
          this.bodyLength += chunk.length;
        },
        onMessageComplete: () => this.complete(),
      },
      { decodeHeaders: false },
    );
    parser.method = this.run.options.method;
    return parser;
  }

  /** Open the socket; resolves when connected (true) or failed (false). */
  open(): Promise<boolean> {
    return new Promise((resolve) => {
      const socket = connect({ host: this.run.options.host, port: this.run.options.port, noDelay: true });
      this.socket = socket;
      this.parser = this.newParser();
      this.done = -1;
      let settled = false;
      socket.on("connect", () => {
        this.connected = true;
        settled = true;
        resolve(true);
      });
      socket.on("data", (chunk: Uint8Array) => {
        if (socket === this.socket) this.data(socket, chunk);
      });
      socket.on("error", (error: Error) => {
        if (!settled) {
          settled = true;
          this.run.verifier.count(ERROR_CONNECT, error.message);
          resolve(false);
        }
      });
      socket.on("close", () => this.closed(socket));
    });
  }

  send(): void {
    const run = this.run;
    if (!run.measuring || this.socket === null) return;
    this.batchIndex = this.batchIndex + 1 === run.batches.length ? 0 : this.batchIndex + 1;
    this.batch = run.batches[this.batchIndex]!;
    this.done = 0;
    this.sentAt = now();
    run.bytesWritten += this.batch.bytes.length;
    this.socket.write(this.batch.bytes);
  }

  data(socket: Socket, chunk: Uint8Array): void {
    const run = this.run;
    if (run.stopped) return;
    run.bytesRead += chunk.length;
    let data = chunk;
    while (data.length > 0) {
      if (this.done < 0 || this.done >= this.batch.variants.length) {
        this.fail("unsolicited bytes", `${data.length} bytes with no request in flight`);
        return;
      }
      const n = this.parser.execute(data);
      if (n < 0) {
        const e = this.parser.error!;
        this.fail(`parse ${e.code}`, e.message);
        return;
      }
      if (socket !== this.socket) return; // complete() moved on to a new connection
      data = data.subarray(n);
    }
  }

  complete(): void {
    const run = this.run;
    const t = now();
    const variant = this.batch.variants[this.done++]!;
    if (run.measuring && run.verifier.check(variant, this.status, this.bodyLength)) {
      run.latency.record((t - this.sentAt) * 1e6);
      run.completed++;
      run.bodyBytes += this.bodyLength;
    }
    if (!this.keepAlive) {
      // The server closes after this response: what else was in flight is lost.
      const lost = this.batch.variants.length - this.done;
      if (lost > 0 && run.measuring) run.verifier.count(ERROR_CLOSED, "server answered Connection: close", lost);
      this.reopen();
      return;
    }
    if (this.done === this.batch.variants.length) this.send();
  }

  /** Count what is in flight as `kind` and start over on a fresh connection. */
  fail(kind: string, example: string): void {
    const lost = this.done < 0 ? 1 : Math.max(1, this.batch.variants.length - this.done);
    if (this.run.measuring) this.run.verifier.count(kind, example, lost);
    this.reopen();
  }

  /** Drop the current socket and, while measuring, open a new one and send on it. */
  reopen(): void {
    const socket = this.socket;
    this.socket = null;
    this.connected = false;
    this.done = -1;
    socket?.destroy();
    const run = this.run;
    if (!run.measuring) return;
    run.reconnects++;
    void this.open().then((ok) => {
      if (ok) this.send();
      else if (run.measuring) setTimeout(() => this.reopen(), 50);
    });
  }

  closed(socket: Socket): void {
    if (socket !== this.socket) return; // an old socket we already gave up on
    const run = this.run;
    if (!run.measuring) {
      this.socket = null;
      this.connected = false;
      return;
    }
    if (this.done >= 0 && this.done < this.batch.variants.length) {
      // The end of the stream may complete a close-delimited response; else what is left is lost.
      const ok = this.parser.finish();
      if (socket !== this.socket) return; // complete() already moved on
      const lost = this.batch.variants.length - this.done;
      if (ok) run.verifier.count(ERROR_CLOSED, "connection closed by the server", lost);
      else run.verifier.count(`parse ${this.parser.error!.code}`, this.parser.error!.message, lost);
    }
    this.reopen();
  }
}

/** Open `count` connections, at most `concurrency` at a time; resolves with the ones that connected. */
async function openAll(run: Run, count: number, concurrency: number): Promise<Connection[]> {
  const all: Connection[] = [];
  for (let i = 0; i < count; i++) all.push(new Connection(run, i));
  let next = 0;
  const worker = async (): Promise<void> => {
    while (next < all.length) {
      const c = all[next++]!;
      await c.open();
    }
  };
  await Promise.all(Array.from({ length: Math.min(concurrency, count) }, worker));
  return all.filter((c) => c.connected);
}

/** Run the load and report. */
export async function runLoad(options: LoadOptions): Promise<LoadResult> {
  const run = new Run(options);
  const connectStart = now();
  const conns = await openAll(run, options.connections, options.connectConcurrency ?? 256);
  run.connections.push(...conns);
  const connectMs = now() - connectStart;
  const connected = conns.length;
  if (connected === 0) {
    return result(run, 0, connectMs, 0);
  }

  const start = now();
  run.measuring = true;
  for (const c of conns) c.send();

  const timeoutCheck = setInterval(() => {
    const t = now();
    for (const c of run.connections) {
      if (c.done >= 0 && c.done < c.batch.variants.length && t - c.sentAt > options.timeoutMs) {
        c.fail(ERROR_TIMEOUT, `no complete response within ${options.timeoutMs} ms`);
      }
    }
  }, Math.min(100, options.timeoutMs));

  await new Promise<void>((resolve) => setTimeout(resolve, options.durationMs));
  const durationMs = now() - start;
  run.measuring = false;
  run.stopped = true;
  clearInterval(timeoutCheck);
  for (const c of run.connections) {
    const s = c.socket;
    c.socket = null;
    s?.destroy();
  }
  return result(run, durationMs, connectMs, connected);
}

function result(run: Run, durationMs: number, connectMs: number, connections: number): LoadResult {
  return {
    requests: run.completed,
    durationMs,
    rps: durationMs > 0 ? (run.completed * 1000) / durationMs : 0,
    bytesRead: run.bytesRead,
    bytesWritten: run.bytesWritten,
    bodyBytes: run.bodyBytes,
    latency: latencySummary(run.latency),
    errors: run.verifier.toJSON(),
    errorExamples: Object.fromEntries(run.verifier.examples),
    connections,
    reconnects: run.reconnects,
    connectMs,
  };
}
