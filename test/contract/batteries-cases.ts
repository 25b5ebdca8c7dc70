/**
 * The CORS and compression middleware over real sockets, on every runtime and every protocol:
 * HTTP/1.1 (`node:http`, which never decodes a body), HTTP/2 h2c and HTTP/2 over TLS
 * (`node:http2`). Bodies are decompressed here with `node:zlib` and compared byte for byte.
 */
import type { Server } from "../../core/server/server.ts";
import { type Runtime, start, type TestApi } from "./harness.ts";
import type { HttpClient } from "./http-client.ts";
import { NodeHttp1Client } from "./http1-node-client.ts";
import { PROTOCOLS, type ProtocolUnderTest } from "./semantics-setup.ts";
import { createBatteriesApp } from "./batteries-app.ts";
import { compressCases, compressFramingCases } from "./compress-cases.ts";
import { corsCases } from "./cors-cases.ts";
import { cert, key } from "./tls-fixture.ts";

/** HTTP/1.1 through `node:http` instead of `fetch`, which would decode the bodies under test. */
const BATTERY_PROTOCOLS: readonly ProtocolUnderTest[] = [
  {
    name: "HTTP/1.1 (node:http)",
    protocol: "http/1.1",
    tls: false,
    connect: (port) => Promise.resolve(new NodeHttp1Client(port)),
  },
  ...PROTOCOLS.filter((under) => under.protocol !== "http/1.1"),
];

/** What the cases of one protocol's block use; valid once its `beforeAll` has run. */
export interface BatterySetup {
  readonly under: ProtocolUnderTest;
  readonly runtime: Runtime;
  readonly client: HttpClient;
  readonly port: number;
}

export function batteriesCases(t: TestApi, runtime: Runtime): void {
  for (const under of BATTERY_PROTOCOLS) {
    t.describe(`CORS and compression over ${under.name}`, () => {
      let server: Server | null = null;
      let client: HttpClient | null = null;
      t.beforeAll(async () => {
        server = await start(runtime, createBatteriesApp(), under.tls ? { tls: { cert, key } } : {});
        client = await under.connect(server.address.port);
      });
      t.afterAll(async () => {
        await client?.close();
        await server?.close();
      });
      const s: BatterySetup = {
        under,
        runtime,
        get client(): HttpClient {
          if (client === null) throw new Error("client not connected");
          return client;
        },
        get port(): number {
          if (server === null) throw new Error("server not started");
          return server.address.port;
        },
      };
      compressCases(t, s);
      corsCases(t, s);
      if (under.protocol === "http/1.1") compressFramingCases(t, s);
    });
  }
}
