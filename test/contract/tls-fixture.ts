/** The self-signed certificate for localhost (test/fixtures/README.md), PEM, for the TLS cases. */
import { readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";

// Paths, not URL objects: deno check sees bun-types (tsconfig.json) and Deno's own URL type,
// which disagree, so node:fs overloads taking a URL do not resolve there.
function fixture(name: string): string {
  return readFileSync(fileURLToPath(new URL(`../fixtures/${name}`, import.meta.url).href), "utf8");
}

/** The certificate (PEM). */
export const cert: string = fixture("localhost-cert.pem");
/** Its private key (PEM). */
export const key: string = fixture("localhost-key.pem");
