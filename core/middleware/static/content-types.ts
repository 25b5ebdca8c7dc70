/**
 * Media types by file extension, for static files (RFC 9110 §8.3). Text types carry
 * `charset=utf-8`, the encoding every modern text asset uses; anything unknown is
 * `application/octet-stream` (RFC 9110 §8.3: a sender that does not know the type may omit it
 * or say octet-stream, which keeps browsers from sniffing a script out of an unknown file).
 * @module
 */

const UTF8 = "; charset=utf-8";

/** Lowercase extension (without the dot) → Content-Type. */
export const CONTENT_TYPES: ReadonlyMap<string, string> = new Map([
  ["html", "text/html" + UTF8],
  ["htm", "text/html" + UTF8],
  ["css", "text/css" + UTF8],
  ["js", "text/javascript" + UTF8],
  ["mjs", "text/javascript" + UTF8],
  ["cjs", "text/javascript" + UTF8],
  ["json", "application/json"],
  ["map", "application/json"],
  ["webmanifest", "application/manifest+json"],
  ["txt", "text/plain" + UTF8],
  ["md", "text/markdown" + UTF8],
  ["csv", "text/csv" + UTF8],
  ["xml", "application/xml"],
  ["svg", "image/svg+xml"],
  ["png", "image/png"],
  ["jpg", "image/jpeg"],
  ["jpeg", "image/jpeg"],
  ["gif", "image/gif"],
  ["webp", "image/webp"],
  ["avif", "image/avif"],
  ["ico", "image/vnd.microsoft.icon"],
  ["bmp", "image/bmp"],
  ["woff", "font/woff"],
  ["woff2", "font/woff2"],
  ["ttf", "font/ttf"],
  ["otf", "font/otf"],
  ["wasm", "application/wasm"],
  ["pdf", "application/pdf"],
  ["zip", "application/zip"],
  ["gz", "application/gzip"],
  ["tar", "application/x-tar"],
  ["mp3", "audio/mpeg"],
  ["ogg", "audio/ogg"],
  ["wav", "audio/wav"],
  ["mp4", "video/mp4"],
  ["webm", "video/webm"],
  ["bin", "application/octet-stream"],
]);

/** The Content-Type for a file name, by its last extension. */
export function contentTypeOf(name: string): string {
  const dot = name.lastIndexOf(".");
  if (dot < 0 || dot === name.length - 1) return "application/octet-stream";
  return CONTENT_TYPES.get(name.slice(dot + 1).toLowerCase()) ?? "application/octet-stream";
}
