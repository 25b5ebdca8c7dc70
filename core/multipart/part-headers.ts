/**
 * The header section of one part of a `multipart/form-data` body: field lines (RFC 2046 §5.1.1,
 * RFC 5322 §2.2 syntax, CRLF only), of which `Content-Disposition: form-data; name=…` is required
 * and `Content-Type` optional (RFC 7578 §4.2, §4.4).
 * @module
 */
import { CR, HTAB, LF, SP, TOKEN_LOWER } from "../bytes/chars.ts";
import { HttpError } from "../http/http-error.ts";
import { parseHeaderParams, singleParam } from "./header-params.ts";

/** What a part's headers say about it. */
export interface PartHead {
  /** The form field's name (`name` of Content-Disposition). */
  readonly name: string;
  /** The file name (`filename*` over `filename`, RFC 6266 §4.3), or undefined for a plain field. */
  readonly filename: string | undefined;
  /** The part's Content-Type; `text/plain` when it has none (RFC 7578 §4.4). */
  readonly type: string;
  /** Every field line as `[lowercased name, value]`, in order. */
  readonly headers: readonly (readonly [string, string])[];
}

const utf8 = new TextDecoder("utf-8", { fatal: true });

function fail(detail: string): never {
  throw new HttpError("MULTIPART_INVALID_PART_HEADER", detail);
}

/**
 * Undo the escaping browsers apply to names and file names in form submissions (HTML's
 * "multipart/form-data encoding algorithm"): `"` as `%22`, CR as `%0D`, LF as `%0A`.
 */
function unescapeFormName(value: string): string {
  if (!value.includes("%")) return value;
  return value.replace(/%(22|0D|0A)/gi, (m) => String.fromCharCode(parseInt(m.slice(1), 16)));
}

/**
 * Decode an RFC 8187 §3.2 ext-value (`UTF-8''n%C3%A4me.txt`); UTF-8 and ISO-8859-1 only,
 * as §3.2.1 requires of recipients.
 */
export function decodeExtValue(raw: string): string {
  const m = /^([A-Za-z0-9!#$%&+\-^_`{}~]+)'([A-Za-z0-9-]*)'((?:%[0-9A-Fa-f]{2}|[A-Za-z0-9!#$&+\-.^_`|~])*)$/.exec(raw);
  if (m === null) fail("Malformed extended parameter value (RFC 8187 §3.2)");
  const charset = m[1]!.toLowerCase();
  if (charset !== "utf-8" && charset !== "iso-8859-1") fail(`Unsupported charset ${m[1]} in an extended parameter`);
  const encoded = m[3]!;
  const bytes: number[] = [];
  for (let i = 0; i < encoded.length; i++) {
    if (encoded[i] === "%") {
      bytes.push(parseInt(encoded.slice(i + 1, i + 3), 16));
      i += 2;
    } else bytes.push(encoded.charCodeAt(i));
  }
  if (charset === "iso-8859-1") return String.fromCharCode(...bytes);
  try {
    return utf8.decode(new Uint8Array(bytes));
  } catch {
    return fail("Extended parameter value is not valid UTF-8");
  }
}

/** Split `block` (field lines, each ending in CRLF) into `[name, value]` pairs. */
function fieldLines(block: Uint8Array): [string, string][] {
  const out: [string, string][] = [];
  let at = 0;
  while (at < block.length) {
    let end = at;
    while (end < block.length && block[end] !== CR && block[end] !== LF) end++;
    if (end + 1 >= block.length || block[end] !== CR || block[end + 1] !== LF) {
      fail("Part header line does not end in CRLF (RFC 2046 §5.1.1)");
    }
    const first = block[at]!;
    if (first === SP || first === HTAB) fail("Folded part header line");
    let colon = at;
    while (colon < end && TOKEN_LOWER[block[colon]!] !== 0) colon++;
    if (colon === at || colon === end || block[colon] !== 0x3a) fail("Part header line has no valid name and colon");
    let name = "";
    for (let i = at; i < colon; i++) name += String.fromCharCode(TOKEN_LOWER[block[i]!]!);
    let vs = colon + 1;
    let ve = end;
    while (vs < ve && (block[vs] === SP || block[vs] === HTAB)) vs++;
    while (ve > vs && (block[ve - 1] === SP || block[ve - 1] === HTAB)) ve--;
    for (let i = vs; i < ve; i++) {
      const c = block[i]!;
      if ((c < 0x20 && c !== HTAB) || c === 0x7f) fail("Control character in a part header value");
    }
    let value: string;
    try {
      value = utf8.decode(block.subarray(vs, ve));
    } catch {
      return fail("Part header value is not valid UTF-8");
    }
    out.push([name, value]);
    at = end + 2;
  }
  return out;
}

/**
 * Parse a part's header section: `block` holds its field lines, each ending in CRLF, without
 * the empty line that ends the section. Fails with 400 (`MULTIPART_INVALID_PART_HEADER`).
 *
 * @example
 * ```ts
 * const block = new TextEncoder().encode('Content-Disposition: form-data; name="a"; filename="a.txt"\r\n');
 * parsePartHead(block); // { name: "a", filename: "a.txt", type: "text/plain", headers: [...] }
 * ```
 */
export function parsePartHead(block: Uint8Array): PartHead {
  const headers = fieldLines(block);
  let disposition: string | null = null;
  let type: string | null = null;
  for (const [name, value] of headers) {
    if (name === "content-disposition") {
      if (disposition !== null) fail("Part has two Content-Disposition fields");
      disposition = value;
    } else if (name === "content-type") {
      if (type !== null) fail("Part has two Content-Type fields");
      if (parseHeaderParams(value, true) === null) fail("Malformed part Content-Type");
      type = value;
    } else if (name === "content-transfer-encoding") {
      // Deprecated (RFC 7578 §4.7); an encoding we would have to undo is refused, not passed on raw.
      if (!/^(7bit|8bit|binary)$/i.test(value)) fail(`Unsupported Content-Transfer-Encoding ${value}`);
    }
  }
  if (disposition === null) fail("Part has no Content-Disposition (RFC 7578 §4.2)");
  const parsed = parseHeaderParams(disposition, false);
  if (parsed === null) fail("Malformed Content-Disposition");
  if (parsed.value !== "form-data") fail(`Content-Disposition is ${parsed.value}, not form-data (RFC 7578 §4.2)`);
  for (let i = 0; i < parsed.params.length; i++) {
    for (let j = 0; j < i; j++) {
      if (parsed.params[i]![0] === parsed.params[j]![0]) fail(`Content-Disposition repeats ${parsed.params[i]![0]}`);
    }
  }
  const name = singleParam(parsed, "name");
  if (typeof name !== "string") fail("Content-Disposition has no name (RFC 7578 §4.2)");
  const ext = singleParam(parsed, "filename*");
  const plain = singleParam(parsed, "filename");
  const filename = typeof ext === "string"
    ? decodeExtValue(ext)
    : typeof plain === "string"
    ? unescapeFormName(plain)
    : undefined;
  return { name: unescapeFormName(name), filename, type: type ?? "text/plain", headers };
}
