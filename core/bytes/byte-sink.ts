const encoder = new TextEncoder();

/**
 * A growable byte buffer that collects everything one connection writes during one batch, so a
 * burst of pipelined responses leaves in one write. One sink is shared by all connections of the
 * process: the owner that is not the writer is flushed first, so sharing never mixes streams.
 */
export class ByteSink {
  #buf: Uint8Array = new Uint8Array(64 * 1024);
  #len = 0;
  /** The writer whose bytes are in the sink now. */
  owner: { flush(): void } | null = null;

  /** Make `writer` the owner, sending the bytes of the previous owner first. */
  acquire(writer: { flush(): void }): ByteSink {
    const owner = this.owner;
    if (owner !== writer) {
      if (owner !== null) owner.flush();
      this.owner = writer;
    }
    return this;
  }

  get length(): number {
    return this.#len;
  }

  #reserve(extra: number): void {
    const need = this.#len + extra;
    if (need <= this.#buf.length) return;
    let size = this.#buf.length * 2;
    while (size < need) size *= 2;
    const next = new Uint8Array(size);
    next.set(this.#buf.subarray(0, this.#len));
    this.#buf = next;
  }

  /**
   * The buffer, with room for at least `extra` bytes from {@link length} on, for a writer that
   * encodes in place; then {@link advance} past what it wrote. Valid until the next write.
   */
  room(extra: number): Uint8Array {
    this.#reserve(extra);
    return this.#buf;
  }

  /** Count `count` bytes written in place after {@link room}. */
  advance(count: number): void {
    this.#len += count;
  }

  /** Append a string of latin1 characters (a response head) as one byte each. */
  writeLatin1(text: string): void {
    this.#reserve(text.length);
    const buf = this.#buf;
    let at = this.#len;
    for (let i = 0; i < text.length; i++) buf[at++] = text.charCodeAt(i);
    this.#len = at;
  }

  /** Append a string as UTF-8. */
  writeUtf8(text: string): void {
    // encodeInto writes at most 3 bytes per UTF-16 unit.
    this.#reserve(text.length * 3);
    const { written } = encoder.encodeInto(text, this.#buf.subarray(this.#len));
    this.#len += written;
  }

  writeBytes(bytes: Uint8Array): void {
    this.#reserve(bytes.length);
    this.#buf.set(bytes, this.#len);
    this.#len += bytes.length;
  }

  /** Everything written since the last take, as a fresh array the caller may keep. */
  take(): Uint8Array {
    const out = this.#buf.slice(0, this.#len);
    this.#len = 0;
    this.owner = null;
    // Give back a buffer that grew for one large batch.
    if (this.#buf.length > 1024 * 1024) this.#buf = new Uint8Array(64 * 1024);
    return out;
  }
}

/** The process-wide sink. */
export const sharedSink: ByteSink = new ByteSink();

/** UTF-8 bytes of a string. */
export function utf8(text: string): Uint8Array {
  return encoder.encode(text);
}
