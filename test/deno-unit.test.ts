/**
 * The unit tests beside the code (`core/**\/*.test.ts`, written with vitest's API) on Deno:
 * `deno test -A --import-map=test/support/deno-unit-imports.json test/deno-unit.test.ts`.
 *
 * The files are found by glob when the run starts, so a new or moved test file needs no edit
 * here. Each file becomes one test named after its path, its describes and its tests steps
 * within it; the import map sends `vitest` to test/support/vitest-on-deno.ts.
 */
import { globSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { checkNothingEscaped } from "./support/escaped-errors.ts";
import { collectFile } from "./support/vitest-on-deno.ts";

const deno = (globalThis as { Deno?: { version: { deno: string } } }).Deno;
if (deno === undefined) throw new Error("test/deno-unit.test.ts must run on Deno (see its header)");

const root = new URL("../", import.meta.url);
// A path, not the URL: bun-types (in tsconfig.json, which deno check reads) and Deno's own types
// disagree on what a URL is.
const files = globSync("core/**/*.test.ts", { cwd: fileURLToPath(root.href) }).sort();
if (files.length === 0) throw new Error("no core/**/*.test.ts found: the glob or the working tree is wrong");
console.log(`wirecore unit tests: RUNTIME = deno ${deno.version.deno}, ${files.length} files from core/**/*.test.ts`);

for (const file of files) {
  await collectFile(file, () => import(new URL(file, root).href));
}
checkNothingEscaped();
