/**
 * WebSocket cases of the contract suite (RFC 6455, RFC 7692), the same on every runtime.
 *
 * Rules about bytes are checked with a raw TCP client (`WsClient`, raw-ws-client.ts) that writes
 * hand-built masked frames and parses the server's frames itself; compression is done in the test
 * with `node:zlib` (an independent deflate stream, not the server's code). App-level behaviour is
 * also checked with the runtime's own global `WebSocket` client.
 *
 * Runner-neutral: `node:assert/strict`, `node:net`, `node:crypto`, `node:zlib`, `node:buffer`
 * and the global `WebSocket`, which Node, Bun and Deno all have.
 *
 * One file per topic, registered here in order, all in one describe block that shares the
 * servers of {@link useWsServers}.
 */
import type { Runtime, TestApi } from "../harness.ts";
import { backpressureCases } from "./backpressure-cases.ts";
import { closeCases } from "./close-cases.ts";
import { deflateCases } from "./deflate-cases.ts";
import { useWsServers } from "./fixture.ts";
import { handshakeCases } from "./handshake-cases.ts";
import { lifecycleCases } from "./lifecycle-cases.ts";
import { messageCases } from "./message-cases.ts";
import { protocolErrorCases } from "./protocol-error-cases.ts";
import { pubSubCases } from "./pubsub-cases.ts";

/** The WebSocket cases, run against `runtime`'s adapter. */
export function wsCases(t: TestApi, runtime: Runtime): void {
  t.describe(`websocket (${runtime.name})`, () => {
    const s = useWsServers(t, runtime);
    handshakeCases(t, s);
    messageCases(t, s);
    protocolErrorCases(t, s);
    closeCases(t, s);
    deflateCases(t, s);
    backpressureCases(t, s);
    pubSubCases(t, s);
    lifecycleCases(t, s);
  });
}
