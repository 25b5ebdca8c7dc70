/**
 * Request parsers lent to HTTP/1.1 connections only while they parse. A parser with its section
 * reader, field index and body decoder is about 1.5 KB of heap; an idle keep-alive connection
 * between requests needs none of it, so it gives its parser back and takes one again with the
 * next bytes. Idle connections then cost their socket and a few small objects (the idle-memory
 * row of bench/README.md: on Bun 3.1 → 1.5 KB per connection of heap).
 *
 * A parser is only returned when it rests between requests ({@link RequestParser.atRest}): no
 * partial head or body is inside it, and the heads it produced are plain strings, so the next
 * borrower sees nothing of the last one.
 *
 * @example
 * ```ts
 * import { ParserLease } from "./parser-pool.ts";
 * const events = { onHead() {}, onBody() {}, onMessageComplete() {} };
 * const limits = {};
 * const lease = ParserLease.take(events, limits);
 * lease.parser.execute(new TextEncoder().encode("GET / HTTP/1.1\r\nHost: a\r\n\r\n"));
 * lease.release(); // at rest: back in the pool for the next connection
 * ```
 * @module
 */
import { RequestParser, type RequestParserEvents } from "../../http1/request-parser.ts";
import type { ParserLimits, RequestHead } from "../../http/request-head.ts";

/** Parsers kept for reuse per limits object; more than this rest at once are left to the GC. */
const MAX_FREE = 256;

const pools = new WeakMap<object, ParserLease[]>();

/** One pooled parser, passing its events to the connection that holds it. */
export class ParserLease implements RequestParserEvents {
  readonly parser: RequestParser;
  /** The pool this parser returns to. */
  readonly #free: ParserLease[];
  #target: RequestParserEvents | null = null;

  /** A new parser; connections use {@link ParserLease.take}. */
  constructor(limits: Partial<ParserLimits>, free: ParserLease[]) {
    this.parser = new RequestParser(this, limits);
    this.#free = free;
  }

  /** A resting parser for `limits` (a server's options: one pool per server), sending events to `target`. */
  static take(target: RequestParserEvents, limits: Partial<ParserLimits>): ParserLease {
    let free = pools.get(limits);
    if (free === undefined) pools.set(limits, free = []);
    const lease = free.pop() ?? new ParserLease(limits, free);
    lease.#target = target;
    return lease;
  }

  /** Done with it: back to the pool if it rests between requests, else dropped. */
  release(): void {
    this.#target = null;
    if (this.parser.atRest && this.#free.length < MAX_FREE) this.#free.push(this);
  }

  onHead(head: RequestHead): void {
    this.#target?.onHead(head);
  }
  onBody(chunk: Uint8Array): void {
    this.#target?.onBody(chunk);
  }
  onMessageComplete(trailers: string[] | null): void {
    this.#target?.onMessageComplete(trailers);
  }
}
