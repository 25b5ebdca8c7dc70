/**
 * Signed cookie values: `value.signature`, the signature being HMAC-SHA256 (RFC 2104, over
 * WebCrypto's `crypto.subtle`) of `name=value`, base64url without padding (RFC 4648 §5). The name
 * is signed too, so a signed value cannot be moved to another cookie. A key list allows rotation:
 * the first key signs, any key verifies.
 */

/** Secrets for signed cookies: the first signs, every one verifies (newest first). */
export type CookieKeys = readonly (string | Uint8Array)[];

/** Shortest secret accepted, in bytes: HMAC-SHA256 keys below 128 bits are guessable. */
export const MIN_KEY_BYTES = 16;
/** Length of the base64url signature: 32 bytes of HMAC-SHA256. */
const SIGNATURE_LENGTH = 43;

const encoder = new TextEncoder();
// Imported keys by secret: importKey costs more than the HMAC. Bounded, as secrets may come from
// anywhere; apps have a handful.
const stringKeys = new Map<string, Promise<CryptoKey>>();
const byteKeys = new WeakMap<Uint8Array, Promise<CryptoKey>>();
const MAX_CACHED_KEYS = 64;

function importKey(secret: Uint8Array): Promise<CryptoKey> {
  return crypto.subtle.importKey("raw", secret as Uint8Array<ArrayBuffer>, { name: "HMAC", hash: "SHA-256" }, false, [
    "sign",
  ]);
}

function cryptoKey(secret: string | Uint8Array): Promise<CryptoKey> {
  if (typeof secret === "string") {
    let key = stringKeys.get(secret);
    if (key === undefined) {
      const bytes = encoder.encode(secret);
      checkLength(bytes.length);
      if (stringKeys.size >= MAX_CACHED_KEYS) stringKeys.clear();
      key = importKey(bytes);
      stringKeys.set(secret, key);
    }
    return key;
  }
  let key = byteKeys.get(secret);
  if (key === undefined) {
    checkLength(secret.length);
    key = importKey(secret.slice());
    byteKeys.set(secret, key);
  }
  return key;
}

function checkLength(length: number): void {
  if (length < MIN_KEY_BYTES) {
    throw new TypeError(
      `Cookie signing key is ${length} bytes; use at least ${MIN_KEY_BYTES} (32 random bytes is best)`,
    );
  }
}

function assertKeys(keys: CookieKeys): void {
  if (!Array.isArray(keys) || keys.length === 0) {
    throw new TypeError("Cookie signing keys must be a non-empty array (the first key signs, any key verifies)");
  }
}

async function signature(secret: string | Uint8Array, name: string, value: string): Promise<string> {
  const mac = new Uint8Array(
    await crypto.subtle.sign("HMAC", await cryptoKey(secret), encoder.encode(`${name}=${value}`)),
  );
  let binary = "";
  for (let i = 0; i < mac.length; i++) binary += String.fromCharCode(mac[i]!);
  return btoa(binary).replace(/\+/g, "-").replace(/\//g, "_").replace(/=+$/, "");
}

/** Compare in time that depends on the length only, so a forger learns nothing from timing. */
function equalConstantTime(a: string, b: string): boolean {
  if (a.length !== b.length) return false;
  let diff = 0;
  for (let i = 0; i < a.length; i++) diff |= a.charCodeAt(i) ^ b.charCodeAt(i);
  return diff === 0;
}

/**
 * `value.signature` for the cookie `name`, signed with the first key.
 *
 * @example
 * ```ts
 * const signed = await signCookieValue("user", "42", ["a-secret-of-at-least-16-bytes"]);
 * await verifyCookieValue("user", signed, ["a-secret-of-at-least-16-bytes"]); // "42"
 * ```
 */
export async function signCookieValue(name: string, value: string, keys: CookieKeys): Promise<string> {
  assertKeys(keys);
  return `${value}.${await signature(keys[0]!, name, value)}`;
}

/**
 * The value of a signed cookie if its signature is valid under any of `keys`; `undefined` when
 * it is missing, malformed or tampered with.
 */
export async function verifyCookieValue(
  name: string,
  signed: string | undefined,
  keys: CookieKeys,
): Promise<string | undefined> {
  assertKeys(keys);
  if (signed === undefined) return undefined;
  const dot = signed.lastIndexOf(".");
  if (dot === -1 || signed.length - dot - 1 !== SIGNATURE_LENGTH) return undefined;
  const value = signed.slice(0, dot);
  const given = signed.slice(dot + 1);
  for (const key of keys) {
    if (equalConstantTime(await signature(key, name, value), given)) return value;
  }
  return undefined;
}
