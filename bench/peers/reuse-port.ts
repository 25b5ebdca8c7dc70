/**
 * `--workers N` for the Bun.serve and Deno.serve peers: the first process picks a port, starts N copies of the same
 * script with `--port P` and `BENCH_REUSE_PORT=1` (each then serves with `reusePort: true`), waits for every one to
 * listen and prints the one `listening on` line the bench waits for. A multi-core server the way a user of that
 * runtime would write it, without wirecore's supervision.
 */
import { type ChildProcess, spawn } from "node:child_process";
import { createServer } from "node:net";
import process from "node:process";

/** In a worker started by {@link startReusePortWorkers}: serve with `reusePort: true`. */
export const isReusePortWorker: boolean = process.env.BENCH_REUSE_PORT === "1";

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const probe = createServer().once("error", reject);
    probe.listen({ port: 0, host: "127.0.0.1" }, () => {
      const address = probe.address();
      probe.close(() => resolve(typeof address === "object" && address !== null ? address.port : 0));
    });
  });
}

/**
 * With `workers` > 1 in the first process: start them and never return (the process stays to print and to stop
 * them); otherwise return at once and let the caller serve.
 */
export async function startReusePortWorkers(script: string, workers: number, port: number): Promise<void> {
  if (workers <= 1 || isReusePortWorker) return;
  const chosen = port === 0 ? await freePort() : port;
  const deno = (globalThis as { Deno?: { execPath(): string } }).Deno;
  const args = process.argv.slice(2).filter((_, i, all) => all[i] !== "--port" && all[i - 1] !== "--port");
  const command = deno !== undefined
    ? [deno.execPath(), "run", "-A", "--unstable-net", script, ...args, "--port", String(chosen)]
    : [process.execPath, script, ...args, "--port", String(chosen)];
  const children: ChildProcess[] = [];
  await Promise.all(Array.from({ length: workers }, () =>
    new Promise<void>((resolve, reject) => {
      const child = spawn(command[0] as string, command.slice(1), {
        stdio: ["ignore", "pipe", "inherit"],
        env: { ...process.env, BENCH_REUSE_PORT: "1" },
      });
      children.push(child);
      child.stdout?.on("data", (chunk: Uint8Array) => {
        if (String(chunk).includes("listening on")) resolve();
      });
      child.once("exit", (code) => reject(new Error(`a worker exited (${code}) before listening`)));
    })));
  console.log(`listening on http://127.0.0.1:${chosen}`);
  const stop = (): void => {
    for (const child of children) child.kill("SIGKILL");
    process.exit(0);
  };
  for (const signal of ["SIGINT", "SIGTERM"] as const) process.once(signal, stop);
  // The bench kills this process group with SIGKILL: the workers are in it, so they go too.
  await new Promise(() => {});
}
