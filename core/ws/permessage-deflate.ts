/**
 * permessage-deflate negotiation (RFC 7692 §5, §7.1), server side: pick the first acceptable
 * offer from `Sec-WebSocket-Extensions`, given the server's preferences, and produce the
 * response value and the agreed parameters. No compression happens here — see
 * `permessage-codec.ts` and the `DeflateProvider` interface.
 *
 * An offer is declined (and the next one tried) when it has a parameter not defined for offers,
 * an invalid value, or the same parameter twice (§7, "MUST decline"), or when it asks the server
 * to compress with an 8-bit window: zlib refuses raw deflate with windowBits 8 (it silently used
 * 9 before 1.2.9), and §7.1.2.1 allows declining an offer whose window cannot be honoured.
 *
 * @example
 * ```ts
 * const offers = parseExtensions("permessage-deflate; client_max_window_bits")!;
 * const agreed = negotiatePerMessageDeflate(offers, { clientMaxWindowBits: 12 });
 * agreed?.response; // "permessage-deflate; client_max_window_bits=12"
 * ```
 * @module
 */
import type { ExtensionOffer } from "./extension-header.ts";

/** The registered extension name (RFC 7692 §7). */
export const PERMESSAGE_DEFLATE = "permessage-deflate";

/** What the server is willing to do. Every field is optional; defaults are the RFC's. */
export interface PerMessageDeflateOptions {
  /**
   * Compress every message from scratch (`server_no_context_takeover` in every response,
   * §7.1.1.1): less memory per connection, worse ratio. Default false; a client may still ask.
   */
  serverNoContextTakeover?: boolean;
  /**
   * Ask clients to compress every message from scratch (`client_no_context_takeover`,
   * §7.1.1.2). Default false; a client that offers it gets it echoed either way.
   */
  clientNoContextTakeover?: boolean;
  /** Largest window the server compresses with, 9–15 (zlib cannot raw-deflate with 8). Default 15. */
  serverMaxWindowBits?: number;
  /**
   * Window to ask clients to compress with, 8–15, sent only to clients that offer
   * `client_max_window_bits` (§7.1.2.2). Default 15 (no request).
   */
  clientMaxWindowBits?: number;
  /**
   * zlib level of what the server compresses, 0–9: 1 is fastest, 9 smallest. Default: the runtime's zlib default (6).
   * Only the sender chooses it (RFC 7692 §7.1 has no parameter for it); a 4 KiB JSON-like text on Bun took 4.0 µs at
   * level 1 against 7.0 µs at the default.
   */
  level?: number;
  /**
   * Messages shorter than this many bytes go uncompressed (RSV1 clear, which RFC 7692 §6 allows per message): a few
   * bytes gain nothing from deflate and cost a call into zlib. Default 0: every message sent with `compress` is
   * compressed.
   */
  threshold?: number;
}

/** The agreed parameters (RFC 7692 §7.1): what each side compresses with. */
export interface PerMessageDeflateParams {
  /** The server resets its compressor after every message. */
  serverNoContextTakeover: boolean;
  /** The client resets its compressor after every message, so our decompressor may too. */
  clientNoContextTakeover: boolean;
  /** The window the server compresses with (9–15). */
  serverMaxWindowBits: number;
  /** The largest window the client compresses with (8–15): the window to decompress with. */
  clientMaxWindowBits: number;
}

/** An accepted offer: the parameters and the `Sec-WebSocket-Extensions` response value. */
export interface PerMessageDeflateAgreement {
  params: PerMessageDeflateParams;
  response: string;
}

/** A window size: a decimal integer 8–15 without leading zeros (§7.1.2.1, §7.1.2.2). */
const WINDOW_BITS = /^(?:[89]|1[0-5])$/;

/** The offer's parameters, or null if the offer must be declined (§7). */
interface OfferParams {
  serverNoContextTakeover: boolean;
  clientNoContextTakeover: boolean;
  /** undefined when absent. */
  serverMaxWindowBits: number | undefined;
  /** undefined when absent, 0 when present without a value. */
  clientMaxWindowBits: number | undefined;
}

