/**
 * Stress cases of the contract suite: large bodies with slow readers, a flood of pipelined
 * requests that are never read, unread request bodies, and the idle and head timeouts.
 *
 * What they prove is backpressure both ways (DESIGN.md §5): the server stops reading a socket
 * while the app is behind, and stops producing while `write` returns false, so its memory stays
 * flat whatever the client does. The server runs in this very process, so "server memory" is
 * this process's memory; each case measures it against a baseline taken after a warm-up.
 *
 * Runner-neutral: `node:assert/strict`, `node:net`, `node:process`, `node:v8`/`node:vm`, which
 * Node, Bun and Deno all have.
 *
 * One file per topic, registered here in order, all in one describe block that shares the
 * server of {@link useStressServer}.
 */
import type { Runtime, TestApi } from "../harness.ts";
import { useStressServer } from "./fixture.ts";
import { slowReaderCases } from "./slow-reader-cases.ts";
import { timeoutCases } from "./timeout-cases.ts";
import { unreadBodyCases } from "./unread-body-cases.ts";
import { idleConnectionCases } from "./idle-connection-cases.ts";

/** The stress cases, run against `runtime`'s adapter. Each case stays well under 30 s. */
export function stressCases(t: TestApi, runtime: Runtime): void {
  t.describe(`stress (${runtime.name})`, () => {
    const s = useStressServer(t, runtime);
    // First: a memory probe left sampling by a failed case (it forces collections) would skew its latencies.
    idleConnectionCases(t, s);
    slowReaderCases(t, s);
    unreadBodyCases(t, s);
    timeoutCases(t, s);
  });
}
