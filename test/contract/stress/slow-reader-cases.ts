/**
 * Backpressure both ways with a slow reader (DESIGN.md §5): 50 MiB up and down, and a flood of
 * pipelined requests, each byte-exact and in bounded memory.
 */
import type { TestApi } from "../harness.ts";
import type { StressSuite } from "./fixture.ts";
import { MemoryProbe, MiB, mib } from "./memory-probe.ts";
import { download, echo, FLOOD_MAX, pipelineFlood } from "./transfers.ts";
import { TIME_SCALE } from "./environment.ts";

/** The size of the big transfers. */
const BIG = 50 * MiB;

export function slowReaderCases(t: TestApi, s: StressSuite): void {
  const { runtime, counters, probes, sockets } = s;
  // Each case first runs a smaller transfer of the same shape: the runtime's heap, allocator
  // and JIT settle there, and the baseline is taken after it.
  t.it("streams a 50 MiB upload back to a slow reader, byte-exact, in bounded memory (POST /echo)", async () => {
    await echo(s.port, 16 * MiB, null);
    const probe = new MemoryProbe(`${runtime.name} echo 50 MiB`);
    probes.push(probe);
    const result = await echo(s.port, BIG, probe);
    probe.finish(`, upload stalled at ${mib(result.stalledAt)}`);
  }, 30_000 * TIME_SCALE);

  t.it("streams a 50 MiB download to a slow reader, byte-exact, in bounded memory", async () => {
    await download(s.port, counters, 16 * MiB, null);
    const probe = new MemoryProbe(`${runtime.name} download 50 MiB`);
    probes.push(probe);
    const result = await download(s.port, counters, BIG, probe);
    probe.finish(`, producer stalled at ${mib(result.stalledAt)}`);
  }, 30_000 * TIME_SCALE);

  t.it("stops reading a client that pipelines requests without reading, then answers all in order", async () => {
    await pipelineFlood(s.port, counters, null, sockets, 10_000);
    const probe = new MemoryProbe(`${runtime.name} pipeline flood`);
    probes.push(probe);
    const result = await pipelineFlood(s.port, counters, probe, sockets, FLOOD_MAX);
    probe.finish(
      `, stall after ${result.sent} requests sent (${
        mib(result.bytes)
      }), ${result.served} answered; drained in ${result.drainMs} ms`,
    );
  }, 30_000 * TIME_SCALE);
}
