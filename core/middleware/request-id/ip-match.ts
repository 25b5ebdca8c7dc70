/**
 * Matching a peer address against a list of IP addresses and CIDR ranges (RFC 4632 for IPv4,
 * RFC 4291 §2.3 for IPv6 prefixes), for deciding whether a peer is a trusted proxy. An
 * IPv4-mapped IPv6 address (`::ffff:10.0.0.1`, RFC 4291 §2.5.5.2, what Node reports on a
 * dual-stack socket) matches as the IPv4 address it carries.
 * @module
 */

/** One range: the address bytes (4 or 16) and how many leading bits must match. */
interface Range {
  readonly bytes: Uint8Array;
  readonly bits: number;
}

/**
 * A predicate over peer addresses for `list` (each an address, or an address with `/prefix`).
 * Throws a TypeError naming the first entry that is not one, so a typo fails at start-up.
 */
export function compileIpMatcher(list: readonly string[]): (address: string) => boolean {
  const ranges: Range[] = list.map((entry) => {
    const slash = entry.indexOf("/");
    const bytes = parseIp(slash === -1 ? entry : entry.slice(0, slash));
    if (bytes === null) throw new TypeError(`Not an IP address or CIDR range: "${entry}"`);
    const max = bytes.length * 8;
    const bits = slash === -1 ? max : Number(entry.slice(slash + 1));
    if (!Number.isInteger(bits) || bits < 0 || bits > max || (slash !== -1 && !/^\d+$/.test(entry.slice(slash + 1)))) {
      throw new TypeError(`Bad prefix length in CIDR range "${entry}" (0–${max})`);
    }
    return { bytes, bits };
  });
  return (address) => {
    const bytes = parseIp(address);
    if (bytes === null) return false;
    for (const range of ranges) if (inRange(bytes, range)) return true;
    return false;
  };
}

function inRange(bytes: Uint8Array, range: Range): boolean {
  if (bytes.length !== range.bytes.length) return false;
  let bits = range.bits;
  for (let i = 0; bits > 0; i++, bits -= 8) {
    const mask = bits >= 8 ? 0xff : (0xff << (8 - bits)) & 0xff;
    if ((bytes[i]! & mask) !== (range.bytes[i]! & mask)) return false;
  }
  return true;
}

/** The bytes of an IPv4 (4) or IPv6 (16) address; an IPv4-mapped IPv6 address gives its 4 IPv4 bytes; null if neither. */
export function parseIp(text: string): Uint8Array | null {
  if (text.startsWith("[") && text.endsWith("]")) text = text.slice(1, -1);
  const zone = text.indexOf("%"); // a zone index (fe80::1%eth0, RFC 6874) names no other address
  if (zone !== -1) text = text.slice(0, zone);
  if (!text.includes(":")) return parseIpv4(text);
  const v6 = parseIpv6(text);
  if (v6 === null) return null;
  // ::ffff:a.b.c.d is the IPv4 address a.b.c.d (RFC 4291 §2.5.5.2).
  for (let i = 0; i < 10; i++) if (v6[i] !== 0) return v6;
  return v6[10] === 0xff && v6[11] === 0xff ? v6.slice(12) : v6;
}

function parseIpv4(text: string): Uint8Array | null {
  const parts = text.split(".");
  if (parts.length !== 4) return null;
  const out = new Uint8Array(4);
  for (let i = 0; i < 4; i++) {
    const part = parts[i]!;
    // Decimal only, no leading zeros: "010" is octal to some parsers and ambiguous.
    if (!/^(?:0|[1-9]\d{0,2})$/.test(part)) return null;
    const n = Number(part);
    if (n > 255) return null;
    out[i] = n;
  }
  return out;
}

function parseIpv6(text: string): Uint8Array | null {
  const halves = text.split("::");
  if (halves.length > 2) return null;
  const head = halves[0] === "" ? [] : halves[0]!.split(":");
  const tail = halves.length === 2 ? (halves[1] === "" ? [] : halves[1]!.split(":")) : [];
  const groups: number[] = [];
  const words = (parts: string[], last: boolean): number[] | null => {
    const out: number[] = [];
    for (let i = 0; i < parts.length; i++) {
      const part = parts[i]!;
      if (last && i === parts.length - 1 && part.includes(".")) {
        const v4 = parseIpv4(part);
        if (v4 === null) return null;
        out.push((v4[0]! << 8) | v4[1]!, (v4[2]! << 8) | v4[3]!);
      } else if (/^[0-9a-fA-F]{1,4}$/.test(part)) out.push(parseInt(part, 16));
      else return null;
    }
    return out;
  };
  const a = words(head, halves.length === 1);
  const b = words(tail, true);
  if (a === null || b === null) return null;
  if (halves.length === 1) {
    if (a.length !== 8) return null;
    groups.push(...a);
  } else {
    const missing = 8 - a.length - b.length;
    if (missing < 1) return null;
    groups.push(...a, ...new Array<number>(missing).fill(0), ...b);
  }
  const out = new Uint8Array(16);
  for (let i = 0; i < 8; i++) {
    out[i * 2] = groups[i]! >> 8;
    out[i * 2 + 1] = groups[i]! & 0xff;
  }
  return out;
}
