/**
 * The protocols the semantics cases run over, and the servers and clients of one protocol's
 * describe block.
 */
import type { Server } from "../../core/server/server.ts";
import type { ServeTarget } from "../../core/app/serve-target.ts";
import { type Runtime, start, type TestApi } from "./harness.ts";
import type { HttpClient, Protocol } from "./http-client.ts";
import { Http1Client } from "./http1-client.ts";
import { Http2Client } from "./http2-client.ts";
import { createHonoApp, fetchHandler } from "./fixture-app.ts";
import { createSemanticsApp } from "./semantics-app.ts";
import { cert, key } from "./tls-fixture.ts";

/** One way to carry the cases: a protocol, whether it runs over TLS, and its client. */
export interface ProtocolUnderTest {
  /** For the describe block's name. */
  readonly name: string;
  readonly protocol: Protocol;
  readonly tls: boolean;
  connect(port: number): Promise<HttpClient>;
}

/** HTTP/1.1 over `fetch`; HTTP/2 over `node:http2`, cleartext (prior knowledge) and TLS (ALPN). */
export const PROTOCOLS: readonly ProtocolUnderTest[] = [
  {
    name: "HTTP/1.1 (fetch)",
    protocol: "http/1.1",
    tls: false,
    connect: (port) => Promise.resolve(new Http1Client(port)),
  },
  {
    name: "HTTP/2 h2c, prior knowledge (node:http2)",
    protocol: "h2c",
    tls: false,
    connect: (port) => Http2Client.connect(port),
  },
  {
    name: "HTTP/2 over TLS, ALPN h2 (node:http2)",
    protocol: "h2",
    tls: true,
    connect: (port) => Http2Client.connect(port, { ca: cert }),
  },
];

/** A server of the block and a client connected to it. */
export interface Endpoint {
  readonly port: number;
  /** The client shared by the block's cases: over HTTP/2, one connection. */
  readonly client: HttpClient;
  /** `scheme://127.0.0.1:port`, the origin a handler sees in its request URL. */
  readonly origin: string;
}

/** What the cases of one protocol's block use; valid once its `beforeAll` has run. */
export interface SemanticsSetup {
  readonly under: ProtocolUnderTest;
  /** The native app of `semantics-app.ts`. */
  readonly app: Endpoint;
  /** The web fetch-style handler of `fixture-app.ts`. */
  readonly fetch: Endpoint;
  /** The Hono app of `fixture-app.ts`. */
  readonly hono: Endpoint;
}

/** Start the three servers (over TLS when the protocol asks) and a client for each. */
export function useSemantics(t: TestApi, runtime: Runtime, under: ProtocolUnderTest): SemanticsSetup {
  const servers: Server[] = [];
  const clients: HttpClient[] = [];
  const endpoints: Endpoint[] = [];
  t.beforeAll(async () => {
    const targets: ServeTarget[] = [createSemanticsApp(), fetchHandler, createHonoApp()];
    for (const target of targets) {
      const server = await start(runtime, target, under.tls ? { tls: { cert, key } } : {});
      servers.push(server);
      const port = server.address.port;
      const client = await under.connect(port);
      clients.push(client);
      endpoints.push({ port, client, origin: `${under.tls ? "https" : "http"}://127.0.0.1:${port}` });
    }
  });
  t.afterAll(async () => {
    for (const client of clients) await client.close();
    for (const server of servers) await server.close();
  });
  const endpoint = (i: number): Endpoint => {
    const found = endpoints[i];
    if (found === undefined) throw new Error("servers not started");
    return found;
  };
  return {
    under,
    get app(): Endpoint {
      return endpoint(0);
    },
    get fetch(): Endpoint {
      return endpoint(1);
    },
    get hono(): Endpoint {
      return endpoint(2);
    },
  };
}
