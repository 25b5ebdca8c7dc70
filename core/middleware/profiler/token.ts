/**
 * A secret compared in constant time: both sides are hashed with SHA-256 and the digests compared
 * byte by byte without an early exit, so neither the time to answer nor its length tells how much
 * of a guess was right, or how long the secret is.
 * @module
 */

const encoder = new TextEncoder();

function sha256(text: string): Promise<ArrayBuffer> {
  return crypto.subtle.digest("SHA-256", encoder.encode(text));
}

/** A secret that a presented value can be checked against. */
export class SecretToken {
  readonly #digest: Promise<Uint8Array>;

  constructor(secret: string) {
    this.#digest = sha256(secret).then((digest) => new Uint8Array(digest));
  }

  /** Whether `presented` is the secret. */
  async matches(presented: string): Promise<boolean> {
    const [expected, actual] = await Promise.all([this.#digest, sha256(presented)]);
    const given = new Uint8Array(actual);
    let difference = 0;
    for (let i = 0; i < expected.length; i++) difference |= expected[i]! ^ given[i]!;
    return difference === 0;
  }
}

/**
 * The credentials of an `Authorization: Bearer <token>` field (RFC 6750 §2.1), or `null` when the
 * field is absent or of another scheme. The scheme name is case-insensitive (RFC 9110 §11.1).
 */
export function bearerToken(authorization: string | undefined): string | null {
  if (authorization === undefined) return null;
  const match = /^bearer +(\S+) *$/i.exec(authorization);
  return match === null ? null : match[1]!;
}
