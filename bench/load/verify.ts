/**
 * Response verification for the load generator: every response must have the expected status
 * and the expected body length, or it counts as an error of a named kind instead of a request.
 * The expected length is given, or learned per request variant from the first response that has
 * the expected status (a variant is one distinct request, e.g. `/users/7` vs `/users/42`).
 */

/** Error kinds besides `status <code>`, `body length` and `parse <CODE>`. */
export const ERROR_CONNECT = "connect";
export const ERROR_CLOSED = "closed with requests in flight";
export const ERROR_TIMEOUT = "timeout";

/** What a response must look like. */
export interface Expectation {
  /** The expected status code. */
  status: number;
  /** The expected body length in bytes, or -1 to learn it from the first good response. */
  bodyLength: number;
}

/** Counts errors by kind and checks responses against the expectation, per variant. */
export class ResponseVerifier {
  /** Error counts by kind. */
  readonly errors: Map<string, number> = new Map();
  /** Expected body length per variant; -1 until learned (or given). */
  readonly expectedLength: Float64Array;
  /** The expected status. */
  readonly status: number;
  /** One example of each error kind, for the report: "expected 13 bytes, got 12". */
  readonly examples: Map<string, string> = new Map();

  constructor(variants: number, expectation: Expectation) {
    this.status = expectation.status;
    this.expectedLength = new Float64Array(Math.max(1, variants)).fill(expectation.bodyLength);
  }

  /**
   * Check one complete response to request variant `variant`. Returns true when it is good;
   * otherwise the error is counted and false returned.
   */
  check(variant: number, status: number, bodyLength: number): boolean {
    if (status !== this.status) {
      this.count(`status ${status}`, `expected ${this.status}`);
      return false;
    }
    const expected = this.expectedLength[variant]!;
    if (expected < 0) {
      this.expectedLength[variant] = bodyLength;
      return true;
    }
    if (bodyLength !== expected) {
      this.count("body length", `expected ${expected} bytes, got ${bodyLength}`);
      return false;
    }
    return true;
  }

  /** Count an error of a kind (`n` at once, e.g. the requests lost with a connection). */
  count(kind: string, example?: string, n = 1): void {
    this.errors.set(kind, (this.errors.get(kind) ?? 0) + n);
    if (example !== undefined && !this.examples.has(kind)) this.examples.set(kind, example);
  }

  /** Total errors of every kind. */
  get total(): number {
    let n = 0;
    for (const v of this.errors.values()) n += v;
    return n;
  }

  /** Errors as a plain object, largest first. */
  toJSON(): Record<string, number> {
    return Object.fromEntries([...this.errors].sort((a, b) => b[1] - a[1]));
  }
}
