import type { UpgradeOptions } from "../session/ws/accept.ts";

/** Fields a handshake answer owns, or a 101 must not carry (RFC 9110 §8.6: no Content-Length in a 1xx). */
const HANDSHAKE_OWNED = new Set([
  "content-length",
  "content-type",
  "content-encoding",
  "transfer-encoding",
  "connection",
  "keep-alive",
  "upgrade",
  "date",
  "sec-websocket-accept",
  "sec-websocket-protocol",
  "sec-websocket-extensions",
]);

/**
 * The upgrade options with the fields middleware set on the context (a request id, cookies, CORS)
 * added to the handshake's answer, as they are to any other response; `options` itself when there
 * are none.
 */
export function withContextFields(options: UpgradeOptions<unknown>, fields: string[]): UpgradeOptions<unknown> {
  if (fields.length === 0) return options;
  const kept: string[] = [];
  for (let i = 0; i < fields.length; i += 2) {
    if (!HANDSHAKE_OWNED.has(fields[i]!)) kept.push(fields[i]!, fields[i + 1]!);
  }
  if (kept.length === 0) return options;
  return { ...options, headers: options.headers === undefined ? kept : [...kept, ...options.headers] };
}
