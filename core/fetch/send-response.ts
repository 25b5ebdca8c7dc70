import { HttpError } from "../http/http-error.ts";
import type { Exchange } from "../exchange/exchange.ts";
import { acceptWebSocket } from "../session/ws/accept.ts";
import { takeUpgrade } from "./web-upgrade.ts";

/**
 * How many microtask turns a body read may take and still count as data that was there
 * already. Measured (test/contract/fetch-standard-cases.ts checks it on each runtime): a
 * string, bytes or JSON body settles in 1–2 turns on Node, Bun and Deno; a Blob in 5 and a
 * FormData part in 7 (on Deno). A stream whose source waits for anything outside (a timer, I/O,
 * another request) takes a macrotask at least, so it never passes for "there already".
 */
const READY_TURNS = 12;

/**
 * Bytes collected from bodies whose chunks are all there at once before wirecore stops waiting
 * for their end: one more read then decides between Content-Length and streaming. It bounds the
 * memory a source that produces forever without waiting can take (Bun cuts a large string
 * body into 16 KiB chunks; Node and Deno give it as one).
 */
const COLLECT_LIMIT = 1024 * 1024;

/** Chunks this small in total are joined and sent in one write; larger ones go one by one. */
const JOIN_LIMIT = 16 * 1024;

const encoder = new TextEncoder();

type Read = Awaited<ReturnType<ReadableStreamDefaultReader<Uint8Array | string>["read"]>>;

/**
 * Write a web-standard `Response` to an exchange.
 *
 * The body is read while its chunks are already there: one that ends so (a string, bytes,
 * `Blob`, `FormData`, `URLSearchParams` or JSON body, or a stream that enqueued everything and
 * closed) is sent with Content-Length. At the first read that has to wait (after one timer turn
 * once something was read), the status line, headers and what was read leave and the rest is
 * streamed (chunked in HTTP/1.1), so server-sent events and long polls are never held back. The web platform has no way to ask a
 * Response for its body's size (Fetch §5 keeps the body's length internal, and no runtime
 * sets `content-length` in the Response's headers), hence the probe.
 */
export async function sendWebResponse(exchange: Exchange, response: Response): Promise<void> {
  const upgrade = takeUpgrade(response);
  if (upgrade !== undefined && upgrade.exchange === exchange) {
    acceptWebSocket(upgrade.exchange, upgrade.options);
    return;
  }
  const status = response.status;
  if (status < 200) throw foreignStatus(status);
  const headers: string[] = [];
  let declaredLength = -1;
  response.headers.forEach((value, name) => {
    if (name === "set-cookie") return; // joined by forEach; sent one per field below
    if (name === "content-length") declaredLength = Number(value);
    headers.push(name, value);
  });
  for (const cookie of response.headers.getSetCookie()) headers.push("set-cookie", cookie);

  const body = response.body;
  if (body === null) {
    exchange.respond(status, headers, null);
    return;
  }
  const reader = body.getReader();
  const probe = new ReadProbe();
  const chunks: Uint8Array[] = [];
  let size = 0;
  let read: Promise<Read> = reader.read();
  let waited = false;
  for (;;) {
    let settled = await settlesSoon(probe, read);
    if (!settled && chunks.length > 0 && !waited) {
      // Some sources end a macrotask after their data (Node's Blob stream closes so): give the
      // end one timer turn, once, then stream. A stream with more to come still has its head
      // and first chunk out within that turn, long before any second chunk made by a timer.
      waited = true;
      await nextMacrotask();
      settled = probe.settled;
    }
    if (!settled) break;
    const result = probe.take();
    if (result.done) return sendWhole(exchange, status, headers, chunks, size);
    const chunk = toBytes(result.value);
    if (chunk.length > 0) {
      chunks.push(chunk);
      size += chunk.length;
    }
    read = reader.read();
    if (size > COLLECT_LIMIT) {
      // One last look: a large body that came whole (one chunk on Node and Deno) ends here.
      if (await settlesSoon(probe, read) && probe.peekDone()) return sendWhole(exchange, status, headers, chunks, size);
      break;
    }
  }
  await exchange.respondStream(status, headers, resumeStream(reader, chunks, read), declaredLength);
}

