/**
 * The HTTP/2 load generator of the h2 scenario: h2load (nghttp2, Debian `nghttp2-client`),
 * cleartext HTTP/2 by prior knowledge (h2c, its default for `http://`), duration-based, one
 * thread, pinned like every generator; its text summary reduced to the bench's RunResult.
 * And a one-request check, with node:http2 as the client, that a server really answers `GET /`
 * over h2c with the expected body before it is measured (h2load does not look at bodies).
 */
import { connect, constants } from "node:http2";
import type { GeneratorTarget, RunResult } from "./generators.ts";
import { Child, type Placement } from "./procs.ts";

/** h2load's summary, as printed (nghttp2 1.52 and later). Times in ms. */
export interface H2loadSummary {
  /** "h2c", from "Application protocol: …"; null when no connection got that far. */
  protocol: string | null;
  total: number;
  started: number;
  done: number;
  /** Requests that completed with a 2xx or 3xx status. */
  succeeded: number;
  /** Requests that did not: non-2xx/3xx statuses, stream or connection errors, timeouts. */
  failed: number;
  /** Of the failed: stream or connection errors. */
  errored: number;
  timeout: number;
  status: { "2xx": number; "3xx": number; "4xx": number; "5xx": number };
  /** The "req/s" of the "finished in" line (succeeded ÷ main duration). */
  rps: number;
  /** "time for request" (stream opened → stream closed): min, max, mean, sd. */
  request: { min: number; max: number; mean: number; sd: number };
}

/** "107us", "15.43ms", "1.2s", "0us" → ms. */
export function h2loadTime(text: string): number {
  const m = /^([\d.]+)(us|ms|s)$/.exec(text.trim());
  if (m === null) throw new Error(`h2load: unreadable time ${JSON.stringify(text)}`);
  const v = Number(m[1]);
  return m[2] === "us" ? v / 1000 : m[2] === "ms" ? v : v * 1000;
}

/** Parse h2load's stdout; throws when the summary is not there. */
export function parseH2load(out: string): H2loadSummary {
  const need = (re: RegExp, what: string): RegExpExecArray => {
    const m = re.exec(out);
    if (m === null) throw new Error(`h2load: no ${what} in its output`);
    return m;
  };
  const finished = need(/^finished in \S+, ([\d.]+) req\/s/m, '"finished in" line');
  const r = need(
    /^requests: (\d+) total, (\d+) started, (\d+) done, (\d+) succeeded, (\d+) failed, (\d+) errored, (\d+) timeout/m,
    '"requests:" line',
  );
  const s = need(/^status codes: (\d+) 2xx, (\d+) 3xx, (\d+) 4xx, (\d+) 5xx/m, '"status codes:" line');
  const t = need(/^time for request:\s+(\S+)\s+(\S+)\s+(\S+)\s+(\S+)/m, '"time for request:" line');
  const protocol = /^Application protocol: (\S+)/m.exec(out)?.[1] ?? null;
  const n = (m: RegExpExecArray, i: number): number => Number(m[i]);
  return {
    protocol,
    total: n(r, 1),
    started: n(r, 2),
    done: n(r, 3),
    succeeded: n(r, 4),
    failed: n(r, 5),
    errored: n(r, 6),
    timeout: n(r, 7),
    status: { "2xx": n(s, 1), "3xx": n(s, 2), "4xx": n(s, 3), "5xx": n(s, 4) },
    rps: Number(finished[1]),
    request: { min: h2loadTime(t[1]!), max: h2loadTime(t[2]!), mean: h2loadTime(t[3]!), sd: h2loadTime(t[4]!) },
  };
}

/**
 * The summary as a RunResult. Only 2xx responses count: every failed request (h2load's
 * `failed`, which includes the errored and timed-out ones) and every 3xx is an error of a named
 * kind. h2load has no latency percentiles in its summary (only with a per-request log file,
 * whose write per request would slow it down), so p50/p90/p99 are null and `mean` is set.
 */
