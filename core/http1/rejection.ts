/**
 * Why validating a head or trailer section stopped. Validation of a section that may not have
 * fully arrived yet is provisional: the verdict is recorded here, not raised, and becomes an
 * {@link HttpError} only once the section is known to be complete — so the error does not depend
 * on how the input was split.
 *
 * @example
 * ```ts
 * const r = new Rejection();
 * r.reject(400, "BARE_CR", "Bare CR in field value");
 * const error = r.toError(400); // HttpError 400 BARE_CR
 * ```
 * @module
 */
import { HttpError } from "../http/http-error.ts";

/** The recorded verdict of the last validation that failed. */
export class Rejection {
  /** The status to answer with, or 0 when validation only ran out of bytes. */
  status = 0;
  /** The stable error code, e.g. `"INVALID_HEADER_NAME"`. */
  code = "";
  /** A sentence-case reason. */
  message = "";

  /** Record a verdict; returns -1 so a validator can `return r.reject(…)`. */
  reject(status: number, code: string, message: string): -1 {
    this.status = status;
    this.code = code;
    this.message = message;
    return -1;
  }

  /** Record that the bytes ran out before the section ended. */
  incomplete(): -1 {
    this.status = 0;
    return -1;
  }

  /**
   * The error for a section that is complete yet failed validation. Running out of bytes inside
   * a complete section leaves no more specific reason than a malformed one, with `status`.
   */
  toError(status: number): HttpError {
    if (this.status === 0) return new HttpError(status, "Malformed header section", "MALFORMED_HEAD");
    return new HttpError(this.status, this.message, this.code);
  }
}
