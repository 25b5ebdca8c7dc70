/**
 * The limits of one multipart body (RFC 7578 §7: a receiver must guard against a sender that
 * sends too much, in too many parts, or with huge part headers). Past any of them the parser
 * fails with a 413.
 * @module
 */

/** Limits of a multipart body; every one is optional and defaults to {@link DEFAULT_MULTIPART_LIMITS}. */
export interface MultipartLimits {
  /** Parts in the body (fields and files together). */
  maxParts?: number | undefined;
  /** Octets of one field value (a part without a filename). */
  maxFieldSize?: number | undefined;
  /** Octets of one file's content (a part with a filename). */
  maxFileSize?: number | undefined;
  /** Octets of the whole body, delimiters, headers, preamble and epilogue included. */
  maxTotalSize?: number | undefined;
  /** Octets of one part's header section, its final empty line included. */
  maxHeaderSize?: number | undefined;
}

/** Every limit of {@link MultipartLimits}, filled in. */
export type ResolvedMultipartLimits = { readonly [K in keyof MultipartLimits]-?: number };

/**
 * The defaults: 1000 parts, 1 MiB per field, 8 KiB of headers per part, no cap on a file or the
 * total beyond what the caller sets (`c.req.formData()` caps the total at the body limit, as it
 * holds everything in memory; `c.req.parts()` streams, so the server's `maxBodySize`, or a
 * route's lower `bodyLimit`, applies to the stream).
 */
export const DEFAULT_MULTIPART_LIMITS: ResolvedMultipartLimits = Object.freeze({
  maxParts: 1000,
  maxFieldSize: 1024 * 1024,
  maxFileSize: Number.POSITIVE_INFINITY,
  maxTotalSize: Number.POSITIVE_INFINITY,
  maxHeaderSize: 8 * 1024,
});

/** `limits` over the defaults; a limit given as `undefined` keeps its default. */
export function resolveMultipartLimits(limits?: MultipartLimits): ResolvedMultipartLimits {
  if (limits === undefined) return DEFAULT_MULTIPART_LIMITS;
  const d = DEFAULT_MULTIPART_LIMITS;
  return {
    maxParts: limits.maxParts ?? d.maxParts,
    maxFieldSize: limits.maxFieldSize ?? d.maxFieldSize,
    maxFileSize: limits.maxFileSize ?? d.maxFileSize,
    maxTotalSize: limits.maxTotalSize ?? d.maxTotalSize,
    maxHeaderSize: limits.maxHeaderSize ?? d.maxHeaderSize,
  };
}
