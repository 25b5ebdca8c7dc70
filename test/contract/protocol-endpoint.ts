/**
 * One server of a battery's own app and a client to it, for one protocol of `PROTOCOLS`: what a
 * case file needs to run its cases over HTTP/1.1, h2c and h2 over TLS on every runtime.
 */
import type { Server } from "../../core/server/server.ts";
import type { ServeTarget } from "../../core/app/serve-target.ts";
import { type Runtime, start, type TestApi } from "./harness.ts";
import type { HttpClient } from "./http-client.ts";
import type { ProtocolUnderTest } from "./semantics-setup.ts";
import { cert, key } from "./tls-fixture.ts";

/** A started server and a client to it; valid once the block's `beforeAll` has run. */
export interface ProtocolEndpoint {
  readonly port: number;
  readonly client: HttpClient;
}

/**
 * Serve `target()` (made in `beforeAll`, after the block's earlier hooks) over TLS when the
 * protocol asks, connect a client; both closed in `afterAll`.
 */
export function useProtocolEndpoint(
  t: TestApi,
  runtime: Runtime,
  under: ProtocolUnderTest,
  target: () => ServeTarget,
): ProtocolEndpoint {
  let server: Server | null = null;
  let client: HttpClient | null = null;
  t.beforeAll(async () => {
    server = await start(runtime, target(), under.tls ? { tls: { cert, key } } : {});
    client = await under.connect(server.address.port);
  });
  t.afterAll(async () => {
    await client?.close();
    await server?.close();
  });
  return {
    get port(): number {
      if (server === null) throw new Error("server not started");
      return server.address.port;
    },
    get client(): HttpClient {
      if (client === null) throw new Error("client not connected");
      return client;
    },
  };
}
