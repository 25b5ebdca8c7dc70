/**
 * Validation of the header fields an application hands us for a response, shared by HTTP/1.1
 * and HTTP/2: a CR or LF from application data can never reach the wire (response splitting).
 */
import { TOKEN_LOWER } from "../bytes/chars.ts";
import { HttpError } from "./http-error.ts";

/** Whether `name` is a valid field name (a token, RFC 9110 §5.1). */
export function isValidFieldName(name: string): boolean {
  if (name.length === 0) return false;
  for (let i = 0; i < name.length; i++) {
    const c = name.charCodeAt(i);
    if (c >= 128 || TOKEN_LOWER[c] === 0) return false;
  }
  return true;
}

/** Whether `value` is a valid field value (RFC 9110 §5.5): no CR, LF, NUL or other CTL; latin1 only. */
export function isValidFieldValue(value: string): boolean {
  for (let i = 0; i < value.length; i++) {
    const c = value.charCodeAt(i);
    if ((c < 0x20 && c !== 0x09) || c === 0x7f || c > 0xff) return false;
  }
  return true;
}

/** Throws unless every name and value of a flat header list is valid. */
export function assertValidHeaders(headers: readonly string[]): void {
  for (let i = 0; i < headers.length; i += 2) {
    if (!isValidFieldName(headers[i]!)) {
      throw new HttpError("INVALID_RESPONSE_HEADER_NAME", `Invalid response header name ${JSON.stringify(headers[i])}`);
    }
    if (!isValidFieldValue(headers[i + 1]!)) {
      throw new HttpError("INVALID_RESPONSE_HEADER_VALUE", `Invalid character in response header ${headers[i]}`);
    }
  }
}
