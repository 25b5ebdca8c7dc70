/**
 * The soak's active clients: each runs a loop — one request (or WebSocket message), check the
 * answer, wait a think time — over its own connection, until stopped. A third speak HTTP/1.1
 * with keep-alive (node:http's Agent), a third HTTP/2 by prior knowledge (node:http2, one session
 * each), a third WebSocket (the `ws` package) to `/ws`, which echoes.
 */
import { Agent, request as httpRequest } from "node:http";
import { type ClientHttp2Session, connect as h2connect } from "node:http2";
import WebSocket from "ws";

/** Counts of one protocol. */
export interface ProtocolCounts {
  clients: number;
  ok: number;
  errors: number;
  /** Errors counted by their message (first 80 characters). */
  errorKinds: Record<string, number>;
}

/** Counts per protocol. */
export type ActiveCounts = Record<"http1" | "http2" | "ws", ProtocolCounts>;

const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

function counts(clients: number): ProtocolCounts {
  return { clients, ok: 0, errors: 0, errorKinds: {} };
}

function fail(c: ProtocolCounts, error: unknown): void {
  c.errors++;
  const kind = (error instanceof Error ? error.message : String(error)).slice(0, 80);
  c.errorKinds[kind] = (c.errorKinds[kind] ?? 0) + 1;
}

/** The three requests the HTTP clients rotate through, with the body each expects back. */
const ROUTES: { method: string; path: (i: number) => string; body?: string; expect: (i: number) => string }[] = [
  { method: "GET", path: () => "/", expect: () => "Hello, World!" },
  { method: "GET", path: (i) => `/users/${i}`, expect: (i) => `{"id":"${i}"}` },
  {
    method: "POST",
    path: () => "/echo",
    body: "soak ".repeat(40),
    expect: () => "soak ".repeat(40),
  },
];

/** Running active clients. */
export class ActiveClients {
  readonly counts: ActiveCounts;
  #stopped = false;
  #loops: Promise<void>[] = [];
  #agent = new Agent({ keepAlive: true, maxSockets: Number.POSITIVE_INFINITY });
  #sessions: Set<ClientHttp2Session> = new Set();
  #sockets: Set<WebSocket> = new Set();
  readonly #port: number;
  readonly #thinkMs: number;

  /** Start `total` clients against 127.0.0.1:`port`, each waiting about `thinkMs` between requests. */
  constructor(port: number, total: number, thinkMs: number) {
    this.#port = port;
    this.#thinkMs = thinkMs;
    const h1 = Math.ceil(total / 3);
    const h2 = Math.ceil((total - h1) / 2);
    const ws = total - h1 - h2;
    this.counts = { http1: counts(h1), http2: counts(h2), ws: counts(ws) };
    for (let i = 0; i < h1; i++) this.#loops.push(this.#http1Loop(i));
    for (let i = 0; i < h2; i++) this.#loops.push(this.#http2Loop(i));
    for (let i = 0; i < ws; i++) this.#loops.push(this.#wsLoop(i));
  }