/**
 * Watches one body read at a time: whether it has settled, and with what. One per response, its
 * two callbacks made once, so probing a read allocates no closure.
 */
class ReadProbe {
  #settled = false;
  #result: Read | undefined = undefined;
  #error: unknown = undefined;
  #failed = false;
  readonly #onResult = (result: Read): void => {
    this.#settled = true;
    this.#result = result;
  };
  readonly #onError = (error: unknown): void => {
    this.#settled = true;
    this.#failed = true;
    this.#error = error;
  };

  /** Start watching `read` (the previous one has settled, or is given up). */
  watch(read: Promise<Read>): void {
    this.#settled = false;
    this.#failed = false;
    read.then(this.#onResult, this.#onError);
  }

  get settled(): boolean {
    return this.#settled;
  }

  /** Whether the settled read said the stream has ended. */
  peekDone(): boolean {
    return !this.#failed && this.#result!.done === true;
  }

  /** The settled read's result; throws what it failed with. */
  take(): Read {
    if (this.#failed) throw this.#error;
    return this.#result!;
  }
}

/** Whether `read` settles within {@link READY_TURNS} microtask turns. */
async function settlesSoon(probe: ReadProbe, read: Promise<Read>): Promise<boolean> {
  probe.watch(read);
  for (let turn = 0; turn < READY_TURNS && !probe.settled; turn++) await undefined;
  return probe.settled;
}

function nextMacrotask(): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, 0));
}

function sendWhole(
  exchange: Exchange,
  status: number,
  headers: string[],
  chunks: Uint8Array[],
  size: number,
): Promise<void> | undefined {
  if (chunks.length <= 1) {
    exchange.respond(status, headers, chunks.length === 0 ? null : chunks[0]!);
    return;
  }
  if (size <= JOIN_LIMIT) {
    const joined = new Uint8Array(size);
    let at = 0;
    for (const chunk of chunks) {
      joined.set(chunk, at);
      at += chunk.length;
    }
    exchange.respond(status, headers, joined);
    return;
  }
  // Known length, many chunks: stream them under a Content-Length rather than copy them into one.
  return exchange.respondStream(status, headers, replay(chunks), size);
}

function toBytes(value: Uint8Array | string): Uint8Array {
  if (typeof value === "string") return encoder.encode(value);
  // Fetch §4.1 ("incrementally read"): a chunk that is not a Uint8Array is a TypeError.
  if (!(value instanceof Uint8Array)) throw new TypeError("Response body chunks must be Uint8Array or string");
  return value;
}

/**
 * A status below 200 cannot come from `new Response()` (Fetch: the constructor allows 200–599;
 * `Response.error()` is 0): such a Response was made by a runtime for a socket it owns, most
 * likely Deno's `upgradeWebSocket()`. wirecore owns this socket, so say what to use instead.
 */
function foreignStatus(status: number): HttpError {
  const message = status === 101
    ? "A 101 Response that wirecore did not make cannot be sent: the socket is wirecore's, so a runtime's " +
      "WebSocket (the runtime's own upgradeWebSocket) would never open. Use upgradeWebSocket() from wirecore instead " +
      "(`upgradeWebSocket(request, { handlers })`, or as Hono middleware `upgradeWebSocket((c) => events)`)"
    : status === 0
    ? "Response.error() is a network error, not a response: return a Response with a status from 200 to 599"
    : `A Response with status ${status} cannot be sent: the status of a final response is 200 to 599`;
  return new HttpError(500, message, "FOREIGN_RESPONSE", false);
}

async function* replay(chunks: Uint8Array[]): AsyncGenerator<Uint8Array> {
  for (const chunk of chunks) yield chunk;
}

/** What was read while probing, then the rest of the stream; cancelled if the exchange stops early. */
async function* resumeStream(
  reader: ReadableStreamDefaultReader<Uint8Array | string>,
  chunks: Uint8Array[],
  pending: Promise<Read>,
): AsyncGenerator<Uint8Array | string> {
  let done = false;
  try {
    for (const chunk of chunks) yield chunk;
    let next = await pending;
    while (!next.done) {
      yield next.value;
      next = await reader.read();
    }
    done = true;
  } finally {
    if (!done) await reader.cancel().catch(() => {});
  }
}
