/**
 * The TypeScript examples of the docs pages run as written: each ```ts block of the pages below
 * is written to a file (with `"wirecore"` pointing at this checkout's mod.ts), type-checked with
 * `deno check` (so the types the pages claim hold) and run on Node, where its `assert`s must pass.
 * `npx vitest run test/docs-examples.node.test.ts`
 */
import { execFile } from "node:child_process";
import { mkdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import process from "node:process";
import { fileURLToPath } from "node:url";
import { afterAll, describe, expect, it } from "vitest";

const ROOT = fileURLToPath(new URL("..", import.meta.url));
const PAGES = ["docs/routing.md", "docs/validation.md"];
const OUT = join(ROOT, ".docs-examples");

function run(file: string, args: string[]): Promise<{ code: number; output: string }> {
  return new Promise((resolve) => {
    execFile(file, args, { cwd: ROOT, timeout: 60_000 }, (error, stdout, stderr) => {
      resolve({ code: error === null ? 0 : typeof error.code === "number" ? error.code : 1, output: stdout + stderr });
    });
  });
}

/** The ```ts blocks of a page, in order. */
function blocks(page: string): string[] {
  const text = readFileSync(join(ROOT, page), "utf8");
  return [...text.matchAll(/^```ts\n([\s\S]*?)^```$/gm)].map((m) => m[1]!);
}

describe("docs examples", () => {
  rmSync(OUT, { recursive: true, force: true });
  mkdirSync(OUT, { recursive: true });
  const files: string[] = [];
  for (const page of PAGES) {
    const found = blocks(page);
    it(`${page} has examples`, () => expect(found.length).toBeGreaterThan(0));
    found.forEach((code, i) => {
      const name = `${page.replace(/\W/g, "-")}-${i + 1}.ts`;
      const file = join(OUT, name);
      writeFileSync(file, code.replaceAll('from "wirecore"', 'from "../mod.ts"'));
      files.push(file);
      it(`${page} example ${i + 1} runs on Node`, async () => {
        const { code: exit, output } = await run(process.execPath, [file]);
        expect(output).toBe("");
        expect(exit).toBe(0);
      });
    });
  }
  it("type-checks every example (deno check)", async () => {
    const { code, output } = await run(join(ROOT, "node_modules", ".bin", "deno"), ["check", "--quiet", ...files]);
    expect(output).toBe("");
    expect(code).toBe(0);
  });
  afterAll(() => rmSync(OUT, { recursive: true, force: true }));
});
