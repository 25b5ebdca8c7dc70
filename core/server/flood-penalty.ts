/**
 * A penalty per client address for HTTP/2 floods. Each flood defence cuts one connection
 * (GOAWAY ENHANCE_YOUR_CALM, RFC 9113 §5.4.1), but an attacker reconnects at once and the churn
 * itself — accepting, building HPACK tables, decoding the first oversized requests — costs the
 * other clients their latency. An address whose connections are cut for flooding `strikes` times
 * within `windowMs` has its new connections refused for `penaltyMs`, twice as long each time it
 * comes back to it soon after (up to 16×). Connections it already has go on. One refused
 * connection a second is told why in its own protocol (refused-connection.ts); the others are
 * closed at accept, unread: an attacker that reconnects at once would otherwise have the server
 * read and answer thousands of connections a second, and on Node the garbage of those reads alone
 * stalls every other client in collections.
 *
 * IPv6 clients are counted by their /64, the smallest block an ISP hands one subscriber: one
 * host can take any address of it (RFC 8981).
 *
 * ```ts
 * const penalty = new FloodPenalty({ strikes: 3, windowMs: 10_000, penaltyMs: 10_000, maxAddresses: 10_000 });
 * penalty.strike("192.0.2.7", now); // a connection from it was cut for flooding
 * penalty.secondsLeft("192.0.2.7", now); // 10 after the third strike within 10 s, else 0
 * penalty.answerDue("192.0.2.7", now); // true at most once a second while penalized
 * ```
 * @module
 */

/** When an address is penalized, and for how long (server option `floodPenalty`). */
export interface FloodPenaltyOptions {
  /** Connections cut for flooding, within `windowMs`, that earn the address a penalty. Default 3. */
  strikes?: number | undefined;
  /** The window strikes are counted in, in ms. Default 10 000. */
  windowMs?: number | undefined;
  /**
   * How long new connections from a penalized address are refused, in ms; doubled each time the
   * address earns a new penalty within this long of its last one ending (at most 16×). Default 10 000.
   */
  penaltyMs?: number | undefined;
  /** Addresses remembered at once; past it the longest-remembered is forgotten. Default 10 000. */
  maxAddresses?: number | undefined;
}

/** {@link FloodPenaltyOptions} with every default filled in. */
export type ResolvedFloodPenalty = Required<{ [K in keyof FloodPenaltyOptions]: number }>;

/** Fill in the defaults; `false` turns the penalty off. */
export function resolveFloodPenalty(options: FloodPenaltyOptions | false | undefined): ResolvedFloodPenalty | null {
  if (options === false) return null;
  return {
    strikes: options?.strikes ?? 3,
    windowMs: options?.windowMs ?? 10_000,
    penaltyMs: options?.penaltyMs ?? 10_000,
    maxAddresses: options?.maxAddresses ?? 10_000,
  };
}

/** The longest penalty, as a multiple of `penaltyMs`. */
const MAX_ESCALATION = 16;

interface Record {
  /** Strikes in the window that began at `since`. */
  strikes: number;
  since: number;
  /** Refused until this server time. */
  until: number;
  /** The length of the last penalty, in ms (0: none yet). */
  last: number;
  /** When a refused connection from it was last answered (-Infinity: never). */
  answered: number;
}

/** A penalized address gets at most one answered refusal in this long (ms). */
const ANSWER_INTERVAL_MS = 1_000;

/** Strikes and penalties by client address (an IPv6 address by its /64). */
export class FloodPenalty {
  readonly #options: ResolvedFloodPenalty;
  /** Oldest first: a record is moved to the end when it gets a strike. */
  readonly #records = new Map<string, Record>();

  constructor(options: ResolvedFloodPenalty) {
    this.#options = options;
  }

  /** A connection from `address` was cut for flooding at server time `now`. */
  strike(address: string, now: number): void {
    const key = addressKey(address);
    const records = this.#records;
    let record = records.get(key);
    if (record === undefined) {
      if (records.size >= this.#options.maxAddresses) records.delete(records.keys().next().value!);
      record = { strikes: 0, since: now, until: 0, last: 0, answered: -Infinity };
    } else records.delete(key);
    records.set(key, record);
    const { strikes, windowMs, penaltyMs } = this.#options;
    if (now - record.since > windowMs) {
      record.strikes = 0;
      record.since = now;
    }
    if (++record.strikes < strikes || now < record.until) return;
    const soonAfter = record.last > 0 && now - record.until < penaltyMs;
    record.last = soonAfter ? Math.min(record.last * 2, penaltyMs * MAX_ESCALATION) : penaltyMs;
    record.until = now + record.last;
    record.strikes = 0;
    record.since = now;
  }

  /** Seconds left of `address`'s penalty at server time `now`; 0 when it is not penalized. */
  secondsLeft(address: string, now: number): number {
    if (this.#records.size === 0) return 0;
    const record = this.#records.get(addressKey(address));
    return record === undefined || now >= record.until ? 0 : Math.ceil((record.until - now) / 1000);
  }

  /**
   * Whether a refused connection from penalized `address` should be answered at server time
   * `now`: true once per {@link ANSWER_INTERVAL_MS}, and then counted as answered.
   */
  answerDue(address: string, now: number): boolean {
    const record = this.#records.get(addressKey(address));
    if (record === undefined || now - record.answered < ANSWER_INTERVAL_MS) return false;
    record.answered = now;
    return true;
  }

  /** Addresses remembered now. */
  get size(): number {
    return this.#records.size;
  }

  /** Forget addresses with no penalty running, no recent strike, and no recent penalty to escalate. */
  sweep(now: number): void {
    const { windowMs, penaltyMs } = this.#options;
    for (const [key, record] of this.#records) {
      if (now - record.since > windowMs && now - record.until > penaltyMs) this.#records.delete(key);
    }
  }
}

/** The key an address is counted under: IPv4 as is (also when mapped into IPv6), IPv6 by its /64. */
export function addressKey(address: string): string {
  if (!address.includes(":")) return address;
  const zone = address.indexOf("%");
  const bare = (zone < 0 ? address : address.slice(0, zone)).toLowerCase();
  if (bare.startsWith("::ffff:") && bare.includes(".")) return bare.slice(7);
  const split = bare.indexOf("::");
  let groups: string[];
  if (split < 0) groups = bare.split(":");
  else {
    const head = split === 0 ? [] : bare.slice(0, split).split(":");
    const tail = split + 2 === bare.length ? [] : bare.slice(split + 2).split(":");
    groups = [...head, ...Array<string>(Math.max(0, 8 - head.length - tail.length)).fill("0"), ...tail];
  }
  return groups.slice(0, 4).map((group) => group.replace(/^0+(?=.)/, "")).join(":") + "::/64";
}
