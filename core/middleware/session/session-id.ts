/** Session ids: 192 random bits (OWASP asks for at least 64 bits of entropy; the brief for 128). */

const ID_BYTES = 24;

/** A fresh session id: 24 bytes from `crypto.getRandomValues`, base64url (32 characters). */
export function newSessionId(): string {
  const bytes = crypto.getRandomValues(new Uint8Array(ID_BYTES));
  let binary = "";
  for (let i = 0; i < bytes.length; i++) binary += String.fromCharCode(bytes[i]!);
  return btoa(binary).replace(/\+/g, "-").replace(/\//g, "_");
}
