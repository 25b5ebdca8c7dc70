/**
 * The raw ceiling's canned answer, shared by bench/peers/raw-{node,bun,deno}.ts: no parsing at
 * all — a request is counted where its head ends ("\r\n\r\n"; the rows it serves are GETs with no
 * body), and each is answered with the same bytes wirecore sends for `GET /` (status line,
 * content-type, content-length, a Date refreshed once a second, "Hello, World!"). What a server on
 * the same socket API can do when the HTTP work costs nothing: the ceiling wirecore is measured
 * against.
 */

const BODY = "Hello, World!";
/** Responses built ahead for one read: a pipelined burst of up to this many goes out as one slice. */
const PREBUILT = 64;

function head(): string {
  return `HTTP/1.1 200 OK\r\ncontent-type: text/plain; charset=utf-8\r\ncontent-length: ${BODY.length}\r\ndate: ${
    new Date().toUTCString()
  }\r\n\r\n${BODY}`;
}

/** The canned responses, PREBUILT of them back to back, rebuilt when the Date's second changes. */
export class CannedResponses {
  #one = 0;
  #many: Uint8Array = new Uint8Array(0);
  #second = -1;

  constructor() {
    this.#refresh();
    // Once a second, as the servers it stands for cache their Date; unref'd so it never holds the process.
    const timer = setInterval(() => this.#refresh(), 1000) as unknown as { unref?: () => void };
    timer.unref?.();
  }

  #refresh(): void {
    const second = Math.floor(Date.now() / 1000);
    if (second === this.#second) return;
    this.#second = second;
    const one = new TextEncoder().encode(head());
    const many = new Uint8Array(one.length * PREBUILT);
    for (let i = 0; i < PREBUILT; i++) many.set(one, i * one.length);
    this.#one = one.length;
    this.#many = many;
  }

  /** The bytes of `n` responses (n ≥ 1): a view of the prebuilt run, or a new array past it. */
  take(n: number): Uint8Array {
    if (n <= PREBUILT) return this.#many.subarray(0, n * this.#one);
    const out = new Uint8Array(n * this.#one);
    for (let i = 0; i < n; i++) out.set(this.#many.subarray(0, this.#one), i * this.#one);
    return out;
  }
}

/**
 * Counts request heads ("\r\n\r\n") across reads, one per connection: a terminator split
 * between two reads still counts once.
 */
export class HeadCounter {
  /** How many bytes of "\r\n\r\n" the previous read ended with (0–3). */
  #matched = 0;

  /** The heads that end in `bytes`. */
  count(bytes: Uint8Array): number {
    let n = 0;
    let m = this.#matched;
    for (let i = 0; i < bytes.length; i++) {
      const b = bytes[i];
      // The pattern is CR LF CR LF: even positions want CR, odd ones LF; a CR restarts at 1.
      if (b === (m & 1 ? 10 : 13)) {
        m++;
        if (m === 4) {
          n++;
          m = 0;
        }
      } else {
        m = b === 13 ? 1 : 0;
      }
    }
    this.#matched = m;
    return n;
  }
}
