/**
 * `c.req.formData()` and `c.req.parts()`: a request body as form data, for the two types an
 * HTML form sends (WHATWG Fetch "body.formData()"; RFC 7578 for multipart).
 * @module
 */
import { HttpError } from "../http/http-error.ts";
import type { RequestBody } from "../exchange/request-body.ts";
import { MULTIPART_FORM_DATA, multipartBoundary } from "../multipart/boundary.ts";
import type { MultipartLimits } from "../multipart/limits.ts";
import { type FormPart, multipartParts } from "./multipart-reader.ts";

/** The limits of `c.req.formData()`; `maxTotalSize` defaults to the route's or server's `bodyLimit`. */
export type FormDataOptions = MultipartLimits;

const URLENCODED = "application/x-www-form-urlencoded";
// "UTF-8 decode without BOM" (WHATWG URL §5.1): invalid bytes become U+FFFD, as in Response.formData().
const utf8 = new TextDecoder("utf-8", { ignoreBOM: true });

/** The media type of a Content-Type value, lowercased, without parameters. */
function essence(contentType: string | undefined): string {
  if (contentType === undefined) return "";
  const semicolon = contentType.indexOf(";");
  return (semicolon < 0 ? contentType : contentType.slice(0, semicolon)).trim().toLowerCase();
}

/**
 * 415 for a body that is not form data (RFC 9110 §15.5.16): the request is well formed, but in a
 * format this resource does not take — not a 400, which would say the message itself is broken.
 */
function unsupported(type: string, what: string): HttpError {
  return new HttpError(
    "UNSUPPORTED_MEDIA_TYPE",
    `${what} reads ${what === "parts()" ? "" : URLENCODED + " or "}${MULTIPART_FORM_DATA}, not ${
      type || "a body without Content-Type"
    }`,
  );
}

/** Read the body as a web `FormData`: fields as strings, files as `File`. */
export async function readFormData(
  contentType: string | undefined,
  body: RequestBody | null,
  bodyLimit: number,
  options?: FormDataOptions,
): Promise<FormData> {
  const type = essence(contentType);
  const maxTotalSize = options?.maxTotalSize ?? bodyLimit;
  const form = new FormData();
  if (type === URLENCODED) {
    const bytes = body === null ? new Uint8Array(0) : await body.bytes(maxTotalSize);
    for (const [name, value] of new URLSearchParams(utf8.decode(bytes))) form.append(name, value);
    return form;
  }
  if (type !== MULTIPART_FORM_DATA) throw unsupported(type, "formData()");
  const boundary = multipartBoundary(contentType!);
  for await (const part of multipartParts(body, boundary, { ...options, maxTotalSize })) {
    if (part.filename === undefined) form.append(part.name, await part.text());
    else {form.append(
        part.name,
        new File([await part.bytes() as Uint8Array<ArrayBuffer>], part.filename, { type: part.type }),
      );}
  }
  return form;
}

/** Iterate the parts of a `multipart/form-data` body (415 for another type, 400 for a bad boundary). */
export async function* readParts(
  contentType: string | undefined,
  body: RequestBody | null,
  options?: MultipartLimits,
): AsyncGenerator<FormPart, void, undefined> {
  const type = essence(contentType);
  if (type !== MULTIPART_FORM_DATA) throw unsupported(type, "parts()");
  yield* multipartParts(body, multipartBoundary(contentType!), options ?? {});
}
