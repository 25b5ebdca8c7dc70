/**
 * Helpers shared by the WebSocket case files: payloads and byte comparison, the runtime's own
 * global `WebSocket` client, and opening handshakes written as raw HTTP requests.
 */
import assert from "node:assert/strict";
import { Buffer } from "node:buffer";
import { exchange, type RawResponse } from "../raw-response.ts";

export const KiB = 1024;
export const MiB: number = 1024 * 1024;

// ── payloads ─────────────────────────────────────────────────────────────────────────────────────

const TEXT_UNIT = Buffer.from("wirecore ✓ héllo wörld 𝄞 — ", "utf8");

/** Valid UTF-8 of exactly `size` bytes, with 2-, 3- and 4-byte characters. */
export function utf8Text(size: number): Buffer {
  const out = Buffer.alloc(size, 0x61);
  const whole = size - (size % TEXT_UNIT.length);
  if (whole > 0) out.fill(TEXT_UNIT, 0, whole);
  return out;
}

export function sizeName(size: number): string {
  return size >= MiB ? `${size / MiB} MiB` : size >= 10 * KiB ? `${size / KiB} KiB` : `${size} B`;
}

export function sameBytes(actual: Uint8Array, expected: Uint8Array, what: string): void {
  assert.equal(actual.length, expected.length, `${what}: ${actual.length} bytes, expected ${expected.length}`);
  const a = Buffer.from(actual.buffer, actual.byteOffset, actual.byteLength);
  if (!a.equals(Buffer.from(expected.buffer, expected.byteOffset, expected.byteLength))) {
    let i = 0;
    while (a[i] === expected[i]) i++;
    assert.fail(`${what}: bytes differ from offset ${i}`);
  }
}

// ── the global WebSocket client ──────────────────────────────────────────────────────────────────

/** Open a WHATWG WebSocket; resolves on `open`. Messages and the close event are queued. */
export async function openWebSocket(url: string, protocols?: string[]): Promise<{
  ws: WebSocket;
  next(what?: string, timeoutMs?: number): Promise<string | ArrayBuffer>;
  closed: Promise<CloseEvent>;
}> {
  const ws = protocols === undefined ? new WebSocket(url) : new WebSocket(url, protocols);
  ws.binaryType = "arraybuffer";
  const queue: (string | ArrayBuffer)[] = [];
  let wake: (() => void) | null = null;
  let closeEvent: CloseEvent | null = null;
  ws.onmessage = (event) => {
    queue.push(event.data as string | ArrayBuffer);
    wake?.();
  };
  const closed = new Promise<CloseEvent>((resolve) => {
    ws.addEventListener("close", (event) => {
      closeEvent = event;
      resolve(event);
      wake?.();
    });
  });
  await new Promise<void>((resolve, reject) => {
    ws.onopen = () => resolve();
    ws.onerror = () => reject(new Error(`WebSocket ${url} failed to open`));
    void closed.then((event) => reject(new Error(`WebSocket ${url} closed before opening: ${event.code}`)));
  });
  async function next(what = "a message", timeoutMs = 5000): Promise<string | ArrayBuffer> {
    const deadline = Date.now() + timeoutMs;
    while (queue.length === 0) {
      if (closeEvent !== null) throw new Error(`${what}: the socket closed (${closeEvent.code}) first`);
      const left = deadline - Date.now();
      if (left <= 0) throw new Error(`${what}: no message within ${timeoutMs} ms`);
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, left);
        wake = () => {
          clearTimeout(timer);
          wake = null;
          resolve();
        };
      });
    }
    return queue.shift()!;
  }
  return { ws, next, closed };
}

// ── opening handshakes as raw requests ───────────────────────────────────────────────────────────

/** One HTTP exchange on a fresh connection: the first response. */
export async function request(port: number, text: string): Promise<RawResponse> {
  const { client, responses } = await exchange(port, text);
  client.close();
  return responses[0]!;
}

export function handshake(path: string, fields: string[], method = "GET", version = "1.1"): string {
  return [`${method} ${path} HTTP/${version}`, "Host: ws.test", ...fields].join("\r\n") + "\r\n\r\n";
}

export const KEY = "dGhlIHNhbXBsZSBub25jZQ==";
export const GOOD: string[] = [
  "Upgrade: websocket",
  "Connection: Upgrade",
  `Sec-WebSocket-Key: ${KEY}`,
  "Sec-WebSocket-Version: 13",
];
export const without = (name: string): string[] =>
  GOOD.filter((line) => !line.toLowerCase().startsWith(name.toLowerCase()));
