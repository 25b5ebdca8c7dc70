import { describe, expect, it } from "vitest";
import { isValidCloseCode } from "./close-codes.ts";

// RFC 6455 §7.4.1, §7.4.2 and the IANA registry (§11.7).
const table: [number, boolean, string][] = [
  [0, false, "§7.4.2 0–999 are not used"],
  [999, false, "§7.4.2 0–999 are not used"],
  [1000, true, "§7.4.1 normal closure"],
  [1001, true, "§7.4.1 going away"],
  [1002, true, "§7.4.1 protocol error"],
  [1003, true, "§7.4.1 unsupported data"],
  [1004, false, "§7.4.1 reserved"],
  [1005, false, "§7.4.1 no status received: never on the wire"],
  [1006, false, "§7.4.1 abnormal closure: never on the wire"],
  [1007, true, "§7.4.1 invalid frame payload data"],
  [1008, true, "§7.4.1 policy violation"],
  [1009, true, "§7.4.1 message too big"],
  [1010, true, "§7.4.1 mandatory extension"],
  [1011, true, "§7.4.1 internal error"],
  [1012, true, "§11.7 IANA: service restart"],
  [1013, true, "§11.7 IANA: try again later"],
  [1014, true, "§11.7 IANA: bad gateway"],
  [1015, false, "§7.4.1 TLS handshake: never on the wire"],
  [1016, false, "§7.4.2 1000–2999 unassigned"],
  [2999, false, "§7.4.2 1000–2999 unassigned"],
  [3000, true, "§7.4.2 3000–3999 libraries and frameworks"],
  [3999, true, "§7.4.2 3000–3999 libraries and frameworks"],
  [4000, true, "§7.4.2 4000–4999 private use"],
  [4999, true, "§7.4.2 4000–4999 private use"],
  [5000, false, "§7.4 beyond 4999"],
  [65535, false, "§7.4 beyond 4999"],
];

describe("isValidCloseCode (RFC 6455 §7.4)", () => {
  for (const [code, valid, why] of table) {
    it(`${code} ${valid ? "valid" : "invalid"}: ${why}`, () => expect(isValidCloseCode(code)).toBe(valid));
  }
});
