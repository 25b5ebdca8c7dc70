/**
 * The one way an HTTP/1.1 parser fails. Every part of a parser — start line, field lines,
 * section reader, body decoder, the parser's own checks — records its verdict here with
 * `return rejection.reject(CODE, detail)`, which returns -1; the -1 travels up to the parser,
 * which turns the verdict into its {@link HttpError} once, in one place, and stops.
 *
 * The code names a row of the table in `core/http/wire-errors.ts`, which gives the status; a
 * parser of responses (client mode) answers every error with 502 instead ({@link UPSTREAM_STATUS}).
 *
 * Validation of a section that may not have fully arrived yet is provisional: running out of
 * bytes is recorded as {@link Rejection.incomplete}, not as an error, and becomes one only once
 * the section is known to be complete — so the error does not depend on how the input was split.
 *
 * @example
 * ```ts
 * const r = new Rejection(false);
 * r.reject("BARE_CR", "Bare CR in field value"); // -1
 * const error = r.toError(); // HttpError 400 BARE_CR "Bare CR in field value"
 * ```
 * @module
 */
import { HttpError } from "../http/http-error.ts";
import { type HttpErrorCode, UPSTREAM_STATUS, WIRE_ERRORS } from "../http/wire-errors.ts";

/** The recorded verdict of the last check that failed. */
export class Rejection {
  /** The failed rule, or null when the bytes only ran out. */
  #code: HttpErrorCode | null = null;
  #detail: string | undefined = undefined;
  readonly #upstream: boolean;

  /** `upstream`: the parser reads responses, so every error answers 502 (RFC 9110 §15.6.3). */
  constructor(upstream: boolean) {
    this.#upstream = upstream;
  }

  /** Record a verdict; returns -1 so a check can `return r.reject(…)`. */
  reject(code: HttpErrorCode, detail?: string): -1 {
    this.#code = code;
    this.#detail = detail;
    return -1;
  }

  /** Record that the bytes ran out before the section ended: no verdict yet. */
  incomplete(): -1 {
    this.#code = null;
    this.#detail = undefined;
    return -1;
  }

  /**
   * The error for the verdict. Running out of bytes inside a section that is complete leaves
   * no more specific reason than a malformed one.
   */
  toError(): HttpError {
    const code = this.#code ?? "MALFORMED_HEAD";
    if (!this.#upstream) return new HttpError(code, this.#detail);
    return new HttpError(UPSTREAM_STATUS, this.#detail ?? WIRE_ERRORS[code].reason, code);
  }
}
