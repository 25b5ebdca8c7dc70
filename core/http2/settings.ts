/**
 * SETTINGS parameters (RFC 9113 §6.5.2): the peer's values as this endpoint tracks them, the
 * validation of each received value, and the encoding of our own.
 *
 * @example
 * ```ts
 * import { applySettings, encodeSettings, PeerSettings, SETTINGS_MAX_FRAME_SIZE } from "./settings.ts";
 * const peer = new PeerSettings();
 * const payload = encodeSettings([[SETTINGS_MAX_FRAME_SIZE, 32768]]);
 * applySettings(peer, payload, 0, payload.length);
 * peer.maxFrameSize; // 32768
 * ```
 * @module
 */
import { ConnectionError } from "./errors.ts";
import { DEFAULT_WINDOW, MAX_MAX_FRAME_SIZE, MAX_WINDOW, MIN_MAX_FRAME_SIZE } from "./frame-types.ts";
import { readUint32 } from "./frame-header.ts";

export const SETTINGS_HEADER_TABLE_SIZE = 0x1;
export const SETTINGS_ENABLE_PUSH = 0x2;
export const SETTINGS_MAX_CONCURRENT_STREAMS = 0x3;
export const SETTINGS_INITIAL_WINDOW_SIZE = 0x4;
export const SETTINGS_MAX_FRAME_SIZE = 0x5;
export const SETTINGS_MAX_HEADER_LIST_SIZE = 0x6;

/** The settings a peer has sent, starting from the initial values of RFC 9113 §6.5.2. */
export class PeerSettings {
  headerTableSize: number = 4096;
  enablePush: number = 1;
  /** Unlimited until the peer says otherwise. */
  maxConcurrentStreams: number = Number.POSITIVE_INFINITY;
  initialWindowSize: number = DEFAULT_WINDOW;
  maxFrameSize: number = MIN_MAX_FRAME_SIZE;
  /** Advisory (§6.5.2); unlimited until the peer says otherwise. */
  maxHeaderListSize: number = Number.POSITIVE_INFINITY;
}

/**
 * Apply the parameters in `b[start..end)` (a multiple of 6 octets, checked by the frame parser)
 * in order (§6.5.3: "The values in the SETTINGS frame MUST be processed in the order they
 * appear"). Throws a {@link ConnectionError} for a value out of range.
 */
export function applySettings(peer: PeerSettings, b: Uint8Array, start: number, end: number): void {
  for (let p = start; p + 6 <= end; p += 6) {
    const id = (b[p]! << 8) | b[p + 1]!;
    const value = readUint32(b, p + 2);
    switch (id) {
      case SETTINGS_HEADER_TABLE_SIZE:
        peer.headerTableSize = value;
        break;
      case SETTINGS_ENABLE_PUSH:
        // §6.5.2: "Any value other than 0 or 1 MUST be treated as a connection error of type
        // PROTOCOL_ERROR."
        if (value > 1) {
          throw new ConnectionError("INVALID_ENABLE_PUSH", `SETTINGS_ENABLE_PUSH of ${value} (RFC 9113 §6.5.2)`);
        }
        peer.enablePush = value;
        break;
      case SETTINGS_MAX_CONCURRENT_STREAMS:
        peer.maxConcurrentStreams = value;
        break;
      case SETTINGS_INITIAL_WINDOW_SIZE:
        // §6.5.2: "Values above the maximum flow-control window size of 2^31-1 MUST be treated as
        // a connection error of type FLOW_CONTROL_ERROR."
        if (value > MAX_WINDOW) {
          throw new ConnectionError(
            "INITIAL_WINDOW_TOO_LARGE",
            `SETTINGS_INITIAL_WINDOW_SIZE of ${value} (RFC 9113 §6.5.2)`,
          );
        }
        peer.initialWindowSize = value;
        break;
      case SETTINGS_MAX_FRAME_SIZE:
        // §6.5.2: "Values outside this range [2^14, 2^24-1] MUST be treated as a connection error
        // of type PROTOCOL_ERROR."
        if (value < MIN_MAX_FRAME_SIZE || value > MAX_MAX_FRAME_SIZE) {
          throw new ConnectionError("INVALID_MAX_FRAME_SIZE", `SETTINGS_MAX_FRAME_SIZE of ${value} (RFC 9113 §6.5.2)`);
        }
        peer.maxFrameSize = value;
        break;
      case SETTINGS_MAX_HEADER_LIST_SIZE:
        peer.maxHeaderListSize = value;
        break;
      default:
        // §6.5.2: "An endpoint that receives a SETTINGS frame with any unknown or unsupported
        // identifier MUST ignore that setting."
        break;
    }
  }
}

/** The payload of a SETTINGS frame holding `entries` as `[identifier, value]` pairs. */
export function encodeSettings(entries: readonly (readonly [number, number])[]): Uint8Array {
  const out = new Uint8Array(entries.length * 6);
  let p = 0;
  for (const [id, value] of entries) {
    out[p] = id >>> 8;
    out[p + 1] = id & 0xff;
    out[p + 2] = value >>> 24;
    out[p + 3] = (value >>> 16) & 0xff;
    out[p + 4] = (value >>> 8) & 0xff;
    out[p + 5] = value & 0xff;
    p += 6;
  }
  return out;
}

const B64URL = new Int16Array(128).fill(-1);
{
  const alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";
  for (let i = 0; i < 64; i++) B64URL[alphabet.charCodeAt(i)] = i;
}

/**
 * Decode an `HTTP2-Settings` header value (RFC 7540 §3.2.1): the SETTINGS payload in base64url
 * without padding (trailing `=` tolerated). Returns null when it is not valid base64url or not a
 * whole number of settings.
 */
export function decodeHttp2Settings(value: string): Uint8Array | null {
  let end = value.length;
  while (end > 0 && value.charCodeAt(end - 1) === 0x3d /* = */) end--;
  if (end % 4 === 1) return null;
  const out = new Uint8Array(Math.floor((end * 3) / 4));
  let acc = 0;
  let bits = 0;
  let o = 0;
  for (let i = 0; i < end; i++) {
    const c = value.charCodeAt(i);
    const v = c < 128 ? B64URL[c]! : -1;
    if (v < 0) return null;
    acc = (acc << 6) | v;
    bits += 6;
    if (bits >= 8) {
      bits -= 8;
      out[o++] = (acc >>> bits) & 0xff;
    }
  }
  if (o % 6 !== 0) return null;
  return out;
}
