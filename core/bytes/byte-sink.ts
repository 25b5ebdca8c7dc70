import { MAX_KEPT_SLAB, SlabRecycler } from "./slab-recycler.ts";

const encoder = new TextEncoder();
/** The size of a new slab (see ByteSink). */
const SLAB = 64 * 1024;
/** A slab with less room than this after a take is left behind: most batches would not fit. */
const SLAB_TAIL = 1024;
/** Strings up to this long are UTF-8-encoded by a loop while they are ASCII (see writeUtf8). */
const SHORT_TEXT = 256;

/**
 * A growable byte buffer that collects everything one connection writes during one batch, so a
 * burst of pipelined responses leaves in one write. One sink is shared by all connections of the
 * process: the owner that is not the writer is flushed first, so sharing never mixes streams.
 */
/** Up to this many octets are copied by a loop rather than `Uint8Array.prototype.set`. */
const SMALL_COPY = 32;

export class ByteSink {
  /**
   * A slab: bytes already taken stay where they are (a taken batch is a view of them), the next
   * batch is written after them, and a full slab is replaced. So {@link take} copies nothing and
   * allocates no buffer — a copy of every batch, and a buffer per response, was the largest single
   * cost of a small response on Node (a quarter of a keep-alive `GET /` in the core,
   * bench/micro/server.ts). Memory is written again only once every batch taken from it is back
   * ({@link reclaim}).
   */
  #buf: Uint8Array = new Uint8Array(SLAB);
  /** Where the batch not yet taken starts in the slab. */
  #start = 0;
  /** Where the next byte goes in the slab. */
  #len = 0;
  /** Batches taken from this slab and not yet reclaimed. */
  #out = 0;
  readonly #slabs = new SlabRecycler();
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

  /** Bytes written since the last take. */
  get length(): number {
    return this.#len - this.#start;
  }

  /** Where the next byte goes in the buffer {@link room} returns. */
  get position(): number {
    return this.#len;
  }

  #reserve(extra: number): void {
    if (this.#len + extra <= this.#buf.length) return;
    const pending = this.#len - this.#start;
    if (this.#out === 0 && pending + extra <= this.#buf.length) {
      // Every batch taken from this slab is back: the batch under way moves to its start.
      this.#buf.copyWithin(0, this.#start, this.#len);
      this.#start = 0;
      this.#len = pending;
      return;
    }
    // Another slab; what the batch holds so far moves along, what was taken stays with the old one.
    // Room for this batch twice over once batches outgrow a slab: the next ones will be as large.
    let size = SLAB;
    while (size < pending + extra) size *= 2;
    if (size > SLAB && size <= MAX_KEPT_SLAB / 2) size *= 2;
    const next = this.#slabs.slab(size);
    if (pending > 0) next.set(this.#buf.subarray(this.#start, this.#len));
    this.#replace(next, pending);
  }

  /** Make `next` the slab, `pending` bytes of the batch under way already at its start. */
  #replace(next: Uint8Array, pending: number): void {
    this.#slabs.retire(this.#buf, this.#out);
    this.#buf = next;
    this.#out = 0;
    this.#start = 0;
    this.#len = pending;
  }

  /**
   * The buffer, with room for at least `extra` bytes from {@link position} on, for a writer that
   * encodes in place; then {@link advance} past what it wrote. Valid until the next write. Read
   * {@link position} after this call: making room may move the batch to a new buffer.
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

  /**
   * Append `name: value` CRLF, both latin1 (a validated response field), in one pass: no string
   * is built for the line, so nothing is concatenated per field and flattened again to be copied.
   */
  writeField(name: string, value: string): void {
    const nl = name.length;
    const vl = value.length;
    this.#reserve(nl + vl + 4);
    const buf = this.#buf;
    let at = this.#len;
    for (let i = 0; i < nl; i++) buf[at++] = name.charCodeAt(i);
    buf[at++] = 0x3a; // ":"
    buf[at++] = 0x20;
    for (let i = 0; i < vl; i++) buf[at++] = value.charCodeAt(i);
    buf[at++] = 0x0d;
    buf[at++] = 0x0a;
    this.#len = at;
  }

