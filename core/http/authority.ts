/**
 * The Host field and the authority of a request target: `uri-host [ ":" port ]` (RFC 9110 §7.2,
 * RFC 3986 §3.2.2–3.2.3). The character check alone lets `host:port:extra` or `a%zz` through;
 * those then break whatever builds a URL from them (the fetch bridge's `new Request()`), so the
 * parsers check the structure once, here, and answer 400.
 */

const COLON = 0x3a;
const PERCENT = 0x25;
const OPEN_BRACKET = 0x5b;

/** reg-name = *( unreserved / pct-encoded / sub-delims ) — pct-encoded is checked apart. */
const REG_NAME = new Uint8Array(128);
/** IPvFuture's tail: 1*( unreserved / sub-delims / ":" ). */
const FUTURE = new Uint8Array(128);
for (const ch of "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789-._~!$&'()*+,;=") {
  REG_NAME[ch.charCodeAt(0)] = 1;
  FUTURE[ch.charCodeAt(0)] = 1;
}
FUTURE[COLON] = 1;

/**
 * Whether `value` is a valid Host field value or request-target authority: `uri-host [ ":" port ]`
 * where uri-host is an IP-literal (`[` IPv6 or IPvFuture `]`) or a reg-name (an IPv4 address
 * is one too), and port is digits. An empty value is valid (RFC 9110 §7.2 lets a client send an
 * empty Host); an empty host before a port is not (§4.2.1: an "http" URI has a host).
 *
 * @example
 * ```ts
 * isValidHost("example.com:8080"); // true
 * isValidHost("[::1]:443");        // true
 * isValidHost("host:80:extra");    // false
 * ```
 */
export function isValidHost(value: string): boolean {
  // Clients send the same Host request after request: compare with the last one found valid.
  if (value === lastValidHost) return true;
  const valid = checkHost(value);
  if (valid) lastValidHost = value;
  return valid;
}

let lastValidHost = "";

function checkHost(value: string): boolean {
  const n = value.length;
  if (n === 0) return true;
  let i = 0;
  if (value.charCodeAt(0) === OPEN_BRACKET) {
    const close = value.indexOf("]");
    if (close < 0 || !isIpLiteral(value, 1, close)) return false;
    i = close + 1;
  } else {
    for (; i < n; i++) {
      const c = value.charCodeAt(i);
      if (c === COLON) break;
      if (c === PERCENT) {
        if (!isHex(value.charCodeAt(i + 1)) || !isHex(value.charCodeAt(i + 2))) return false;
        i += 2;
      } else if (c >= 128 || REG_NAME[c] === 0) return false;
    }
    if (i === 0) return false;
  }
  if (i === n) return true;
  if (value.charCodeAt(i) !== COLON) return false;
  for (let j = i + 1; j < n; j++) if (!isDigit(value.charCodeAt(j))) return false;
  return true;
}

/** IP-literal without its brackets: IPv6address / IPvFuture (RFC 3986 §3.2.2). */
function isIpLiteral(s: string, start: number, end: number): boolean {
  const c = s.charCodeAt(start);
  if (c === 0x76 || c === 0x56) return isIpvFuture(s, start + 1, end);
  return isIpv6(s, start, end);
}

/** "v" 1*HEXDIG "." 1*( unreserved / sub-delims / ":" ), after the "v". */
function isIpvFuture(s: string, start: number, end: number): boolean {
  let i = start;
  while (i < end && isHex(s.charCodeAt(i))) i++;
  if (i === start || i >= end || s.charCodeAt(i) !== 0x2e) return false;
  i++;
  if (i === end) return false;
  for (; i < end; i++) {
    const c = s.charCodeAt(i);
    if (c >= 128 || FUTURE[c] === 0) return false;
  }
  return true;
}

/**
 * IPv6address (RFC 3986 §3.2.2, RFC 4291 §2.2): eight groups of 1–4 hex digits, at most one
 * "::" standing for one or more zero groups, and optionally a dotted IPv4 address as the last
 * two groups.
 */
function isIpv6(s: string, start: number, end: number): boolean {
  let groups = 0;
  let compressed = false;
  let i = start;
  if (i < end && s.charCodeAt(i) === COLON) {
    if (s.charCodeAt(i + 1) !== COLON) return false; // a leading ":" only as part of "::"
    compressed = true;
    i += 2;
    if (i === end) return true; // "::"
  }
  for (;;) {
    // One group, or the trailing IPv4 address.
    let j = i;
    while (j < end && isHex(s.charCodeAt(j)) && j - i < 5) j++;
    if (j < end && s.charCodeAt(j) === 0x2e) {
      if (!isIpv4(s, i, end)) return false;
      groups += 2;
      break;
    }
    if (j === i || j - i > 4) return false;
    groups++;
    if (j === end) break;
    if (s.charCodeAt(j) !== COLON) return false;
    if (s.charCodeAt(j + 1) === COLON) {
      if (compressed) return false;
      compressed = true;
      i = j + 2;
      if (i === end) break;
    } else {
      i = j + 1;
      if (i === end) return false; // a trailing single ":"
    }
  }
  return compressed ? groups < 8 : groups === 8;
}

/** dec-octet "." dec-octet "." dec-octet "." dec-octet, no leading zeros (RFC 3986 §3.2.2). */
function isIpv4(s: string, start: number, end: number): boolean {
  let parts = 0;
  let i = start;
  while (parts < 4) {
    let j = i;
    let value = 0;
    while (j < end && isDigit(s.charCodeAt(j)) && j - i < 3) value = value * 10 + (s.charCodeAt(j++) - 0x30);
    const len = j - i;
    if (len === 0 || value > 255 || (len > 1 && s.charCodeAt(i) === 0x30)) return false;
    parts++;
    if (parts === 4) return j === end;
    if (j >= end || s.charCodeAt(j) !== 0x2e) return false;
    i = j + 1;
  }
  return false;
}

function isDigit(c: number): boolean {
  return c >= 0x30 && c <= 0x39;
}

function isHex(c: number): boolean {
  return (c >= 0x30 && c <= 0x39) || ((c | 0x20) >= 0x61 && (c | 0x20) <= 0x66);
}
