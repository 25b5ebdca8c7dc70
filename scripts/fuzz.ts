/**
 * `npm run fuzz`: the property-based tests (`core/**\/*.fuzz.test.ts`) for a long run. Each
 * property runs `WIRECORE_FUZZ_RUNS` times its share of the normal run (default 100×), from the
 * seed `WIRECORE_FUZZ_SEED` (random unless given), which is printed first and again on failure:
 * `WIRECORE_FUZZ_SEED=<seed> npm run fuzz` replays it. Extra arguments go to vitest (a file or
 * `-t <name>` to run one property).
 */
import { spawnSync } from "node:child_process";
import { randomInt } from "node:crypto";
import process from "node:process";

const seed = process.env.WIRECORE_FUZZ_SEED || String(randomInt(2 ** 31));
const runs = process.env.WIRECORE_FUZZ_RUNS || "100";
const replay = `WIRECORE_FUZZ_SEED=${seed} WIRECORE_FUZZ_RUNS=${runs} npm run fuzz`;
console.log(`fuzz: seed ${seed}, ${runs}× the normal runs (replay: ${replay})`);

// vitest takes positional arguments as file name filters: ".fuzz.test." picks the fuzz files.
const args = process.argv.slice(2);
const filters = args.some((arg) => !arg.startsWith("-")) ? [] : [".fuzz.test."];
const result = spawnSync("vitest", ["run", "--testTimeout=0", ...filters, ...args], {
  stdio: "inherit",
  env: { ...process.env, WIRECORE_FUZZ_SEED: seed, WIRECORE_FUZZ_RUNS: runs },
});
if (result.status !== 0) {
  console.error(`fuzz: FAILED with seed ${seed}; replay: ${replay}`);
  process.exit(result.status ?? 1);
}
console.log(`fuzz: passed with seed ${seed}`);
