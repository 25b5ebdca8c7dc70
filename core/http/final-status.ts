import { HttpError } from "./http-error.ts";

/**
 * Check a status a handler chose for its final response: an integer in 200–599. RFC 9110 §15:
 * "Values outside the range 100..599 are invalid", and 1xx are interim answers (§15.2), never
 * the final one (101 comes only from an upgrade). A bad status is the server's fault: 500.
 */
export function assertFinalStatus(status: number): void {
  if (!Number.isInteger(status) || status < 200 || status > 599) {
    throw new HttpError(
      500,
      `Invalid response status ${status}: a final status is an integer from 200 to 599 (RFC 9110 §15)`,
      "INVALID_STATUS",
      false,
    );
  }
}
