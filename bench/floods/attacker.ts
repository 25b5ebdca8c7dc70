/**
 * One flood attack as its own process (so its CPU is not the victim's), printing an
 * `AttackReport` as one JSON line when done:
 *
 *   node bench/floods/attacker.ts hpack-bomb|empty-fields|reset-flood|slowloris PORT MS [CONNECTIONS] [hasty]
 *
 * `hasty`: the HTTP/2 attacker drops each connection on its GOAWAY and opens the next at once.
 */
import process from "node:process";
import { h2Attack, type H2AttackKind } from "./h2-attack.ts";
import { slowloris } from "./slowloris.ts";

const [kind, port, ms, connections, pace] = process.argv.slice(2);
const KINDS = ["hpack-bomb", "empty-fields", "reset-flood", "slowloris"];
const valid = kind !== undefined && KINDS.includes(kind) && Number(port) > 0 && Number(ms) > 0;
if (!valid || (pace !== undefined && pace !== "hasty")) {
  console.error(
    "usage: node bench/floods/attacker.ts hpack-bomb|empty-fields|reset-flood|slowloris PORT MS [CONNECTIONS] [hasty]",
  );
  process.exit(2);
}
const report = kind === "slowloris"
  ? await slowloris(Number(port), Number(connections ?? 2000), Number(ms))
  : await h2Attack(kind as H2AttackKind, Number(port), Number(ms), pace === "hasty");
console.log(JSON.stringify(report));
process.exit(0);
