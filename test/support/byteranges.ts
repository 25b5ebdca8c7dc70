/**
 * A strict reader of `multipart/byteranges` bodies (RFC 9110 §14.6, RFC 2046 §5.1.1) for tests:
 * it splits the body at the boundary of the Content-Type and returns each part's fields and
 * bytes, throwing on anything out of shape, so a test checks the format and not only the bytes.
 */

export interface BytePart {
  readonly contentType: string | undefined;
  /** Parsed `Content-Range: bytes first-last/size`. */
  readonly first: number;
  readonly last: number;
  readonly size: number;
  readonly body: Uint8Array;
}

const latin1 = (bytes: Uint8Array): string => {
  let out = "";
  for (const b of bytes) out += String.fromCharCode(b);
  return out;
};

/** Parse `body` sent with `contentType` (`multipart/byteranges; boundary=…`). */
export function parseByteRanges(contentType: string, body: Uint8Array): BytePart[] {
  const match = /^multipart\/byteranges;\s*boundary=("?)([^";]+)\1$/i.exec(contentType);
  if (match === null) throw new Error(`Not multipart/byteranges: ${contentType}`);
  const delimiter = "--" + match[2]!;
  const text = latin1(body);
  const parts: BytePart[] = [];
  // The first delimiter may follow a preamble (RFC 2046); every later one follows CRLF.
  let at = text.indexOf(delimiter);
  if (at < 0) throw new Error("No boundary in the body");
  for (;;) {
    at += delimiter.length;
    if (text.startsWith("--", at)) {
      if (text.slice(at + 2).replace(/^\r\n/, "") !== "") throw new Error("Bytes after the close delimiter");
      return parts;
    }
    if (!text.startsWith("\r\n", at)) throw new Error(`No CRLF after the boundary at ${at}`);
    const headEnd = text.indexOf("\r\n\r\n", at);
    if (headEnd < 0) throw new Error("Part without a header end");
    const fields = new Map<string, string>();
    for (const line of text.slice(at + 2, headEnd).split("\r\n")) {
      const colon = line.indexOf(":");
      if (colon <= 0) throw new Error(`Bad part field line: ${line}`);
      fields.set(line.slice(0, colon).trim().toLowerCase(), line.slice(colon + 1).trim());
    }
    const range = /^bytes (\d+)-(\d+)\/(\d+)$/.exec(fields.get("content-range") ?? "");
    if (range === null) throw new Error(`Part without a valid Content-Range: ${fields.get("content-range")}`);
    const first = Number(range[1]);
    const last = Number(range[2]);
    const start = headEnd + 4;
    const end = start + last - first + 1;
    if (!text.startsWith("\r\n" + delimiter, end)) {
      throw new Error(`Part ${first}-${last} is not followed by a boundary`);
    }
    parts.push({
      contentType: fields.get("content-type"),
      first,
      last,
      size: Number(range[3]),
      body: body.slice(start, end),
    });
    at = end + 2;
  }
}
