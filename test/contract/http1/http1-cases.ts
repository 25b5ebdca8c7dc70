/**
 * The HTTP/1.1 contract: black-box cases over real sockets, the same on every runtime.
 * Framing is checked on raw bytes (RawClient + raw-response.ts); app-level behaviour with fetch.
 * A case that enforces a protocol rule names its RFC section.
 *
 * One file per topic, registered here in order; each topic's describe blocks start their own
 * server.
 */
import type { Runtime, TestApi } from "../harness.ts";
import { appCases } from "./app-cases.ts";
import { connectionCases } from "./connection-cases.ts";
import { disconnectCases, shutdownCases } from "./disconnect-and-shutdown-cases.ts";
import { fetchHandlerCases, honoCases } from "./fetch-handler-cases.ts";
import { framingCases } from "./framing-cases.ts";
import { bodySizeLimitCases, rejectionCases } from "./rejection-cases.ts";

/** Every HTTP/1.1 case of the contract suite. */
export function http1Cases(t: TestApi, runtime: Runtime): void {
  t.describe("HTTP/1.1", () => {
    connectionCases(t, runtime);
    framingCases(t, runtime);
    rejectionCases(t, runtime);
    bodySizeLimitCases(t, runtime);
    appCases(t, runtime);
    fetchHandlerCases(t, runtime);
    honoCases(t, runtime);
    disconnectCases(t, runtime);
    shutdownCases(t, runtime);
  });
}
