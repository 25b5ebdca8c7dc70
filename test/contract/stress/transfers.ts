/**
 * The big transfers of the stress cases, each against a client that reads nothing until the
 * server must have stopped: a 50 MiB echo, a 50 MiB download, and a flood of pipelined requests.
 * Each measures memory at the stall through a probe (none for the warm-up runs).
 */
import assert from "node:assert/strict";
import { RawClient } from "../harness.ts";
import { PatternCheck } from "./byte-pattern.ts";
import type { StressCounters } from "./fixture.ts";
import { type MemoryProbe, mib } from "./memory-probe.ts";
import { TIME_SCALE } from "./environment.ts";
import { latin1, type ResponseHead } from "./response-reader.ts";
import { drained, SlowClient, stalls, writePattern } from "./slow-client.ts";

/**
 * Upload `size` bytes to `POST /echo` and read the echo back slowly: first read nothing until the
 * upload stalls (the server must stop reading it), measure, then read in bursts.
 */
export async function echo(port: number, size: number, probe: MemoryProbe | null): Promise<{ stalledAt: number }> {
  const check = new PatternCheck();
  let status = 0;
  let done = false;
  const client = await SlowClient.open(port, {
    head: (head) => (status = head.status),
    body: (bytes) => check.push(bytes),
    complete: () => (done = true),
  });
  const deadline = Date.now() + 20_000 * TIME_SCALE;
  try {
    client.socket.pause();
    const progress = { written: 0 };
    const head =
      `POST /echo HTTP/1.1\r\nHost: stress\r\nContent-Type: application/octet-stream\r\nContent-Length: ${size}\r\n\r\n`;
    client.socket.write(head);
    let writeError: unknown = null;
    const writing = writePattern(client.socket, size, progress).catch((error) => (writeError = error));
    // Nobody reads the echo: the server must stop echoing, then stop reading the upload.
    const stalled = await stalls(() => progress.written, () => progress.written >= size, 750, 10_000 * TIME_SCALE);
    const stalledAt = progress.written;
    probe?.measureRetained();
    assert.ok(stalled, `the upload never stalled while the echo was not read: ${mib(progress.written)} written`);
    await client.readSlowly(() => done, 512 * 1024, 10, deadline, `echo of ${mib(size)}`);
    await within(Math.max(0, deadline - Date.now()), "upload", writing);
    if (writeError !== null) throw writeError;
    assert.equal(status, 200);
    assert.equal(check.error, null, check.error ?? "");
    assert.equal(check.offset, size, `echoed ${check.offset} of ${size} bytes`);
    return { stalledAt };
  } finally {
    client.close();
  }
}

/** Download `size` bytes from the stress route: read nothing until the server stops producing, measure, then read in bursts. */
export async function download(
  port: number,
  counters: StressCounters,
  size: number,
  probe: MemoryProbe | null,
): Promise<{ stalledAt: number }> {
  const check = new PatternCheck();
  let head: ResponseHead | null = null;
  let done = false;
  const client = await SlowClient.open(port, {
    head: (h) => (head = h),
    body: (bytes) => check.push(bytes),
    complete: () => (done = true),
  });
  const deadline = Date.now() + 20_000 * TIME_SCALE;
  try {
    client.socket.pause();
    const before = counters.produced;
    client.socket.write(`GET /stress/download?bytes=${size} HTTP/1.1\r\nHost: stress\r\n\r\n`);
    // Nobody reads: once the socket is full the server must stop pulling from the stream.
    const produced = (): number => counters.produced - before;
    const stalled = await stalls(produced, () => produced() >= size, 750, 10_000 * TIME_SCALE);
    const stalledAt = produced();
    probe?.measureRetained();
    assert.ok(stalled, `the server went on producing while nobody read: ${mib(produced())} produced`);
    await client.readSlowly(() => done, 512 * 1024, 10, deadline, `download of ${mib(size)}`);
    const h = head as ResponseHead | null;
    assert.equal(h?.status, 200);
    assert.equal(h?.headers.get("content-length"), String(size));
    assert.equal(check.error, null, check.error ?? "");
    assert.equal(check.offset, size, `received ${check.offset} of ${size} bytes`);
    return { stalledAt };
  } finally {
    client.close();
  }
}

/** Most requests the flood sends: far more than the socket buffers hold (see FLOOD_PAD). */
export const FLOOD_MAX = 400_000;
/** Requests per write. */
const FLOOD_BATCH = 100;
/**
 * Each flood request carries ~500 bytes of header, so the socket buffers (here up to 4 MiB send
 * + 32 MiB receive) take at most ~70 000 of them: a server that stops reading makes the writer
 * stall well before FLOOD_MAX, while the number of responses to read back stays modest.
 */
const FLOOD_PAD = "p".repeat(480);
/** Request numbers are written with this many digits, so a batch is patched in place. */
const ID_DIGITS = 7;
const REQUEST_TEMPLATE = `GET /stress/seq/${"0".repeat(ID_DIGITS)} HTTP/1.1\r\nHost: s\r\nX-Pad: ${FLOOD_PAD}\r\n\r\n`;
const ID_AT = REQUEST_TEMPLATE.indexOf("0");

/** Request number `i` as the flood sends it (and the server echoes it). */
function floodId(i: number): string {
  return String(i).padStart(ID_DIGITS, "0");
}

/**
 * The flood's writes come from two batch buffers, each rewritten in place once the socket is
 * done with it: the client makes no garbage of its own, so the memory the case measures (the
 * client runs in the server's process) is the server's.
 */
