/**
 * One request's view of a session: its data, and what the request did to it (changed,
 * regenerated, destroyed). The session middleware reads that once the handler is done and saves
 * only what changed.
 */
import type { SessionData } from "./session-store.ts";
import { newSessionId } from "./session-id.ts";

/** What the middleware must do with a session once the request is handled. */
export interface SessionOutcome {
  /** The id whose cookie the client must hold now, or null when the session is gone. */
  readonly id: string | null;
  /** Ids to delete from the store (the old id after `regenerate()`, the id after `destroy()`). */
  readonly deleted: readonly string[];
  /** The data to store under `id`, or null when the stored copy is current. */
  readonly save: SessionData | null;
  /** Whether the cookie must be (re)sent: a new id, or a destroyed session to clear. */
  readonly cookie: "set" | "clear" | "keep";
}

/**
 * The session of the current request (`getSession(c)`). `T` types its data.
 *
 * @example
 * ```ts
 * const s = getSession<{ visits: number }>(c);
 * s.set("visits", (s.get("visits") ?? 0) + 1);
 * ```
 */
export class Session<T extends SessionData = SessionData> {
  #id: string;
  #data: Partial<T>;
  /** The JSON of the data as loaded ("" for a new session): the change check compares with it. */
  readonly #loaded: string;
  /** Whether the client holds a cookie for `#id` already. */
  #issued: boolean;
  readonly #deleted: string[] = [];
  #destroyed = false;

  /** @internal made by the session middleware. */
  constructor(id: string, data: Partial<T> | undefined) {
    this.#id = id;
    this.#data = data ?? {};
    this.#loaded = data === undefined ? "" : JSON.stringify(data);
    this.#issued = data !== undefined;
  }

  /** The session id (changes on `regenerate()`). */
  get id(): string {
    return this.#id;
  }

  /** True when no stored session came with the request (none, expired, or a bad signature). */
  get isNew(): boolean {
    return this.#loaded === "";
  }

  /** A value of the session. */
  get<K extends keyof T & string>(key: K): T[K] | undefined {
    return this.#data[key];
  }

  /** Set a value (it must survive JSON: stores keep JSON). */
  set<K extends keyof T & string>(key: K, value: T[K]): this {
    this.#revive();
    this.#data[key] = value;
    return this;
  }

  /** Remove a value. */
  delete(key: keyof T & string): this {
    delete this.#data[key];
    return this;
  }

  /** The data, read-only (a copy would cost on every call; change it through `set`). */
  get data(): Readonly<Partial<T>> {
    return this.#data;
  }

  /**
   * Move the session to a new id, keeping its data, and delete the old id from the store: call it
   * when privileges change (log-in), so an id planted before cannot ride along (session fixation,
   * OWASP Session Management Cheat Sheet).
   */
  regenerate(): void {
    if (this.#issued) this.#deleted.push(this.#id);
    this.#id = newSessionId();
    this.#issued = false;
    this.#destroyed = false;
  }

  /** End the session: its data is deleted from the store and the client told to drop the cookie. */
  destroy(): void {
    if (!this.#destroyed && this.#issued) this.#deleted.push(this.#id);
    this.#destroyed = true;
    this.#data = {};
  }

  /** A value set after `destroy()` starts a new session under a new id. */
  #revive(): void {
    if (!this.#destroyed) return;
    this.#destroyed = false;
    this.#id = newSessionId();
    this.#issued = false;
  }

  /** @internal What to do now the request is handled. */
  outcome(): SessionOutcome {
    if (this.#destroyed) {
      return { id: null, deleted: this.#deleted, save: null, cookie: this.isNew ? "keep" : "clear" };
    }
    const json = JSON.stringify(this.#data);
    const changed = json !== this.#loaded && !(this.isNew && json === "{}");
    // A new id (fresh session or regenerated) is saved even unchanged, once it holds data.
    const save = changed || (!this.#issued && json !== "{}") ? (this.#data as SessionData) : null;
    const cookie = save !== null && !this.#issued ? "set" : "keep";
    return { id: save !== null || this.#issued ? this.#id : null, deleted: this.#deleted, save, cookie };
  }
}
