/**
 * The boundary of a `multipart/form-data` body, taken from the request's `Content-Type`
 * (RFC 7578 §4.1, RFC 2046 §5.1.1).
 * @module
 */
import { HttpError } from "../http/http-error.ts";
import { parseHeaderParams, singleParam } from "./header-params.ts";

/** The media type this module parses. */
export const MULTIPART_FORM_DATA = "multipart/form-data";

// bcharsnospace := DIGIT / ALPHA / "'" / "(" / ")" / "+" / "_" / "," / "-" / "." / "/" / ":" / "=" / "?"
const BCHARS_NO_SPACE = /^[0-9A-Za-z'()+_,\-./:=?]$/;

/**
 * Whether `boundary` is one RFC 2046 §5.1.1 allows: 1 to 70 `bchars`, the last not a space.
 *
 * @example
 * ```ts
 * isValidBoundary("----WebKitFormBoundary7MA4YWxkTrZu0gW"); // true
 * isValidBoundary("ends with space "); // false
 * ```
 */
export function isValidBoundary(boundary: string): boolean {
  const n = boundary.length;
  if (n < 1 || n > 70) return false;
  for (let i = 0; i < n; i++) {
    const ch = boundary[i]!;
    if (ch === " " ? i === n - 1 : !BCHARS_NO_SPACE.test(ch)) return false;
  }
  return true;
}

/**
 * The boundary of a `multipart/form-data` Content-Type, quoted or not; 400
 * (`MULTIPART_INVALID_BOUNDARY`) when the field is not `multipart/form-data`, has no boundary,
 * more than one, or one RFC 2046 §5.1.1 does not allow.
 *
 * @example
 * ```ts
 * multipartBoundary('multipart/form-data; boundary="simple boundary"'); // "simple boundary"
 * ```
 */
export function multipartBoundary(contentType: string): string {
  const parsed = parseHeaderParams(contentType, true);
  if (parsed === null) throw new HttpError("MULTIPART_INVALID_BOUNDARY", "Malformed Content-Type");
  if (parsed.value !== MULTIPART_FORM_DATA) {
    throw new HttpError("MULTIPART_INVALID_BOUNDARY", `Content-Type is ${parsed.value}, not ${MULTIPART_FORM_DATA}`);
  }
  const boundary = singleParam(parsed, "boundary");
  if (boundary === null) throw new HttpError("MULTIPART_INVALID_BOUNDARY", "Content-Type has no boundary");
  if (boundary === undefined) throw new HttpError("MULTIPART_INVALID_BOUNDARY", "Content-Type has two boundaries");
  if (!isValidBoundary(boundary)) {
    throw new HttpError(
      "MULTIPART_INVALID_BOUNDARY",
      "The boundary must be 1 to 70 characters of RFC 2046 §5.1.1, not ending in a space",
    );
  }
  return boundary;
}
