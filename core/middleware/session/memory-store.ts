/**
 * An in-process session store, bounded in time (TTL) and in size (least-recently-used entries
 * evicted past `maxEntries`), for one server process, tests and development. Sessions are lost on
 * restart and not shared between processes: use a shared store (e.g. `wirecore/redis`) there.
 */
import type { SessionData, SessionStore } from "./session-store.ts";

/** Options of {@link MemorySessionStore}. */
export interface MemorySessionStoreOptions {
  /** Most sessions kept; the least recently used goes first. 10 000 unless given. */
  maxEntries?: number;
  /** The clock, in milliseconds (tests pass a fake one). `Date.now` unless given. */
  now?: () => number;
}

interface Entry {
  /** The data as JSON: a copy, so a handler's later changes to its objects reach the store only by `set`. */
  json: string;
  expires: number;
}

/**
 * Sessions in a `Map`, whose insertion order doubles as the LRU order: a read or write moves the
 * entry to the end, and eviction takes from the front. Expired entries are dropped when read, and
 * from the front as room is needed.
 *
 * @example
 * ```ts
 * import { App, MemorySessionStore, session } from "wirecore";
 * const app = new App().use(session({ store: new MemorySessionStore({ maxEntries: 50_000 }), keys: [secret] }));
 * ```
 */
export class MemorySessionStore implements SessionStore {
  readonly #entries = new Map<string, Entry>();
  readonly #maxEntries: number;
  readonly #now: () => number;

  constructor(options: MemorySessionStoreOptions = {}) {
    const maxEntries = options.maxEntries ?? 10_000;
    if (!Number.isInteger(maxEntries) || maxEntries < 1) {
      throw new RangeError(`MemorySessionStore: maxEntries must be a positive integer, got ${maxEntries}`);
    }
    this.#maxEntries = maxEntries;
    this.#now = options.now ?? Date.now;
  }

  /** Sessions held now, expired ones not yet dropped included. */
  get size(): number {
    return this.#entries.size;
  }

  get(id: string): SessionData | undefined {
    const entry = this.#live(id);
    if (entry === undefined) return undefined;
    this.#entries.delete(id);
    this.#entries.set(id, entry);
    return JSON.parse(entry.json) as SessionData;
  }

  set(id: string, data: SessionData, ttl: number): void {
    this.#entries.delete(id);
    this.#entries.set(id, { json: JSON.stringify(data), expires: this.#now() + ttl * 1000 });
    this.#evict();
  }

  delete(id: string): void {
    this.#entries.delete(id);
  }

  touch(id: string, ttl: number): void {
    const entry = this.#live(id);
    if (entry === undefined) return;
    entry.expires = this.#now() + ttl * 1000;
    this.#entries.delete(id);
    this.#entries.set(id, entry);
  }

  #live(id: string): Entry | undefined {
    const entry = this.#entries.get(id);
    if (entry !== undefined && entry.expires <= this.#now()) {
      this.#entries.delete(id);
      return undefined;
    }
    return entry;
  }

  #evict(): void {
    const entries = this.#entries;
    if (entries.size <= this.#maxEntries) return;
    // The front of the Map holds the least recently used (and so the first to expire).
    for (const id of entries.keys()) {
      if (entries.size <= this.#maxEntries) return;
      entries.delete(id);
    }
  }
}
