/**
 * Requests for the load generator, built once as bytes and reused for every send. Each built
 * request is checked by wirecore's own request parser, so the generator never measures a server
 * against a malformed request.
 */
import { RequestParser } from "../../core/http1/request-parser.ts";
import { isValidFieldName, isValidFieldValue } from "../../core/http/field-validation.ts";

/** What to send. */
export interface RequestSpec {
  method: string;
  /** `host:port` for the Host field. */
  authority: string;
  /** The origin-form target, e.g. `/users/42?x=1`. */
  target: string;
  /** Body size in bytes (0: no body, and no Content-Length for GET/HEAD). */
  bodySize: number;
  /** Extra header fields, as [name, value] pairs. */
  headers: readonly (readonly [string, string])[];
}

/** The placeholder in a URL path that `--variants N` replaces with 0 … N-1. */
export const VARIANT_PLACEHOLDER = "{i}";

const encoder = new TextEncoder();

/** A body of `size` bytes: a repeating printable pattern (easy to eyeball in a capture). */
export function makeBody(size: number): Uint8Array {
  const body = new Uint8Array(size);
  const pattern = encoder.encode("wirecore-load-0123456789abcdefghijklmnopqrstuvwxyz\n");
  for (let i = 0; i < size; i++) body[i] = pattern[i % pattern.length]!;
  return body;
}

/** Serialize one request; throws if a field is invalid or the result does not parse as one request. */
export function buildRequest(spec: RequestSpec, body?: Uint8Array): Uint8Array {
  let head = `${spec.method} ${spec.target} HTTP/1.1\r\nhost: ${spec.authority}\r\n`;
  const names = new Set<string>();
  for (const [name, value] of spec.headers) {
    if (!isValidFieldName(name)) throw new Error(`Invalid header name ${JSON.stringify(name)}`);
    if (!isValidFieldValue(value)) throw new Error(`Invalid value for header ${name}`);
    names.add(name.toLowerCase());
    head += `${name}: ${value}\r\n`;
  }
  const size = spec.bodySize;
  if (size > 0 || (spec.method !== "GET" && spec.method !== "HEAD")) {
    if (!names.has("content-type") && size > 0) head += "content-type: application/octet-stream\r\n";
    head += `content-length: ${size}\r\n`;
  }
  head += "\r\n";
  const headBytes = encoder.encode(head);
  const payload = size > 0 ? (body ?? makeBody(size)) : new Uint8Array(0);
  if (payload.length !== size) throw new Error("Body does not match bodySize");
  const out = new Uint8Array(headBytes.length + size);
  out.set(headBytes, 0);
  out.set(payload, headBytes.length);
  assertOneRequest(out);
  return out;
}

/** Check with wirecore's request parser that `bytes` is exactly one valid request. */
function assertOneRequest(bytes: Uint8Array): void {
  let complete = 0;
  const parser = new RequestParser({ onHead() {}, onBody() {}, onMessageComplete: () => void complete++ });
  const n = parser.execute(bytes);
  if (n < 0) throw new Error(`Built an invalid request: ${parser.error?.message}`);
  if (complete !== 1 || n !== bytes.length) throw new Error("Built request is not exactly one message");
}

/**
 * The request variants for a target: one, or `variants` with the placeholder replaced by 0 … N-1
 * when the target holds `{i}`. The body bytes are shared between variants.
 */
export function buildVariants(spec: RequestSpec, variants: number): Uint8Array[] {
  const body = spec.bodySize > 0 ? makeBody(spec.bodySize) : undefined;
  if (!spec.target.includes(VARIANT_PLACEHOLDER)) return [buildRequest(spec, body)];
  const out: Uint8Array[] = [];
  for (let i = 0; i < variants; i++) {
    out.push(buildRequest({ ...spec, target: spec.target.replaceAll(VARIANT_PLACEHOLDER, String(i)) }, body));
  }
  return out;
}

/** Concatenate requests into one buffer (a pipelined batch: one write). */
export function concat(parts: readonly Uint8Array[]): Uint8Array {
  let size = 0;
  for (const p of parts) size += p.length;
  const out = new Uint8Array(size);
  let at = 0;
  for (const p of parts) {
    out.set(p, at);
    at += p.length;
  }
  return out;
}
