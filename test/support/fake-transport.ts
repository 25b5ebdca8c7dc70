import type { ConnectionHandler, Transport, TransportInfo } from "../../core/transport/transport.ts";

/**
 * A transport with no socket, for tests of the core: it records every write and every
 * pause/resume/end/close, and lets a test say when the "socket" is above its high-water mark.
 */
export class FakeTransport implements Transport {
  readonly info: TransportInfo;
  readonly writes: Uint8Array[] = [];
  handler: ConnectionHandler | null = null;
  paused = false;
  ended = false;
  closed = false;
  pauses = 0;
  /** Whether `write()` reports being above the high-water mark. */
  full = false;

  constructor(info: Partial<TransportInfo> = {}) {
    this.info = { remoteAddress: "127.0.0.1", remotePort: 40000, tls: false, ...info };
  }

  write(bytes: Uint8Array): boolean {
    this.writes.push(bytes);
    return !this.full;
  }
  end(): void {
    this.ended = true;
  }
  close(): void {
    this.closed = true;
    this.handler?.closed();
  }
  pause(): void {
    if (!this.paused) this.pauses++;
    this.paused = true;
  }
  resume(): void {
    this.paused = false;
  }

  /** Everything written so far, as latin1 text. */
  text(): string {
    let out = "";
    for (const chunk of this.writes) for (let i = 0; i < chunk.length; i++) out += String.fromCharCode(chunk[i]!);
    return out;
  }

  /** Feed latin1 text as bytes. */
  send(text: string): void {
    const bytes = new Uint8Array(text.length);
    for (let i = 0; i < text.length; i++) bytes[i] = text.charCodeAt(i);
    this.handler!.data(bytes);
  }
}
