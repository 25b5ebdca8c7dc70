/**
 * One flood attack as its own process (so its CPU is not the victim's), printing an
 * `AttackReport` as one JSON line when done:
 *
 *   node bench/floods/attacker.ts hpack-bomb|empty-fields|reset-flood|slowloris PORT MS [CONNECTIONS]
 */
import process from "node:process";
import { h2Attack, type H2AttackKind } from "./h2-attack.ts";
import { slowloris } from "./slowloris.ts";

const [kind, port, ms, connections] = process.argv.slice(2);
const KINDS = ["hpack-bomb", "empty-fields", "reset-flood", "slowloris"];
if (kind === undefined || !KINDS.includes(kind) || !(Number(port) > 0) || !(Number(ms) > 0)) {
  console.error(
    "usage: node bench/floods/attacker.ts hpack-bomb|empty-fields|reset-flood|slowloris PORT MS [CONNECTIONS]",
  );
  process.exit(2);
}
const report = kind === "slowloris"
  ? await slowloris(Number(port), Number(connections ?? 2000), Number(ms))
  : await h2Attack(kind as H2AttackKind, Number(port), Number(ms));
console.log(JSON.stringify(report));
process.exit(0);
