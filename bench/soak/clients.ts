/**
 * The soak's client process (its own process, so its sockets do not count against the server's
 * open-file limit): opens the idle connections, then on command runs the active clients.
 *
 *   node bench/soak/clients.ts --port N --idle N --active M --think MS
 *
 * stdout, one JSON object a line: `{"event":"idle",…}` once the idle connections are open and
 * answered; `{"event":"progress",…}` every 5 s while active; `{"event":"final",…}` after "stop".
 * stdin commands, a line each: "start" (active clients), "stop" (stop them, report, exit).
 */
import process from "node:process";
import { createInterface } from "node:readline";
import { IdleConnections } from "../load/idle.ts";
import { buildRequest } from "../load/request.ts";
import { ActiveClients } from "./active.ts";

function flag(name: string, fallback: number): number {
  const at = process.argv.indexOf(name);
  if (at < 0) return fallback;
  const value = Number(process.argv[at + 1]);
  if (!Number.isInteger(value) || value < 0) throw new Error(`invalid ${name} ${process.argv[at + 1]}`);
  return value;
}

const port = flag("--port", 0);
const idleCount = flag("--idle", 0);
const activeCount = flag("--active", 0);
const thinkMs = flag("--think", 250);
const emit = (event: string, data: object): void => console.log(JSON.stringify({ event, ...data }));

const idle = idleCount === 0 ? null : await IdleConnections.open({
  host: "127.0.0.1",
  port,
  request: buildRequest({ method: "GET", authority: `127.0.0.1:${port}`, target: "/", bodySize: 0, headers: [] }),
  method: "GET",
  count: idleCount,
  concurrency: 100,
  expectStatus: 200,
  expectLength: "Hello, World!".length,
  timeoutMs: 60_000,
});
emit("idle", { idle: idle?.report() ?? null });

let active: ActiveClients | null = null;
let progress: ReturnType<typeof setInterval> | null = null;
const commands = createInterface({ input: process.stdin });
commands.on("line", (line: string) => {
  const command = line.trim();
  if (command === "start" && active === null) {
    active = new ActiveClients(port, activeCount, thinkMs);
    progress = setInterval(() => emit("progress", { active: active!.counts }), 5000);
    emit("started", {});
  } else if (command === "stop") void stop();
});
commands.on("close", () => void stop());

let stopping = false;
async function stop(): Promise<void> {
  if (stopping) return;
  stopping = true;
  if (progress !== null) clearInterval(progress);
  await active?.stop();
  emit("final", { active: active?.counts ?? null, idle: idle?.report() ?? null });
  idle?.close();
  process.exit(0);
}
