/**
 * Turn the part of a request path below a static root into file-name segments, refusing
 * anything that could name a file outside the root or mean two things at once. The path is the
 * raw request path (still percent-encoded, RFC 3986 §2.1), so every trick is seen before
 * decoding: `..`/`.` segments however encoded (`%2e%2e`), encoded separators (`%2f`, `%5c`),
 * backslashes, NUL and other control characters. Decoding happens once: `%252e` is the literal
 * name `%2e`, never a dot. The symlink half of containment needs the file system and lives in
 * serve-static.ts (`realPath` under the root's real path).
 * @module
 */

/** The segments of a safe path, or the status that refuses it. */
export type PathCheck =
  | { readonly ok: true; readonly segments: readonly string[]; readonly directory: boolean }
  | { readonly ok: false; readonly status: 400 | 403; readonly reason: string };

const ENCODED_SEPARATOR = /%(?:2f|5c)/i;
// C0 controls and DEL: no file name needs them, and NUL truncates paths in some APIs.
// deno-lint-ignore no-control-regex
const CONTROL = /[\u0000-\u001f\u007f]/;

function refuse(status: 400 | 403, reason: string): PathCheck {
  return { ok: false, status, reason };
}

/**
 * Check `raw`, a request path relative to the root (`/css/site.css`, or `""` for the root
 * itself). 400 for what is malformed or ambiguous (bad escape, control character, backslash,
 * encoded separator); 403 for a `.` or `..` segment, encoded or not (RFC 3986 §5.2.4 would
 * resolve them; a file server has no reason to receive them, so they are refused, not resolved).
 */
export function checkPath(raw: string): PathCheck {
  if (raw.includes("\\")) return refuse(400, "backslash in path");
  if (ENCODED_SEPARATOR.test(raw)) return refuse(400, "encoded path separator");
  let decoded = raw;
  if (raw.includes("%")) {
    try {
      decoded = decodeURIComponent(raw);
    } catch {
      return refuse(400, "malformed percent-encoding");
    }
  }
  if (CONTROL.test(decoded)) return refuse(400, "control character in path");
  if (decoded.includes("\\")) return refuse(400, "backslash in path");
  const segments: string[] = [];
  for (const segment of decoded.split("/")) {
    if (segment === "") continue;
    if (segment === "." || segment === "..") return refuse(403, "dot segment in path");
    segments.push(segment);
  }
  return { ok: true, segments, directory: raw.endsWith("/") };
}

/** Whether a segment names a dotfile or dot-directory (`.env`, `.git`). */
export function isDotSegment(segment: string): boolean {
  return segment.charCodeAt(0) === 0x2e /* . */;
}

/**
 * Whether `path` is `root` or inside it. Both are canonical (symlinks resolved), so a prefix
 * test with a separator after the root is exact: `/srv/www-old` is not inside `/srv/www`.
 */
export function isInside(root: string, path: string): boolean {
  if (path === root) return true;
  const base = root.endsWith("/") ? root : root + "/";
  return path.startsWith(base);
}