  /** Append a non-negative integer in decimal (a content-length), with no string made for it. */
  writeDecimal(n: number): void {
    if (!(n >= 0 && n <= 0xffffffff && Number.isInteger(n))) return this.writeLatin1(String(n));
    let digits = 1;
    for (let x = n; x >= 10; x = Math.floor(x / 10)) digits++;
    this.#reserve(digits);
    const buf = this.#buf;
    const start = this.#len;
    let at = start + digits;
    this.#len = at;
    let x = n;
    do {
      buf[--at] = 0x30 + (x % 10);
      x = Math.floor(x / 10);
    } while (at > start);
  }

  /** Append a string as UTF-8. */
  writeUtf8(text: string): void {
    const n = text.length;
    // encodeInto writes at most 3 bytes per UTF-16 unit.
    this.#reserve(n * 3);
    if (n <= SHORT_TEXT) {
      // A short body is mostly ASCII, and a loop beats the encoder's call for it; the first
      // non-ASCII character hands the rest to the encoder.
      const buf = this.#buf;
      const start = this.#len;
      for (let i = 0; i < n; i++) {
        const c = text.charCodeAt(i);
        if (c >= 0x80) {
          const { written } = encoder.encodeInto(text.substring(i), buf.subarray(start + i));
          this.#len = start + i + written;
          return;
        }
        buf[start + i] = c;
      }
      this.#len = start + n;
      return;
    }
    const { written } = encoder.encodeInto(text, this.#buf.subarray(this.#len));
    this.#len += written;
  }

  /** Appends `bytes[start..end)`, copied. */
  writeBytes(bytes: Uint8Array, start = 0, end: number = bytes.length): void {
    const n = end - start;
    this.#reserve(n);
    const buf = this.#buf;
    const at = this.#len;
    if (n <= SMALL_COPY) {
      // A frame header, a CRLF: a loop beats `set` (and a range beats a `subarray` view) at this size.
      for (let i = 0; i < n; i++) buf[at + i] = bytes[start + i]!;
    } else buf.set(start === 0 && end === bytes.length ? bytes : bytes.subarray(start, end), at);
    this.#len = at + n;
  }

  /**
   * The caller is done with `view`, a batch it took (its transport copied it, or the write finished): its memory may
   * be written again. The slab's next batches go over the last batch when it is the one reclaimed, and over the whole
   * slab once every batch taken from it is back; a slab already replaced becomes a spare then. Call it once per
   * batch and only when nothing holds the batch any more; arrays that are no batch of this sink are ignored.
   */
  reclaim(view: Uint8Array): void {
    if (view.length === 0) return;
    if (view.buffer !== this.#buf.buffer) {
      this.#slabs.giveBack(view.buffer);
      return;
    }
    if (this.#out === 0) return;
    this.#out--;
    if (this.#len !== this.#start) return; // a batch under way stays where it is
    if (this.#out === 0) this.#start = this.#len = 0;
    else if (view.byteOffset + view.length === this.#start) this.#start = this.#len = view.byteOffset;
  }

  /**
   * Everything written since the last take, as an array the caller may keep: a view of the slab
   * that nothing writes to again until it is reclaimed (its `buffer` is the whole slab; transfer none of it).
   */
  take(): Uint8Array {
    const out = this.#buf.subarray(this.#start, this.#len);
    if (out.length > 0) this.#out++;
    this.#start = this.#len;
    this.owner = null;
    // Leave a slab that grew past MAX_KEPT_SLAB, or has little room left, to the views of it.
    const size = this.#buf.length;
    if (size > MAX_KEPT_SLAB || size - this.#len < SLAB_TAIL) {
      this.#replace(this.#slabs.slab(size > MAX_KEPT_SLAB ? SLAB : size), 0);
    }
    return out;
  }
}

/** The process-wide sink. */
export const sharedSink: ByteSink = new ByteSink();

/** UTF-8 bytes of a string. */
export function utf8(text: string): Uint8Array {
  return encoder.encode(text);
}
