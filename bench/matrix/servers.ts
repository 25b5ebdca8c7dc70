/**
 * The servers the bench measures: wirecore's and each runtime's native peer, started as pinned
 * child processes on a free port.
 */
import { Child, type Placement } from "./procs.ts";
import type { RuntimeInfo, RuntimeName } from "./system.ts";

/** The native server of each runtime, where a scenario names no peers of its own. */
export const PEERS: Record<RuntimeName, string> = {
  node: "bench/peers/node-http.ts",
  bun: "bench/peers/bun-serve.ts",
  deno: "bench/peers/deno-serve.ts",
};

/** The command that starts `script` on `rt`, on a free port. */
export function serverCommand(rt: RuntimeInfo, script: string, extra: string[] = []): string[] {
  return [...rt.command, script, "--port", "0", "--idle-timeout", "120", ...extra];
}

/** A started server: its process and the port it listens on. */
export interface RunningServer {
  child: Child;
  port: number;
}

/** Start a server and wait (30 s at most) for its `listening on` line; killed if it never comes. */
export async function startServer(command: string[], place: Placement): Promise<RunningServer> {
  const child = new Child(command, place);
  try {
    const line = await child.waitLine((l) => /listening on http:\/\/127\.0\.0\.1:\d+/.test(l), 30_000, "server start");
    return { child, port: Number(/127\.0\.0\.1:(\d+)/.exec(line)![1]) };
  } catch (error) {
    await child.kill();
    throw error;
  }
}