export function h2loadResult(s: H2loadSummary, durationMs: number): RunResult {
  // errored ⊂ failed (h2load(1): the failures other than an HTTP status); timeouts are errored.
  const errors: Record<string, number> = {};
  const byStatus = s.failed - s.errored;
  const broken = s.errored - s.timeout;
  if (byStatus > 0) errors["failed: status ≥ 400"] = byStatus;
  if (broken > 0) errors["failed: stream or connection error"] = broken;
  if (s.timeout > 0) errors["failed: timeout"] = s.timeout;
  if (s.status["3xx"] > 0) errors["status 3xx"] = s.status["3xx"];
  const good = Math.max(0, s.succeeded - s.status["3xx"]);
  const rps = (good * 1000) / durationMs;
  return {
    rps,
    mbps: 0,
    requests: good,
    durationMs,
    p50: null,
    p90: null,
    p99: null,
    mean: s.request.mean,
    max: s.request.max,
    errors,
    reconnects: 0,
  };
}

/** h2load's argv for a run: `-c` connections × `-m` streams, `-D` main duration, optional warm-up. */
export function h2loadArgs(h2load: string, target: GeneratorTarget, warmUpMs: number): string[] {
  const { spec } = target;
  if (spec.h2 === undefined) throw new Error("h2load drives h2 scenarios only");
  return [
    h2load,
    "-t",
    "1",
    "-c",
    String(spec.connections),
    "-m",
    String(spec.h2.streams),
    "-D",
    `${Math.max(1, Math.round(target.durationMs))}ms`,
    ...(warmUpMs > 0 ? ["--warm-up-time", `${Math.round(warmUpMs)}ms`] : []),
    `http://127.0.0.1:${target.port}${spec.path}`,
  ];
}

/**
 * One h2load run: `warmUpMs` of load that is not counted (connections come up, HPACK tables
 * fill), then `target.durationMs` measured. Throws when no connection spoke h2c.
 */
export async function runH2load(
  h2load: string,
  target: GeneratorTarget,
  placement: Placement,
  warmUpMs = 0,
): Promise<RunResult> {
  const child = new Child(h2loadArgs(h2load, target, warmUpMs), placement).killOnAbort(target.signal);
  await child.waitLine((l) => l.startsWith("time for request:"), target.durationMs + warmUpMs + 60_000, "h2load");
  const code = await child.exited;
  const s = parseH2load(child.stdout);
  if (s.protocol === null) throw new Error(`h2load: no connection was made (exit ${code})\n${child.tail()}`);
  if (s.protocol !== "h2c") throw new Error(`h2load: the server spoke ${s.protocol}, not h2c`);
  return h2loadResult(s, target.durationMs);
}

/**
 * One `GET` over h2c by prior knowledge with node:http2 as the client: resolves when the answer
 * is `expectStatus` with exactly `expectBody`, else rejects with what came instead.
 */
export function checkH2c(
  port: number,
  path: string,
  expectBody: string,
  expectStatus = 200,
  timeoutMs = 5_000,
): Promise<void> {
  return new Promise((resolve, reject) => {
    const session = connect(`http://127.0.0.1:${port}`);
    const timer = setTimeout(() => fail(new Error(`no answer over h2c in ${timeoutMs} ms`)), timeoutMs);
    let settled = false;
    const fail = (error: Error): void => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      session.destroy();
      reject(error);
    };
    session.on("error", (error) => fail(new Error(`h2c: ${error.message}`)));
    const stream = session.request({ [constants.HTTP2_HEADER_PATH]: path, [constants.HTTP2_HEADER_METHOD]: "GET" });
    let status = 0;
    const chunks: Buffer[] = [];
    stream.on("response", (headers) => void (status = Number(headers[constants.HTTP2_HEADER_STATUS])));
    stream.on("data", (chunk: Buffer) => chunks.push(chunk));
    stream.on("error", (error) => fail(new Error(`h2c stream: ${error.message}`)));
    stream.on("end", () => {
      const body = Buffer.concat(chunks).toString("utf8");
      if (status !== expectStatus || body !== expectBody) {
        fail(
          new Error(
            `GET ${path} over h2c answered ${status} ${JSON.stringify(body.slice(0, 60))}, expected ${expectStatus} ${
              JSON.stringify(expectBody)
            }`,
          ),
        );
        return;
      }
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      session.close();
      resolve();
    });
    stream.end();
  });
}