  /** Stop every loop, wait for the requests in flight, close the connections. */
  async stop(): Promise<void> {
    this.#stopped = true;
    await Promise.all(this.#loops);
    this.#agent.destroy();
    for (const s of this.#sessions) s.destroy();
    for (const w of this.#sockets) w.terminate();
  }

  /** Think time with jitter (½ to 1½ of it), so the clients do not march in step. */
  #think(): Promise<void> {
    return sleep(this.#thinkMs * (0.5 + Math.random()));
  }

  async #http1Loop(id: number): Promise<void> {
    const c = this.counts.http1;
    await sleep(Math.random() * this.#thinkMs * 2); // spread the start
    for (let n = id; !this.#stopped; n++) {
      const route = ROUTES[n % ROUTES.length]!;
      try {
        const body = await this.#http1Once(route.method, route.path(n), route.body);
        if (body !== route.expect(n)) throw new Error(`unexpected body ${JSON.stringify(body.slice(0, 40))}`);
        c.ok++;
      } catch (error) {
        fail(c, error);
      }
      await this.#think();
    }
  }

  #http1Once(method: string, path: string, body: string | undefined): Promise<string> {
    return new Promise((resolve, reject) => {
      const req = httpRequest(
        { host: "127.0.0.1", port: this.#port, method, path, agent: this.#agent, timeout: 30_000 },
        (res) => {
          let text = "";
          res.setEncoding("utf8");
          res.on("data", (chunk: string) => (text += chunk));
          res.on("end", () => (res.statusCode === 200 ? resolve(text) : reject(new Error(`status ${res.statusCode}`))));
          res.on("error", reject);
        },
      );
      req.on("timeout", () => req.destroy(new Error("timeout")));
      req.on("error", reject);
      req.end(body);
    });
  }

  async #http2Loop(id: number): Promise<void> {
    const c = this.counts.http2;
    await sleep(Math.random() * this.#thinkMs * 2);
    let session: ClientHttp2Session | null = null;
    for (let n = id; !this.#stopped; n++) {
      const route = ROUTES[n % ROUTES.length]!;
      try {
        if (session === null || session.closed || session.destroyed) {
          session = h2connect(`http://127.0.0.1:${this.#port}`);
          session.on("error", () => {}); // surfaces on the stream too
          this.#sessions.add(session);
          const s = session;
          session.once("close", () => this.#sessions.delete(s));
        }
        const body = await http2Once(session, route.method, route.path(n), route.body);
        if (body !== route.expect(n)) throw new Error(`unexpected body ${JSON.stringify(body.slice(0, 40))}`);
        c.ok++;
      } catch (error) {
        fail(c, error);
        session?.destroy();
        session = null;
      }
      await this.#think();
    }
  }

  async #wsLoop(id: number): Promise<void> {
    const c = this.counts.ws;
    await sleep(Math.random() * this.#thinkMs * 2);
    let socket: WebSocket | null = null;
    for (let n = id; !this.#stopped; n++) {
      try {
        if (socket === null || socket.readyState !== WebSocket.OPEN) {
          socket = await openWs(this.#port);
          this.#sockets.add(socket);
          const s = socket;
          socket.once("close", () => this.#sockets.delete(s));
        }
        const text = `soak message ${n} ${"x".repeat(n % 200)}`;
        const echoed = await wsEcho(socket, text);
        if (echoed !== text) throw new Error("echo differs");
        c.ok++;
      } catch (error) {
        fail(c, error);
        socket?.terminate();
        socket = null;
      }
      await this.#think();
    }
  }
}

function http2Once(session: ClientHttp2Session, method: string, path: string, body?: string): Promise<string> {
  return new Promise((resolve, reject) => {
    const stream = session.request({ ":method": method, ":path": path }, { endStream: body === undefined });
    let status = 0;
    let text = "";
    stream.setEncoding("utf8");
    stream.setTimeout(30_000, () => stream.close());
    stream.on("response", (headers) => (status = Number(headers[":status"])));
    stream.on("data", (chunk: string) => (text += chunk));
    stream.on("end", () => (status === 200 ? resolve(text) : reject(new Error(`status ${status}`))));
    stream.on("close", () => {
      if (status === 0) reject(new Error(`stream closed (code ${stream.rstCode})`));
    });
    stream.on("error", reject);
    if (body !== undefined) stream.end(body);
  });
}

function openWs(port: number): Promise<WebSocket> {
  return new Promise((resolve, reject) => {
    const ws = new WebSocket(`ws://127.0.0.1:${port}/ws`, { handshakeTimeout: 30_000 });
    ws.once("open", () => resolve(ws));
    ws.once("error", reject);
  });
}

function wsEcho(ws: WebSocket, text: string): Promise<string> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => done(new Error("echo timeout")), 30_000);
    const onMessage = (data: WebSocket.RawData): void => done(null, String(data));
    const onClose = (): void => done(new Error("closed"));
    const done = (error: Error | null, value?: string): void => {
      clearTimeout(timer);
      ws.off("message", onMessage);
      ws.off("close", onClose);
      if (error !== null) reject(error);
      else resolve(value!);
    };
    ws.on("message", onMessage);
    ws.on("close", onClose);
    ws.send(text);
  });
}
