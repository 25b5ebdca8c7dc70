/**
 * A small, independent HTTP/1.x response reader for the contract suite: it splits the bytes a
 * RawClient received into responses (Content-Length, chunked, bodyless, read-until-close), so
 * a case can check framing exactly instead of trusting a client library.
 */
import { RawClient } from "./harness.ts";

/** One response as read off the wire. */
export interface RawResponse {
  version: string;
  status: number;
  reason: string;
  /** Header fields in order, names lowercased. */
  headers: [string, string][];
  /** The body after removing the transfer coding, as latin1 text. */
  body: string;
  /** Whether the body came with the chunked coding. */
  chunked: boolean;
  /** Trailer fields of a chunked body, names lowercased. */
  trailers: [string, string][];
}

/** The first value of a header, or undefined. */
export function header(response: RawResponse, name: string): string | undefined {
  const key = name.toLowerCase();
  for (const [n, v] of response.headers) if (n === key) return v;
  return undefined;
}

/** Every value of a header, in order. */
export function headers(response: RawResponse, name: string): string[] {
  const key = name.toLowerCase();
  return response.headers.filter(([n]) => n === key).map(([, v]) => v);
}

/**
 * Read as many complete responses as `text` holds. `methods` gives the request method of each
 * final (non-1xx) response in order, so a response to HEAD is read without a body; `closed`
 * says the connection ended, so a body without length runs to the end.
 * Throws on bytes that cannot be a response (e.g. a body sent where none belongs).
 */
export function parseResponses(
  text: string,
  methods: readonly string[] = [],
  closed = false,
): { responses: RawResponse[]; rest: string } {
  const responses: RawResponse[] = [];
  let at = 0;
  let finals = 0;
  for (;;) {
    if (at >= text.length) break;
    const headEnd = text.indexOf("\r\n\r\n", at);
    if (headEnd < 0) break;
    const lines = text.slice(at, headEnd).split("\r\n");
    const statusLine = /^(HTTP\/\d\.\d) (\d{3}) ?(.*)$/.exec(lines[0]!);
    if (statusLine === null) {
      throw new Error(`Not a status line at byte ${at}: ${JSON.stringify(text.slice(at, at + 80))}`);
    }
    const fields: [string, string][] = [];
    for (const line of lines.slice(1)) {
      const colon = line.indexOf(":");
      if (colon <= 0) throw new Error(`Malformed response header line ${JSON.stringify(line)}`);
      fields.push([line.slice(0, colon).toLowerCase(), line.slice(colon + 1).trim()]);
    }
    const response: RawResponse = {
      version: statusLine[1]!,
      status: Number(statusLine[2]),
      reason: statusLine[3]!,
      headers: fields,
      body: "",
      chunked: false,
      trailers: [],
    };
    const bodyStart = headEnd + 4;
    if (response.status < 200) {
      responses.push(response);
      at = bodyStart;
      continue;
    }
    const method = methods[finals] ?? "GET";
    const te = header(response, "transfer-encoding");
    const cl = header(response, "content-length");
    if (method === "HEAD" || response.status === 204 || response.status === 304) {
      at = bodyStart;
    } else if (te !== undefined && /chunked\s*$/i.test(te)) {
      response.chunked = true;
      const decoded = decodeChunked(text, bodyStart);
      if (decoded === null) break;
      response.body = decoded.body;
      response.trailers = decoded.trailers;
      at = decoded.end;
    } else if (cl !== undefined) {
      const length = Number(cl);
      if (text.length < bodyStart + length) break;
      response.body = text.slice(bodyStart, bodyStart + length);
      at = bodyStart + length;
    } else {
      if (!closed) break;
      response.body = text.slice(bodyStart);
      at = text.length;
    }
    responses.push(response);
    finals++;
  }
  return { responses, rest: text.slice(at) };
}

function decodeChunked(
  text: string,
  start: number,
): { body: string; trailers: [string, string][]; end: number } | null {
  let at = start;
  let body = "";
  for (;;) {
    const lineEnd = text.indexOf("\r\n", at);
    if (lineEnd < 0) return null;
    const sizeText = text.slice(at, lineEnd).split(";")[0]!.trim();
    if (!/^[0-9a-fA-F]+$/.test(sizeText)) {
      throw new Error(`Bad chunk size line ${JSON.stringify(text.slice(at, lineEnd))}`);
    }
    const size = parseInt(sizeText, 16);
    at = lineEnd + 2;
    if (size === 0) {
      const trailers: [string, string][] = [];
      for (;;) {
        const end = text.indexOf("\r\n", at);
        if (end < 0) return null;
        const line = text.slice(at, end);
        at = end + 2;
        if (line === "") return { body, trailers, end: at };
        const colon = line.indexOf(":");
        trailers.push([line.slice(0, colon).toLowerCase(), line.slice(colon + 1).trim()]);
      }
    }
    if (text.length < at + size + 2) return null;
    body += text.slice(at, at + size);
    if (text.slice(at + size, at + size + 2) !== "\r\n") throw new Error("Chunk data not followed by CRLF");
    at += size + 2;
  }
}

/** Wait until `client` has received `count` responses (1xx included); fails if it closes first. */
/** Open a connection, send `bytes`, read `count` responses; the client stays open for more. */
export async function exchange(
  port: number,
  bytes: string,
  count = 1,
  methods: readonly string[] = [],
): Promise<{ client: RawClient; responses: RawResponse[] }> {
  const client = await RawClient.open(port);
  try {
    await client.write(bytes);
    return { client, responses: await readResponses(client, count, methods) };
  } catch (error) {
    client.close();
    throw error;
  }
}

export async function readResponses(
  client: RawClient,
  count: number,
  methods: readonly string[] = [],
  timeoutMs = 5000,
): Promise<RawResponse[]> {
  const text = await client.until((t) => parseResponses(t, methods).responses.length >= count, timeoutMs);
  const { responses } = parseResponses(text, methods, client.closed);
  if (responses.length < count) {
    throw new Error(
      `Expected ${count} responses, got ${responses.length} before the connection closed: ${
        JSON.stringify(text.slice(0, 600))
      }`,
    );
  }
  return responses;
}
