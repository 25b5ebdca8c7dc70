/**
 * The load generator's WebSocket mode: N connections over `node:net`, each opened with a real
 * opening handshake (RFC 6455 §4.1: a random key, then the 101 checked — Upgrade, Connection and
 * Sec-WebSocket-Accept — with wirecore's response parser), then K messages kept in flight: every
 * echo that comes back is verified and replaced by a new message (closed loop per connection,
 * K deep). Echoes arrive in order on a connection, so each one is matched with the oldest
 * message in flight.
 *
 * Every echo is verified before it counts: its type (text stays text, binary stays binary), its
 * length and its bytes (compared as they arrive, without copying; ws-echo-check.ts). Frames are
 * prebuilt and masked once (ws-frames.ts, ws-run.ts); the messages an incoming chunk completes
 * are replaced in one write (ws-connection.ts).
 *
 * Latency per message runs from the write that carried it to the end of its echo, so time spent
 * queued behind the other K−1 messages is included (as with --pipeline).
 *
 * With `deflate`, the client offers permessage-deflate (RFC 7692) without context takeover either
 * way: every server then does the same work per message (compress it from scratch, inflate ours
 * from scratch), the client's messages are compressed once, up front, and the generator's own
 * inflating stays cheap. A server that keeps its context anyway is still read correctly: the
 * echoes are inflated with whatever context takeover the response agreed to, then compared.
 */
import { type LatencySummary, latencySummary } from "./histogram.ts";
import { ERROR_TIMEOUT } from "./verify.ts";
import { WsConnection } from "./ws-connection.ts";
import { type WsLoadOptions, WsRun } from "./ws-run.ts";

/** What a run measured. Only verified echoes inside the measured window count. */
export interface WsLoadResult {
  mode: "ws";
  /** Verified echoes. */
  messages: number;
  durationMs: number;
  /** Verified echoes per second. */
  messagesPerSecond: number;
  /** Echoed payload MB/s (verified echoes × message size / 10⁶ per second). */
  mbps: number;
  messageSize: number;
  binary: boolean;
  /** The Sec-WebSocket-Extensions the server agreed to ("" for none), of the first connection. */
  extensions: string;
  /** Bytes on the wire in the window. */
  bytesRead: number;
  bytesWritten: number;
  latency: LatencySummary;
  errors: Record<string, number>;
  errorExamples: Record<string, string>;
  connections: number;
  reconnects: number;
  /** Time to open the connections and finish their handshakes, ms. */
  connectMs: number;
}

const now = (): number => performance.now();

/** Run the WebSocket load and report. */
export async function runWsLoad(options: WsLoadOptions): Promise<WsLoadResult> {
  const run = new WsRun(options);
  const all: WsConnection[] = [];
  for (let i = 0; i < options.connections; i++) all.push(new WsConnection(run, i));
  const connectStart = now();
  let next = 0;
  const worker = async (): Promise<void> => {
    while (next < all.length) await all[next++]!.connect();
  };
  await Promise.all(Array.from({ length: Math.min(options.connectConcurrency ?? 256, all.length) }, worker));
  const connectMs = now() - connectStart;
  const up = all.filter((c) => c.open);
  if (up.length === 0) return result(run, 0, connectMs, 0);

  const start = now();
  run.measuring = true;
  for (const c of up) c.send(options.inflight);
  const timeoutCheck = setInterval(() => {
    const t = now();
    for (const c of all) {
      if (c.open && c.outstanding > 0 && t - c.sentAt[c.head]! > options.timeoutMs) {
        c.fail(ERROR_TIMEOUT, `no echo within ${options.timeoutMs} ms`);
      }
    }
  }, Math.min(100, options.timeoutMs));
  await new Promise<void>((resolve) => setTimeout(resolve, options.durationMs));
  const durationMs = now() - start;
  run.measuring = false;
  run.stopped = true;
  clearInterval(timeoutCheck);
  for (const c of all) {
    const s = c.socket;
    c.socket = null;
    s?.destroy();
    c.codec?.close();
  }
  return result(run, durationMs, connectMs, up.length);
}

function result(run: WsRun, durationMs: number, connectMs: number, connections: number): WsLoadResult {
  const o = run.options;
  const mps = durationMs > 0 ? (run.completed * 1000) / durationMs : 0;
  return {
    mode: "ws",
    messages: run.completed,
    durationMs,
    messagesPerSecond: mps,
    mbps: (mps * o.messageSize) / 1e6,
    messageSize: o.messageSize,
    binary: o.binary,
    extensions: run.extensions ?? "",
    bytesRead: run.bytesRead,
    bytesWritten: run.bytesWritten,
    latency: latencySummary(run.latency),
    errors: run.verifier.toJSON(),
    errorExamples: Object.fromEntries(run.verifier.examples),
    connections,
    reconnects: run.reconnects,
    connectMs,
  };
}