class FloodBatches {
  readonly #buffers = [FloodBatches.#fresh(), FloodBatches.#fresh()];
  readonly #free: Promise<void>[] = [Promise.resolve(), Promise.resolve()];
  #slot = 0;

  static #fresh(): Uint8Array {
    return new TextEncoder().encode(REQUEST_TEMPLATE.repeat(FLOOD_BATCH));
  }

  /** Requests `from` to `to` - 1, once the buffer for them is free again. */
  async next(from: number, to: number): Promise<{ bytes: Uint8Array; written(): void }> {
    const slot = this.#slot;
    this.#slot ^= 1;
    await this.#free[slot];
    const buffer = this.#buffers[slot]!;
    for (let i = from; i < to; i++) {
      const id = floodId(i);
      const at = (i - from) * REQUEST_TEMPLATE.length + ID_AT;
      for (let d = 0; d < ID_DIGITS; d++) buffer[at + d] = id.charCodeAt(d);
    }
    let written = (): void => {};
    this.#free[slot] = new Promise<void>((resolve) => (written = resolve));
    return { bytes: buffer.subarray(0, (to - from) * REQUEST_TEMPLATE.length), written };
  }
}

/**
 * Pipeline `GET /stress/seq/<i>` (i in 7 digits) for i = 0, 1, … without reading until the
 * writes stall; check that the server stopped too, memory, and that a second client is served
 * meanwhile; then read everything and check that each answer carries its number.
 */
export async function pipelineFlood(
  port: number,
  counters: StressCounters,
  probe: MemoryProbe | null,
  sockets: { close(): void }[],
  max: number,
): Promise<{ sent: number; bytes: number; served: number; drainMs: number }> {
  let expectId = 0;
  let bad: string | null = null;
  let status = 0;
  let body = "";
  const client = await SlowClient.open(port, {
    head: (head) => {
      status = head.status;
      body = "";
    },
    body: (bytes) => (body += latin1(bytes, 0, bytes.length)),
    complete: () => {
      if (bad === null && (status !== 200 || body !== floodId(expectId))) {
        bad = `response ${expectId}: ${status} ${body}`;
      }
      expectId++;
    },
  });
  sockets.push(client);
  client.socket.pause();
  const servedBefore = counters.served;
  const served = (): number => counters.served - servedBefore;
  const progress = { sent: 0, bytes: 0 };
  let stop = false;
  const batches = new FloodBatches();
  const writing = (async () => {
    while (progress.sent < max && !stop) {
      const end = Math.min(max, progress.sent + FLOOD_BATCH);
      const batch = await batches.next(progress.sent, end);
      if (client.socket.destroyed) return;
      progress.sent = end;
      progress.bytes += batch.bytes.length;
      // The callback runs once the socket is done with the bytes (or failed): the buffer is free.
      if (!client.socket.write(batch.bytes, batch.written)) await drained(client.socket);
      if (client.socket.destroyed) return;
    }
  })();
  // Both sides go quiet: the client cannot write more, the server answers no more.
  const stalled = await stalls(() => progress.sent + served(), () => progress.sent >= max, 1000, 10_000 * TIME_SCALE);
  stop = true;
  probe?.measureRetained();
  const servedAtStall = served();
  // The warm-up sends fewer requests than the socket buffers hold; the real flood must stall.
  if (probe !== null) {
    assert.ok(
      stalled,
      `the server read ${progress.sent} pipelined requests (${mib(progress.bytes)}) without the client reading`,
    );
    assert.ok(servedAtStall < progress.sent, `the server answered all ${servedAtStall} requests while nobody read`);
  }
  // Meanwhile another client is served.
  const other = await within(5000, "a second client's GET /", getOnce(port, "/"));
  assert.match(other, /^HTTP\/1\.1 200 [^\r]*\r\n/);
  assert.ok(other.endsWith("Hello, World!"), other);
  // Now read it all: every request answered, in order.
  const sent = progress.sent;
  const drainStart = Date.now();
  client.socket.resume();
  while (expectId < sent && bad === null) {
    if (client.error !== null) throw client.error;
    if (client.closed) throw new Error(`connection closed after ${expectId} of ${sent} responses`);
    if (Date.now() - drainStart > 15_000 * TIME_SCALE) {
      throw new Error(`only ${expectId} of ${sent} responses within ${15 * TIME_SCALE} s`);
    }
    await client.nextEvent(100);
  }
  const drainMs = Date.now() - drainStart;
  await within(2000, "the flood writer", writing);
  assert.equal(bad, null, bad ?? "");
  assert.equal(progress.sent, sent, "the writer stopped at the stall");
  assert.equal(expectId, sent, `${expectId} responses to ${sent} requests`);
  assert.ok(client.reader.idle, "no partial response after the last one");
  client.close();
  return { sent, bytes: progress.bytes, served: servedAtStall, drainMs };
}

// ── small helpers ────────────────────────────────────────────────────────────────────────────────

/** Time a promise out with a message naming what did not happen. */
async function within<T>(ms: number, what: string, promise: Promise<T>): Promise<T> {
  let timer: ReturnType<typeof setTimeout> | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`${what}: not done within ${ms} ms`)), ms);
  });
  try {
    return await Promise.race([promise, timeout]);
  } finally {
    clearTimeout(timer);
  }
}

/** One GET over a fresh connection, whole response as text. */
async function getOnce(port: number, path: string): Promise<string> {
  const client = await RawClient.open(port);
  try {
    await client.write(`GET ${path} HTTP/1.1\r\nHost: stress\r\nConnection: close\r\n\r\n`);
    return await client.untilClosed(5000);
  } finally {
    client.close();
  }
}
