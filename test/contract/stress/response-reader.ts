/**
 * A streaming HTTP/1.1 response reader for the stress cases: it parses responses framed by
 * Content-Length, chunked or close-delimited as the bytes arrive, and hands body bytes on
 * without keeping them, so a 50 MiB transfer costs the test nothing.
 */

export interface ResponseHead {
  status: number;
  /** Lowercased names; repeated fields joined with ", ". */
  headers: Map<string, string>;
}

export interface ResponseEvents {
  head(head: ResponseHead): void;
  body(bytes: Uint8Array): void;
  complete(): void;
}

const S_HEAD = 0;
const S_LENGTH = 1;
const S_CHUNK_SIZE = 2;
const S_CHUNK_DATA = 3;
const S_CHUNK_END = 4;
const S_TRAILERS = 5;
const S_UNTIL_CLOSE = 6;

/** Parses a stream of responses (Content-Length, chunked or close-delimited) without keeping bodies. */
export class ResponseReader {
  readonly #events: ResponseEvents;
  #state = S_HEAD;
  #carry: Uint8Array | null = null;
  #remaining = 0;
  /** Responses completed so far. */
  count = 0;

  constructor(events: ResponseEvents) {
    this.#events = events;
  }

  /** Whether the reader sits between responses. */
  get idle(): boolean {
    return this.#state === S_HEAD && this.#carry === null;
  }

  feed(chunk: Uint8Array): void {
    let data = chunk;
    if (this.#carry !== null) {
      data = new Uint8Array(this.#carry.length + chunk.length);
      data.set(this.#carry);
      data.set(chunk, this.#carry.length);
      this.#carry = null;
    }
    let p = 0;
    while (p < data.length) {
      switch (this.#state) {
        case S_HEAD: {
          const end = indexOf(data, p, HEAD_END);
          if (end < 0) return this.#keep(data, p);
          this.#head(latin1(data, p, end));
          p = end + 4;
          break;
        }
        case S_LENGTH:
        case S_CHUNK_DATA: {
          const n = Math.min(this.#remaining, data.length - p);
          this.#events.body(data.subarray(p, p + n));
          p += n;
          this.#remaining -= n;
          if (this.#remaining === 0) {
            if (this.#state === S_LENGTH) this.#complete();
            else this.#state = S_CHUNK_END;
          }
          break;
        }
        case S_CHUNK_SIZE: {
          const eol = indexOf(data, p, CRLF);
          if (eol < 0) return this.#keep(data, p);
          const line = latin1(data, p, eol);
          const size = Number.parseInt(line.split(";")[0]!.trim(), 16);
          if (!Number.isSafeInteger(size) || size < 0) throw new Error(`Bad chunk size line ${JSON.stringify(line)}`);
          p = eol + 2;
          if (size === 0) this.#state = S_TRAILERS;
          else {
            this.#remaining = size;
            this.#state = S_CHUNK_DATA;
          }
          break;
        }
        case S_CHUNK_END: {
          if (data.length - p < 2) return this.#keep(data, p);
          if (data[p] !== 13 || data[p + 1] !== 10) throw new Error("Chunk data not followed by CRLF");
          p += 2;
          this.#state = S_CHUNK_SIZE;
          break;
        }
        case S_TRAILERS: {
          const eol = indexOf(data, p, CRLF);
          if (eol < 0) return this.#keep(data, p);
          const empty = eol === p;
          p = eol + 2;
          if (empty) this.#complete();
          break;
        }
        default: {
          this.#events.body(data.subarray(p));
          p = data.length;
        }
      }
    }
  }

  /** The peer closed: completes a close-delimited body. */
  close(): void {
    if (this.#state === S_UNTIL_CLOSE) this.#complete();
  }

  #keep(data: Uint8Array, p: number): void {
    if (data.length - p > 64 * 1024) throw new Error("Response head or chunk line over 64 KiB");
    this.#carry = data.slice(p);
  }

  #head(text: string): void {
    const lines = text.split("\r\n");
    const match = /^HTTP\/1\.[01] (\d{3})/.exec(lines[0]!);
    if (match === null) throw new Error(`Bad status line ${JSON.stringify(lines[0])}`);
    const headers = new Map<string, string>();
    for (let i = 1; i < lines.length; i++) {
      const colon = lines[i]!.indexOf(":");
      const name = lines[i]!.slice(0, colon).toLowerCase();
      const value = lines[i]!.slice(colon + 1).trim();
      const prev = headers.get(name);
      headers.set(name, prev === undefined ? value : `${prev}, ${value}`);
    }
    const status = Number(match[1]);
    this.#events.head({ status, headers });
    const length = headers.get("content-length");
    if (/\bchunked\b/i.test(headers.get("transfer-encoding") ?? "")) this.#state = S_CHUNK_SIZE;
    else if (length !== undefined) {
      this.#remaining = Number(length);
      this.#state = S_LENGTH;
      if (this.#remaining === 0) this.#complete();
    } else if (status === 204 || status === 304 || status < 200) this.#complete();
    else this.#state = S_UNTIL_CLOSE;
  }

  #complete(): void {
    this.#state = S_HEAD;
    this.count++;
    this.#events.complete();
  }
}

const HEAD_END = [13, 10, 13, 10];
const CRLF = [13, 10];

function indexOf(data: Uint8Array, from: number, needle: number[]): number {
  const first = needle[0]!;
  const last = data.length - needle.length;
  outer: for (let i = data.indexOf(first, from); i >= 0 && i <= last; i = data.indexOf(first, i + 1)) {
    for (let k = 1; k < needle.length; k++) if (data[i + k] !== needle[k]) continue outer;
    return i;
  }
  return -1;
}

export function latin1(data: Uint8Array, from: number, to: number): string {
  let out = "";
  for (let i = from; i < to; i += 4096) {
    out += String.fromCharCode.apply(null, data.subarray(i, Math.min(to, i + 4096)) as unknown as number[]);
  }
  return out;
}
