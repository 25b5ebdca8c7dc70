/**
 * The `Sec-WebSocket-Extensions` grammar (RFC 6455 §9.1), parsed into offers:
 *
 * ```
 * extension-list  = 1#extension
 * extension       = extension-token *( ";" extension-param )
 * extension-param = token [ "=" ( token / quoted-string ) ]
 * ```
 *
 * with the HTTP list rules of RFC 9110 §5.6.1 (optional whitespace around delimiters, empty list
 * elements ignored) and the §9.1 rule that a quoted value, once unescaped, must itself be a
 * token. Names are kept as sent; RFC 7692 compares them exactly.
 *
 * @example
 * ```ts
 * parseExtensions("permessage-deflate; client_max_window_bits, permessage-deflate");
 * // [{ name: "permessage-deflate", params: [{ name: "client_max_window_bits", value: undefined }] },
 * //  { name: "permessage-deflate", params: [] }]
 * ```
 * @module
 */

/** One `name[=value]` parameter of an extension offer; `value` is undefined when absent. */
export interface ExtensionParam {
  name: string;
  value: string | undefined;
}

/** One element of the extension list: an extension name and its parameters, in order. */
export interface ExtensionOffer {
  name: string;
  params: ExtensionParam[];
}

/** tchar (RFC 9110 §5.6.2): ALPHA / DIGIT / "!#$%&'*+-.^_`|~". */
const TCHAR: Uint8Array = new Uint8Array(128);
for (let c = 0x30; c <= 0x39; c++) TCHAR[c] = 1;
for (let c = 0x41; c <= 0x5a; c++) TCHAR[c] = 1;
for (let c = 0x61; c <= 0x7a; c++) TCHAR[c] = 1;
for (const ch of "!#$%&'*+-.^_`|~") TCHAR[ch.charCodeAt(0)] = 1;

/** Whether `s` is a non-empty token (RFC 9110 §5.6.2). */
export function isToken(s: string): boolean {
  if (s.length === 0) return false;
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c >= 128 || TCHAR[c] === 0) return false;
  }
  return true;
}

function skipOws(s: string, i: number): number {
  while (i < s.length && (s.charCodeAt(i) === 0x20 || s.charCodeAt(i) === 0x09)) i++;
  return i;
}

function tokenEnd(s: string, i: number): number {
  while (i < s.length) {
    const c = s.charCodeAt(i);
    if (c >= 128 || TCHAR[c] === 0) break;
    i++;
  }
  return i;
}

/**
 * Parses a `Sec-WebSocket-Extensions` value (several fields joined with ", ").
 * Returns null when the value does not match the grammar.
 */
export function parseExtensions(value: string): ExtensionOffer[] | null {
  const offers: ExtensionOffer[] = [];
  let i = 0;
  for (;;) {
    // Empty list elements and the whitespace around them are allowed (RFC 9110 §5.6.1).
    while (i < value.length) {
      const c = value.charCodeAt(i);
      if (c !== 0x2c && c !== 0x20 && c !== 0x09) break;
      i++;
    }
    if (i === value.length) return offers;
    const nameEnd = tokenEnd(value, i);
    if (nameEnd === i) return null;
    const offer: ExtensionOffer = { name: value.slice(i, nameEnd), params: [] };
    i = skipOws(value, nameEnd);
    while (i < value.length && value.charCodeAt(i) === 0x3b /* ; */) {
      i = skipOws(value, i + 1);
      const paramEnd = tokenEnd(value, i);
      if (paramEnd === i) return null;
      const param: ExtensionParam = { name: value.slice(i, paramEnd), value: undefined };
      i = skipOws(value, paramEnd);
      if (i < value.length && value.charCodeAt(i) === 0x3d /* = */) {
        i = skipOws(value, i + 1);
        if (i < value.length && value.charCodeAt(i) === 0x22 /* " */) {
          // quoted-string (RFC 9110 §5.6.4); its unescaped content must be a token (§9.1).
          let text = "";
          i++;
          for (;;) {
            if (i >= value.length) return null;
            const c = value.charCodeAt(i);
            if (c === 0x22) break;
            if (c === 0x5c /* \ */) {
              i++;
              if (i >= value.length) return null;
            }
            text += value[i];
            i++;
          }
          i++;
          if (!isToken(text)) return null;
          param.value = text;
        } else {
          const valueEnd = tokenEnd(value, i);
          if (valueEnd === i) return null;
          param.value = value.slice(i, valueEnd);
          i = valueEnd;
        }
        i = skipOws(value, i);
      }
      offer.params.push(param);
    }
    offers.push(offer);
    if (i < value.length && value.charCodeAt(i) !== 0x2c) return null;
  }
}

/** Formats offers back into a header value: `name; a; b=1, other`. Values are tokens. */
export function formatExtensions(offers: readonly ExtensionOffer[]): string {
  let out = "";
  for (const offer of offers) {
    if (out !== "") out += ", ";
    out += offer.name;
    for (const p of offer.params) out += p.value === undefined ? `; ${p.name}` : `; ${p.name}=${p.value}`;
  }
  return out;
}
