/**
 * Build a `Set-Cookie` field value (RFC 6265bis §4.1), refusing anything a user agent would drop
 * or that could break out of the field: every name, value and attribute is checked, so no CR, LF
 * or `;` of user input ever reaches the wire.
 */
import { assertCookieName, assertCookieValue, badAttributeChar, badCookieOctet, describeChar } from "./cookie-chars.ts";

/** The `SameSite` attribute (RFC 6265bis §4.1.2.7); case-insensitive on input. */
export type SameSite = "Strict" | "Lax" | "None" | "strict" | "lax" | "none";

/** The attributes of a `Set-Cookie` (RFC 6265bis §4.1.2). */
export interface CookieOptions {
  /**
   * `Path` (§4.1.2.4); `/` unless given, so a cookie is not tied to the path that set it; `""`
   * leaves the attribute out (the user agent then uses the request's directory).
   */
  path?: string | undefined;
  /** `Domain` (§4.1.2.3); absent by default: a host-only cookie. */
  domain?: string | undefined;
  /** `Max-Age` in seconds (§4.1.2.2); 0 or less expires the cookie at once. */
  maxAge?: number | undefined;
  /** `Expires` (§4.1.2.1). */
  expires?: Date | undefined;
  /** `HttpOnly` (§4.1.2.6): no access from script. */
  httpOnly?: boolean | undefined;
  /** `Secure` (§4.1.2.5): sent over HTTPS only. */
  secure?: boolean | undefined;
  /** `SameSite` (§4.1.2.7); `None` needs `secure`. */
  sameSite?: SameSite | undefined;
  /** `Partitioned` (CHIPS): a cookie keyed by the top-level site; needs `secure`. */
  partitioned?: boolean | undefined;
}

/** User agents ignore a cookie whose name and value are longer together (RFC 6265bis §5.6 step 5). */
export const MAX_NAME_VALUE_LENGTH = 4096;
/** User agents ignore an attribute value longer than this (RFC 6265bis §5.6 step 7). */
export const MAX_ATTRIBUTE_LENGTH = 1024;

const SAME_SITE: Readonly<Record<string, string>> = { strict: "Strict", lax: "Lax", none: "None" };

/**
 * The `Set-Cookie` field value for one cookie. Throws a TypeError naming the bad character for an
 * invalid name (not a token), value (not cookie-octets) or attribute, a RangeError for a size a
 * user agent would ignore, and an Error for a broken prefix rule (RFC 6265bis §4.1.3): a
 * `__Secure-` cookie needs `secure`, a `__Host-` one `secure`, path `/` and no domain.
 *
 * @example
 * ```ts
 * serializeCookie("theme", "dark", { maxAge: 3600, httpOnly: true, sameSite: "Lax" });
 * // "theme=dark; Path=/; Max-Age=3600; HttpOnly; SameSite=Lax"
 * ```
 */
