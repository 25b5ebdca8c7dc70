/**
 * Which media types are worth compressing: all but those that are compressed already (most image,
 * audio and video formats, archives, WOFF fonts), where another pass costs CPU and gains nothing.
 * @module
 */

/** Already-compressed types outside the `image/`, `audio/` and `video/` trees. */
const COMPRESSED = new Set([
  "application/zip",
  "application/gzip",
  "application/x-gzip",
  "application/x-bzip2",
  "application/x-xz",
  "application/zstd",
  "application/x-7z-compressed",
  "application/x-rar-compressed",
  "application/vnd.rar",
  "application/x-brotli",
  "application/java-archive",
  "application/epub+zip",
  "font/woff",
  "font/woff2",
  "application/font-woff",
]);

/** Images that are not compressed formats. */
const PLAIN_IMAGES = new Set([
  "image/svg+xml",
  "image/bmp",
  "image/x-ms-bmp",
  "image/x-icon",
  "image/vnd.microsoft.icon",
]);

/**
 * Whether a response of this `Content-Type` is worth compressing (the default `filter` of
 * `compress()`). A response without a type is compressed.
 */
export function isCompressible(contentType: string | undefined): boolean {
  if (contentType === undefined) return true;
  const semicolon = contentType.indexOf(";");
  const type = (semicolon < 0 ? contentType : contentType.slice(0, semicolon)).trim().toLowerCase();
  if (type.startsWith("image/")) return PLAIN_IMAGES.has(type);
  if (type.startsWith("video/") || type.startsWith("audio/")) return false;
  // Office documents and other `+zip` types are zip archives (RFC 6839 §3.6).
  return !COMPRESSED.has(type) && !type.endsWith("+zip") && !type.startsWith("application/vnd.openxmlformats");
}