function readOffer(offer: ExtensionOffer): OfferParams | null {
  const out: OfferParams = {
    serverNoContextTakeover: false,
    clientNoContextTakeover: false,
    serverMaxWindowBits: undefined,
    clientMaxWindowBits: undefined,
  };
  for (const { name, value } of offer.params) {
    switch (name) {
      case "server_no_context_takeover": // §7.1.1.1: no value
        if (out.serverNoContextTakeover || value !== undefined) return null;
        out.serverNoContextTakeover = true;
        break;
      case "client_no_context_takeover": // §7.1.1.2: no value
        if (out.clientNoContextTakeover || value !== undefined) return null;
        out.clientNoContextTakeover = true;
        break;
      case "server_max_window_bits": // §7.1.2.1: a value is required
        if (out.serverMaxWindowBits !== undefined || value === undefined || !WINDOW_BITS.test(value)) return null;
        out.serverMaxWindowBits = Number(value);
        break;
      case "client_max_window_bits": // §7.1.2.2: the value is optional
        if (out.clientMaxWindowBits !== undefined) return null;
        if (value === undefined) out.clientMaxWindowBits = 0;
        else if (WINDOW_BITS.test(value)) out.clientMaxWindowBits = Number(value);
        else return null;
        break;
      default: // §7: "an extension parameter not defined for use in an offer"
        return null;
    }
  }
  return out;
}

function checkBits(name: string, bits: number, min: number): void {
  if (!Number.isInteger(bits) || bits < min || bits > 15) {
    throw new RangeError(`${name} must be an integer from ${min} to 15, got ${bits}`);
  }
}

/**
 * Throws a RangeError naming the first option out of range. `serve()` calls it once at start-up, so a bad setting
 * fails there rather than at the first upgrade that offers compression.
 */
export function checkPerMessageDeflateOptions(options: PerMessageDeflateOptions): void {
  checkBits("perMessageDeflate.serverMaxWindowBits", options.serverMaxWindowBits ?? 15, 9);
  checkBits("perMessageDeflate.clientMaxWindowBits", options.clientMaxWindowBits ?? 15, 8);
  const level = options.level;
  if (level !== undefined && !(Number.isInteger(level) && level >= 0 && level <= 9)) {
    throw new RangeError(`perMessageDeflate.level must be an integer from 0 to 9, got ${level}`);
  }
  const threshold = options.threshold ?? 0;
  if (!Number.isSafeInteger(threshold) || threshold < 0) {
    throw new RangeError(`perMessageDeflate.threshold must be a whole number of bytes, got ${threshold}`);
  }
}

/**
 * Accepts the first acceptable `permessage-deflate` offer, or returns null when there is none
 * (then the response carries no `permessage-deflate` and RSV1 stays forbidden).
 */
export function negotiatePerMessageDeflate(
  offers: readonly ExtensionOffer[],
  options: PerMessageDeflateOptions = {},
): PerMessageDeflateAgreement | null {
  checkPerMessageDeflateOptions(options); // a no-op cost next to the handshake; serve() has already checked
  const ourServerBits = options.serverMaxWindowBits ?? 15;
  const ourClientBits = options.clientMaxWindowBits ?? 15;

  for (const offer of offers) {
    if (offer.name !== PERMESSAGE_DEFLATE) continue;
    const p = readOffer(offer);
    if (p === null) continue;

    // §7.1.2.1: answer with the same or a smaller window; a server may name one unasked.
    const serverBits = Math.min(ourServerBits, p.serverMaxWindowBits ?? 15);
    if (serverBits < 9) continue; // zlib cannot compress raw deflate with an 8-bit window
    // §7.1.2.2: only when offered; a value offered is the client's own limit, never exceeded.
    let clientBits = 15;
    let sayClientBits = false;
    if (p.clientMaxWindowBits !== undefined) {
      clientBits = p.clientMaxWindowBits === 0 ? ourClientBits : Math.min(ourClientBits, p.clientMaxWindowBits);
      sayClientBits = clientBits < 15 || p.clientMaxWindowBits !== 0;
    }
    const params: PerMessageDeflateParams = {
      // §7.1.1.1: an offered server_no_context_takeover must be accepted as is.
      serverNoContextTakeover: p.serverNoContextTakeover || options.serverNoContextTakeover === true,
      // §7.1.1.2: echo the client's hint, or impose it by choice.
      clientNoContextTakeover: p.clientNoContextTakeover || options.clientNoContextTakeover === true,
      serverMaxWindowBits: serverBits,
      clientMaxWindowBits: clientBits,
    };
    let response = PERMESSAGE_DEFLATE;
    if (params.serverNoContextTakeover) response += "; server_no_context_takeover";
    if (params.clientNoContextTakeover) response += "; client_no_context_takeover";
    if (p.serverMaxWindowBits !== undefined || serverBits < 15) response += `; server_max_window_bits=${serverBits}`;
    if (sayClientBits) response += `; client_max_window_bits=${clientBits}`;
    return { params, response };
  }
  return null;
}