export function serializeCookie(name: string, value: string, options: CookieOptions = {}): string {
  assertCookieName(name);
  assertCookieValue(name, value);
  if (name.length + value.length > MAX_NAME_VALUE_LENGTH) {
    throw new RangeError(
      `Cookie ${name} is ${name.length + value.length} characters long (name and value); ` +
        `user agents ignore cookies over ${MAX_NAME_VALUE_LENGTH}`,
    );
  }
  const path = options.path ?? "/";
  checkPrefix(name, path, options);
  let out = `${name}=${value}`;
  if (path !== "") {
    if (path.charCodeAt(0) !== 0x2f) throw new TypeError(`Cookie ${name}: path must start with "/", got ${path}`);
    out += "; Path=" + attribute(name, "path", path);
  }
  if (options.domain !== undefined) {
    const domain = attribute(name, "domain", options.domain);
    const at = badCookieOctet(domain);
    if (domain === "" || at !== -1) {
      throw new TypeError(`Cookie ${name}: invalid domain ${JSON.stringify(domain)}`);
    }
    out += "; Domain=" + domain;
  }
  if (options.maxAge !== undefined) {
    if (!Number.isFinite(options.maxAge)) {
      throw new TypeError(`Cookie ${name}: maxAge must be a finite number of seconds, got ${options.maxAge}`);
    }
    out += "; Max-Age=" + Math.max(0, Math.floor(options.maxAge));
  }
  if (options.expires !== undefined) {
    const time = options.expires instanceof Date ? options.expires.getTime() : NaN;
    if (Number.isNaN(time)) throw new TypeError(`Cookie ${name}: expires must be a valid Date`);
    out += "; Expires=" + options.expires.toUTCString();
  }
  if (options.httpOnly === true) out += "; HttpOnly";
  if (options.secure === true) out += "; Secure";
  if (options.sameSite !== undefined) {
    const sameSite = SAME_SITE[String(options.sameSite).toLowerCase()];
    if (sameSite === undefined) {
      throw new TypeError(`Cookie ${name}: sameSite must be "Strict", "Lax" or "None", got ${options.sameSite}`);
    }
    // Browsers reject SameSite=None without Secure (RFC 6265bis §5.6.7 step 4's "None" needs a secure context).
    if (sameSite === "None" && options.secure !== true) {
      throw new TypeError(`Cookie ${name}: sameSite "None" needs secure: true`);
    }
    out += "; SameSite=" + sameSite;
  }
  if (options.partitioned === true) {
    // CHIPS: user agents drop a Partitioned cookie without Secure.
    if (options.secure !== true) throw new TypeError(`Cookie ${name}: partitioned needs secure: true`);
    out += "; Partitioned";
  }
  return out;
}

/**
 * The `Set-Cookie` field value that deletes a cookie: empty, `Max-Age=0` and an `Expires` in the
 * past (RFC 6265bis §3.1). The path and domain must be the ones it was set with; a prefixed name
 * gets the attributes its prefix asks for (`Secure`, and for `__Host-` also `Path=/`).
 */
export function serializeCookieDeletion(
  name: string,
  options: Pick<CookieOptions, "path" | "domain" | "secure" | "httpOnly" | "sameSite" | "partitioned"> = {},
): string {
  const prefix = prefixOf(name);
  return serializeCookie(name, "", {
    ...options,
    path: prefix === "__host-" ? "/" : options.path,
    secure: prefix !== "" ? true : options.secure,
    maxAge: 0,
    expires: new Date(0),
  });
}

function attribute(name: string, what: string, value: string): string {
  const at = badAttributeChar(value);
  if (at !== -1) throw new TypeError(`Cookie ${name}: ${what} has an invalid character ${describeChar(value, at)}`);
  if (value.length > MAX_ATTRIBUTE_LENGTH) {
    throw new RangeError(`Cookie ${name}: ${what} is over ${MAX_ATTRIBUTE_LENGTH} characters; user agents ignore it`);
  }
  return value;
}

/** The lowercased prefix of a prefixed cookie name, or "" (matched case-insensitively, RFC 6265bis §4.1.3). */
function prefixOf(name: string): "__secure-" | "__host-" | "" {
  if (name.charCodeAt(0) !== 0x5f || name.charCodeAt(1) !== 0x5f) return "";
  const lower = name.slice(0, 9).toLowerCase();
  if (lower === "__secure-") return "__secure-";
  if (lower.startsWith("__host-")) return "__host-";
  return "";
}

/** RFC 6265bis §4.1.3: cookie prefixes; a user agent drops a cookie that breaks its prefix's rule. */
function checkPrefix(name: string, path: string, options: CookieOptions): void {
  const prefix = prefixOf(name);
  if (prefix === "") return;
  if (options.secure !== true) {
    throw new Error(`Cookie ${name}: a ${name.slice(0, prefix.length)} cookie needs secure: true (RFC 6265bis §4.1.3)`);
  }
  if (prefix === "__host-") {
    if (options.domain !== undefined) {
      throw new Error(`Cookie ${name}: a __Host- cookie must not have a domain (RFC 6265bis §4.1.3.2)`);
    }
    if (path !== "/") {
      throw new Error(`Cookie ${name}: a __Host- cookie needs path "/" (RFC 6265bis §4.1.3.2), got ${path}`);
    }
  }
}
